import {
  createFakePagerDuty,
  type FakeFault,
  type FakePagerDuty,
  type FakeScenario,
} from "@pagerduty-voys/pagerduty-source/testing";
import type { FastifyInstance } from "fastify";
import type { BuildServerOptions } from "../index.js";
import { build, captureLogs, type LogCapture, query, waitReady } from "./helpers.js";

/** A fake PagerDuty and a webhook server wired to it, listening on loopback. */
export interface Stack {
  readonly fake: FakePagerDuty;
  readonly app: FastifyInstance;
  /** `http://127.0.0.1:PORT`. */
  readonly base: string;
  readonly logs: LogCapture;
  /** GET `path?secret_key=…&extra`; resolves with status and body. */
  call(
    path?: string,
    extra?: Record<string, string>,
    secret?: string | null,
  ): Promise<{ status: number; body: string }>;
  /** Closes server and fake. */
  close(): Promise<void>;
}

/** Starts the fake (optionally with a fault already set) and a server against it, listening on `host`. */
export async function startStack(
  options: {
    scenario?: FakeScenario;
    server?: Partial<BuildServerOptions>;
    fault?: FakeFault;
    host?: string;
    ready?: boolean;
  } = {},
): Promise<Stack> {
  const fake = await createFakePagerDuty(options.scenario ? { scenario: options.scenario } : {});
  if (options.fault) await fake.setFault(options.fault);
  const logs = captureLogs();
  const app = await build({
    pagerduty: { apiKey: fake.token, apiUrl: fake.url, requestTimeoutMs: 1_000 },
    routes: [{ name: "default", policyId: "PDEMO01" }],
    logStream: logs.stream,
    ...options.server,
  });
  await app.listen({ host: options.host ?? "127.0.0.1", port: 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const base = `http://${(options.host ?? "127.0.0.1").includes(":") ? `[${options.host}]` : (options.host ?? "127.0.0.1")}:${port}`;
  if (options.ready !== false && !options.fault) await waitReady(app);
  return {
    fake,
    app,
    base,
    logs,
    async call(path = "/voys-webhook", extra = {}, secret) {
      const res = await fetch(`${base}${path}?${query(extra, secret)}`);
      return { status: res.status, body: await res.text() };
    },
    async close() {
      await app.close();
      await fake.close();
    },
  };
}
