import { loadConfig } from "../../src/config/load-config.js";
import type { LoadConfigResult, WebhookConfig } from "../../src/config/types.js";

type Env = Record<string, string | undefined>;

/** The settings a configuration test starts from: an API key, a webhook secret and a policy. */
export const BASE_ENV = {
  PAGERDUTY_API_KEY: "u+pd-token-0123456789",
  WEBHOOK_SECRET_KEY: "a-long-webhook-secret-123",
  PAGERDUTY_ESCALATION_POLICY_ID: "PDEMO01",
};

/** `loadConfig` with CONFIG_DIR set to `configDir()`, and its two expected outcomes as assertions. */
export function configLoader(configDir: () => string): {
  load(env: Env): LoadConfigResult;
  ok(env: Env): { config: WebhookConfig; warnings: string[] };
  errors(env?: Env): string[];
} {
  const load = (env: Env): LoadConfigResult => loadConfig({ env: { CONFIG_DIR: configDir(), ...env } });
  return {
    load,
    ok(env) {
      const result = load(env);
      if (!result.ok) throw new Error(`expected a valid config, got:\n${result.errors.join("\n")}`);
      return result;
    },
    errors(env = BASE_ENV) {
      const result = load(env);
      if (result.ok) throw new Error("expected configuration errors");
      return result.errors;
    },
  };
}
