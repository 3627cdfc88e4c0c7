import { closeRedisClient, createRedisClient } from "@pagerduty-voys/core/redis";
import {
  createStaticSource,
  type RedisServerHandle,
  startRedisServer,
  testResponder,
  testShift,
} from "@pagerduty-voys/core/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { destinationOf, query, build as testServer, waitReady } from "../src/testing/helpers.js";

// Every responder has two numbers, so that a sticky pick that hands out the wrong one (another
// responder's, or not the preferred one) is seen.
const TEAM = [
  testResponder("PANNA01", ["+31611111111", "+31611111112"]),
  testResponder("PBRAM01", ["+31622222221", "+31622222222"]),
  testResponder("PCHRIS1", ["+31633333331", "+31633333332"]),
];
const MINUTE = 60_000;
const CALLER = "+31698765432";

/** The responder one of whose numbers `destination` is. */
function owner(destination: string | undefined) {
  return TEAM.find((responder) => destination !== undefined && responder.phones.includes(destination));
}

/** A server on the team above, round-robin with 30 sticky minutes, on a clock the test moves. */
async function start(options: { redisUrl?: string; prefix?: string } = {}) {
  let now = Date.parse("2026-03-02T08:00:00Z");
  const app = await testServer({
    source: createStaticSource(TEAM.map((responder) => testShift(responder, { policyId: "PDEMO01" }))),
    routes: [{ name: "default", policyId: "PDEMO01", strategy: "round-robin", stickyMinutes: 30 }],
    roster: { staleAfterMs: 24 * 60 * MINUTE },
    now: () => new Date(now),
    ...(options.redisUrl ? { redis: { url: options.redisUrl, keyPrefix: options.prefix ?? "sticky:" } } : {}),
  });
  await waitReady(app);
  return {
    app,
    advance(ms: number) {
      now += ms;
    },
    async call(callerid?: string): Promise<string | undefined> {
      const res = await app.inject({
        method: "GET",
        url: `/voys-webhook?${query(callerid ? { callerid } : {})}`,
      });
      expect(res.statusCode).toBe(200);
      return destinationOf(res.body);
    },
  };
}

async function closeAll(apps: readonly FastifyInstance[]): Promise<void> {
  await Promise.all(apps.map((app) => app.close()));
}

describe("sticky callers in memory", () => {
  it("a returning caller reaches the same responder on their preferred number; others rotate", async () => {
    const server = await start();
    try {
      const first = owner(await server.call(CALLER));
      expect(first).toBeDefined();
      const others = [];
      for (let i = 0; i < 3; i++) others.push(owner(await server.call(`+3160000000${i}`))?.id);
      expect(new Set(others).size).toBe(3);
      for (let i = 0; i < 3; i++) expect(await server.call(CALLER)).toBe(first?.phones[0]);
      expect(await server.call(`0031${CALLER.slice(3)}`)).toBe(first?.phones[0]);
    } finally {
      await closeAll([server.app]);
    }
  });

  it("every call renews the stay; it ends sticky minutes after the last call", async () => {
    const server = await start();
    try {
      const first = owner(await server.call(CALLER));
      // 20 + 20 + 20 minutes: 60 minutes after the first call, each within 30 of the one before.
      for (let i = 0; i < 3; i++) {
        server.advance(20 * MINUTE);
        expect(await server.call(CALLER)).toBe(first?.phones[0]);
      }
      server.advance(30 * MINUTE);
      // Forgotten: round-robin, which the sticky calls did not advance, moves on to the next one.
      expect(owner(await server.call(CALLER))?.id).not.toBe(first?.id);
    } finally {
      await closeAll([server.app]);
    }
  });

  it("without a caller id the strategy decides", async () => {
    const server = await start();
    try {
      const reached = [];
      for (let i = 0; i < 3; i++) reached.push(owner(await server.call())?.id);
      expect(new Set(reached).size).toBe(3);
    } finally {
      await closeAll([server.app]);
    }
  });
});

describe("sticky callers in Redis", () => {
  let redis: RedisServerHandle;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it("the caller sticks across two instances, on the responder's preferred number", async () => {
    const prefix = `sticky-two-${process.pid}:`;
    const a = await start({ redisUrl: redis.url, prefix });
    const b = await start({ redisUrl: redis.url, prefix });
    try {
      const first = owner(await a.call(CALLER));
      await b.call("+31600000001");
      await a.call("+31600000002");
      expect(await b.call(CALLER)).toBe(first?.phones[0]);
      expect(await a.call(CALLER)).toBe(first?.phones[0]);
    } finally {
      await closeAll([a.app, b.app]);
    }
  });

  it("every call sets the stay's time to live again", async () => {
    const prefix = `sticky-ttl-${process.pid}:`;
    const server = await start({ redisUrl: redis.url, prefix });
    const client = await createRedisClient(redis.url);
    try {
      const first = await server.call(CALLER);
      const keys = await client.keys(`${prefix}sticky:*`);
      expect(keys).toHaveLength(1);
      const key = keys[0] ?? "";
      expect(await client.pttl(key)).toBeGreaterThan(29 * MINUTE);
      await client.pexpire(key, 5_000); // as if 29 minutes and 55 seconds had passed
      expect(await server.call(CALLER)).toBe(owner(first)?.phones[0]);
      expect(await client.pttl(key)).toBeGreaterThan(29 * MINUTE);
    } finally {
      await closeRedisClient(client);
      await closeAll([server.app]);
    }
  });
});
