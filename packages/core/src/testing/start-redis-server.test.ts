import { describe, expect, it } from "vitest";
import { TESTING_ERROR_CODES } from "./errors.js";
import { pingRedis } from "./redis-server-process.js";
import { startRedisSentinelSet } from "./start-redis-sentinel.js";
import { startRedisServer } from "./start-redis-server.js";

describe("startRedisServer", () => {
  it("starts on a free loopback port, restarts on the same port, and stops", async () => {
    const server = await startRedisServer();
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(await pingRedis(server.port)).toBe(true);
    await server.kill();
    expect(await pingRedis(server.port)).toBe(false);
    await server.restart();
    expect(await pingRedis(server.port)).toBe(true);
    await server.stop();
    expect(await pingRedis(server.port)).toBe(false);
  });

  it("says what to install when redis-server is missing", async () => {
    await expect(startRedisServer({ bin: "/nonexistent/redis-server" })).rejects.toMatchObject({
      code: TESTING_ERROR_CODES.REDIS_SERVER_MISSING,
      message: expect.stringMatching(/install.*redis-server.*REDIS_SERVER_BIN/),
    });
  });

  it("reports a server that exits at once", async () => {
    await expect(startRedisServer({ args: ["--no-such-option", "1"] })).rejects.toMatchObject({
      code: TESTING_ERROR_CODES.REDIS_SERVER_FAILED,
    });
  });
});

describe("startRedisSentinelSet", () => {
  it("rejects with PDV_ERR_TESTING_REDIS_SENTINEL_TIMEOUT when Redis does not get there in time", async () => {
    await expect(startRedisSentinelSet({ timeoutMs: 0 })).rejects.toMatchObject({
      name: "PdvError",
      code: TESTING_ERROR_CODES.REDIS_SENTINEL_TIMEOUT,
      message: "replication did not happen within 0 ms",
    });
  });
});
