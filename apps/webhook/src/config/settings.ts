/** One configuration setting: its environment variable, optional seed file, default and meaning. */
export interface SettingSpec {
  /** Environment variable name. */
  readonly env: string;
  /** File in CONFIG_DIR that may hold the value (the original program's seed files). */
  readonly file?: string;
  /** Default as written in the docs, or `required` / `unset`. */
  readonly default: string;
  /** What the setting accepts, quoted in error messages. */
  readonly accepts: string;
  /** One-line meaning for `--help` and the README. */
  readonly meaning: string;
  /** True when the value must never be printed (secrets, URLs that may carry passwords, numbers). */
  readonly secret?: boolean;
}

/** The default configuration directory of the original program. */
export const DEFAULT_CONFIG_DIR = "/etc/pagerduty-voys-webhook";

/** The optional routes file in CONFIG_DIR. */
export const ROUTES_FILE = "config.yaml";

/** Every setting of the configuration contract, in documentation order. */
export const SETTINGS: readonly SettingSpec[] = [
  {
    env: "PAGERDUTY_API_KEY",
    file: "api_key",
    default: "required",
    accepts: "a PagerDuty REST API key (read-only is enough), without spaces",
    meaning: "PagerDuty REST API v2 key",
    secret: true,
  },
  {
    env: "WEBHOOK_SECRET_KEY",
    file: "secret_key",
    default: "required",
    accepts:
      "one or more secrets separated by whitespace (one per line in the file), printable, without spaces; A-Z a-z 0-9 - . _ ~ need no URL encoding",
    meaning: "secret(s) expected in the `secret_key` parameter (several during a rotation)",
    secret: true,
  },
  {
    env: "PAGERDUTY_ESCALATION_POLICY_ID",
    file: "escalation_policy_id",
    default: "required unless config.yaml defines routes",
    accepts: "a PagerDuty escalation policy id such as PABC123",
    meaning: "policy of the `default` route (plain /voys-webhook)",
  },
  {
    env: "PAGERDUTY_ESCALATION_LEVEL",
    default: "1",
    accepts: "an integer ≥ 1",
    meaning: "escalation level the `default` route calls",
  },
  {
    env: "PAGERDUTY_API_URL",
    default: "https://api.pagerduty.com",
    accepts: "an http(s) URL such as https://api.eu.pagerduty.com",
    meaning: "PagerDuty API base URL (EU: https://api.eu.pagerduty.com)",
    secret: true,
  },
  {
    env: "PAGERDUTY_REFRESH_SECONDS",
    default: "60",
    accepts: "an integer from 1 to 86400",
    meaning: "seconds between roster refreshes",
  },
  {
    env: "PAGERDUTY_LOOKAHEAD_HOURS",
    default: "24",
    accepts: "an integer from 1 to 2160 (90 days)",
    meaning: "hours of future shifts kept in memory (rides out PagerDuty outages)",
  },
  {
    env: "PAGERDUTY_TIMEOUT_MS",
    default: "5000",
    accepts: "an integer from 10 to 120000",
    meaning: "timeout of one PagerDuty request",
  },
  {
    env: "PAGERDUTY_USER_CACHE_SECONDS",
    default: "300",
    accepts: "an integer from 0 to 86400",
    meaning: "how long a user's phone numbers are cached",
  },
  {
    env: "ROSTER_STALE_SECONDS",
    default: "300",
    accepts: "an integer from 1 to 86400",
    meaning: "/readyz reports stale when the last good refresh is older",
  },
  {
    env: "COLD_START_WAIT_MS",
    default: "2000",
    accepts: "an integer from 0 to 60000",
    meaning: "how long a call waits for the first roster load after start-up",
  },
  {
    env: "HOST",
    default: "::",
    accepts: "an IP address or host name (`::` listens on IPv6 and IPv4)",
    meaning: "address to listen on",
  },
  {
    env: "PORT",
    default: "5839",
    accepts: "an integer from 0 to 65535",
    meaning: "TCP port to listen on",
  },
  {
    env: "ROUTING_STRATEGY",
    default: "random",
    accepts:
      "random, round-robin, least-recent, or the path of a strategy module ending in .mjs or .js (relative to CONFIG_DIR)",
    meaning: "default strategy of every route",
  },
  {
    env: "STICKY_MINUTES",
    default: "unset",
    accepts: "an integer from 1 to 10080",
    meaning: "`default` route: a caller reaches the same responder again within this time",
  },
  {
    env: "HUNT_SECONDS",
    default: "unset",
    accepts: "an integer from 1 to 86400",
    meaning: "`default` route: a caller who calls again within this time reaches someone not yet tried",
  },
  {
    env: "PAGERDUTY_INCIDENTS",
    default: "off",
    accepts: "off, missed or all",
    meaning: "`default` route: open a PagerDuty incident for missed calls (or all calls)",
  },
  {
    env: "PAGERDUTY_ROUTING_KEY",
    file: "routing_key",
    default: "unset",
    accepts: "a 32-character Events API v2 integration key (letters and digits)",
    meaning: "integration key incidents are sent with (routes without their own `routing_key`)",
    secret: true,
  },
  {
    env: "PAGERDUTY_EVENTS_URL",
    default: "https://events.pagerduty.com",
    accepts: "an http(s) URL such as https://events.eu.pagerduty.com",
    meaning: "PagerDuty Events API base URL (EU: https://events.eu.pagerduty.com)",
  },
  {
    env: "STATE_DIRECTORY",
    default: "unset",
    accepts: "an existing directory (systemd sets it from StateDirectory=)",
    meaning: "where undelivered incident events are kept across restarts",
  },
  {
    env: "FALLBACK_NUMBER",
    default: "unset",
    accepts: "an E.164 number such as +31201234567",
    meaning: "number answered when nobody on call is reachable (else 503 NAK)",
    secret: true,
  },
  {
    env: "REDIS_URL",
    default: "unset",
    accepts: "a redis:// or rediss:// URL",
    meaning: "shared round-robin counters and sticky callers (unset: in memory)",
    secret: true,
  },
  {
    env: "REDIS_SENTINELS",
    default: "unset",
    accepts: "a comma-separated list of host:port (not together with REDIS_URL)",
    meaning: "Redis Sentinel addresses, instead of REDIS_URL",
  },
  {
    env: "REDIS_SENTINEL_NAME",
    default: "unset",
    accepts: "1 to 64 printable characters without spaces",
    meaning: "name of the master the sentinels monitor (required with REDIS_SENTINELS)",
  },
  {
    env: "REDIS_PASSWORD",
    default: "unset",
    accepts: "the password of the Redis master",
    meaning: "password of the master found through REDIS_SENTINELS",
    secret: true,
  },
  {
    env: "REDIS_DB",
    default: "0",
    accepts: "an integer from 0 to 1000",
    meaning: "database number on the master found through REDIS_SENTINELS",
  },
  {
    env: "REDIS_KEY_PREFIX",
    default: "pagerduty-voys:",
    accepts: "1 to 64 printable characters without spaces",
    meaning: "prefix of every Redis key",
  },
  {
    env: "ALLOWED_IPS",
    default: "unset",
    accepts: "a comma-separated list of IPv4/IPv6 addresses and CIDRs",
    meaning: "only these callers may use the webhook (unset: anyone)",
  },
  {
    env: "TRUST_PROXY",
    default: "unset",
    accepts:
      "a comma-separated list of proxy IPs/CIDRs, loopback, linklocal or uniquelocal (a hop count is refused: anyone could forge X-Forwarded-For)",
    meaning: "read X-Forwarded-For from these proxies (unset: header ignored)",
  },
  {
    env: "LOG_LEVEL",
    default: "info",
    accepts: "fatal, error, warn, info, debug, trace or silent",
    meaning: "pino log level",
  },
  {
    env: "CONFIG_DIR",
    default: DEFAULT_CONFIG_DIR,
    accepts: "a directory",
    meaning: "where the seed files and config.yaml live",
  },
];
