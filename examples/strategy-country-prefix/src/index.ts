/**
 * Example strategy module for pagerduty-voys-webhook: prefer the on-call responder in the caller's
 * country. The caller's country is the longest of `strategy_options.prefixes` (country calling
 * codes) their number starts with; a responder is "in" that country when one of their numbers
 * starts with it too. Among those (or among everyone when nobody is), calls rotate in user-id
 * order with a counter in the shared store, so several instances take turns together.
 *
 * ```yaml
 * routes:
 *   - name: support
 *     escalation_policy_id: PABC123
 *     strategy: ./strategies/country-prefix.js
 *     strategy_options:
 *       prefixes: ["31", "32", "49"]
 * ```
 */
import type {
  Pick,
  Responder,
  RoutingStrategy,
  StrategyContext,
  StrategyFactory,
} from "@pagerduty-voys/core";

/** Country calling codes recognised when `strategy_options.prefixes` is not given. */
export const DEFAULT_PREFIXES: readonly string[] = Object.freeze([
  "1",
  "31",
  "32",
  "33",
  "34",
  "39",
  "41",
  "43",
  "44",
  "45",
  "46",
  "47",
  "49",
]);

/** The `strategy_options` this strategy reads. */
export interface CountryPrefixOptions {
  /** Country calling codes without `+`, e.g. `["31", "32"]`. */
  readonly prefixes: readonly string[];
}

/** Reads and checks `strategy_options`; throws (stopping start-up) on anything it cannot use. */
export function parseOptions(options: Readonly<Record<string, unknown>>): CountryPrefixOptions {
  const prefixes = options.prefixes ?? DEFAULT_PREFIXES;
  if (!Array.isArray(prefixes) || !prefixes.every((p) => typeof p === "string" && /^[1-9]\d{0,3}$/.test(p))) {
    throw new TypeError(
      'strategy_options.prefixes: expected a list of country calling codes such as ["31", "32"]',
    );
  }
  // Longest first, so that "+1 242" (Bahamas) would win over "+1" when both are listed.
  return { prefixes: [...prefixes].sort((a, b) => b.length - a.length) };
}

/** The calling code of `number` (E.164) among `prefixes`, or undefined. */
export function countryOf(number: string | undefined, prefixes: readonly string[]): string | undefined {
  if (number === undefined || !number.startsWith("+")) return undefined;
  return prefixes.find((prefix) => number.startsWith(`+${prefix}`));
}

const byId = (a: Responder, b: Responder): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The factory (default export): builds the strategy for one route. */
const createCountryPrefixStrategy: StrategyFactory = (context: StrategyContext): RoutingStrategy => {
  const { prefixes } = parseOptions(context.options);
  return {
    name: "country-prefix",
    async pick(candidates, ctx): Promise<Pick> {
      const reachable = candidates.filter((candidate) => candidate.phones.length > 0).sort(byId);
      if (reachable.length === 0) throw new RangeError("country-prefix: no candidate with a phone number");
      const country = countryOf(ctx.callerId, prefixes);
      const local =
        country === undefined
          ? []
          : reachable.filter((candidate) =>
              candidate.phones.some((phone) => phone.startsWith(`+${country}`)),
            );
      const pool = local.length > 0 ? local : reachable;
      const turn = await context.store.incr(`turn:${country ?? "any"}`, 7 * 24 * 3_600_000);
      const responder = pool[(turn - 1) % pool.length] as Responder;
      const phone =
        (country === undefined ? undefined : responder.phones.find((p) => p.startsWith(`+${country}`))) ??
        (responder.phones[0] as string);
      return { responder, phone };
    },
  };
};

export default createCountryPrefixStrategy;
