import type { OnCallSource, RoutingStrategy } from "@pagerduty-voys/core";

/** One dial plan: which escalation policy and level answer calls on `/voys-webhook/<name>`. */
export interface RouteConfig {
  /** Name in the URL, logs and metrics (letters, digits, `-`, `_`, `.`). `default` also serves plain `/voys-webhook`. */
  name: string;
  /** PagerDuty escalation policy id, e.g. `PABC123`. */
  policyId: string;
  /** Escalation level (default 1). */
  level?: number;
  /** Strategy name or a ready strategy object (default: `routingStrategy`). */
  strategy?: "random" | "round-robin" | RoutingStrategy;
  /** Options handed to a strategy module's factory (`strategy_options`). */
  strategyOptions?: Readonly<Record<string, unknown>>;
  /** E.164 number answered when nobody is reachable (default: 503 `status=NAK`). */
  fallbackNumber?: string;
  /** Called numbers (Voys `{did}`) that select this route on plain `/voys-webhook`. */
  dids?: string[];
  /** Send a returning caller to the responder they reached last, for this many minutes. */
  stickyMinutes?: number;
  /** IVR codes (Voys `{code}`, digits, `*`, `#`) that select this route on plain `/voys-webhook`. */
  codes?: readonly string[];
  /** A caller who calls again within this many seconds reaches someone not yet tried (1–86400). */
  huntSeconds?: number;
  /** PagerDuty incidents through the Events API v2 (default `off`). */
  incidents?: "off" | "missed" | "all";
  /** Events API v2 integration key (32 characters) of this route's incidents. */
  routingKey?: string;
}

/** A strategy module named in configuration (the contract's `{ module, setting }` strategy form). */
export interface StrategyModuleRef {
  /** Absolute path of the ES module (`.mjs` or `.js`). */
  module: string;
  /** The setting that named it, for errors (`routes[2].strategy`, `ROUTING_STRATEGY`). */
  setting: string;
}

/** Options of `buildServer`. */
export interface BuildServerOptions {
  /** The shared secret Voys sends as `secret_key`. */
  secretKey: string;
  /** The PagerDuty REST API (ignored for shifts when `source` is given). */
  pagerduty: {
    /** API token (read-only is enough). */
    apiKey: string;
    /** Base URL (default `https://api.pagerduty.com`). */
    apiUrl?: string;
    /** Timeout of each request (default 5000 ms). */
    requestTimeoutMs?: number;
    /** How long user details are cached (default 300000 ms). */
    userCacheTtlMs?: number;
    /** Users fetched in parallel (default 4). */
    userConcurrency?: number;
  };
  /** The in-memory roster. */
  roster?: {
    /** Background refresh interval (default 60000 ms). */
    refreshIntervalMs?: number;
    /** How far ahead shifts are loaded (default 24 h). */
    lookaheadMs?: number;
    /** Age after which the roster counts as stale (default 300000 ms). */
    staleAfterMs?: number;
    /** Bound of one whole refresh (default 30000 ms). */
    refreshTimeoutMs?: number;
  };
  /** The routes; a route named `default` serves plain `/voys-webhook` when no DID matches. */
  routes: RouteConfig[];
  /** Strategy of routes without one (default `random`). */
  routingStrategy?: "random" | "round-robin";
  /** Share round-robin counters and sticky callers through Redis. */
  redis?: {
    /** `redis://` or `rediss://` URL, password and db included (or `sentinels`, never both). */
    url: string;
    /** Redis Sentinel addresses; with `sentinelName`. */
    sentinels?: readonly { host: string; port: number }[];
    /** Name of the master the sentinels monitor. */
    sentinelName?: string;
    /** Password of the master (with sentinels). */
    password?: string;
    /** Database number (with sentinels). */
    db?: number;
    /** Key prefix (default `pagerduty-voys:`). */
    keyPrefix?: string;
    /** Command timeout before falling back to memory (default 250 ms). */
    commandTimeoutMs?: number;
  };
  /** IPs and CIDRs (IPv4, IPv6) allowed to call the webhook; unset: anyone. */
  allowedIps?: string[];
  /**
   * Trusted proxies: IPs, CIDRs and `loopback`/`linklocal`/`uniquelocal`; unset: `X-Forwarded-For`
   * ignored. A hop count (number) fails validation: anyone reaching the port could forge the header.
   */
  trustProxy?: number | string[];
  /** PagerDuty Events API v2 (incidents). */
  events?: {
    /** Base URL (default `https://events.pagerduty.com`); events go to `<url>/v2/enqueue`. */
    url?: string;
    /** Where undelivered events are kept across restarts (systemd `StateDirectory=`). */
    stateDirectory?: string;
  };
  /** Longest wait of a call for the first roster load (default 2000 ms). */
  coldStartWaitMs?: number;
  /** pino level (default `info`). */
  logLevel?: string;
  /** Where the JSON logs go (default stdout). */
  logStream?: NodeJS.WritableStream;
  /** Replaces the PagerDuty source (library users, tests). */
  source?: OnCallSource;
  /** Clock (default `() => new Date()`). */
  now?: () => Date;
  /** Random source of the `random` strategy (default `Math.random`). */
  random?: () => number;
}
