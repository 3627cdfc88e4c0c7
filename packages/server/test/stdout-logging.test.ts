import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const dist = fileURLToPath(new URL("../dist/index.js", import.meta.url));

// Runs the built server in a child process that logs to its real stdout and exits with process.exit
// right after a call: the batched destination must not lose the lines queued in that turn.
const script = `
import { buildServer } from ${JSON.stringify(dist)};
import { createStaticSource } from "@pagerduty-voys/core/testing";
const anna = { id: "PANNA01", name: "Anna", phones: ["+31611111111"] };
const app = await buildServer({
  secretKey: "stdout-secret-123456",
  pagerduty: { apiKey: "unused" },
  source: createStaticSource([{ responder: anna, policyId: "P1", level: 1, start: null, end: null }]),
  routes: [{ name: "default", policyId: "P1" }],
});
const res = await app.inject({ method: "GET", url: "/voys-webhook?secret_key=stdout-secret-123456&callerid=%2B31612340987" });
process.stderr.write(res.body);
process.exit(0);
`;

describe("logging to stdout (built package)", () => {
  it("writes the audit line to stdout even when the process exits in the same turn", async () => {
    const { stdout, stderr } = await run(process.execPath, ["--input-type=module", "-e", script], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
    });
    expect(stderr).toBe("status=ACK&destination=%2B31611111111");
    const audits = stdout
      .split("\n")
      .filter((line) => line.includes('"webhook call"'))
      .map((line) => JSON.parse(line) as { audit: Record<string, unknown> });
    expect(audits).toHaveLength(1);
    expect(audits[0]?.audit).toMatchObject({
      outcome: "ack",
      destination: "+31 6*****111",
      caller: "+31 6*****987",
    });
    expect(stdout).not.toContain("stdout-secret-123456");
    expect(stdout).not.toContain("611111111");
  });
});
