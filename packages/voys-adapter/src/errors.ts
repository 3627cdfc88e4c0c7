/** Error codes of the Voys adapter; stable, never reused. */
export const VOYS_ERROR_CODES = {
  /** `renderAck` was given something that is not an E.164 number. */
  INVALID_DESTINATION: "PDV_ERR_VOYS_INVALID_DESTINATION",
} as const;

/** One of {@link VOYS_ERROR_CODES}. */
export type VoysErrorCode = (typeof VOYS_ERROR_CODES)[keyof typeof VOYS_ERROR_CODES];

/** An error raised by the Voys adapter; `code` is one of {@link VOYS_ERROR_CODES}. */
export class VoysAdapterError extends Error {
  /** Stable machine-readable code. */
  readonly code: VoysErrorCode;

  constructor(code: VoysErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "VoysAdapterError";
    this.code = code;
  }
}
