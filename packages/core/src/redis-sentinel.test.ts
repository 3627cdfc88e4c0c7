import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { createLeastRecentStrategy } from "./least-recent.js";
import { createRedisClient } from "./redis-client.js";
import { closeRedisClient } from "./redis-close.js";
import { createRedisCounter } from "./redis-counter.js";
import { createRedisLastCallStore } from "./redis-last-call-store.js";
import { createRoundRobinStrategy } from "./round-robin.js";
import { frozenList, testResponder } from "./testing/fixtures.js";
import { startRedisSentinelSet } from "./testing/start-redis-sentinel.js";

const team = frozenList(testResponder("PA"), testResponder("PB"), testResponder("PC"));
const ctx = { route: "support", now: new Date() };

describe("Redis Sentinel", () => {
  it("two instances keep one rotation (round-robin and least-recent) through a forced failover", async () => {
    const set = await startRedisSentinelSet();
    const clients: Redis[] = [];
    try {
      const target = { sentinels: [set.sentinel], sentinelName: set.name };
      for (let i = 0; i < 2; i++) clients.push(await createRedisClient(target, { maxReconnectDelayMs: 100 }));
      const instances = clients.map((client) => ({
        rr: createRoundRobinStrategy({ counter: createRedisCounter({ client, prefix: "s:" }) }),
        lr: createLeastRecentStrategy({ store: createRedisLastCallStore({ client, prefix: "s:" }) }),
      }));
      const round = async (kind: "rr" | "lr", calls: number): Promise<string[]> => {
        const ids: string[] = [];
        for (let i = 0; i < calls; i++)
          ids.push((await instances[i % 2]?.[kind].pick(team, ctx))?.responder.id ?? "");
        return ids;
      };
      const everyThree = (ids: string[]) => {
        for (let i = 0; i + 3 <= ids.length; i += 3) expect(new Set(ids.slice(i, i + 3)).size).toBe(3);
      };
      everyThree(await round("rr", 12));
      everyThree(await round("lr", 12));
      const failover = set.failover();
      // Calls go on during the failover: every one is answered (from memory while Redis switches).
      let during = 0;
      let done = false;
      void failover.finally(() => {
        done = true;
      });
      while (!done) {
        await round("rr", 2);
        await round("lr", 2);
        during += 4;
        // Picks that fall back to memory settle without I/O: let the failover's timers run too.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const newMaster = await failover;
      expect(newMaster).toBe(set.replica.port);
      expect(during).toBeGreaterThan(0);
      // Wait (bounded) until both clients write to the new master again, then the rotation is one.
      const direct = await createRedisClient(`redis://127.0.0.1:${newMaster}`);
      clients.push(direct);
      // The new master carries on from the replicated state: no rotation starts over.
      expect(Number(await direct.get("s:rr:support"))).toBeGreaterThanOrEqual(12);
      expect(Number(await direct.hget("s:lr:support", "#seq"))).toBeGreaterThanOrEqual(12);
      const deadline = Date.now() + 15_000;
      for (;;) {
        const before = Number(await direct.get("s:rr:support"));
        await round("rr", 2);
        if (Number(await direct.get("s:rr:support")) === before + 2) break;
        if (Date.now() > deadline) throw new Error("the clients never wrote to the new master");
      }
      everyThree(await round("rr", 30));
      everyThree(await round("lr", 30));
    } finally {
      for (const client of clients) await closeRedisClient(client);
      await set.stop();
    }
  }, 60_000);
});
