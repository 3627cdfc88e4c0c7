import { describe, expect, it } from "vitest";
import { CORE_ERROR_CODES } from "./errors.js";
import { checkRedisUrl, loadIoredis, redactRedisUrl } from "./redis-client.js";

describe("loadIoredis", () => {
  it("says to install ioredis when it cannot be loaded", async () => {
    const missing = Object.assign(new Error("Cannot find package 'ioredis'"), {
      code: "ERR_MODULE_NOT_FOUND",
    });
    const attempt = loadIoredis(() => Promise.reject(missing));
    await expect(attempt).rejects.toMatchObject({ code: CORE_ERROR_CODES.REDIS_MISSING, cause: missing });
    await expect(loadIoredis(() => Promise.reject(missing))).rejects.toThrow(/ioredis/);
  });

  it("finds the Redis class of ioredis 6", async () => {
    expect((await loadIoredis()).name).toBe("Redis");
  });
});

describe("Redis URLs", () => {
  it("redacts credentials", () => {
    expect(redactRedisUrl("rediss://app:hunter2@redis.example:6380/1")).toBe(
      "rediss://***:***@redis.example:6380/1",
    );
    expect(redactRedisUrl("::garbage hunter2")).toBe("(unparseable URL)");
  });

  it("accepts redis:// and rediss:// only", () => {
    expect(() => checkRedisUrl("redis://localhost:6379")).not.toThrow();
    expect(() => checkRedisUrl("rediss://:pw@localhost/3")).not.toThrow();
    expect(() => checkRedisUrl("localhost:6379")).toThrow(/redis:\/\//);
    expect(() => checkRedisUrl(undefined)).toThrow(/invalid Redis URL/);
  });
});
