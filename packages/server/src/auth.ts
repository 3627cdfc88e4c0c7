import { timingSafeEqual } from "node:crypto";
import type { VoysRequest } from "@pagerduty-voys/voys-adapter";
import { SERVER_ERROR_CODES, ServerError } from "./errors.js";

/** Checks the shared secret of a webhook call. */
export interface SecretChecker {
  /** Short name for logs. */
  readonly name: string;
  /** How many secrets are accepted. */
  readonly count: number;
  /** True only for exactly one `secret_key` equal to one of the configured secrets. */
  accepts(request: Pick<VoysRequest, "secretKey" | "secretKeyRepeated">): boolean;
}

/** Compares two buffers of the same length; must take time independent of their content. */
type ConstantTimeCompare = (a: Buffer, b: Buffer) => boolean;

/** Options of {@link createSecretChecker}. */
export interface SecretCheckerOptions {
  /** The comparison (default `crypto.timingSafeEqual`); tests inject a counting one. */
  readonly compare?: ConstantTimeCompare;
}

/** The secrets of `secretKey`: one string, or several (rotation); empty ones are an error. */
export function secretList(secretKey: string | readonly string[]): readonly string[] {
  const secrets = typeof secretKey === "string" ? [secretKey] : [...secretKey];
  if (secrets.length === 0 || secrets.some((secret) => typeof secret !== "string" || secret.length === 0)) {
    throw new ServerError(
      SERVER_ERROR_CODES.OPTIONS_INVALID,
      "every webhook secret must be a non-empty string",
      { problems: ["secretKey: required, a non-empty string"] },
    );
  }
  return secrets;
}

/**
 * Compares secrets in constant time. Every configured secret is zero-padded to one fixed length
 * (the longest secret's); the candidate is copied into a reused zeroed buffer of that length and
 * compared with `compare` against every secret, with no early exit, so the time taken depends on
 * neither the secrets' content, nor the candidate's, nor which secret matched. The byte lengths are
 * compared only after that. A missing or repeated `secret_key` is refused.
 */
export function createSecretChecker(
  secretKey: string | readonly string[],
  options: SecretCheckerOptions = {},
): SecretChecker {
  const compare = options.compare ?? timingSafeEqual;
  const secrets = secretList(secretKey);
  const width = Math.max(...secrets.map((secret) => Buffer.byteLength(secret)));
  const expected = secrets.map((secret) => {
    const padded = Buffer.alloc(width);
    padded.write(secret);
    return { padded, length: Buffer.byteLength(secret) };
  });
  const candidate = Buffer.alloc(width);
  return {
    name: "secret-key",
    count: expected.length,
    accepts(request) {
      const { secretKey: sent } = request;
      if (request.secretKeyRepeated || sent === undefined) return false;
      // Safe to reuse: the check is synchronous, so no other call can see this buffer meanwhile.
      candidate.fill(0);
      candidate.write(sent);
      const sentLength = Buffer.byteLength(sent);
      let matched = 0;
      for (const secret of expected) {
        // Bitwise, not `||`: every secret is compared whatever the earlier ones gave.
        matched |= Number(compare(candidate, secret.padded)) & Number(sentLength === secret.length);
      }
      return matched === 1;
    },
  };
}
