import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import type { OnCallSource, Responder, Shift } from "@pagerduty-voys/core";
import { testResponder, testShift } from "@pagerduty-voys/core/testing";
import type { FastifyInstance } from "fastify";
import { type BuildServerOptions, buildServer } from "../index.js";

/** The webhook secret every test server uses. */
export const SECRET = "test-secret-0123456789abcdef";
/** The PagerDuty token the tests pass (the fake's default when it is used). */
const PD_TOKEN = "fake-pagerduty-token";

/** A responder (core's fixture builder, named `User <id>` unless told). */
export function responder(id: string, phones: string[], name = `User ${id}`): Responder {
  return testResponder(id, phones, name);
}

/** A shift of `who` in a policy at a level, permanent unless start/end are given. */
export function shift(
  who: Responder,
  options: { policyId?: string; level?: number; start?: Date | null; end?: Date | null } = {},
): Shift {
  return testShift(who, { ...options, policyId: options.policyId ?? "PDEMO01" });
}

/** Captured pino output. */
export interface LogCapture {
  /** Pass as `logStream`. */
  readonly stream: Writable;
  /** Everything written so far. */
  text(): string;
  /** Every line, parsed. */
  records(): Record<string, unknown>[];
  /** The audit objects of webhook calls. */
  audits(): Record<string, unknown>[];
}

/** A writable stream that keeps what pino writes. */
export function captureLogs(): LogCapture {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  const records = (): Record<string, unknown>[] =>
    chunks
      .join("")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    stream,
    text: () => chunks.join(""),
    records,
    audits: () =>
      records()
        .filter((record) => record.msg === "webhook call")
        .map((record) => record.audit as Record<string, unknown>),
  };
}

/** `buildServer` with a test secret, a test token and a silent default log. */
export async function build(
  options: Partial<BuildServerOptions> & Pick<BuildServerOptions, "routes">,
): Promise<FastifyInstance> {
  return buildServer({
    secretKey: SECRET,
    pagerduty: { apiKey: PD_TOKEN },
    logLevel: options.logStream ? "debug" : "silent",
    ...options,
  });
}

/** Polls `/readyz` until it answers 200 (the first roster load is done); throws after `attempts`. */
export async function waitReady(app: FastifyInstance, attempts = 200): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    const res = await app.inject({ method: "GET", url: "/readyz" });
    if (res.statusCode === 200) return;
    await sleep(25);
  }
  throw new Error("the roster never became ready");
}

/** A source that never answers (until aborted): PagerDuty hanging from the start. */
export function hangingSource(): OnCallSource {
  return {
    name: "hanging",
    shifts: (_policies, _window, signal) =>
      new Promise((_resolve, reject) => {
        signal.addEventListener("abort", () => reject(signal.reason), { once: true });
      }),
  };
}

/** `secret_key=…` (none when `secret` is null) plus extra query parameters. */
export function query(extra: Record<string, string> = {}, secret: string | null = SECRET): string {
  const params = new URLSearchParams(secret === null ? {} : { secret_key: secret });
  for (const [key, value] of Object.entries(extra)) params.append(key, value);
  return params.toString();
}

/** GET `url` on `app` in process (no socket); resolves with status and body. */
export async function get(app: FastifyInstance, url: string): Promise<{ status: number; body: string }> {
  const res = await app.inject({ method: "GET", url });
  return { status: res.statusCode, body: res.body };
}

/** The destination of an ACK body, or undefined. */
export function destinationOf(body: string): string | undefined {
  const params = new URLSearchParams(body);
  return params.get("status") === "ACK" ? (params.get("destination") ?? undefined) : undefined;
}
