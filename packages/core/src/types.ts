/** A person who can be called: a PagerDuty user with the phone numbers we may route to. */
export interface Responder {
  /** Stable id from the source (a PagerDuty user id); round-robin orders by it. */
  readonly id: string;
  /** Display name, for logs and the `check` command. */
  readonly name: string;
  /** Phone numbers in E.164, preferred first. May be empty: such a responder is not reachable. */
  readonly phones: readonly string[];
}

/** One stretch of time during which a responder is on call at a level of an escalation policy. */
export interface Shift {
  /** Who is on call. */
  readonly responder: Responder;
  /** The escalation policy this shift belongs to. */
  readonly policyId: string;
  /** Escalation level, 1 = first responder. */
  readonly level: number;
  /** Start of the shift; null means "since forever" (a permanent entry). */
  readonly start: Date | null;
  /** End of the shift (exclusive); null means "until further notice". */
  readonly end: Date | null;
}

/** A half-open time window `[since, until)`. */
export interface TimeWindow {
  /** First instant of the window. */
  readonly since: Date;
  /** First instant after the window. */
  readonly until: Date;
}

/** Where shifts come from (PagerDuty in production, anything in tests). */
export interface OnCallSource {
  /** Short name for logs and metrics, e.g. `pagerduty`. */
  readonly name: string;
  /**
   * Every shift of the given policies that overlaps the window. Rejects on failure; an error with a
   * numeric `retryAfterMs` property tells the roster how long the source asked us to wait. A slow
   * source may call `progress` with the shifts it has fully resolved so far (each call a superset of
   * the last), so that a roster with nothing yet can answer from them before the load ends.
   */
  shifts(
    policyIds: readonly string[],
    window: TimeWindow,
    signal: AbortSignal,
    progress?: (resolved: readonly Shift[]) => void,
  ): Promise<Shift[]>;
}

/** Which slice of the roster a route reads. */
export interface RosterSelector {
  /** Escalation policy id. */
  readonly policyId: string;
  /** Escalation level (1 = first responder). */
  readonly level: number;
}

/** Where the roster stands, for readiness, metrics and logs. */
export type RosterState =
  /** Never loaded successfully. */
  | "cold"
  /** Loaded, last success recent enough. */
  | "fresh"
  /** Loaded, but the last success is older than the staleness bound; still answering from memory. */
  | "stale"
  /** The last good roster's window ended before now: it no longer says who is on call. */
  | "expired";

/** A snapshot of the roster's health. */
export interface RosterHealth {
  /** Summary state; see {@link RosterState}. */
  readonly state: RosterState;
  /** When the last refresh succeeded, or null. */
  readonly lastSuccessAt: Date | null;
  /** When the last refresh failed, or null. */
  readonly lastFailureAt: Date | null;
  /** Code and message of the last failure (no secrets), or null once a refresh succeeds. */
  readonly lastError: { readonly code: string; readonly message: string } | null;
  /** Milliseconds since the last success, or null when never loaded. */
  readonly ageMs: number | null;
  /** End of the window the last good roster covers, or null. */
  readonly coveredUntil: Date | null;
  /** Refreshes that failed in a row. */
  readonly consecutiveFailures: number;
}

/** Answers "who is on call now" from memory and keeps itself up to date. */
export interface Roster {
  /** Short name for logs. */
  readonly name: string;
  /** Starts the background refresh loop (idempotent). */
  start(): void;
  /** Stops the loop, aborts a refresh in flight, clears every timer. */
  stop(): Promise<void>;
  /**
   * Resolves true once a first load succeeded, or false when `timeoutMs` passes first or a refresh
   * attempt fails before the first load. Never rejects.
   */
  whenLoaded(timeoutMs: number): Promise<boolean>;
  /** The deduplicated responders (by id, stable order by id) whose shift covers `now`; [] when unknown. */
  activeAt(now: Date, selector: RosterSelector): Responder[];
  /** The escalation levels of a policy that hold shifts, in ascending order (optional; hunting reads it). */
  levels?(policyId: string): number[];
  /** Every shift held in memory for a selector (for the `check` command). */
  shiftsFor(selector: RosterSelector): Shift[];
  /** Health as of `now` (defaults to the roster's clock). */
  health(now?: Date): RosterHealth;
  /** Runs one refresh now (or joins the one in flight); rejects with its error. */
  refresh(): Promise<void>;
  /**
   * Replaces the escalation policies held (reload): keeps the shifts of unchanged policies, drops
   * those of removed ones, and fetches new ones at once (a new policy answers [] until it loaded).
   */
  setPolicyIds(ids: readonly string[]): void;
}

/** What a strategy knows about the call it is routing. */
export interface PickContext {
  /** Route name, e.g. `default` or `support`; counters are kept per route. */
  readonly route: string;
  /** Caller's number as Voys sent it, when known (sticky callers). */
  readonly callerId?: string | undefined;
  /** The instant of the call. */
  readonly now: Date;
}

/** A strategy's decision. */
export interface Pick {
  /** Who gets the call. */
  readonly responder: Responder;
  /** Which of their numbers (E.164). */
  readonly phone: string;
}

/** Chooses one responder and one number among reachable candidates. */
export interface RoutingStrategy {
  /** Short name for logs and metrics, e.g. `random`, `round-robin`. */
  readonly name: string;
  /**
   * Picks among `candidates`, every one of which has at least one phone. Resolves even when
   * a shared store fails (strategies fall back to memory); rejects only on a programming error
   * such as an empty candidate list.
   */
  pick(candidates: readonly Responder[], ctx: PickContext): Promise<Pick>;
  /** Releases clients the strategy owns (optional). */
  close?(): Promise<void>;
}

/** A monotonic counter per key, the state behind round-robin. */
export interface Counter {
  /** Short name for logs and metrics, e.g. `memory`, `redis`. */
  readonly name: string;
  /** Increments the key and resolves with the new value (first call: 1). */
  increment(key: string): Promise<number>;
  /** Releases resources (optional). */
  close?(): Promise<void>;
}

/** Remembers which responder a caller reached last, with expiry (sticky callers). */
export interface StickyStore {
  /** Short name for logs and metrics. */
  readonly name: string;
  /** The responder id remembered for this key, or undefined. */
  get(key: string): Promise<string | undefined>;
  /** Remembers a responder id for `ttlMs`. */
  set(key: string, responderId: string, ttlMs: number): Promise<void>;
  /** Releases resources (optional). */
  close?(): Promise<void>;
}

/** The subset of a pino logger the core uses; pino, console-like adapters and test spies fit. */
export interface Logger {
  /** Debug detail. */
  debug(obj: object, msg?: string): void;
  /** Normal operation. */
  info(obj: object, msg?: string): void;
  /** Something degraded but handled. */
  warn(obj: object, msg?: string): void;
  /** Something failed. */
  error(obj: object, msg?: string): void;
}
