import { describe, expect, it } from "vitest";
import { createMemoryStickyStore } from "./memory-sticky-store.js";
import { createRoundRobinStrategy } from "./round-robin.js";
import { withStickyCallers } from "./sticky-callers.js";
import { testResponder } from "./testing/fixtures.js";
import { createManualClock } from "./testing/manual-clock.js";
import type { Responder } from "./types.js";

// Two numbers each: a sticky pick must give the remembered responder's preferred (first) number,
// never another of theirs nor someone else's.
const team = [
  testResponder("PA", ["+31612345001", "+31612345011"]),
  testResponder("PB", ["+31612345002", "+31612345012"]),
  testResponder("PC", ["+31612345003", "+31612345013"]),
];
const MINUTE = 60_000;

function setup() {
  const clock = createManualClock();
  const strategy = withStickyCallers(createRoundRobinStrategy(), {
    store: createMemoryStickyStore({ now: clock.now }),
    ttlMs: 30 * MINUTE,
  });
  const pick = (callerId: string | undefined, candidates: readonly Responder[] = team) =>
    strategy.pick(candidates, { route: "support", callerId, now: clock.now() });
  return { clock, pick };
}

describe("withStickyCallers with responders of several numbers", () => {
  it("gives every returning caller their responder's preferred number", async () => {
    const { pick } = setup();
    const callers = ["+31201110000", "+31202220000", "+31203330000"];
    const first = [];
    for (const caller of callers) first.push(await pick(caller));
    expect(new Set(first.map((p) => p.responder.id)).size).toBe(3);
    for (const [i, caller] of callers.entries()) {
      const again = await pick(caller);
      expect(again.responder.id).toBe(first[i]?.responder.id);
      expect(again.phone).toBe(first[i]?.responder.phones[0]);
    }
  });

  it("renews the stay on every call, and forgets ttlMs after the last one", async () => {
    const { clock, pick } = setup();
    const first = (await pick("+31201110000")).responder;
    for (let i = 0; i < 4; i++) {
      await clock.advance(20 * MINUTE); // 80 minutes in all, never 30 without a call
      const again = await pick("+31201110000");
      expect(again.responder.id).toBe(first.id);
      expect(again.phone).toBe(first.phones[0]);
    }
    await clock.advance(30 * MINUTE);
    // Round-robin was not asked during the stay, so it moves on to the next responder now.
    expect((await pick("+31201110000")).responder.id).not.toBe(first.id);
  });

  it("moves a caller whose responder went off call to someone else, and sticks to them", async () => {
    const { pick } = setup();
    const first = (await pick("+31201110000")).responder;
    const rest = team.filter((r) => r.id !== first.id);
    const second = await pick("+31201110000", rest);
    expect(second.responder.id).not.toBe(first.id);
    const third = await pick("+31201110000");
    expect(third.responder.id).toBe(second.responder.id);
    expect(third.phone).toBe(second.responder.phones[0]);
  });
});
