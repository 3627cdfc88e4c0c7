import { maskPhoneNumber, type OnCallSource, type Responder, type Shift } from "@pagerduty-voys/core";
import type { RouteSettings, StrategySetting, WebhookConfig } from "../config/types.js";
import { describePagerDutyError } from "./pagerduty-errors.js";

/** Inputs of runCheck. */
export interface CheckOptions {
  /** The validated configuration. */
  readonly config: WebhookConfig;
  /** Where shifts come from (the PagerDuty source). */
  readonly source: OnCallSource;
  /** The instant "now". */
  readonly now: Date;
  /** Bound on the whole fetch. */
  readonly timeoutMs: number;
}

/** The outcome of a check: an exit code and the report lines. */
export interface CheckResult {
  /** 0 when PagerDuty answered, 1 when it refused the key or could not be reached. */
  readonly code: number;
  /** Human-readable report; numbers masked, no secrets. */
  readonly lines: string[];
}

/** Fetches every route's shifts once and reports, per route and level, who is on call and who would get a call now. */
export async function runCheck(options: CheckOptions): Promise<CheckResult> {
  const { config, now } = options;
  const policies = [...new Set(config.routes.map((route) => route.policyId))];
  const window = { since: now, until: new Date(now.getTime() + config.pagerduty.lookaheadMs) };
  let shifts: Shift[];
  try {
    shifts = await options.source.shifts(policies, window, AbortSignal.timeout(options.timeoutMs));
  } catch (error) {
    return { code: 1, lines: describePagerDutyError(error, config, options.timeoutMs) };
  }
  const lines = [
    `PagerDuty: the API key works (${config.pagerduty.apiUrl}); ${shifts.length} on-call entries for ${policies.length} ${policies.length === 1 ? "policy" : "policies"}, ${stamp(window.since)} to ${stamp(window.until)}`,
  ];
  let unanswered = 0;
  for (const route of config.routes) {
    const report = routeReport(route, shifts, now);
    if (!report.answered) unanswered += 1;
    lines.push("", ...report.lines);
  }
  lines.push(
    "",
    unanswered === 0
      ? `OK: every route (${config.routes.length}) would answer a call now.`
      : `OK, with a warning: ${unanswered} of ${config.routes.length} routes would answer a call now with 503 status=NAK.`,
  );
  return { code: 0, lines };
}

interface LevelEntry {
  responder: Responder;
  onNow: boolean;
  nextStart: Date | null;
}

function covers(shift: Shift, now: Date): boolean {
  return (shift.start === null || shift.start <= now) && (shift.end === null || now < shift.end);
}

function levelsOf(shifts: readonly Shift[], now: Date): Map<number, Map<string, LevelEntry>> {
  const levels = new Map<number, Map<string, LevelEntry>>();
  for (const shift of shifts) {
    const level = levels.get(shift.level) ?? new Map<string, LevelEntry>();
    levels.set(shift.level, level);
    const entry = level.get(shift.responder.id) ?? {
      responder: shift.responder,
      onNow: false,
      nextStart: null,
    };
    if (covers(shift, now)) entry.onNow = true;
    else if (
      shift.start !== null &&
      shift.start > now &&
      (entry.nextStart === null || shift.start < entry.nextStart)
    ) {
      entry.nextStart = shift.start;
    }
    level.set(shift.responder.id, entry);
  }
  return levels;
}

function routeReport(
  route: RouteSettings,
  allShifts: readonly Shift[],
  now: Date,
): { answered: boolean; lines: string[] } {
  const shifts = allShifts.filter((shift) => shift.policyId === route.policyId);
  const levels = levelsOf(shifts, now);
  const lines = [...routeHeader(route)];
  if (shifts.length === 0) {
    lines.push(
      `  no on-call entries for ${route.policyId} in this window: is the escalation policy id right?`,
    );
  }
  for (const level of [...levels.keys()].sort((a, b) => a - b)) {
    lines.push(`  level ${level}${level === route.level ? " (this route)" : ""}:`);
    const entries = [...(levels.get(level)?.values() ?? [])].sort((a, b) =>
      a.responder.id.localeCompare(b.responder.id),
    );
    for (const entry of entries) lines.push(`    ${responderLine(entry)}`);
  }
  const verdict = nowVerdict(route, levels);
  lines.push(`  now: ${verdict.text}`);
  return { answered: verdict.answered, lines };
}

function routeHeader(route: RouteSettings): string[] {
  const served =
    route.name === "default" ? "/voys-webhook and /voys-webhook/default" : `/voys-webhook/${route.name}`;
  const dids =
    route.dids.length === 0
      ? ""
      : `; calls to ${route.dids.map(maskPhoneNumber).join(", ")} on /voys-webhook`;
  const fallback = route.fallbackNumber === undefined ? "none" : maskPhoneNumber(route.fallbackNumber);
  const sticky = route.stickyMinutes === undefined ? "off" : `${route.stickyMinutes} min`;
  const codes = route.codes.length === 0 ? "" : `; IVR codes ${route.codes.join(", ")}`;
  return [
    `Route ${route.name} (${route.origin === "env" ? "PAGERDUTY_ESCALATION_POLICY_ID" : "config.yaml"}): ${served}${dids}${codes}`,
    `  policy ${route.policyId}, level ${route.level}, strategy ${strategyText(route.strategy)}, fallback ${fallback}, sticky callers ${sticky}`,
    `  hunting ${route.huntSeconds === undefined ? "off" : `on (a repeat call within ${route.huntSeconds} s reaches someone not yet tried)`}; incidents ${incidentsText(route)}`,
  ];
}

/** A strategy for the report: its name, or `module <path>`. */
function strategyText(strategy: StrategySetting): string {
  return typeof strategy === "string" ? strategy : `module ${strategy.module}`;
}

function incidentsText(route: RouteSettings): string {
  if (route.incidents === "off") return "off";
  const what = route.incidents === "missed" ? "missed calls" : "every call";
  const key = route.routingKey;
  if (key === undefined) return `${route.incidents} (${what}) but NO routing key`;
  const from = route.routingKeyFrom === "route" ? "the route's routing_key" : "PAGERDUTY_ROUTING_KEY";
  const shape = /^[A-Za-z0-9]{32}$/.test(key)
    ? "a 32-character integration key"
    : "NOT a 32-character integration key";
  return `${route.incidents} (an incident for ${what}; key ••••${key.slice(-4)} from ${from}, ${shape})`;
}

function responderLine(entry: LevelEntry): string {
  const when = entry.onNow
    ? "on call now"
    : entry.nextStart === null
      ? "not on call now"
      : `on call from ${stamp(entry.nextStart)}`;
  const phones =
    entry.responder.phones.length === 0
      ? "no usable phone number"
      : entry.responder.phones.map(maskPhoneNumber).join(", ");
  return `${entry.responder.name} (${entry.responder.id}): ${when}; ${phones}`;
}

function nowVerdict(
  route: RouteSettings,
  levels: Map<number, Map<string, LevelEntry>>,
): { answered: boolean; text: string } {
  const active = [...(levels.get(route.level)?.values() ?? [])]
    .filter((entry) => entry.onNow)
    .sort((a, b) => a.responder.id.localeCompare(b.responder.id));
  const reachable = active
    .filter((entry) => entry.responder.phones.length > 0)
    .map((entry) => entry.responder.name);
  if (reachable.length > 0) {
    const who = reachable.length === 1 ? reachable[0] : `one of ${reachable.join(", ")}`;
    return { answered: true, text: `a call would go to ${who} (${strategyText(route.strategy)})` };
  }
  const why =
    active.length === 0
      ? `nobody is on call at level ${route.level} of ${route.policyId}${otherLevels(levels, route.level)}`
      : `${active.map((entry) => entry.responder.name).join(", ")} ${active.length === 1 ? "is" : "are"} on call at level ${route.level} but ${active.length === 1 ? "has" : "have"} no usable phone number (a phone contact method, not blacklisted or disabled)`;
  if (route.fallbackNumber !== undefined) {
    return {
      answered: true,
      text: `nobody would get a call: ${why}; the fallback ${maskPhoneNumber(route.fallbackNumber)} would be used`,
    };
  }
  return {
    answered: false,
    text: `nobody would get a call: ${why}; callers would get 503 status=NAK (no fallback: set FALLBACK_NUMBER or fallback_number)`,
  };
}

function otherLevels(levels: Map<number, Map<string, LevelEntry>>, level: number): string {
  const others = [...levels.entries()]
    .filter(([other, entries]) => other !== level && [...entries.values()].some((entry) => entry.onNow))
    .map(([other]) => other)
    .sort((a, b) => a - b);
  return others.length === 0 ? "" : ` (someone is on call now at level ${others.join(", ")})`;
}

/** An instant as `2026-08-01T09:00:00Z`. */
function stamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
