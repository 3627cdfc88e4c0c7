import { execFileSync } from "node:child_process";
import { rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { THREE_POLICY_NUMBERS, threePolicyScenario } from "@pagerduty-voys/pagerduty-source/testing";
import { renderAck } from "@pagerduty-voys/voys-adapter";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useBlackBox } from "./helpers/black-box.js";
import { get, runCli, type ServerProcess, startServer } from "./helpers/cli-process.js";
import { FOUR_ROUTES_YAML } from "./helpers/four-routes-config.js";

const SECRET = "routes-secret-0123456789";

let server: ServerProcess | undefined;
const box = useBlackBox(threePolicyScenario, { WEBHOOK_SECRET_KEY: SECRET });
afterEach(async () => {
  await server?.kill();
  server = undefined;
});

describe("config.yaml: four routes over three policies (the built bin)", () => {
  beforeEach(() => {
    box.dir.write("config.yaml", FOUR_ROUTES_YAML, 0o644);
  });

  it("answers each named route with its own policy's and level's on-call number", async () => {
    server = await startServer(box.env());
    const expected: Record<string, string> = {
      support: THREE_POLICY_NUMBERS.PSUP1,
      billing: THREE_POLICY_NUMBERS.PBIL1,
      backup: THREE_POLICY_NUMBERS.PSUP2,
      emergency: THREE_POLICY_NUMBERS.PEME1,
    };
    for (const [route, number] of Object.entries(expected)) {
      const answer = await get("127.0.0.1", server.port, `/voys-webhook/${route}?secret_key=${SECRET}`);
      expect({ route, ...answer }).toMatchObject({ route, status: 200, body: renderAck(number) });
    }
  });

  it("picks the route whose dids list the called number on plain /voys-webhook", async () => {
    server = await startServer(box.env());
    const billing = await get("::1", server.port, `/voys-webhook?secret_key=${SECRET}&did=%2B31209999999`);
    expect(billing.body).toBe(renderAck(THREE_POLICY_NUMBERS.PBIL1));
    const support = await get(
      "127.0.0.1",
      server.port,
      `/voys-webhook?secret_key=${SECRET}&did=%2B31208888888`,
    );
    expect(support.body).toBe(renderAck(THREE_POLICY_NUMBERS.PSUP1));
  });

  it("falls back to the env-defined default route when no did matches", async () => {
    server = await startServer(box.env({ PAGERDUTY_ESCALATION_POLICY_ID: "PEMERGENCY" }));
    const answer = await get(
      "127.0.0.1",
      server.port,
      `/voys-webhook?secret_key=${SECRET}&did=%2B31200000000`,
    );
    expect(answer.body).toBe(renderAck(THREE_POLICY_NUMBERS.PEME1));
  });

  it("answers 404 status=NAK for an unknown route name", async () => {
    server = await startServer(box.env());
    const answer = await get("127.0.0.1", server.port, `/voys-webhook/nope?secret_key=${SECRET}`);
    expect(answer).toMatchObject({ status: 404, body: "status=NAK" });
  });

  it("fetches every policy in one /oncalls request per refresh", async () => {
    server = await startServer(box.env());
    await get("127.0.0.1", server.port, `/voys-webhook/support?secret_key=${SECRET}`);
    const oncalls = box.fake.requests.filter((request) => request.path === "/oncalls");
    expect(oncalls.length).toBeGreaterThan(0);
    for (const request of oncalls) {
      expect(request.query.getAll("escalation_policy_ids[]").sort()).toEqual([
        "PBILLING",
        "PEMERGENCY",
        "PSUPPORT",
      ]);
    }
  });
});

describe("config.yaml: invalid files stop start-up", () => {
  it("names an invalid escalation_level as path: message and exits 2", async () => {
    box.dir.write(
      "config.yaml",
      FOUR_ROUTES_YAML.replace("escalation_level: 2", "escalation_level: 0"),
      0o644,
    );
    const result = await runCli(["serve"], box.env({ PORT: "0" }));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "config.yaml: routes[2].escalation_level: expected an integer from 1 to 100",
    );
    expect(result.stdout).not.toContain("listening");
  });

  it("names unknown keys and YAML syntax errors", async () => {
    box.dir.write("config.yaml", "routes:\n  - name: x\n    escalation_policy: P1\n", 0o644);
    const unknown = await runCli(["serve"], box.env({ PORT: "0" }));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("routes[0].escalation_policy: unknown key");
    expect(unknown.stderr).toContain("routes[0].escalation_policy_id: required");
    box.dir.write("config.yaml", "routes: [\n", 0o644);
    const syntax = await runCli(["serve"], box.env({ PORT: "0" }));
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/config\.yaml: line \d+, column \d+: invalid YAML/);
  });

  it("odd files exit 2 at once naming the file: a FIFO, /dev/zero, a dangling symlink, an alias bomb", async () => {
    const path = join(box.dir.path, "config.yaml");
    const cases: Array<[() => void, RegExp]> = [
      [() => execFileSync("mkfifo", [path]), /config\.yaml: is a FIFO; expected a regular file/],
      [() => symlinkSync("/dev/zero", path), /config\.yaml: is a device; expected a regular file/],
      [
        () => symlinkSync(join(box.dir.path, "gone.yaml"), path),
        /config\.yaml: is a symbolic link to .*gone\.yaml, which does not exist/,
      ],
      [
        () =>
          writeFileSync(
            path,
            `a: &a [x, x, x, x, x, x, x, x]\n${"bcdefgh"
              .split("")
              .map((c, i) => `${c}: &${c} [${Array(8).fill(`*${"abcdefg"[i]}`).join(", ")}]`)
              .join("\n")}\nroutes: []\n`,
          ),
        /config\.yaml: invalid YAML: .*alias/,
      ],
    ];
    for (const [make, message] of cases) {
      rmSync(path, { force: true });
      make();
      const result = await runCli(["serve"], box.env({ PORT: "0" }), 10_000);
      expect({ code: result.code, stderr: result.stderr }).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(message),
      });
    }
  });
});
