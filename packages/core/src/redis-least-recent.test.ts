import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CORE_ERROR_CODES } from "./errors.js";
import { createMemoryLastCallStore } from "./last-call-store.js";
import { createLeastRecentStrategy } from "./least-recent.js";
import { createRedisClient } from "./redis-client.js";
import { closeRedisClient } from "./redis-close.js";
import { createRedisLastCallStore } from "./redis-last-call-store.js";
import { createRedisStrategyStore } from "./redis-strategy-store.js";
import { frozenList, testResponder } from "./testing/fixtures.js";
import { createRecordingLogger } from "./testing/recording-logger.js";
import type { RedisServerHandle } from "./testing/redis-server-process.js";
import { startRedisServer } from "./testing/start-redis-server.js";
import { runStrategyContract } from "./testing/vitest/strategy-contract.js";

let server: RedisServerHandle;
const clients: Redis[] = [];

async function connect(): Promise<Redis> {
  const client = await createRedisClient(server.url, { maxReconnectDelayMs: 100 });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  server = await startRedisServer();
  await connect();
});

afterAll(async () => {
  await server.resume();
  for (const client of clients) await closeRedisClient(client);
  await server.stop();
});

runStrategyContract(
  "least-recent (redis)",
  () => createLeastRecentStrategy({ store: createRedisLastCallStore({ client: clients[0] as Redis }) }),
  { rotating: true },
);

const team = frozenList(testResponder("PA"), testResponder("PB"), testResponder("PC"));
const ctx = (route: string) => ({ route, now: new Date() });

describe("least-recent through Redis", () => {
  it("two instances on two clients, picking concurrently, keep one order", async () => {
    const [first, second] = [await connect(), await connect()];
    const instances = [first, second].map((client) =>
      createLeastRecentStrategy({ store: createRedisLastCallStore({ client, prefix: "lr-shared:" }) }),
    );
    const ids: string[] = [];
    for (let round = 0; round < 10; round++) {
      // Three picks in flight at once, from both instances: the script decides one at a time.
      const picks = await Promise.all([0, 1, 2].map((i) => instances[(round + i) % 2]?.pick(team, ctx("r"))));
      ids.push(...picks.map((pick) => pick?.responder.id ?? "none"));
    }
    for (let i = 0; i < ids.length; i += 3) expect(new Set(ids.slice(i, i + 3)).size).toBe(3);
  });

  it("keeps one hash per route at <prefix>lr:<route>, with an expiry", async () => {
    const client = clients[0] as Redis;
    const strategy = createLeastRecentStrategy({
      store: createRedisLastCallStore({ client, prefix: "lr-keys:", ttlMs: 60_000 }),
    });
    await strategy.pick(team, ctx("support"));
    expect(await client.hgetall("lr-keys:lr:support")).toEqual({ "#seq": "1", "l:PA": "1", "n:PA": "1" });
    const ttl = await client.pttl("lr-keys:lr:support");
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it("rejects a claim among no ids with PDV_ERR_ROUTING_NO_CANDIDATES, sending Redis nothing", async () => {
    const store = createRedisLastCallStore({ client: clients[0] as Redis, prefix: "lr-none:" });
    await expect(store.claim("support", [])).rejects.toMatchObject({
      name: "PdvError",
      code: CORE_ERROR_CODES.ROUTING_NO_CANDIDATES,
    });
    expect(await (clients[0] as Redis).exists("lr-none:lr:support")).toBe(0);
  });

  it("survives a script flush (NOSCRIPT, as after a failover)", async () => {
    const client = clients[0] as Redis;
    const strategy = createLeastRecentStrategy({
      store: createRedisLastCallStore({ client, prefix: "lr-flush:" }),
    });
    expect((await strategy.pick(team, ctx("x"))).responder.id).toBe("PA");
    await client.script("FLUSH");
    expect((await strategy.pick(team, ctx("x"))).responder.id).toBe("PB");
  });

  it("answers from memory, kept in step, while Redis is frozen", async () => {
    const client = await connect();
    const log = createRecordingLogger();
    const fallback = createMemoryLastCallStore();
    const store = createRedisLastCallStore({
      client,
      prefix: "lr-fault:",
      commandTimeoutMs: 100,
      fallback,
      logger: log,
    });
    const strategy = createLeastRecentStrategy({ store });
    expect((await strategy.pick(team, ctx("f"))).responder.id).toBe("PA");
    await server.pause();
    try {
      // Memory knows PA was called through Redis: the next is PB, not PA again.
      expect((await strategy.pick(team, ctx("f"))).responder.id).toBe("PB");
      expect(log.at("warn")).toHaveLength(1);
    } finally {
      await server.resume();
    }
  });
});

describe("Redis strategy store", () => {
  it("gets, sets with and without expiry, and increments atomically under <prefix>store:", async () => {
    const client = clients[0] as Redis;
    const store = createRedisStrategyStore({ client, prefix: "st:" });
    expect(await store.get("k")).toBeUndefined();
    await store.set("k", "v");
    await store.set("t", "w", 60_000);
    expect(await store.get("k")).toBe("v");
    expect(await client.pttl("st:store:k")).toBe(-1);
    expect(await client.pttl("st:store:t")).toBeGreaterThan(0);
    const values = await Promise.all(Array.from({ length: 20 }, () => store.incr("n", 60_000)));
    expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await client.pttl("st:store:n")).toBeGreaterThan(0);
  });
});
