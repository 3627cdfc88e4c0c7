import { createHash, hash, timingSafeEqual } from "node:crypto";
import type { VoysRequest } from "@pagerduty-voys/voys-adapter";

/** Checks the shared secret of a webhook call. */
export interface SecretChecker {
  /** Short name for logs. */
  readonly name: string;
  /** True only for exactly one `secret_key` equal to the configured secret. */
  accepts(request: Pick<VoysRequest, "secretKey" | "secretKeyRepeated">): boolean;
}

// crypto.hash (Node ≥ 20.12) is the fast one-shot; createHash is the fallback for older 20.x.
const digest: (value: string) => Buffer =
  typeof hash === "function"
    ? (value) => hash("sha256", value, "buffer")
    : (value) => createHash("sha256").update(value, "utf8").digest();

/**
 * Compares secrets in constant time: both sides are hashed with SHA-256 first, so neither the
 * content nor the length of the secret leaks through timing. A missing or repeated
 * `secret_key` is refused.
 */
export function createSecretChecker(secret: string): SecretChecker {
  if (secret.length === 0) throw new TypeError("the webhook secret must not be empty");
  const expected = digest(secret);
  return {
    name: "secret-key",
    accepts(request) {
      if (request.secretKeyRepeated || request.secretKey === undefined) return false;
      return timingSafeEqual(digest(request.secretKey), expected);
    },
  };
}
