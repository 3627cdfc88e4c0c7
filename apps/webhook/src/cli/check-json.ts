import { maskPhoneNumber, type OnCallSource, type Shift } from "@pagerduty-voys/core";
import type { WebhookConfig } from "../config/types.js";

/** A source that remembers the shifts it returned last, so `check --json` can show them per route. */
export function recordingSource(source: OnCallSource): {
  source: OnCallSource;
  shifts: () => readonly Shift[];
} {
  let last: readonly Shift[] = [];
  return {
    source: {
      name: source.name,
      shifts: async (policyIds, window, signal) => {
        const shifts = await source.shifts(policyIds, window, signal);
        last = shifts;
        return shifts;
      },
    },
    shifts: () => last,
  };
}

/** What `check --json` renders: the exit code, the problems, and what the text report says. */
export interface CheckJsonInput {
  /** The exit code of `check`. */
  readonly code: number;
  /** The validated configuration, when it was valid. */
  readonly config?: WebhookConfig;
  /** The shifts PagerDuty returned (empty when it was not asked or failed). */
  readonly shifts: readonly Shift[];
  /** The instant of the check. */
  readonly now: Date;
  /** Configuration problems (exit 2), one `path: message` each. */
  readonly errors: readonly string[];
  /** Configuration warnings. */
  readonly warnings: readonly string[];
  /** The lines the text report prints (numbers masked, no secrets). */
  readonly report: readonly string[];
}

/** `check --json`: one JSON document per run; phone numbers masked, no secrets, stable keys. */
export function renderCheckJson(input: CheckJsonInput): string {
  const { config, now } = input;
  const pagerDutyAnswered = config !== undefined && input.code === 0;
  const routes = (config?.routes ?? []).map((route) => {
    const onCallNow = pagerDutyAnswered
      ? uniqueResponders(
          input.shifts.filter(
            (s) =>
              s.policyId === route.policyId &&
              s.level === route.level &&
              (s.start === null || s.start <= now) &&
              (s.end === null || now < s.end),
          ),
        )
      : [];
    const reachable = onCallNow.some((responder) => responder.phones.length > 0);
    const fallback = route.fallbackNumber === undefined ? null : maskPhoneNumber(route.fallbackNumber);
    return {
      name: route.name,
      policyId: route.policyId,
      level: route.level,
      strategy: route.strategy,
      fallback,
      onCallNow,
      answer: !pagerDutyAnswered ? null : reachable ? "responder" : fallback !== null ? "fallback" : "nak",
    };
  });
  const document = {
    ok: input.code === 0,
    exitCode: input.code,
    checkedAt: now.toISOString(),
    errors: input.errors,
    warnings: input.warnings,
    routes,
    report: input.report,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function uniqueResponders(shifts: readonly Shift[]): { id: string; name: string; phones: string[] }[] {
  const byId = new Map<string, { id: string; name: string; phones: string[] }>();
  for (const { responder } of shifts) {
    byId.set(responder.id, {
      id: responder.id,
      name: responder.name,
      phones: responder.phones.map(maskPhoneNumber),
    });
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}
