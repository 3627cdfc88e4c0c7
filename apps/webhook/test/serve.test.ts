import { type AddressInfo, createServer } from "node:net";
import { sampleScenario } from "@pagerduty-voys/pagerduty-source/testing";
import { afterEach, describe, expect, it } from "vitest";
import { useBlackBox } from "./helpers/black-box.js";
import { exitWithin, get, runCli, type ServerProcess, startServer } from "./helpers/cli-process.js";

const SECRET = "black-box-secret-0123";
// The sample scenario's level-1 responders (Anna de Vries, Bram Jansen).
const LEVEL_ONE = ["status=ACK&destination=%2B31611111111", "status=ACK&destination=%2B31622222222"];

let server: ServerProcess | undefined;

const box = useBlackBox(sampleScenario, {
  WEBHOOK_SECRET_KEY: SECRET,
  PAGERDUTY_ESCALATION_POLICY_ID: "PDEMO01",
});
afterEach(async () => {
  await server?.kill();
  server = undefined;
});

describe("serve (the built bin, env-configured)", () => {
  it("listens on :: by default and answers ACK over IPv4 and IPv6", async () => {
    server = await startServer(box.env());
    const listening = server.logs().find((line) => line.event === "listening");
    expect(listening?.host).toBe("::");
    for (const host of ["127.0.0.1", "::1"]) {
      const answer = await get(
        host,
        server.port,
        `/voys-webhook?secret_key=${SECRET}&callerid=%2B31201234567`,
      );
      expect(answer.status).toBe(200);
      expect(answer.type).toBe("text/plain; charset=utf-8");
      expect(LEVEL_ONE).toContain(answer.body);
    }
  });

  it("answers 401 status=NAK without the secret or with a wrong one, and never logs them", async () => {
    server = await startServer(box.env());
    expect(await get("127.0.0.1", server.port, "/voys-webhook")).toMatchObject({
      status: 401,
      body: "status=NAK",
    });
    const wrong = await get("::1", server.port, "/voys-webhook?secret_key=wrong-guess-4242");
    expect(wrong).toMatchObject({ status: 401, body: "status=NAK" });
    await get("127.0.0.1", server.port, `/voys-webhook?secret_key=${SECRET}`);
    const { stdout, stderr } = server.output();
    for (const leak of [SECRET, "wrong-guess-4242", box.fake.token, "+31611111111", "+31622222222"]) {
      expect(stdout + stderr).not.toContain(leak);
    }
  });

  it("serves HOST=127.0.0.1 on IPv4 only", async () => {
    server = await startServer(box.env({ HOST: "127.0.0.1" }));
    expect((await get("127.0.0.1", server.port, `/voys-webhook?secret_key=${SECRET}`)).status).toBe(200);
    await expect(get("::1", server.port, `/voys-webhook?secret_key=${SECRET}`)).rejects.toThrow();
  });

  it("exits 0 on SIGTERM within the contract's 5 s", async () => {
    server = await startServer(box.env());
    expect((await get("127.0.0.1", server.port, `/voys-webhook?secret_key=${SECRET}`)).status).toBe(200);
    server.child.kill("SIGTERM");
    expect(await exitWithin(server, 5_000)).toEqual({ code: 0, signal: null });
  });

  it("exits 0 on SIGTERM and SIGINT within 5 s while a PagerDuty request hangs", async () => {
    box.fake.setFault("hang");
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      server = await startServer(box.env({ COLD_START_WAIT_MS: "100" }));
      const answer = await get("127.0.0.1", server.port, `/voys-webhook?secret_key=${SECRET}`);
      expect(answer).toMatchObject({ status: 503, body: "status=NAK" });
      server.child.kill(signal);
      expect(await exitWithin(server, 5_000)).toEqual({ code: 0, signal: null });
    }
  });
});

describe("serve (listen failures)", () => {
  it("exits 1 saying so when the port is taken", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: "::", port: 0 }, resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const result = await runCli(["serve"], box.env({ PORT: String(port) }));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`cannot listen on :: port ${port}`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe("serve (seed files in CONFIG_DIR)", () => {
  it("reads api_key, secret_key and escalation_policy_id like the original program", async () => {
    box.dir.write("api_key", `${box.fake.token}\n`);
    box.dir.write("secret_key", "file-secret-0123456789\n");
    box.dir.write("escalation_policy_id", "PDEMO01\n");
    server = await startServer({ PAGERDUTY_API_URL: box.fake.url, CONFIG_DIR: box.dir.path });
    const answer = await get("127.0.0.1", server.port, "/voys-webhook?secret_key=file-secret-0123456789");
    expect(LEVEL_ONE).toContain(answer.body);
  });

  it("lets WEBHOOK_SECRET_KEY win over the secret_key file", async () => {
    box.dir.write("secret_key", "file-secret-0123456789");
    server = await startServer(box.env());
    expect((await get("127.0.0.1", server.port, `/voys-webhook?secret_key=${SECRET}`)).status).toBe(200);
    expect(
      (await get("127.0.0.1", server.port, "/voys-webhook?secret_key=file-secret-0123456789")).status,
    ).toBe(401);
  });

  it("warns at start-up when a secret file is readable by every user, without printing it", async () => {
    box.dir.write("api_key", box.fake.token, 0o644);
    server = await startServer(box.env({ PAGERDUTY_API_KEY: "" }));
    const warning = server.logs().find((line) => line.event === "config-warning");
    expect(warning?.msg).toContain("api_key is readable by every user");
    expect(server.output().stdout).not.toContain(box.fake.token);
  });
});

describe("serve (secrets)", () => {
  it("warns at start-up about a secret a URL must encode, without printing it", async () => {
    server = await startServer(box.env({ WEBHOOK_SECRET_KEY: "new+secret/0123456789" }));
    const warning = server.logs().find((line) => line.event === "config-warning");
    expect(warning?.msg).toContain("WEBHOOK_SECRET_KEY: the secret holds characters a URL must encode");
    expect(server.output().stdout).not.toContain("new+secret");
  });
});
