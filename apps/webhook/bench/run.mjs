#!/usr/bin/env node
// `pnpm bench`: the built webhook server (fake PagerDuty with 80 ms latency, sample scenario) against
// a bare Fastify route with the same body, same machine, same connections, in short alternating
// rounds (bare, webhook, webhook with audit lines, bare, …). Prints requests/s, p50, p99, the server's
// CPU time per request, the ratio (the median of the rounds' ratios, and their range) and the
// PagerDuty requests made during the timed runs, and per target the time from process start to the
// first ACK, the idle memory (RSS) and the RSS after the load. Exits non-zero only on errors, never on
// targets. Short rounds and a median because the speed of a shared virtual machine drifts within
// seconds: one long run per target compares a fast minute with a slow one.
// Env: BENCH_DURATION (s, default 10 per target), BENCH_CONNECTIONS (32), BENCH_ROUNDS (5), BENCH_WARMUP (s, 3).
import { closeSync, openSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createFakePagerDuty, sampleScenario } from "@pagerduty-voys/pagerduty-source/testing";
import autocannon from "autocannon";
import {
  CLI,
  emptyConfigDir,
  freePort,
  requireBuiltCli,
  startNode,
  waitForOk,
} from "../scripts/lib/processes.mjs";
import { BARE_SERVER, callUrl, envInteger, SECRET, webhookEnv } from "./targets.mjs";

const DURATION = envInteger("BENCH_DURATION", 10, 1, 600);
const CONNECTIONS = envInteger("BENCH_CONNECTIONS", 32, 1, 1024);
const ROUNDS = envInteger("BENCH_ROUNDS", 5, 1, 60);
const WARMUP = envInteger("BENCH_WARMUP", 3, 0, 60);

function load(url, seconds) {
  return autocannon({ url, connections: CONNECTIONS, duration: seconds, pipelining: 1 });
}

async function expectAck(url) {
  const response = await fetch(url);
  const body = await response.text();
  if (response.status !== 200 || !body.startsWith("status=ACK&destination=%2B")) {
    throw new Error(
      `${url.replace(SECRET, "…")} answered ${response.status} ${JSON.stringify(body)}, expected an ACK`,
    );
  }
}

/** Resident set size of a process in MiB (Linux /proc), NaN where unavailable. */
function rssMiB(pid) {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** CPU time (user + system) a process has used, in µs (Linux /proc), NaN where unavailable. */
function cpuMicros(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    // utime and stime, fields 14 and 15 of proc(5), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return Number.NaN;
  }
}

/** Loads `url` for `seconds`; the autocannon result plus the target's CPU µs per request meanwhile. */
async function measure(url, pid, seconds) {
  const before = cpuMicros(pid);
  const result = await load(url, seconds);
  return { ...result, cpuMicros: cpuMicros(pid) - before };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Round by round throughput of `runs` over that of `baseline` (the same round's): median, min, max. */
function ratios(runs, baseline) {
  const each = runs.map(
    (run, i) => run.requests.total / run.duration / (baseline[i].requests.total / baseline[i].duration),
  );
  return { median: median(each), min: Math.min(...each), max: Math.max(...each) };
}

/** Starts a target and polls `url` every 5 ms until it ACKs; the ms from spawn to that ACK. */
async function startUntilAck(start, url, timeoutMs = 20_000) {
  const started = performance.now();
  const process_ = start();
  for (;;) {
    if (!process_.isAlive())
      throw new Error(`${url.replace(SECRET, "…")}: the process exited before its first ACK`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      const body = await response.text();
      if (response.status === 200 && body.startsWith("status=ACK&destination=%2B")) {
        return { process: process_, firstAckMs: performance.now() - started };
      }
    } catch {
      // not listening yet
    }
    if (performance.now() - started > timeoutMs) {
      await process_.stop();
      throw new Error(`${url.replace(SECRET, "…")}: no ACK within ${timeoutMs} ms of the start`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function summarise(runs) {
  const requests = runs.reduce((sum, r) => sum + r.requests.total, 0);
  const seconds = runs.reduce((sum, r) => sum + r.duration, 0);
  return {
    rps: requests / seconds,
    p50: runs.reduce((sum, r) => sum + r.latency.p50, 0) / runs.length,
    p99: Math.max(...runs.map((r) => r.latency.p99)),
    errors: runs.reduce((sum, r) => sum + r.errors + r.timeouts + r.non2xx, 0),
    requests,
    cpuPerRequest: runs.reduce((sum, r) => sum + r.cpuMicros, 0) / requests,
  };
}

async function main() {
  requireBuiltCli();
  const fake = await createFakePagerDuty({ scenario: sampleScenario() });
  fake.setLatency(80);
  const configDir = emptyConfigDir();
  const [webhookPort, auditedPort, barePort] = [await freePort(), await freePort(), await freePort()];
  const serverEnv = (port, level) => webhookEnv(fake, port, level, configDir);
  const targets = {
    bare: callUrl(barePort),
    webhook: callUrl(webhookPort),
    audited: callUrl(auditedPort),
  };
  // One at a time, so that each start-up has the machine to itself. Without audit lines
  // (LOG_LEVEL=warn), and as deployed (LOG_LEVEL=info: one audit line per call, written to a file
  // as journald or a log shipper would take them).
  const auditLog = openSync(join(configDir, "audit.log"), "w");
  const started = [];
  const stopAll = () => Promise.all(started.map((p) => p.process.stop()));
  try {
    started.push(
      await startUntilAck(
        () => startNode(BARE_SERVER, [], { env: { PORT: String(barePort) } }),
        targets.bare,
      ),
    );
    started.push(
      await startUntilAck(
        () => startNode(CLI, ["serve"], { env: serverEnv(webhookPort, "warn") }),
        targets.webhook,
      ),
    );
    started.push(
      await startUntilAck(
        () =>
          startNode(CLI, ["serve"], {
            env: serverEnv(auditedPort, "info"),
            stdio: ["ignore", auditLog, "inherit"],
          }),
        targets.audited,
      ),
    );
  } catch (error) {
    await stopAll();
    closeSync(auditLog);
    await fake.close();
    throw error;
  }
  const [bare, webhook, audited] = started.map((p) => p.process);
  const startup = {
    bare: { ...started[0], idleRss: rssMiB(bare.child.pid) },
    webhook: { ...started[1], idleRss: rssMiB(webhook.child.pid) },
    audited: { ...started[2], idleRss: rssMiB(audited.child.pid) },
  };
  const guard = setTimeout(
    () => {
      process.stderr.write("bench: took too long, giving up\n");
      process.exit(1);
    },
    (WARMUP * 3 + DURATION * 3 + 120) * 1000,
  );
  guard.unref();
  try {
    await waitForOk(`http://127.0.0.1:${webhookPort}/readyz`, 20_000, webhook.isAlive);
    await waitForOk(`http://127.0.0.1:${auditedPort}/readyz`, 20_000, audited.isAlive);
    await waitForOk(`http://127.0.0.1:${barePort}/healthz`, 20_000, bare.isAlive);
    await expectAck(targets.webhook);
    await expectAck(targets.audited);
    await expectAck(targets.bare);
    if (WARMUP > 0) for (const url of Object.values(targets)) await load(url, WARMUP);
    fake.clearRequests();
    const runs = { bare: [], webhook: [], audited: [] };
    const pids = { bare: bare.child.pid, webhook: webhook.child.pid, audited: audited.child.pid };
    const perRound = Math.max(1, Math.round(DURATION / ROUNDS));
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const name of Object.keys(runs))
        runs[name].push(await measure(targets[name], pids[name], perRound));
    }
    const pagerDutyRequests = fake.requests.length;
    for (const entry of Object.values(startup)) entry.loadedRss = rssMiB(entry.process.child.pid);
    const results = Object.fromEntries(Object.entries(runs).map(([name, r]) => [name, summarise(r)]));
    const ratio = { webhook: ratios(runs.webhook, runs.bare), audited: ratios(runs.audited, runs.bare) };
    print(results, ratio, pagerDutyRequests, perRound);
    printStartup(startup);
    const errors = Object.values(results).reduce((sum, r) => sum + r.errors, 0);
    if (errors > 0) throw new Error(`${errors} requests failed (errors, timeouts or non-2xx)`);
  } finally {
    await stopAll();
    closeSync(auditLog);
    await fake.close();
    rmSync(configDir, { recursive: true, force: true });
  }
}

function print({ bare, webhook, audited }, ratio, pagerDutyRequests, perRound) {
  const row = (name, s) =>
    `| ${name.padEnd(20)} | ${s.rps.toFixed(0).padStart(10)} | ${s.p50.toFixed(1).padStart(8)} | ${s.p99.toFixed(1).padStart(8)} | ${s.cpuPerRequest.toFixed(1).padStart(12)} | ${String(s.requests).padStart(9)} |`;
  const range = (r) => `${r.median.toFixed(3)} (rounds ${r.min.toFixed(2)}–${r.max.toFixed(2)})`;
  const lines = [
    "",
    `${CONNECTIONS} connections, ${ROUNDS} rounds of ${perRound} s per target, alternating; fake PagerDuty latency 80 ms`,
    "latencies: autocannon's 1 ms resolution; p50 = mean of the rounds' p50, p99 = worst round's p99",
    "",
    "CPU µs/request: the target process's user + system time during its rounds (/proc), per request",
    "",
    `| ${"target".padEnd(20)} | ${"requests/s".padStart(10)} | ${"p50 ms".padStart(8)} | ${"p99 ms".padStart(8)} | ${"CPU µs/req".padStart(12)} | ${"requests".padStart(9)} |`,
    `|${"-".repeat(22)}|${"-".repeat(12)}|${"-".repeat(10)}|${"-".repeat(10)}|${"-".repeat(14)}|${"-".repeat(11)}|`,
    row("bare Fastify route", bare),
    row("webhook, warn", webhook),
    row("webhook, info+audit", audited),
    "",
    `throughput ratio webhook/bare, median of the rounds: ${range(ratio.webhook)} at LOG_LEVEL=warn, ${range(ratio.audited)} at LOG_LEVEL=info (one audit line per call)`,
    `CPU per request, bare/webhook: ${(bare.cpuPerRequest / webhook.cpuPerRequest).toFixed(3)} (warn), ${(bare.cpuPerRequest / audited.cpuPerRequest).toFixed(3)} (info)`,
    `PagerDuty requests during the timed runs: ${pagerDutyRequests} (for ${webhook.requests + audited.requests} webhook calls)`,
    "",
  ];
  process.stdout.write(lines.join("\n"));
}

function printStartup({ bare, webhook, audited }) {
  const mib = (value) => (Number.isNaN(value) ? "n/a" : value.toFixed(1));
  const row = (name, s) =>
    `| ${name.padEnd(20)} | ${s.firstAckMs.toFixed(0).padStart(18)} | ${mib(s.idleRss).padStart(13)} | ${mib(s.loadedRss).padStart(19)} |`;
  const lines = [
    "",
    "start-up and memory (RSS from /proc; idle = right after the first ACK, before any load)",
    "",
    `| ${"target".padEnd(20)} | ${"start → 1st ACK ms".padStart(18)} | ${"idle RSS MiB".padStart(13)} | ${"RSS after load MiB".padStart(19)} |`,
    `|${"-".repeat(22)}|${"-".repeat(20)}|${"-".repeat(15)}|${"-".repeat(21)}|`,
    row("bare Fastify route", bare),
    row("webhook, warn", webhook),
    row("webhook, info+audit", audited),
    "",
  ];
  process.stdout.write(lines.join("\n"));
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
