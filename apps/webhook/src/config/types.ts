/** The built-in strategy names (the server's list). */
export type StrategyName = string;

/** A strategy as configured: a built-in name, or a module (absolute path) and the setting that named it. */
export type StrategySetting = StrategyName | { readonly module: string; readonly setting: string };

/** One route with every default applied. */
export interface RouteSettings {
  /** URL-safe name; `default` serves plain /voys-webhook when no DID or code matches. */
  readonly name: string;
  /** PagerDuty escalation policy id. */
  readonly policyId: string;
  /** Escalation level called (1 = first responder). */
  readonly level: number;
  /** Routing strategy. */
  readonly strategy: StrategySetting;
  /** Options handed to a strategy module, or undefined. */
  readonly strategyOptions: Readonly<Record<string, unknown>> | undefined;
  /** Number answered when nobody is reachable, or undefined (503 NAK). */
  readonly fallbackNumber: string | undefined;
  /** Called numbers (E.164) that select this route on plain /voys-webhook. */
  readonly dids: readonly string[];
  /** IVR codes that select this route on plain /voys-webhook. */
  readonly codes: readonly string[];
  /** Sticky callers window in minutes, or undefined (off). */
  readonly stickyMinutes: number | undefined;
  /** Hunting window in seconds, or undefined (off). */
  readonly huntSeconds: number | undefined;
  /** PagerDuty incidents for this route's calls. */
  readonly incidents: "off" | "missed" | "all";
  /** Effective Events API routing key (the route's own, else PAGERDUTY_ROUTING_KEY), or undefined. */
  readonly routingKey: string | undefined;
  /** Where the routing key came from, or undefined when there is none. */
  readonly routingKeyFrom: "route" | "PAGERDUTY_ROUTING_KEY" | undefined;
  /** Where the route was defined: `env` (PAGERDUTY_ESCALATION_POLICY_ID or its file) or `config.yaml`. */
  readonly origin: "env" | "config.yaml";
}

/** Where a setting's value came from. */
export type SettingOrigin = "env" | "file" | "default";

/** The validated, frozen configuration of the webhook app. */
export interface WebhookConfig {
  /** Secret expected in `secret_key`; a list when several are configured (rotation). */
  readonly secretKey: string | readonly string[];
  /** PagerDuty access and refresh timing. */
  readonly pagerduty: {
    readonly apiKey: string;
    readonly apiUrl: string;
    readonly requestTimeoutMs: number;
    readonly userCacheTtlMs: number;
    readonly refreshIntervalMs: number;
    readonly lookaheadMs: number;
    readonly staleAfterMs: number;
  };
  /** PagerDuty Events API (incidents). */
  readonly events: { readonly url: string; readonly stateDirectory: string | undefined };
  /** Where to listen. */
  readonly listen: { readonly host: string; readonly port: number; readonly hostIsDefault: boolean };
  /** Default strategy of routes that name none. */
  readonly routingStrategy: StrategySetting;
  /** Every route, the env-defined `default` route first. */
  readonly routes: readonly RouteSettings[];
  /** Shared state in Redis (URL or sentinels), or undefined (memory). */
  readonly redis:
    | {
        readonly url: string | undefined;
        readonly sentinels: readonly { readonly host: string; readonly port: number }[] | undefined;
        readonly sentinelName: string | undefined;
        readonly password: string | undefined;
        readonly db: number | undefined;
        readonly keyPrefix: string;
      }
    | undefined;
  /** Caller allowlist (IPs and CIDRs), or undefined (anyone). */
  readonly allowedIps: readonly string[] | undefined;
  /** Trusted proxies (IPs, CIDRs, range names), or undefined (X-Forwarded-For ignored). */
  readonly trustProxy: readonly string[] | undefined;
  /** pino log level. */
  readonly logLevel: string;
  /** How long a call waits for the first roster load. */
  readonly coldStartWaitMs: number;
  /** Where seed files and config.yaml were looked for. */
  readonly configDir: string;
  /** Where each secret/seed setting came from (for `check`), by variable name. */
  readonly origins: Readonly<Record<string, SettingOrigin>>;
}

/** loadConfig's answer: a frozen config and warnings, or every problem found. */
export type LoadConfigResult =
  | { readonly ok: true; readonly config: WebhookConfig; readonly warnings: string[] }
  | { readonly ok: false; readonly errors: string[] };

/** Inputs of loadConfig. */
export interface LoadConfigOptions {
  /** Environment variables (usually `process.env`); empty values count as unset. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Overrides CONFIG_DIR (and its default). */
  readonly configDir?: string;
}
