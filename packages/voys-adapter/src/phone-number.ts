const E164 = /^\+[1-9]\d{6,14}$/;
// Separators people and phone systems put inside numbers: spaces, dashes, dots, slashes, brackets.
const SEPARATORS = /[\s\-./()]/g;

/** True when `value` is an international number in E.164 form, e.g. `+31612345678`. */
export function isE164(value: string): boolean {
  return E164.test(value);
}

/**
 * Normalises a number as Voys sends it (`{did}`, `{callerid}`) to E.164, or returns undefined when
 * it cannot be read as an international number.
 *
 * Accepts `+31 20 888 8888`, `+31 (0)20 888 8888`, `0031208888888` and `31208888888` (digits only: a `+` sent unencoded in
 * a query string arrives as a space). National numbers (`020 888 8888`) carry no country code and
 * give undefined.
 */
export function normalizeVoysNumber(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  // "+31 (0)20 …": the bracketed trunk zero is written for national callers, not dialled from abroad.
  const compact = raw.replace("(0)", "").replace(SEPARATORS, "");
  // A national number ("0…") becomes "+0…", which E.164 refuses: it has no country code.
  const candidate = compact.startsWith("00")
    ? `+${compact.slice(2)}`
    : compact.startsWith("+")
      ? compact
      : `+${compact}`;
  return isE164(candidate) ? candidate : undefined;
}
