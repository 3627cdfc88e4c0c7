import { sampleScenario } from "@pagerduty-voys/pagerduty-source/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { useBlackBox } from "./helpers/black-box.js";
import { startServer } from "./helpers/cli-process.js";

// Odd but plausible values of the settings that once passed the app's check and failed the
// server's (ALLOWED_IPS=::ffff:10.0.0.0/8 exited 1), plus ports, numbers, strategies and routes.
const VALUES: Record<string, readonly string[]> = {
  ALLOWED_IPS: [
    "::ffff:10.0.0.0/8",
    "::ffff:10.0.0.0/104",
    "::ffff:127.0.0.1",
    "127.0.0.1,::1",
    "0.0.0.0/0,::/0",
    "fe80::1%lo",
    "10.0.0.0/33",
    "2001:db8::/129",
    "1.2.3",
    " , ,",
    "127.0.0.1/08",
  ],
  TRUST_PROXY: ["1", "0", "loopback", "127.0.0.1,uniquelocal", "0.0.0.0/0", "::ffff:10.0.0.0/104", "proxy"],
  PORT: ["0", "65536", "-1", "8o"],
  HOST: ["127.0.0.1", "::1", "not a host!", "localhost"],
  PAGERDUTY_REFRESH_SECONDS: ["1", "86400", "86401", "1.5"],
  PAGERDUTY_LOOKAHEAD_HOURS: ["1", "2160", "2161"],
  COLD_START_WAIT_MS: ["0", "60000", "60001"],
  STICKY_MINUTES: ["1", "10080", "0"],
  HUNT_SECONDS: ["1", "86400", "86401"],
  PAGERDUTY_INCIDENTS: ["off", "missed", "all", "maybe"],
  PAGERDUTY_ROUTING_KEY: ["0123456789abcdef0123456789abcdef", "short"],
  ROUTING_STRATEGY: ["random", "round-robin", "weighted", "./missing.mjs"],
  FALLBACK_NUMBER: ["+31201234567", "0201234567"],
  LOG_LEVEL: ["info", "debug", "loud"],
  WEBHOOK_SECRET_KEY: ["black-box-secret-0123", "old-secret-1 new-secret-2"],
};
const YAML = [
  "routes:\n  - { name: support, escalation_policy_id: PDEMO01, dids: ['+31208888888'], codes: ['1'] }\n  - { name: Billing, escalation_policy_id: PDEMO01, dids: ['+31209999999'], codes: ['2'] }\n",
  "routes:\n  - { name: a, escalation_policy_id: PDEMO01 }\n  - { name: A, escalation_policy_id: PDEMO01 }\n",
  "routes:\n  - { name: a, escalation_policy_id: PDEMO01, codes: [01] }\n",
  "routes:\n  - { name: a, escalation_policy_id: PDEMO01, hunt_seconds: 0 }\n",
  "routes: [\n",
];

const settings = fc.record(
  {
    env: fc.dictionary(fc.constantFrom(...Object.keys(VALUES)), fc.nat(), { minKeys: 1, maxKeys: 4 }),
    yaml: fc.option(fc.nat({ max: YAML.length - 1 }), { nil: undefined }),
  },
  { requiredKeys: ["env"] },
);

const box = useBlackBox(sampleScenario, { PAGERDUTY_ESCALATION_POLICY_ID: "PDEMO01" });

describe("what passes validation starts; the rest exits 2 naming the setting (the built bin)", () => {
  it("never exits 1 for a configuration problem", async () => {
    const seen = { started: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(settings, async ({ env: picks, yaml }) => {
        const env = Object.fromEntries(
          Object.entries(picks).map(([name, n]) => {
            const choices = VALUES[name] ?? [""];
            return [name, choices[n % choices.length] ?? ""];
          }),
        );
        if (yaml !== undefined) box.dir.write("config.yaml", YAML[yaml] ?? "", 0o644);
        else box.dir.write("config.yaml", "routes: []\n", 0o644);
        // strategy modules are named by their setting; buildServer's own problems by option path.
        const named = [...Object.keys(env), "config.yaml", "routes["];
        try {
          const server = await startServer(box.env({ WEBHOOK_SECRET_KEY: "black-box-secret-0123", ...env }));
          seen.started += 1;
          await server.kill();
        } catch (error) {
          const text = error instanceof Error ? error.message : String(error);
          const code = /exited with code (\d+|null)/.exec(text)?.[1];
          expect({ env, yaml, code }).toMatchObject({ code: "2" });
          expect(named.some((name) => text.includes(name))).toBe(true);
          seen.refused += 1;
        }
      }),
      { numRuns: 20, seed: 20260802 },
    );
    expect(seen.started).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  }, 180_000);

  it("ALLOWED_IPS=::ffff:10.0.0.0/8 exits 2 naming ALLOWED_IPS and the IPv4 form to write", async () => {
    await expect(
      startServer(box.env({ WEBHOOK_SECRET_KEY: "black-box-secret-0123", ALLOWED_IPS: "::ffff:10.0.0.0/8" })),
    ).rejects.toThrow(
      /exited with code 2[\s\S]*ALLOWED_IPS: "::ffff:10\.0\.0\.0\/8" is not an IP address or CIDR.*\(10\.0\.0\.0\/8\)/,
    );
  });
});
