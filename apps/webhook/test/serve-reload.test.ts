import { THREE_POLICY_NUMBERS, threePolicyScenario } from "@pagerduty-voys/pagerduty-source/testing";
import { renderAck } from "@pagerduty-voys/voys-adapter";
import { afterEach, describe, expect, it } from "vitest";
import { useBlackBox } from "./helpers/black-box.js";
import { exitWithin, get, type ServerProcess, startServer } from "./helpers/cli-process.js";

const FIRST = "first-secret-0123456789";
const SECOND = "second-secret-0123456789";
const ONE_ROUTE = "routes:\n  - name: support\n    escalation_policy_id: PSUPPORT\n";
const TWO_ROUTES = `${ONE_ROUTE}  - name: billing\n    escalation_policy_id: PBILLING\n`;

let server: ServerProcess | undefined;
const box = useBlackBox(threePolicyScenario, {});
afterEach(async () => {
  await server?.kill();
  server = undefined;
});

/** Sends SIGHUP and resolves with the `config-reload` result line it causes (bounded wait). */
async function reload(s: ServerProcess, timeoutMs = 5_000): Promise<Record<string, unknown>> {
  const seen = s.logs().filter((line) => line.event === "config-reload" && line.result !== undefined).length;
  s.child.kill("SIGHUP");
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const results = s.logs().filter((line) => line.event === "config-reload" && line.result !== undefined);
      if (results.length > seen) {
        s.child.stdout?.off("data", check);
        resolve(results[seen] as Record<string, unknown>);
      } else if (Date.now() > deadline) {
        s.child.stdout?.off("data", check);
        reject(new Error(`no reload result within ${timeoutMs} ms\n${s.output().stdout}`));
      }
    };
    s.child.stdout?.on("data", check);
    setTimeout(check, timeoutMs + 10).unref();
  });
}

async function call(
  s: ServerProcess,
  route: string,
  secret: string,
): Promise<{ status: number; body: string }> {
  const { status, body } = await get("127.0.0.1", s.port, `/voys-webhook/${route}?secret_key=${secret}`);
  return { status, body };
}

describe("serve: reload on SIGHUP (the built bin)", () => {
  it("reloads a changed secret and a new route without a restart; keeps serving on a broken config.yaml", async () => {
    box.dir.write("secret_key", `${FIRST}\n`);
    box.dir.write("config.yaml", ONE_ROUTE, 0o644);
    server = await startServer(box.env());
    expect(await call(server, "support", FIRST)).toEqual({
      status: 200,
      body: renderAck(THREE_POLICY_NUMBERS.PSUP1),
    });
    expect((await call(server, "billing", FIRST)).status).toBe(404);

    box.dir.write("secret_key", `${SECOND}\n`);
    box.dir.write("config.yaml", TWO_ROUTES, 0o644);
    expect(await reload(server)).toMatchObject({ result: "ok" });
    expect((await call(server, "support", FIRST)).status).toBe(401);
    expect(await call(server, "support", SECOND)).toEqual({
      status: 200,
      body: renderAck(THREE_POLICY_NUMBERS.PSUP1),
    });
    // The new route's policy is fetched at once; until then it answers like a cold start.
    let billing = await call(server, "billing", SECOND);
    for (let i = 0; i < 40 && billing.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      billing = await call(server, "billing", SECOND);
    }
    expect(billing).toEqual({ status: 200, body: renderAck(THREE_POLICY_NUMBERS.PBIL1) });

    box.dir.write("config.yaml", "routes: [\n", 0o644);
    const refused = await reload(server);
    expect(refused).toMatchObject({ result: "invalid" });
    expect(String(refused.msg)).toContain("config.yaml");
    expect(await call(server, "billing", SECOND)).toEqual({
      status: 200,
      body: renderAck(THREE_POLICY_NUMBERS.PBIL1),
    });

    const metrics = await get("127.0.0.1", server.port, "/metrics");
    expect(metrics.body).toContain('pagerduty_voys_config_reloads_total{result="ok"} 1');
    expect(metrics.body).toContain('pagerduty_voys_config_reloads_total{result="invalid"} 1');
    expect(server.child.exitCode).toBeNull();
    server.child.kill("SIGTERM");
    expect(await exitWithin(server, 5_000)).toEqual({ code: 0, signal: null });
  });

  it("fails no call during five reloads in a row", async () => {
    box.dir.write("secret_key", `${FIRST}\n`);
    box.dir.write("config.yaml", TWO_ROUTES, 0o644);
    server = await startServer(box.env());
    const s = server;
    let stop = false;
    const answers: { status: number; body: string }[] = [];
    const caller = (async () => {
      while (!stop) answers.push(await call(s, "support", FIRST));
    })();
    for (let i = 0; i < 5; i++) {
      box.dir.write("config.yaml", i % 2 === 0 ? ONE_ROUTE : TWO_ROUTES, 0o644);
      expect(await reload(s)).toMatchObject({ result: "ok" });
      for (let j = 0; j < 3; j++) answers.push(await call(s, "support", FIRST));
    }
    stop = true;
    await caller;
    expect(answers.length).toBeGreaterThan(15);
    expect(
      answers.filter((a) => a.status !== 200 || a.body !== renderAck(THREE_POLICY_NUMBERS.PSUP1)),
    ).toEqual([]);
    expect(s.child.exitCode).toBeNull();
  });
});
