import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisClient } from "./redis-client.js";
import { closeRedisClient } from "./redis-close.js";
import { createRedisCounter } from "./redis-counter.js";
import { createRedisStickyStore } from "./redis-sticky-store.js";
import { createRoundRobinStrategy } from "./round-robin.js";
import { withStickyCallers } from "./sticky-callers.js";
import type { RedisServerHandle } from "./testing/redis-server-process.js";
import { startRedisServer } from "./testing/start-redis-server.js";
import { runCounterContract } from "./testing/vitest/counter-contract.js";
import { runStickyStoreContract } from "./testing/vitest/sticky-store-contract.js";
import { runStrategyContract } from "./testing/vitest/strategy-contract.js";

let server: RedisServerHandle;
let client: Redis;

beforeAll(async () => {
  server = await startRedisServer();
  client = await createRedisClient(server.url);
});

afterAll(async () => {
  await closeRedisClient(client);
  await server.stop();
});

runCounterContract("redis counter", () => createRedisCounter({ client }));
runStickyStoreContract("redis sticky store", () => createRedisStickyStore({ client }));
runStrategyContract(
  "round-robin (redis)",
  () => createRoundRobinStrategy({ counter: createRedisCounter({ client }) }),
  {
    rotating: true,
  },
);
runStrategyContract("round-robin (redis) with sticky callers (redis)", () =>
  withStickyCallers(createRoundRobinStrategy({ counter: createRedisCounter({ client }) }), {
    store: createRedisStickyStore({ client }),
    ttlMs: 60_000,
  }),
);

describe("Redis keys", () => {
  it("counts with INCR on <prefix>rr:<route>", async () => {
    const counter = createRedisCounter({ client, prefix: "keys-test:" });
    await counter.increment("support");
    await counter.increment("support");
    expect(await client.get("keys-test:rr:support")).toBe("2");
  });

  it("remembers callers with SET … PX on <prefix>sticky:<key>", async () => {
    const store = createRedisStickyStore({ client, prefix: "keys-test:" });
    await store.set("support:+31201110000", "PUSER01", 60_000);
    expect(await client.get("keys-test:sticky:support:+31201110000")).toBe("PUSER01");
    const ttl = await client.pttl("keys-test:sticky:support:+31201110000");
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it("uses the pagerduty-voys: prefix by default", async () => {
    await createRedisCounter({ client }).increment("default-prefix-route");
    expect(await client.get("pagerduty-voys:rr:default-prefix-route")).toBe("1");
  });
});
