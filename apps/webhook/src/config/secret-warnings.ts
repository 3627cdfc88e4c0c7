import { URL_SAFE } from "@pagerduty-voys/server/schema";
import type { WebhookConfig } from "./types.js";

const SAFE = "A-Z a-z 0-9 - . _ ~";

/**
 * Warnings for secrets that may never match: Voys puts `secret_key` into the URL as written, so a
 * character a URL must encode (`+`, `/`, `=`, `&`, `#`, `%`, …) arrives changed or cuts the URL.
 */
export function secretWarnings(config: Pick<WebhookConfig, "secretKey">): string[] {
  const secrets = typeof config.secretKey === "string" ? [config.secretKey] : config.secretKey;
  const unsafe = secrets.filter((secret) => !URL_SAFE.test(secret)).length;
  if (unsafe === 0) return [];
  const which = secrets.length === 1 ? "the secret" : `${unsafe} of the ${secrets.length} secrets`;
  return [
    `WEBHOOK_SECRET_KEY: ${which} holds characters a URL must encode (anything outside ${SAFE}); sent unencoded in the Voys URL template it will not match. Use only ${SAFE} (e.g. openssl rand -hex 32), or percent-encode those characters in the template`,
  ];
}
