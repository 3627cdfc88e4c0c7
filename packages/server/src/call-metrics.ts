import { Counter, Histogram, type Registry } from "prom-client";
import type { CallOutcome } from "./metrics.js";

/** Upper bounds (seconds) of the call latency histogram's buckets. */
const LATENCY_BUCKETS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

/** The calls of one route that ended one way: how many, their total latency, how many per bucket. */
interface CallSeries {
  readonly route: string;
  readonly outcome: CallOutcome;
  count: number;
  sum: number;
  /** Calls per latency bucket, not cumulative; the last entry counts those above every bound. */
  readonly perBucket: number[];
}

// The index of the first bucket that holds `seconds` (the last one when above every bound).
function bucketOf(seconds: number): number {
  const index = LATENCY_BUCKETS.findIndex((bound) => seconds <= bound);
  return index === -1 ? LATENCY_BUCKETS.length : index;
}

/**
 * The webhook call series, counted in plain numbers: prom-client's `observe`/`inc` validate and hash
 * the labels of every call, which cost more than the rest of the bookkeeping of a call. The two
 * metrics below render these numbers at each scrape instead.
 */
class CallSeriesTable {
  readonly #byRoute = new Map<string, Map<CallOutcome, CallSeries>>();

  /** The series of `route` and `outcome`, created at zero. */
  seriesOf(route: string, outcome: CallOutcome): CallSeries {
    let byOutcome = this.#byRoute.get(route);
    if (byOutcome === undefined) {
      byOutcome = new Map();
      this.#byRoute.set(route, byOutcome);
    }
    let series = byOutcome.get(outcome);
    if (series === undefined) {
      series = { route, outcome, count: 0, sum: 0, perBucket: new Array(LATENCY_BUCKETS.length + 1).fill(0) };
      byOutcome.set(outcome, series);
    }
    return series;
  }

  record(route: string, outcome: CallOutcome, seconds: number): void {
    const series = this.seriesOf(route, outcome);
    series.count += 1;
    series.sum += seconds;
    (series.perBucket[bucketOf(seconds)] as number) += 1;
  }

  *all(): IterableIterator<CallSeries> {
    for (const byOutcome of this.#byRoute.values()) yield* byOutcome.values();
  }
}

type CallLabel = "route" | "outcome";

// `pagerduty_voys_webhook_requests_total`: every series, zero ones included (see declareRoutes).
class CallCounter extends Counter<CallLabel> {
  constructor(
    registry: Registry,
    private readonly table: CallSeriesTable,
  ) {
    // No label names: prom-client checks them only in inc(), which nothing calls here.
    super({
      name: "pagerduty_voys_webhook_requests_total",
      help: "Webhook calls by route and outcome (ack, fallback, nak, unauthorised, forbidden, not_found).",
      registers: [registry],
    });
  }

  override async get() {
    const base = await super.get();
    const values = [];
    for (const { route, outcome, count } of this.table.all())
      values.push({ labels: { route, outcome }, value: count });
    return { ...base, values };
  }
}

const LATENCY = {
  name: "pagerduty_voys_webhook_request_duration_seconds",
  help: "Time to answer a webhook call, by route and outcome.",
};

// `pagerduty_voys_webhook_request_duration_seconds`: the series that have seen a call, rendered as
// prom-client renders a histogram (cumulative buckets, `+Inf`, `_sum`, `_count`).
class CallLatencyHistogram extends Histogram<CallLabel> {
  constructor(
    registry: Registry,
    private readonly table: CallSeriesTable,
  ) {
    // Neither label names nor buckets: prom-client uses them only in observe(), which nothing calls here.
    super({ ...LATENCY, registers: [registry] });
  }

  // prom-client renders a histogram, as text and as JSON (through `get`), from this method, which
  // its typings leave out; its own version reads a label hash table that stays empty here.
  async getForPromString() {
    const [bucket, sum, count] = ["_bucket", "_sum", "_count"].map((part) => `${LATENCY.name}${part}`);
    const values = [];
    for (const series of this.table.all()) {
      if (series.count === 0) continue;
      const labels = { route: series.route, outcome: series.outcome };
      let cumulative = 0;
      for (const [index, le] of [...LATENCY_BUCKETS, "+Inf"].entries()) {
        cumulative += series.perBucket[index] as number;
        values.push({ labels: { le }, sharedLabels: labels, value: cumulative, metricName: bucket });
      }
      values.push({ labels: {}, sharedLabels: labels, value: series.sum, metricName: sum });
      values.push({ labels: {}, sharedLabels: labels, value: series.count, metricName: count });
    }
    return { ...LATENCY, type: "histogram", values, aggregator: "sum" };
  }
}

/** The webhook call metrics (count and latency by route and outcome) on `registry`. */
export interface CallMetrics {
  /** Counts one call and its latency. */
  record(route: string, outcome: CallOutcome, seconds: number): void;
  /** Creates the zero count of `outcome` on `route`, so that dashboards see the series at once. */
  declare(route: string, outcome: CallOutcome): void;
}

/** Registers the call count and latency metrics on `registry`; both read one table of plain numbers. */
export function createCallMetrics(registry: Registry): CallMetrics {
  const table = new CallSeriesTable();
  new CallCounter(registry, table);
  new CallLatencyHistogram(registry, table);
  return {
    record: (route, outcome, seconds) => table.record(route, outcome, seconds),
    declare: (route, outcome) => {
      table.seriesOf(route, outcome);
    },
  };
}
