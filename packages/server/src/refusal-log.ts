import { realTimers, type Timers } from "@pagerduty-voys/core";
import { networkOf } from "./client-address.js";

/** Why a request was refused, as counted in `pagerduty_voys_refused_requests_total` and the summaries. */
export type RefusalReason =
  | "secret_missing"
  | "secret_wrong"
  | "secret_repeated"
  | "forbidden"
  | "not_found"
  | "bad_request"
  | "client_error";

/** Default interval between two summary lines. */
const REFUSAL_SUMMARY_INTERVAL_MS = 10_000;
/** Networks named in one summary line (the busiest first); the rest are only counted. */
const REFUSAL_SUMMARY_TOP_NETWORKS = 5;
/** Distinct networks tracked per interval; refusals from further networks count in `otherNetworks` only. */
const MAX_TRACKED_NETWORKS = 1_024;

/** Counts refusals one by one and logs them in summary: at most one line per interval. */
export interface RefusalLog {
  /** Counts one refusal (in the metrics at once, in the next summary line). */
  record(reason: RefusalReason, address: string | undefined): void;
  /** Writes the pending summary now, if any. */
  flush(): void;
  /** Writes the pending summary and stops the timer; later refusals are only counted in the metrics. */
  close(): void;
}

/** Options of {@link createRefusalLog}. */
export interface RefusalLogOptions {
  /** Where the summary lines go (at `warn`). */
  readonly log: { warn(obj: object, msg?: string): void };
  /** Timers for the interval (default Node's, unref'd). */
  readonly timers?: Timers | undefined;
  /** Interval between two summary lines (default 10 s). */
  readonly intervalMs?: number | undefined;
  /** Networks named per line (default 5). */
  readonly topNetworks?: number | undefined;
  /** Called for every refusal (the metrics counter). */
  readonly onRefusal?: ((reason: RefusalReason) => void) | undefined;
}

/** The summary object of one interval, as logged under `refusals`. */
interface RefusalSummary {
  /** Refusals in the interval. */
  readonly total: number;
  /** Length of the interval in seconds. */
  readonly intervalS: number;
  /** Refusals by reason. */
  readonly reasons: Partial<Record<RefusalReason, number>>;
  /** The busiest client networks (`/24` for IPv4, `/48` for IPv6), busiest first. */
  readonly networks: readonly { readonly network: string; readonly count: number }[];
  /** Refusals from networks not named in `networks`. */
  readonly otherNetworks: number;
}

/**
 * Creates the refusal log. The first refusal of a quiet period starts the interval; when it ends,
 * one `warn` line "requests refused" says how many, why, and from which networks (never a raw
 * address, path or value from the request). A flood of any size thus writes one line per interval.
 */
export function createRefusalLog(options: RefusalLogOptions): RefusalLog {
  const timers = options.timers ?? realTimers;
  const intervalMs = options.intervalMs ?? REFUSAL_SUMMARY_INTERVAL_MS;
  const top = options.topNetworks ?? REFUSAL_SUMMARY_TOP_NETWORKS;
  let total = 0;
  let reasons = new Map<RefusalReason, number>();
  let networks = new Map<string, number>();
  let timer: unknown;
  let closed = false;

  const summary = (): RefusalSummary => {
    const busiest = [...networks.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const named = busiest.slice(0, top).map(([network, count]) => ({ network, count }));
    return {
      total,
      intervalS: intervalMs / 1000,
      reasons: Object.fromEntries(reasons),
      networks: named,
      otherNetworks: total - named.reduce((sum, entry) => sum + entry.count, 0),
    };
  };
  const flush = (): void => {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
    if (total === 0) return;
    const refusals = summary();
    total = 0;
    reasons = new Map();
    networks = new Map();
    options.log.warn(
      { event: "requests-refused", refusals },
      `refused ${refusals.total} request${refusals.total === 1 ? "" : "s"} in the last ${refusals.intervalS} s`,
    );
  };
  return {
    record(reason, address) {
      options.onRefusal?.(reason);
      if (closed) return;
      total++;
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      const network = networkOf(address);
      const seen = networks.get(network);
      if (seen !== undefined) networks.set(network, seen + 1);
      else if (networks.size < MAX_TRACKED_NETWORKS) networks.set(network, 1);
      if (timer === undefined) {
        timer = timers.setTimeout(flush, intervalMs);
        (timer as { unref?: () => void } | null)?.unref?.();
      }
    },
    flush,
    close() {
      closed = true;
      flush();
    },
  };
}
