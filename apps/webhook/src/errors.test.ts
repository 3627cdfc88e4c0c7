import { buildServer } from "@pagerduty-voys/server";
import { describe, expect, it } from "vitest";
import { setting } from "./config/env-settings.js";
import { configInvalidError, configProblemsOf, WEBHOOK_ERROR_CODES } from "./errors.js";

describe("configProblemsOf: which build failures are configuration problems (serve exits 2)", () => {
  it("takes the problems of buildServer's PDV_ERR_SERVER_OPTIONS_INVALID", async () => {
    const error = await buildServer({
      secretKey: "s",
      pagerduty: { apiKey: "k" },
      routes: [{ name: "default", policyId: "P1" }],
      trustProxy: 1 as never,
    }).catch((e: unknown) => e);
    expect(configProblemsOf(error)).toEqual([expect.stringMatching(/^trustProxy: a hop count is refused/)]);
  });

  it("takes the app's own PDV_ERR_CONFIG_INVALID, and a message when there is no list", () => {
    expect(configProblemsOf(configInvalidError(["PORT: bad"]))).toEqual(["PORT: bad"]);
    const moduleError = Object.assign(new Error("routes[0].strategy: /x.mjs has no factory"), {
      code: "PDV_ERR_SERVER_OPTIONS_INVALID",
    });
    expect(configProblemsOf(moduleError)).toEqual(["routes[0].strategy: /x.mjs has no factory"]);
  });

  it("leaves other failures alone (exit 1)", () => {
    expect(configProblemsOf(new Error("EADDRINUSE"))).toBeUndefined();
    expect(
      configProblemsOf(Object.assign(new Error("x"), { code: "PDV_ERR_SERVER_REDIS_UNAVAILABLE" })),
    ).toBeUndefined();
    expect(configProblemsOf(undefined)).toBeUndefined();
  });
});

describe("setting", () => {
  it("refuses a name SETTINGS does not define with PDV_ERR_CONFIG_SETTING_UNKNOWN", () => {
    expect(() => setting("NO_SUCH_SETTING")).toThrow(
      expect.objectContaining({
        name: "WebhookAppError",
        code: WEBHOOK_ERROR_CODES.SETTING_UNKNOWN,
        message: "unknown setting NO_SUCH_SETTING",
      }),
    );
    expect(setting("PORT").env).toBe("PORT");
  });
});
