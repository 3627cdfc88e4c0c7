/** Country calling codes of one and two digits (ITU-T E.164); every other code has three. */
const SHORT_COUNTRY_CODES = new Set(
  (
    "1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 " +
    "60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98"
  ).split(" "),
);

const DOT = "•";

function countryCodeLength(digits: string): number {
  if (SHORT_COUNTRY_CODES.has(digits.slice(0, 1))) return 1;
  return SHORT_COUNTRY_CODES.has(digits.slice(0, 2)) ? 2 : 3;
}

/** Masks a national number: first digit and last 3 shown when long enough, fewer when short. */
function maskNational(national: string): string {
  if (national.length >= 8) return `${national[0]}${DOT.repeat(national.length - 4)}${national.slice(-3)}`;
  if (national.length >= 5) return `${DOT.repeat(national.length - 2)}${national.slice(-2)}`;
  return DOT.repeat(Math.max(national.length, 3));
}

/**
 * A phone number safe for logs: `+31612345111` → `+31 6•••••111` (country code, first national
 * digit, last three). Formatting characters are dropped; short numbers show less; input without
 * digits becomes `•••`. Works for callers' numbers in national form too (`0612345111` → `0••••••111`).
 */
export function maskPhoneNumber(phone: string): string {
  const trimmed = typeof phone === "string" ? phone.trim() : "";
  const digits = trimmed.replace(/\D/g, "");
  if (digits.length === 0) return DOT.repeat(3);
  const international = trimmed.startsWith("+") || trimmed.startsWith("00");
  if (!international) return maskNational(digits);
  const withoutPrefix = trimmed.startsWith("00") ? digits.slice(2) : digits;
  if (withoutPrefix.length < 6) return `+${DOT.repeat(Math.max(withoutPrefix.length, 3))}`;
  const ccLength = countryCodeLength(withoutPrefix);
  return `+${withoutPrefix.slice(0, ccLength)} ${maskNational(withoutPrefix.slice(ccLength))}`;
}
