import { type Answer, invalidInput, json, type RouteContext } from "./fake-answer.js";
import { renderOnCall, renderUser, userReference } from "./fake-render.js";
import type { StoredOnCall } from "./fake-scenario.js";

const DAY_MS = 86_400_000;

interface Paging {
  readonly limit: number;
  readonly offset: number;
}

interface Range {
  readonly since: Date;
  readonly until: Date;
}

/**
 * `GET /oncalls`: filters (`escalation_policy_ids[]`, `user_ids[]`, `schedule_ids[]` where `null`
 * means direct targets), overlap with `since`..`until` (both default to now), `earliest`, sorted by
 * level, classic paging (limit default 25, at most 100; offset + limit ≤ 10000; total only when
 * `total=true`), `include[]=users`.
 */
export function listOnCalls(query: URLSearchParams, ctx: RouteContext): Answer {
  const paging = parsePaging(query);
  if (typeof paging === "string") return invalidInput(paging);
  const range = parseRange(query, ctx.now);
  if (typeof range === "string") return invalidInput(range);
  let entries = ctx.scenario.oncalls.filter(
    (entry) => matchesFilters(entry, query) && overlaps(entry, range),
  );
  if (query.get("earliest") === "true") entries = earliestOnly(entries);
  // Array#sort is stable: within a level, scenario order.
  const sorted = [...entries].sort((a, b) => a.level - b.level);
  const withUsers = query.getAll("include[]").includes("users");
  const page = sorted.slice(paging.offset, paging.offset + paging.limit).map((entry) => {
    const user = ctx.scenario.users.get(entry.userId);
    const rendered =
      withUsers && user ? renderUser(ctx.base, user, new Set()) : userReference(ctx.base, entry.userId, user);
    return renderOnCall(ctx.base, entry, rendered);
  });
  return json(200, {
    oncalls: page,
    limit: paging.limit,
    offset: paging.offset,
    more: paging.offset + paging.limit < sorted.length,
    total: query.get("total") === "true" ? sorted.length : null,
  });
}

function parsePaging(query: URLSearchParams): Paging | string {
  const limitText = query.get("limit");
  const offsetText = query.get("offset");
  if (limitText !== null && !/^\d+$/.test(limitText)) return "limit must be a positive integer";
  if (offsetText !== null && !/^\d+$/.test(offsetText)) return "offset must be a non-negative integer";
  const limit = limitText === null ? 25 : Math.min(Number(limitText), 100);
  const offset = offsetText === null ? 0 : Number(offsetText);
  if (limit < 1) return "limit must be a positive integer";
  if (offset + limit > 10_000) return "offset + limit must not exceed 10000";
  return { limit, offset };
}

function parseRange(query: URLSearchParams, now: Date): Range | string {
  const since = query.has("since") ? new Date(query.get("since") as string) : now;
  const until = query.has("until") ? new Date(query.get("until") as string) : now;
  if (Number.isNaN(since.getTime())) return "since is not a valid date-time";
  if (Number.isNaN(until.getTime())) return "until is not a valid date-time";
  if (until < since) return "until must not be before since";
  if (until.getTime() - since.getTime() > 90 * DAY_MS)
    return "the range from since to until is limited to 90 days";
  return { since, until };
}

function matchesFilters(entry: StoredOnCall, query: URLSearchParams): boolean {
  const policies = query.getAll("escalation_policy_ids[]");
  const users = query.getAll("user_ids[]");
  const schedules = query.getAll("schedule_ids[]");
  if (policies.length > 0 && !policies.includes(entry.policyId)) return false;
  if (users.length > 0 && !users.includes(entry.userId)) return false;
  return schedules.length === 0 || schedules.includes(entry.scheduleId ?? "null");
}

// An entry overlaps [since, until) when it starts before until and ends after since; a range of
// zero length (since = until, the default "now") asks who covers that instant.
function overlaps(entry: StoredOnCall, range: Range): boolean {
  const until = Math.max(range.until.getTime(), range.since.getTime() + 1);
  const startsBefore = entry.start === null || entry.start.getTime() < until;
  const endsAfter = entry.end === null || entry.end.getTime() > range.since.getTime();
  return startsBefore && endsAfter;
}

function earliestOnly(entries: readonly StoredOnCall[]): StoredOnCall[] {
  const first = new Map<string, StoredOnCall>();
  const startOf = (entry: StoredOnCall) => entry.start?.getTime() ?? Number.NEGATIVE_INFINITY;
  for (const entry of entries) {
    const key = `${entry.policyId}|${entry.level}|${entry.userId}`;
    const seen = first.get(key);
    if (!seen || startOf(entry) < startOf(seen)) first.set(key, entry);
  }
  return entries.filter((entry) => first.get(`${entry.policyId}|${entry.level}|${entry.userId}`) === entry);
}
