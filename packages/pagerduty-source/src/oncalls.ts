import type { Logger, TimeWindow } from "@pagerduty-voys/core";
import { PAGERDUTY_ERROR_CODES as CODES, PagerDutyError } from "./errors.js";
import type { PagerDutyOnCall } from "./pagerduty-types.js";
import type { Transport } from "./transport.js";

/** Entries per page: PagerDuty's maximum. */
const ONCALLS_PAGE_LIMIT = 100;
/** PagerDuty refuses `offset + limit` above this. */
const ONCALLS_MAX_RESULTS = 10_000;
/** Policy ids per `/oncalls` request: keeps the URL short (about 440 ids overflow a 16 KiB request line). */
export const ONCALLS_POLICIES_PER_REQUEST = 50;
/** Longest window asked for: a day under PagerDuty's 90 days, so a clock ahead of PagerDuty's stays under it. */
const ONCALLS_MAX_WINDOW_MS = 89 * 86_400_000;

/** A validated `/oncalls` entry. */
export interface OnCallEntry {
  /** Escalation policy id. */
  readonly policyId: string;
  /** Escalation level. */
  readonly level: number;
  /** PagerDuty user id. */
  readonly userId: string;
  /** The user reference's summary (the user's name), when given. */
  readonly userSummary: string | undefined;
  /** Start, or null for a permanent entry. */
  readonly start: Date | null;
  /** End, or null when open-ended. */
  readonly end: Date | null;
}

/**
 * Every `/oncalls` entry of the policies overlapping the window (its end clamped to 89 days), in
 * requests of at most {@link ONCALLS_POLICIES_PER_REQUEST} policy ids sent one after another, all pages
 * of each (limit 100, offset paging until `more` is false). No request at all for an empty policy
 * list: PagerDuty would answer with every policy of the account.
 */
export async function fetchOnCalls(
  transport: Transport,
  policyIds: readonly string[],
  window: TimeWindow,
  signal: AbortSignal,
  logger?: Logger,
): Promise<OnCallEntry[]> {
  const maxUntil = window.since.getTime() + ONCALLS_MAX_WINDOW_MS;
  const clamped =
    window.until.getTime() > maxUntil ? { since: window.since, until: new Date(maxUntil) } : window;
  const entries: OnCallEntry[] = [];
  for (let i = 0; i < policyIds.length; i += ONCALLS_POLICIES_PER_REQUEST) {
    const chunk = policyIds.slice(i, i + ONCALLS_POLICIES_PER_REQUEST);
    entries.push(...(await fetchChunk(transport, chunk, clamped, signal, logger)));
  }
  return entries;
}

async function fetchChunk(
  transport: Transport,
  policyIds: readonly string[],
  window: TimeWindow,
  signal: AbortSignal,
  logger?: Logger,
): Promise<OnCallEntry[]> {
  const entries: OnCallEntry[] = [];
  let offset = 0;
  for (;;) {
    const page = await fetchPage(transport, policyIds, window, offset, signal);
    for (const raw of page.oncalls) {
      const entry = toEntry(raw);
      if (entry) entries.push(entry);
      else logger?.warn({ offset }, "pagerduty: skipped a malformed /oncalls entry");
    }
    if (!page.more) return entries;
    if (page.oncalls.length === 0) throw badResponse("/oncalls said `more` but sent an empty page");
    offset += page.limit;
    if (offset + ONCALLS_PAGE_LIMIT > ONCALLS_MAX_RESULTS) {
      throw badResponse(
        `more than ${ONCALLS_MAX_RESULTS} on-call entries for ${policyIds.length} policies: shorten the lookahead`,
      );
    }
  }
}

interface Page {
  readonly oncalls: readonly unknown[];
  readonly more: boolean;
  readonly limit: number;
}

async function fetchPage(
  transport: Transport,
  policyIds: readonly string[],
  window: TimeWindow,
  offset: number,
  signal: AbortSignal,
): Promise<Page> {
  const body = (await transport.get(
    "oncalls",
    "/oncalls",
    {
      "escalation_policy_ids[]": policyIds,
      since: window.since.toISOString(),
      until: window.until.toISOString(),
      limit: String(ONCALLS_PAGE_LIMIT),
      offset: String(offset),
    },
    signal,
  )) as { oncalls?: unknown; more?: unknown; limit?: unknown };
  if (!Array.isArray(body.oncalls)) throw badResponse("/oncalls answered without an `oncalls` array");
  // Advance by the limit PagerDuty says it applied (it caps it), else by what it sent.
  const echoed = typeof body.limit === "number" && body.limit > 0 ? body.limit : undefined;
  return { oncalls: body.oncalls, more: body.more === true, limit: echoed ?? body.oncalls.length };
}

function toEntry(raw: unknown): OnCallEntry | undefined {
  const entry = raw as Partial<PagerDutyOnCall> | null;
  const policyId = entry?.escalation_policy?.id;
  const userId = entry?.user?.id;
  const level = entry?.escalation_level;
  if (typeof policyId !== "string" || typeof userId !== "string") return undefined;
  if (typeof level !== "number" || !Number.isInteger(level) || level < 1) return undefined;
  const start = toDate(entry?.start);
  const end = toDate(entry?.end);
  if (start === undefined || end === undefined) return undefined;
  const summary = entry?.user?.summary ?? entry?.user?.name;
  return {
    policyId,
    level,
    userId,
    userSummary: typeof summary === "string" ? summary : undefined,
    start,
    end,
  };
}

function toDate(value: unknown): Date | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function badResponse(message: string): PagerDutyError {
  return new PagerDutyError(CODES.BAD_RESPONSE, `PagerDuty ${message}`);
}
