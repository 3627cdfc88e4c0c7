import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TempConfigDir, tempConfigDir } from "../../test/helpers/temp-config-dir.js";
import { loadConfig } from "./load-config.js";
import { validateRoutesDocument } from "./routes-file.js";
import { SETTINGS } from "./settings.js";

const NAMES = SETTINGS.map((spec) => spec.env).filter((name) => name !== "CONFIG_DIR");
const SECRET_NAMES = new Set(SETTINGS.filter((spec) => spec.secret).map((spec) => spec.env));
const MARK = "ZQXJ";
// `path: message`: `(top level)`, or keys, indexes and quoted odd keys.
const PROBLEM =
  /^(\(top level\)|([A-Za-z_][\w-]*|\["(?:[^"\\]|\\.)*"\])(\.[A-Za-z_][\w-]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*): \S/;

let dir: TempConfigDir;
beforeAll(() => {
  dir = tempConfigDir();
});
afterAll(() => dir.remove());

const value = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.integer({ min: -100_000, max: 100_000 }).map(String),
  fc.constantFrom(
    "",
    " ",
    "random",
    "round-robin",
    "::",
    "127.0.0.1/33",
    "+31201234567",
    "redis://x",
    "1e3",
    "0x10",
  ),
);

describe("config parser properties", () => {
  it("never throws, lists a problem or yields a frozen config, and never prints a secret value", () => {
    const env = fc.dictionary(fc.constantFrom(...NAMES), value, { maxKeys: NAMES.length });
    fc.assert(
      fc.property(env, (raw) => {
        const marked = Object.fromEntries(
          Object.entries(raw).map(([name, text]) => [name, SECRET_NAMES.has(name) ? `${MARK}${text}` : text]),
        );
        const result = loadConfig({ env: { ...marked, CONFIG_DIR: dir.path } });
        if (result.ok) {
          expect(Object.isFrozen(result.config.routes)).toBe(true);
          expect(result.config.listen.port).toBeGreaterThanOrEqual(0);
          expect(result.config.listen.port).toBeLessThanOrEqual(65_535);
          expect(result.config.routes.length).toBeGreaterThan(0);
        } else {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const error of result.errors) expect(NAMES.some((name) => error.startsWith(name))).toBe(true);
          expect(result.errors.join("\n")).not.toContain(MARK);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("reports any parsed YAML document as a list of `path: message` problems or routes", () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4 }), (doc) => {
        const result = validateRoutesDocument(doc);
        if (result.routes === undefined) {
          expect(result.problems.length).toBeGreaterThan(0);
          for (const problem of result.problems) expect(problem).toMatch(PROBLEM);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("accepts every route whose fields are valid", () => {
    const route = fc.record(
      {
        name: fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,20}$/),
        escalation_policy_id: fc.stringMatching(/^P[A-Z0-9]{6}$/),
        escalation_level: fc.integer({ min: 1, max: 10 }),
        strategy: fc.constantFrom("random", "round-robin"),
        sticky_minutes: fc.integer({ min: 1, max: 10_080 }),
      },
      { requiredKeys: ["name", "escalation_policy_id"] },
    );
    const routes = fc.uniqueArray(route, {
      minLength: 1,
      maxLength: 5,
      selector: (r) => r.name.toLowerCase(),
    });
    fc.assert(
      fc.property(routes, (list) => {
        const result = validateRoutesDocument({ routes: list });
        expect(result.problems).toEqual([]);
        expect(result.routes?.map((r) => r.name)).toEqual(list.map((r) => r.name));
      }),
      { numRuns: 200 },
    );
  });

  it("accepts every numeric setting at both ends of its range (buildServer's schema included)", () => {
    const bounds: Record<string, [string, string]> = {
      PAGERDUTY_ESCALATION_LEVEL: ["1", "100"],
      PAGERDUTY_REFRESH_SECONDS: ["1", "86400"],
      PAGERDUTY_LOOKAHEAD_HOURS: ["1", "2160"],
      PAGERDUTY_TIMEOUT_MS: ["10", "120000"],
      PAGERDUTY_USER_CACHE_SECONDS: ["0", "86400"],
      ROSTER_STALE_SECONDS: ["1", "86400"],
      COLD_START_WAIT_MS: ["0", "60000"],
      PORT: ["0", "65535"],
      STICKY_MINUTES: ["1", "10080"],
      HUNT_SECONDS: ["1", "86400"],
      REDIS_DB: ["0", "1000"],
    };
    const base = { PAGERDUTY_API_KEY: "k", WEBHOOK_SECRET_KEY: "s", PAGERDUTY_ESCALATION_POLICY_ID: "P1" };
    for (const end of [0, 1]) {
      const env = Object.fromEntries(Object.entries(bounds).map(([name, range]) => [name, range[end]]));
      const result = loadConfig({ env: { ...base, ...env, CONFIG_DIR: dir.path } });
      expect(result.ok ? [] : result.errors).toEqual([]);
    }
  });
});
