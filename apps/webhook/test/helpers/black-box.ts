import {
  createFakePagerDuty,
  type FakePagerDuty,
  type FakeScenario,
} from "@pagerduty-voys/pagerduty-source/testing";
import { afterEach, beforeEach } from "vitest";
import { type TempConfigDir, tempConfigDir } from "./temp-config-dir.js";

/** What a black-box test of the built bin works against; fresh for every test. */
export interface BlackBox {
  /** The fake PagerDuty, serving the scenario. */
  readonly fake: FakePagerDuty;
  /** An empty CONFIG_DIR (seed files and config.yaml go here). */
  readonly dir: TempConfigDir;
  /** Environment variables wiring the bin to both, plus `base`, plus `extra`. */
  env(extra?: Record<string, string>): Record<string, string>;
}

/**
 * Registers hooks that give every test a fake PagerDuty with `scenario()` and an empty CONFIG_DIR,
 * closed and removed after it (after the test file's own `afterEach`, which runs first).
 */
export function useBlackBox(scenario: () => FakeScenario, base: Record<string, string>): BlackBox {
  let fake: FakePagerDuty | undefined;
  let dir: TempConfigDir | undefined;
  beforeEach(async () => {
    fake = await createFakePagerDuty({ scenario: scenario() });
    dir = tempConfigDir();
  });
  afterEach(async () => {
    await fake?.close();
    dir?.remove();
  });
  const current = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("useBlackBox: only available inside a test");
    return value;
  };
  return {
    get fake() {
      return current(fake);
    },
    get dir() {
      return current(dir);
    },
    env(extra = {}) {
      return {
        PAGERDUTY_API_KEY: current(fake).token,
        PAGERDUTY_API_URL: current(fake).url,
        CONFIG_DIR: current(dir).path,
        ...base,
        ...extra,
      };
    },
  };
}
