#!/usr/bin/env bash
# Gets a fresh clone ready: the pinned pnpm, the workspace's dependencies, and a build.
# With --tests it also makes sure redis-server exists, because the tests start their own.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=12.4.2

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "bootstrap: installing pnpm $PNPM_VERSION with npm" >&2
  npm install --global --no-fund --no-audit "pnpm@$PNPM_VERSION" >&2
fi

if [ "${1:-}" = "--tests" ] && ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing redis-server with apt-get (the tests start their own on a free port)" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2
  else
    echo "bootstrap: the tests need redis-server on PATH; install it (e.g. apt-get install redis-server)" >&2
    exit 1
  fi
fi

pnpm install --frozen-lockfile >&2
pnpm run build >&2
