import { PdvError } from "@pagerduty-voys/core";

/** Error codes of the Voys adapter; stable, never reused. */
export const VOYS_ERROR_CODES = {
  /** `renderAck` was given something that is not an E.164 number. */
  INVALID_DESTINATION: "PDV_ERR_VOYS_INVALID_DESTINATION",
} as const;

/** One of {@link VOYS_ERROR_CODES}. */
export type VoysErrorCode = (typeof VOYS_ERROR_CODES)[keyof typeof VOYS_ERROR_CODES];

/** An error raised by the Voys adapter (a core `PdvError`); `code` is one of {@link VOYS_ERROR_CODES}. */
export class VoysAdapterError extends PdvError {
  /** Stable machine-readable code. */
  declare readonly code: VoysErrorCode;

  /** Creates an error with a code, a message and an optional cause. */
  constructor(code: VoysErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, { cause: options?.cause });
    this.name = "VoysAdapterError";
  }
}
