import type { OnCallSource, RoutingStrategy, Timers } from "@pagerduty-voys/core";
import type { EventAttempt } from "./incidents/event-sender-types.js";

/** A strategy module named in configuration: the file, and the setting to name in errors. */
export interface StrategyModuleRef {
  /** Absolute path of the ES module (`.mjs`/`.js`); its default export or `createStrategy` is the factory. */
  module: string;
  /** The configuration path of the setting, for errors, e.g. `routes[2].strategy` or `ROUTING_STRATEGY`. */
  setting: string;
}

/** A strategy by name, a ready strategy object, or a module to load at start-up. */
export type StrategyChoice = "random" | "round-robin" | "least-recent" | RoutingStrategy | StrategyModuleRef;

/** One dial plan: which escalation policy and level answer calls on `/voys-webhook/<name>`. */
export interface RouteConfig {
  /** Name in the URL, logs and metrics (letters, digits, `-`, `_`, `.`). `default` also serves plain `/voys-webhook`. */
  name: string;
  /** PagerDuty escalation policy id, e.g. `PABC123`. */
  policyId: string;
  /** Escalation level (default 1). */
  level?: number;
  /** Strategy name, a ready strategy object, or a module (default: `routingStrategy`). */
  strategy?: StrategyChoice;
  /** Handed to a strategy module's factory as `context.options` (`strategy_options`); default `{}`. */
  strategyOptions?: Readonly<Record<string, unknown>>;
  /** E.164 number answered when nobody is reachable (default: 503 `status=NAK`). */
  fallbackNumber?: string;
  /** Called numbers (Voys `{did}`) that select this route on plain `/voys-webhook`. */
  dids?: string[];
  /** IVR codes (Voys `{code}`: digits, `*`, `#`, 1–20 characters) that select this route on plain `/voys-webhook`. */
  codes?: readonly string[];
  /** Send a returning caller to the responder they reached last, for this many minutes. */
  stickyMinutes?: number;
  /** A caller who calls again within this many seconds (1–86400) reaches someone not yet tried (hunting); unset: off. */
  huntSeconds?: number;
  /** PagerDuty events for calls: `off` (default), `missed` (503 NAK or fallback) or `all` (routed calls too). */
  incidents?: "off" | "missed" | "all";
  /** The 32-character Events API v2 integration key events of this route are sent with (config falls back to the global one). */
  routingKey?: string;
}

/** Options of `buildServer`. */
export interface BuildServerOptions {
  /** The shared secret Voys sends as `secret_key`; several (rotation): each accepted, all compared in constant time. */
  secretKey: string | readonly string[];
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
  routingStrategy?: StrategyChoice;
  /** Share round-robin counters, least-recent order, sticky callers and strategy stores through Redis. */
  redis?: {
    /** `redis://` or `rediss://` URL, password and db included. Not together with `sentinels`. */
    url?: string;
    /** Redis Sentinel instead of `url` (`REDIS_SENTINELS`): the client follows a failover by itself. */
    sentinels?: readonly { host: string; port: number }[];
    /** The monitored master's name (`REDIS_SENTINEL_NAME`); required with `sentinels`. */
    sentinelName?: string;
    /** Password of the master (`REDIS_PASSWORD`). */
    password?: string;
    /** Database number (`REDIS_DB`). */
    db?: number;
    /** Key prefix (default `pagerduty-voys:`). */
    keyPrefix?: string;
    /** Command timeout before falling back to memory (default 250 ms). */
    commandTimeoutMs?: number;
  };
  /** Where incidents go (PagerDuty Events API v2) and where undelivered events are kept. */
  events?: {
    /** Base URL; events are POSTed to `<url>/v2/enqueue` (default `https://events.pagerduty.com`). */
    url?: string;
    /** Directory (systemd `StateDirectory=`) holding each event until PagerDuty accepted it; unset: memory only. */
    stateDirectory?: string;
    /** Bound of one send (default 5000 ms). */
    requestTimeoutMs?: number;
    /** Most events waiting to be sent; more are dropped and counted (default 1000). */
    queueSize?: number;
    /** Called after every send attempt settles (monitoring, tests). */
    onAttempt?: (attempt: EventAttempt) => void;
  };
  /** IPs and CIDRs (IPv4, IPv6) allowed to call the webhook; unset: anyone. */
  allowedIps?: string[];
  /**
   * Trusted proxies: IPs, CIDRs, `loopback`, `linklocal`, `uniquelocal` (no hop count); unset:
   * `X-Forwarded-For` ignored. An entry that is not an IP address is never taken as the client.
   */
  trustProxy?: readonly string[];
  /** Timers of the roster, log summaries, event retries and the pick guard (tests pass a manual clock's; default Node's). */
  timers?: Timers;
  /**
   * After `close()` begins, how long kept-alive connections are still served (each answer with
   * `Connection: close`) before idle ones are closed (default 1000 ms; the whole close stays < 5 s).
   */
  shutdownDrainMs?: number;
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
