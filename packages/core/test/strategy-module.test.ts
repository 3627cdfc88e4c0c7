import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { silentLogger } from "../src/logger.js";
import { createModuleStrategy, loadStrategyFactory, StrategyModuleError } from "../src/strategy-module.js";
import { createMemoryStrategyStore } from "../src/strategy-store.js";
import type { StrategyContext } from "../src/strategy-types.js";
import { createManualClock } from "../src/testing/manual-clock.js";
import { runStrategyModuleContract } from "../src/testing/vitest/strategy-module-contract.js";

const here = (name: string): URL => new URL(`./strategies/${name}`, import.meta.url);

runStrategyModuleContract(here("counting.mjs"), { rotating: true });
runStrategyModuleContract(here("named-export.mjs"));

const context = (): StrategyContext => ({
  route: "default",
  options: {},
  logger: silentLogger,
  now: () => new Date(),
  random: Math.random,
  store: createMemoryStrategyStore(),
});

async function failure(module: string | URL, ctx = context()): Promise<StrategyModuleError> {
  const error = await createModuleStrategy(module, ctx, { factoryTimeoutMs: 200 }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StrategyModuleError);
  return error as StrategyModuleError;
}

describe("strategy modules", () => {
  it("loads the default export, or createStrategy, from an absolute path or a URL", async () => {
    expect(typeof (await loadStrategyFactory(here("counting.mjs")))).toBe("function");
    const strategy = await createModuleStrategy(here("named-export.mjs").pathname, context());
    expect(strategy.name).toBe("first");
  });

  it("hands the options and the store to the factory", async () => {
    const strategy = await createModuleStrategy(here("counting.mjs"), {
      ...context(),
      options: { start: 1 },
    });
    const team = [
      { id: "PA", name: "A", phones: ["+31612345001"] },
      { id: "PB", name: "B", phones: ["+31612345002"] },
    ];
    const pick = await strategy.pick(team, { route: "default", now: new Date() });
    expect(pick.responder.id).toBe("PB");
  });

  it.each([
    ["missing.mjs", /missing\.mjs cannot be loaded/],
    ["import-throws.mjs", /import-throws\.mjs cannot be loaded: cannot find package/],
    ["no-factory.mjs", /no-factory\.mjs exports no factory/],
    ["factory-throws.mjs", /factory threw: strategy_options\.country is required/],
    ["factory-returns-nothing.mjs", /factory returned no strategy/],
    ["factory-hangs.mjs", /factory did not resolve within 200 ms/],
  ])("refuses %s, naming the file and the reason", async (name, message) => {
    const error = await failure(here(name));
    expect(error.code).toBe("PDV_ERR_STRATEGY_MODULE_INVALID");
    expect(error.message).toMatch(message);
    expect(error.file).toContain(name);
  });

  it("bounds a hanging factory with the injected timers", async () => {
    const clock = createManualClock();
    const pending = createModuleStrategy(here("factory-hangs.mjs"), context(), {
      factoryTimeoutMs: 5_000,
      timers: clock.timers,
    }).then(
      () => "built",
      (e: unknown) => (e as Error).message,
    );
    await vi.waitFor(() => expect(clock.pendingDelays()).toEqual([5_000]), { timeout: 2_000 });
    await clock.advance(4_999);
    expect(clock.pendingDelays()).toEqual([1]);
    await clock.advance(1);
    expect(await pending).toMatch(/did not resolve within 5000 ms/);
  });
});

describe("memory strategy store", () => {
  it("gets, sets, increments, and expires with its clock", async () => {
    let now = 0;
    const store = createMemoryStrategyStore({ now: () => new Date(now) });
    expect(await store.get("k")).toBeUndefined();
    await store.set("k", "v", 1_000);
    expect(await store.get("k")).toBe("v");
    expect(await store.incr("n")).toBe(1);
    expect(await store.incr("n", 500)).toBe(2);
    now = 1_000;
    expect(await store.get("k")).toBeUndefined();
    expect(await store.incr("n")).toBe(1);
  });
});

describe("strategy modules changed on disk", () => {
  it("are read again when the file changed (a reload picks up the new version)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pdv-strategy-"));
    try {
      const file = join(dir, "named.mjs");
      const write = async (name: string, when: number) => {
        await writeFile(file, `export default () => ({ name: "${name}", pick: async () => undefined });\n`);
        await utimes(file, when, when);
      };
      await write("first", 1_700_000_000);
      expect((await createModuleStrategy(file, context())).name).toBe("first");
      await write("second", 1_700_000_100);
      expect((await createModuleStrategy(file, context())).name).toBe("second");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
