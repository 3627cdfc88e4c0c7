export { VOYS_ERROR_CODES, VoysAdapterError, type VoysErrorCode } from "./errors.js";
export { isE164, normalizeVoysNumber } from "./phone-number.js";
export {
  parseVoysRequest,
  SECRET_KEY_PARAMETER,
  VOYS_VARIABLES,
  type VoysBody,
  type VoysRequest,
} from "./request.js";
export { MAX_CALLER_NAME_LENGTH, renderAck, renderNak, VOYS_CONTENT_TYPE } from "./response.js";
