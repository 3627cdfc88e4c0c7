#!/usr/bin/env node
// `pnpm demo`: a fake PagerDuty with the sample scenario on a free port, and the built webhook
// server wired to it (secret `demo-secret`, PORT 5839 unless busy or set). Prints a curl line that
// gets an ACK, and stays up until Ctrl-C.
import { rmSync } from "node:fs";
import { createFakePagerDuty, sampleScenario } from "@pagerduty-voys/pagerduty-source/testing";
import {
  CLI,
  emptyConfigDir,
  freePort,
  portIsFree,
  requireBuiltCli,
  startNode,
  waitForOk,
} from "./lib/processes.mjs";

const SECRET = "demo-secret";

async function choosePort() {
  if (process.env.PORT) return Number(process.env.PORT);
  if (await portIsFree(5839)) return 5839;
  const port = await freePort();
  process.stdout.write(`port 5839 is busy: using ${port}\n`);
  return port;
}

async function main() {
  requireBuiltCli();
  const fake = await createFakePagerDuty({ scenario: sampleScenario() });
  const port = await choosePort();
  const configDir = emptyConfigDir();
  const env = {
    PAGERDUTY_API_KEY: fake.token,
    PAGERDUTY_API_URL: fake.url,
    WEBHOOK_SECRET_KEY: SECRET,
    PAGERDUTY_ESCALATION_POLICY_ID: "PDEMO01",
    PORT: String(port),
    CONFIG_DIR: configDir,
    LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
  };
  const server = startNode(CLI, ["serve"], { env });
  const shutdown = async (code) => {
    await server.stop();
    await fake.close();
    rmSync(configDir, { recursive: true, force: true });
    process.exit(code);
  };
  process.once("SIGINT", () => void shutdown(0));
  process.once("SIGTERM", () => void shutdown(0));
  server.exit.then(({ code }) => {
    process.stderr.write(`the webhook server exited (code ${code})\n`);
    void shutdown(code === 0 ? 0 : 1);
  });
  await waitForOk(`http://127.0.0.1:${port}/readyz`, 15_000, server.isAlive);
  const query = `secret_key=${SECRET}&callerid=%2B31201234567&did=%2B31208888888`;
  process.stdout.write(
    [
      "",
      `Fake PagerDuty (sample scenario, policy PDEMO01): ${fake.url}`,
      `Webhook: http://[::1]:${port}/voys-webhook and http://127.0.0.1:${port}/voys-webhook`,
      "",
      "Get an ACK:",
      `  curl -si 'http://127.0.0.1:${port}/voys-webhook?${query}'`,
      "A wrong secret gets 401 status=NAK:",
      `  curl -si 'http://127.0.0.1:${port}/voys-webhook?secret_key=wrong'`,
      "Health, readiness, metrics:",
      `  curl -s http://127.0.0.1:${port}/readyz; curl -s http://127.0.0.1:${port}/metrics | head`,
      "The same configuration through `check`:",
      `  PAGERDUTY_API_KEY=${fake.token} PAGERDUTY_API_URL=${fake.url} WEBHOOK_SECRET_KEY=${SECRET} \\`,
      `  PAGERDUTY_ESCALATION_POLICY_ID=PDEMO01 CONFIG_DIR=${configDir} node ${CLI} check`,
      "",
      "Press Ctrl-C to stop.",
      "",
    ].join("\n"),
  );
}

main().catch((error) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
