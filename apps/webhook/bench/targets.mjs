// What both benchmarks share: the call, the webhook's environment, the bare baseline's script, and
// how they read their settings.
import { join } from "node:path";
import { APP_DIR } from "../scripts/lib/processes.mjs";

/** The webhook secret of the benchmarked servers. */
export const SECRET = "bench-secret-0123456789abcdef";
/** The query string of every benchmarked call. */
export const QUERY = `secret_key=${SECRET}&callerid=%2B31201234567&did=%2B31208888888`;
/** The bare Fastify route (baseline). */
export const BARE_SERVER = join(APP_DIR, "bench", "bare-server.mjs");

/** The webhook server's environment against `fake` (the fake PagerDuty), on 127.0.0.1:`port`. */
export function webhookEnv(fake, port, level, configDir) {
  return {
    PAGERDUTY_API_KEY: fake.token,
    PAGERDUTY_API_URL: fake.url,
    WEBHOOK_SECRET_KEY: SECRET,
    PAGERDUTY_ESCALATION_POLICY_ID: "PDEMO01",
    HOST: "127.0.0.1",
    PORT: String(port),
    LOG_LEVEL: level,
    CONFIG_DIR: configDir,
  };
}

/** The call URL on 127.0.0.1:`port`, secret included (never print it unmasked). */
export function callUrl(port) {
  return `http://127.0.0.1:${port}/voys-webhook?${QUERY}`;
}

/** The integer environment variable `name` (or `fallback`), refused outside `min`..`max`. */
export function envInteger(name, fallback, min, max) {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name}: expected an integer from ${min} to ${max}`);
  return value;
}
