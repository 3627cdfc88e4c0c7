import { createStaticSource } from "@pagerduty-voys/core/testing";
import { type BuildServerOptions, buildServer, type ReloadResult } from "@pagerduty-voys/server";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { installReload } from "./serve-reload.js";

const anna = { id: "PANNA01", name: "Anna", phones: ["+31611111111"] };
let app: FastifyInstance | undefined;
let uninstall: (() => void) | undefined;
afterEach(async () => {
  uninstall?.();
  uninstall = undefined;
  await app?.close();
  app = undefined;
});

function options(secretKey: string): BuildServerOptions {
  return {
    secretKey,
    pagerduty: { apiKey: "unused" },
    logLevel: "silent",
    source: createStaticSource([{ responder: anna, policyId: "P1", level: 1, start: null, end: null }]),
    routes: [{ name: "default", policyId: "P1" }],
  };
}

describe("installReload", () => {
  it("folds a burst of signals into at most one more reload, which reads the latest files", async () => {
    app = await buildServer(options("first-secret-0123456789"));
    const server = app;
    let reads = 0;
    let latest = "first-secret-0123456789";
    const results: ReloadResult[] = [];
    let settled: () => void = () => undefined;
    const twoDone = new Promise<void>((resolve) => {
      settled = resolve;
    });
    uninstall = installReload(
      server,
      async () => {
        reads += 1;
        return { ok: true, options: options(latest) };
      },
      {
        signals: ["SIGUSR2"],
        onReloaded: (result) => {
          results.push(result);
          if (results.length === 2) settled();
        },
      },
    );
    for (let i = 0; i < 5; i++) {
      latest = `secret-number-${i}-0123456789`;
      process.emit("SIGUSR2", "SIGUSR2");
    }
    await twoDone;
    expect(reads).toBe(2);
    expect(results).toEqual([{ result: "ok" }, { result: "ok" }]);
    const res = await server.inject({ method: "GET", url: `/voys-webhook?secret_key=${latest}` });
    expect(res.statusCode).toBe(200);
  });
});
