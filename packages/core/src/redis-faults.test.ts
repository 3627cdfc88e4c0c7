import { once } from "node:events";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { createRedisClient, type RedisClientOptions } from "./redis-client.js";
import { closeRedisClient } from "./redis-close.js";
import { createRedisCounter } from "./redis-counter.js";
import { createRedisStickyStore } from "./redis-sticky-store.js";
import { createRoundRobinStrategy } from "./round-robin.js";
import { testResponder } from "./testing/fixtures.js";
import { createManualClock } from "./testing/manual-clock.js";
import { createRecordingLogger } from "./testing/recording-logger.js";
import { findFreePort, type RedisServerHandle } from "./testing/redis-server-process.js";
import { startRedisServer } from "./testing/start-redis-server.js";

let server: RedisServerHandle;
const team = [testResponder("PA"), testResponder("PB"), testResponder("PC")];

async function connect(options: RedisClientOptions = {}): Promise<Redis> {
  const client = await createRedisClient(server.url, { maxReconnectDelayMs: 100, ...options });
  onTestFinished(() => closeRedisClient(client));
  return client;
}

async function readyAgain(client: Redis): Promise<void> {
  if (client.status !== "ready") await once(client, "ready");
}

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  await server.resume();
  await server.stop();
});

describe("Redis shared rotation", () => {
  it("two instances on two clients share one rotation: every 3 calls reach all 3", async () => {
    const [first, second] = [await connect(), await connect()];
    const instances = [first, second].map((client) =>
      createRoundRobinStrategy({ counter: createRedisCounter({ client, prefix: "shared:" }) }),
    );
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const instance = i % 2 === 0 ? instances[0] : instances[1];
      if (instance === undefined) throw new Error("two instances expected");
      const pick = await instance.pick(team, { route: "support", now: new Date() });
      ids.push(pick.responder.id);
    }
    for (let i = 0; i < 30; i += 3) expect(new Set(ids.slice(i, i + 3)).size).toBe(3);
  });
});

describe("Redis faults", () => {
  it("keeps answering while Redis is killed, warns once, and says once when it is back", async () => {
    const client = await connect();
    const log = createRecordingLogger();
    let fallbacks = 0;
    const counter = createRedisCounter({
      client,
      prefix: "kill:",
      logger: log,
      onFallback: () => fallbacks++,
    });
    const strategy = createRoundRobinStrategy({ counter });
    const pick = async () => (await strategy.pick(team, { route: "support", now: new Date() })).responder.id;
    for (let i = 0; i < 3; i++) await pick();
    await server.kill();
    try {
      const during: string[] = [];
      for (let i = 0; i < 21; i++) during.push(await pick());
      for (let i = 0; i < 21; i += 3) expect(new Set(during.slice(i, i + 3)).size).toBe(3);
      expect(fallbacks).toBe(21);
      expect(log.at("warn")).toHaveLength(1);
      expect(log.at("warn")[0]?.msg).toMatch(/Redis unavailable/);
      expect(log.at("info")).toHaveLength(0);
    } finally {
      // The server is shared by the file's tests: it comes back even when an assertion failed.
      await server.restart();
    }
    await readyAgain(client);
    for (let i = 0; i < 3; i++) await pick();
    expect(fallbacks).toBe(21);
    expect(log.at("warn")).toHaveLength(1);
    expect(log.at("info")).toHaveLength(1);
    expect(log.at("info")[0]?.msg).toMatch(/Redis is back/);
    expect(await client.get("kill:rr:support")).toBe("3");
  });

  it("falls back once a hung Redis has not answered within commandTimeoutMs", async () => {
    const client = await connect({ commandTimeoutMs: 60_000 });
    const clock = createManualClock();
    const log = createRecordingLogger();
    const counter = createRedisCounter({
      client,
      prefix: "hang:",
      commandTimeoutMs: 250,
      timers: clock.timers,
      logger: log,
    });
    await server.pause();
    try {
      let value: number | undefined;
      void counter.increment("support").then((n) => {
        value = n;
      });
      await clock.advance(249);
      expect(value).toBeUndefined();
      await clock.advance(1);
      expect(value).toBe(1);
      expect(log.at("warn")[0]?.fields).toMatchObject({ err: { code: "PDV_ERR_REDIS_TIMEOUT" } });
    } finally {
      await server.resume();
    }
  });

  it("remembers callers in memory while Redis is down", async () => {
    const client = await connect();
    const log = createRecordingLogger();
    const store = createRedisStickyStore({ client, logger: log });
    await server.kill();
    try {
      await store.set("support:+31201110000", "PA", 60_000);
      expect(await store.get("support:+31201110000")).toBe("PA");
      expect(log.at("warn")).toHaveLength(1);
    } finally {
      await server.restart();
    }
  });
});

describe("createRedisClient", () => {
  it("resolves even when nobody listens, and the counter falls back", async () => {
    const log = createRecordingLogger();
    const port = await findFreePort();
    const client = await createRedisClient(`redis://127.0.0.1:${port}`, { readyTimeoutMs: 200, logger: log });
    onTestFinished(() => closeRedisClient(client));
    expect(log.at("warn")).toHaveLength(1);
    expect(await createRedisCounter({ client }).increment("x")).toBe(1);
  });

  it("rejects anything but redis:// and rediss://, without showing the password", async () => {
    await expect(createRedisClient("http://user:hunter2@localhost:6379")).rejects.toMatchObject({
      code: "PDV_ERR_REDIS_INVALID_URL",
    });
    await expect(createRedisClient("http://user:hunter2@localhost:6379")).rejects.not.toThrow(/hunter2/);
    await expect(createRedisClient("not a url")).rejects.toMatchObject({ code: "PDV_ERR_REDIS_INVALID_URL" });
  });

  it("takes the password and db from the URL", async () => {
    const secured = await startRedisServer({ args: ["--requirepass", "s3cret"] });
    const client = await createRedisClient(`redis://:s3cret@127.0.0.1:${secured.port}/2`);
    try {
      await client.set("db-check", "yes");
      expect(await client.get("db-check")).toBe("yes");
      expect((await client.client("INFO")) as string).toMatch(/db=2/);
    } finally {
      await closeRedisClient(client);
      await secured.stop();
    }
  });

  it("lets a counter quit the client it was told to own", async () => {
    const client = await connect();
    await createRedisCounter({ client, closeClient: true }).close?.();
    if (client.status !== "end") await once(client, "end");
    expect(client.status).toBe("end");
  });
});

describe("Redis guard while hung", () => {
  it("lets one command probe a hung Redis while the others fall back at once", async () => {
    const client = await connect({ commandTimeoutMs: 60_000 });
    const clock = createManualClock();
    let fallbacks = 0;
    const counter = createRedisCounter({
      client,
      prefix: "probe:",
      commandTimeoutMs: 250,
      timers: clock.timers,
      onFallback: () => fallbacks++,
    });
    await server.pause();
    try {
      const first = counter.increment("support");
      await clock.advance(250);
      expect(await first).toBe(1);
      const probe = counter.increment("support");
      const others = await Promise.all([counter.increment("support"), counter.increment("support")]);
      expect(others).toEqual([2, 3]);
      expect(fallbacks).toBe(3);
      await clock.advance(250);
      expect(await probe).toBe(4);
    } finally {
      await server.resume();
    }
  });
});
