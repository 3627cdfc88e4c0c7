import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHunter } from "./hunt.js";
import { createRedisClient } from "./redis-client.js";
import { closeRedisClient } from "./redis-close.js";
import { createRedisHuntStore } from "./redis-hunt-store.js";
import type { RedisServerHandle } from "./testing/redis-server-process.js";
import { person, setup, shift } from "./testing/roster-fixtures.js";
import { startRedisServer } from "./testing/start-redis-server.js";
import { runStickyStoreContract } from "./testing/vitest/sticky-store-contract.js";
import type { Responder } from "./types.js";

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

runStickyStoreContract("redis hunt store", () => createRedisHuntStore({ client }));

describe("hunts in Redis", () => {
  it("keeps a hunt with SET … PX on <prefix>hunt:<route>:<caller>, for the hunt window", async () => {
    const { clock, roster } = setup([shift(person("PA00001"), null, null)]);
    await roster.refresh();
    const hunter = createHunter({
      store: createRedisHuntStore({ client, prefix: "hunt-test:" }),
      huntMs: 90_000,
    });
    const pick = async (candidates: readonly Responder[]) => {
      const [responder] = candidates;
      if (responder === undefined) throw new Error("no candidates");
      return { responder, phone: responder.phones[0] ?? "" };
    };
    const call = { route: "support", policyId: "PPOL1", level: 1, callerId: "+31201110000", roster, pick };
    await hunter.route({ ...call, now: clock.now() });
    const key = "hunt-test:hunt:support:+31201110000";
    expect(JSON.parse((await client.get(key)) ?? "null")).toMatchObject({ a: 1, t: ["PA00001"], l: 1 });
    const ttl = await client.pttl(key);
    expect(ttl).toBeGreaterThan(80_000);
    expect(ttl).toBeLessThanOrEqual(90_000);
  });

  it("lets two hunters sharing Redis hunt as one", async () => {
    const { clock, roster } = setup([
      shift(person("PA00001"), null, null),
      shift(person("PA00002"), null, null),
    ]);
    await roster.refresh();
    const make = () =>
      createHunter({ store: createRedisHuntStore({ client, prefix: "shared:" }), huntMs: 60_000 });
    const [first, second] = [make(), make()];
    const pick = async (candidates: readonly Responder[]) => {
      const [responder] = candidates;
      if (responder === undefined) throw new Error("no candidates");
      return { responder, phone: responder.phones[0] ?? "" };
    };
    const call = { route: "support", policyId: "PPOL1", level: 1, callerId: "+31202220000", roster, pick };
    const one = await first.route({ ...call, now: clock.now() });
    const two = await second.route({ ...call, now: clock.now() });
    expect([one?.pick.responder.id, one?.attempt]).toEqual(["PA00001", 1]);
    expect([two?.pick.responder.id, two?.attempt, two?.hunted]).toEqual(["PA00002", 2, true]);
  });
});
