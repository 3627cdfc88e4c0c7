import { fileURLToPath } from "node:url";
import { createRedisClient } from "@pagerduty-voys/core/redis";
import { createStaticSource, startRedisSentinelSet } from "@pagerduty-voys/core/testing";
import type { FastifyInstance } from "fastify";
import { describe, expect, it } from "vitest";
import { build, destinationOf, query, responder, shift, waitReady } from "../src/testing/helpers.js";

const team = [
  responder("PA00001", ["+31611111111"]),
  responder("PB00001", ["+31622222222"]),
  responder("PC00001", ["+31633333333"]),
];
const ROUTES = ["rr", "lr", "module"] as const;
const counting = fileURLToPath(new URL("./strategies/counting.mjs", import.meta.url));

function everyThreeDistinct(destinations: (string | undefined)[]): void {
  for (let i = 0; i + 3 <= destinations.length; i += 3)
    expect(new Set(destinations.slice(i, i + 3)).size).toBe(3);
}

describe("Redis Sentinel", () => {
  it("two instances keep one rotation per route through a forced failover during calls", async () => {
    const set = await startRedisSentinelSet();
    const apps: FastifyInstance[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const app = await build({
          source: createStaticSource(team.map((who) => shift(who))),
          routes: [
            { name: "rr", policyId: "PDEMO01", strategy: "round-robin" },
            { name: "lr", policyId: "PDEMO01", strategy: "least-recent" },
            {
              name: "module",
              policyId: "PDEMO01",
              strategy: { module: counting, setting: "routes[2].strategy" },
            },
          ],
          redis: { sentinels: [set.sentinel], sentinelName: set.name, keyPrefix: "sentinel-test:" },
        });
        apps.push(app);
        await waitReady(app);
      }
      const round = async (route: string, calls: number) => {
        const reached: (string | undefined)[] = [];
        for (let i = 0; i < calls; i++) {
          const res = await apps[i % 2]?.inject({ method: "GET", url: `/voys-webhook/${route}?${query()}` });
          expect(res?.statusCode).toBe(200);
          reached.push(destinationOf(res?.body ?? ""));
        }
        return reached;
      };
      for (const route of ROUTES) everyThreeDistinct(await round(route, 12));
      let done = false;
      const failover = set.failover().finally(() => {
        done = true;
      });
      let during = 0;
      while (!done) {
        for (const route of ROUTES) during += (await round(route, 2)).length; // all answered 200
        // Answers from memory may settle without I/O: let the failover's timers run too.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const newMaster = await failover;
      expect(newMaster).toBe(set.replica.port);
      expect(during).toBeGreaterThan(0);
      const direct = await createRedisClient(`redis://127.0.0.1:${newMaster}`);
      try {
        expect(Number(await direct.get("sentinel-test:rr:rr"))).toBeGreaterThanOrEqual(12);
        const deadline = Date.now() + 15_000;
        for (;;) {
          const before = Number(await direct.get("sentinel-test:rr:rr"));
          await round("rr", 2);
          if (Number(await direct.get("sentinel-test:rr:rr")) === before + 2) break;
          if (Date.now() > deadline) throw new Error("the instances never wrote to the new master");
        }
        expect(Number(await direct.get("sentinel-test:store:module:turn"))).toBeGreaterThanOrEqual(12);
      } finally {
        direct.disconnect();
      }
      for (const route of ROUTES) everyThreeDistinct(await round(route, 30));
    } finally {
      await Promise.all(apps.map((app) => app.close()));
      await set.stop();
    }
  }, 60_000);
});
