import type { OnCallSource, RoutingStrategy, Timers } from "@pagerduty-voys/core";
import type { EventAttempt } from "./incidents/event-sender-types.js";

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
    /** `redis://` or `rediss://` URL, password and db included. */
    url: string;
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
  /** Trusted proxies: a hop count or a list of IPs/CIDRs; unset: `X-Forwarded-For` ignored. */
  trustProxy?: number | string[];
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
  /** Timers (core's `Timers`; default Node's): event retries, hunts' Redis bound. */
  timers?: Timers;
}
