const PLUS = 0x2b;
const DIGIT_ZERO = 0x30;
const DIGIT_ONE = 0x31;
const DIGIT_NINE = 0x39;
// Separators people and phone systems put inside numbers: spaces, dashes, dots, slashes, brackets.
const SEPARATORS = /[\s\-./()]/g;

/**
 * True when `value` is an international number in E.164 form, e.g. `+31612345678`: a `+`, then 7 to
 * 15 digits of which the first is not 0.
 */
export function isE164(value: string): boolean {
  // By hand rather than /^\+[1-9]\d{6,14}$/: a call checks up to three numbers, and the regular
  // expression cost several times this loop.
  if (value.length < 8 || value.length > 16 || value.charCodeAt(0) !== PLUS) return false;
  for (let index = 1; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (!(code >= (index === 1 ? DIGIT_ONE : DIGIT_ZERO) && code <= DIGIT_NINE)) return false;
  }
  return true;
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
  // Most numbers arrive in E.164 already: one check instead of the rewriting below.
  if (isE164(raw)) return raw;
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
