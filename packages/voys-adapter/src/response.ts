import { VOYS_ERROR_CODES, VoysAdapterError } from "./errors.js";
import { isE164 } from "./phone-number.js";

/** Content type of every answer Voys reads. */
export const VOYS_CONTENT_TYPE = "text/plain; charset=utf-8";

/** Longest caller name echoed back; longer names are cut. */
export const MAX_CALLER_NAME_LENGTH = 64;

// Control characters (C0, DEL, C1) have no place in a display name Voys shows on a phone.
const CONTROL_CHARACTERS = /\p{Cc}/gu;
// A lone surrogate would make encodeURIComponent throw.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function cleanCallerName(name: string | undefined): string {
  if (!name) return "";
  const clean = name.replace(LONE_SURROGATE, "\ufffd").replace(CONTROL_CHARACTERS, "").trim();
  return Array.from(clean).slice(0, MAX_CALLER_NAME_LENGTH).join("").trim();
}

/**
 * Renders an ACK that routes the call to `destination` (E.164), e.g.
 * `status=ACK&destination=%2B31612345678`; with `callerName`, adds `&callername=…`.
 * Throws `PDV_ERR_VOYS_INVALID_DESTINATION` when `destination` is not E.164.
 */
export function renderAck(destination: string, extra?: { callerName?: string | undefined }): string {
  if (!isE164(destination)) {
    throw new VoysAdapterError(
      VOYS_ERROR_CODES.INVALID_DESTINATION,
      "destination must be an E.164 number such as +31612345678",
    );
  }
  let body = `status=ACK&destination=${encodeURIComponent(destination)}`;
  const name = cleanCallerName(extra?.callerName);
  if (name) body += `&callername=${encodeURIComponent(name)}`;
  return body;
}

/** Renders the refusal Voys answers with its dial plan's failure branch: `status=NAK`. */
export function renderNak(): string {
  return "status=NAK";
}
