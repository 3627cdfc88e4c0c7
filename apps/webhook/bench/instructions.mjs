#!/usr/bin/env node
// `pnpm bench:instructions`: the user-space instructions each server executes per call, counted by
// valgrind's callgrind, for the bare Fastify route and the built webhook at LOG_LEVEL=warn (fake
// PagerDuty, sample scenario). Unlike requests/s and CPU time, this count barely moves with the
// machine's speed or load, so it compares two commits, or two runs hours apart. It leaves out the
// kernel's share (the socket reads and writes), which is about the same for both targets.
// Each target runs alone under valgrind: 2 × BENCH_CALLS calls to warm the JIT up, then BENCH_CALLS
// calls counted. Env: BENCH_CALLS (default 5000), BENCH_CONNECTIONS (8). Needs `valgrind` (Debian:
// `apt-get install valgrind`). Slow: about a minute per target.
import { execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFakePagerDuty, sampleScenario } from "@pagerduty-voys/pagerduty-source/testing";
import autocannon from "autocannon";
import { CLI, emptyConfigDir, freePort, requireBuiltCli, waitForOk } from "../scripts/lib/processes.mjs";
import { BARE_SERVER, callUrl, envInteger, webhookEnv } from "./targets.mjs";

const CALLS = envInteger("BENCH_CALLS", 5000, 100, 1_000_000);
const CONNECTIONS = envInteger("BENCH_CONNECTIONS", 8, 1, 256);

function requireValgrind() {
  try {
    execFileSync("valgrind", ["--version"], { stdio: "ignore" });
  } catch {
    throw new Error(
      "valgrind is missing: install it (Debian: apt-get install valgrind) to count instructions",
    );
  }
}

// The instruction count of the dump callgrind writes (a file `<out>.<n>`), once it is there:
// callgrind_control returns before valgrind has written it.
async function dumpedInstructions(name, out) {
  const prefix = `${out.split("/").pop()}.`;
  for (let attempt = 0; attempt < 300; attempt++) {
    for (const file of readdirSync(tmpdir()).filter((f) => f.startsWith(prefix))) {
      const match = /^totals: (\d+)$/m.exec(readFileSync(join(tmpdir(), file), "utf8"));
      if (match) return Number(match[1]);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name}: callgrind wrote no count within 30 s`);
}

/** Runs `script` under callgrind; the instructions per call over BENCH_CALLS calls after the warm-up. */
async function countPerCall(name, script, args, env, readyPath, port) {
  const out = join(tmpdir(), `pdv-callgrind-${name}-${process.pid}.out`);
  const childEnv = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/", ...env };
  const valgrind = ["--tool=callgrind", "--instr-atstart=no", `--callgrind-out-file=${out}`];
  const child = spawn("valgrind", [...valgrind, process.execPath, script, ...args], {
    env: childEnv,
    stdio: "ignore",
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  let alive = true;
  child.once("exit", () => {
    alive = false;
  });
  // callgrind_control finds valgrind's control pipe by pid, USER and HOST: it needs the target's
  // environment, whose HOST is the address the webhook listens on.
  const control = (command) =>
    execFileSync("callgrind_control", [command, String(child.pid)], { env: childEnv, stdio: "ignore" });
  try {
    await waitForOk(`http://127.0.0.1:${port}${readyPath}`, 300_000, () => alive);
    const url = callUrl(port);
    const run = async () => {
      const result = await autocannon({ url, connections: CONNECTIONS, amount: CALLS });
      const failed = result.errors + result.timeouts + result.non2xx;
      if (failed > 0) throw new Error(`${name}: ${failed} of ${result.requests.total} calls failed`);
      return result.requests.total;
    };
    await run();
    await run();
    control("--instr=on");
    const calls = await run();
    control("--instr=off");
    control("--dump");
    return (await dumpedInstructions(name, out)) / calls;
  } finally {
    child.kill("SIGKILL");
    await exited;
    for (const file of readdirSync(tmpdir()).filter((f) => f.startsWith(out.split("/").pop())))
      rmSync(join(tmpdir(), file), { force: true });
  }
}

async function main() {
  requireBuiltCli();
  requireValgrind();
  const fake = await createFakePagerDuty({ scenario: sampleScenario() });
  const configDir = emptyConfigDir();
  try {
    const barePort = await freePort();
    const bare = await countPerCall(
      "bare",
      BARE_SERVER,
      [],
      { PORT: String(barePort) },
      "/healthz",
      barePort,
    );
    const webhookPort = await freePort();
    const webhook = await countPerCall(
      "webhook",
      CLI,
      ["serve"],
      webhookEnv(fake, webhookPort, "warn", configDir),
      "/readyz",
      webhookPort,
    );
    const thousands = (value) => `${(value / 1000).toFixed(1)}k`;
    process.stdout.write(
      [
        `callgrind, ${CALLS} calls counted after ${2 * CALLS} to warm up, ${CONNECTIONS} connections`,
        `bare Fastify route:       ${thousands(bare)} instructions per call`,
        `webhook, LOG_LEVEL=warn:  ${thousands(webhook)} instructions per call`,
        `bare/webhook: ${(bare / webhook).toFixed(3)}`,
        "",
      ].join("\n"),
    );
  } finally {
    await fake.close();
    rmSync(configDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`bench:instructions: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
