import { timingSafeEqual } from "node:crypto";
import type { VoysRequest } from "@pagerduty-voys/voys-adapter";
import { SERVER_ERROR_CODES, ServerError } from "./errors.js";

/** Checks the shared secret of a webhook call. */
export interface SecretChecker {
  /** Short name for logs. */
  readonly name: string;
  /** True only for exactly one `secret_key` equal to the configured secret. */
  accepts(request: Pick<VoysRequest, "secretKey" | "secretKeyRepeated">): boolean;
}

/**
 * Compares secrets in constant time. The candidate is copied into a zeroed buffer of the secret's
 * length and compared with `timingSafeEqual` over that fixed length, so the time taken depends on
 * neither the secret's content nor the candidate's; the lengths are compared only after that. (This
 * costs a fraction of hashing both sides, which was the single most expensive step of a call.)
 * A missing or repeated `secret_key` is refused.
 */
export function createSecretChecker(secret: string): SecretChecker {
  if (secret.length === 0)
    throw new ServerError(SERVER_ERROR_CODES.OPTIONS_INVALID, "the webhook secret must not be empty");
  const expected = Buffer.from(secret, "utf8");
  const candidate = Buffer.alloc(expected.length);
  return {
    name: "secret-key",
    accepts(request) {
      const { secretKey } = request;
      if (request.secretKeyRepeated || secretKey === undefined) return false;
      // Safe to reuse: the check is synchronous, so no other call can see this buffer meanwhile.
      candidate.fill(0);
      candidate.write(secretKey, "utf8");
      const sameContent = timingSafeEqual(candidate, expected);
      return sameContent && Buffer.byteLength(secretKey, "utf8") === expected.length;
    },
  };
}
