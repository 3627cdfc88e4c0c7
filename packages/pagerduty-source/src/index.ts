export {
  isPagerDutyError,
  PAGERDUTY_ERROR_CODES,
  PagerDutyError,
  type PagerDutyErrorCode,
  type PagerDutyErrorDetails,
} from "./errors.js";
export {
  createPagerDutySource,
  DEFAULT_PAGERDUTY_API_URL,
  type PagerDutySourceOptions,
} from "./pagerduty-source.js";
export type {
  PagerDutyContactMethod,
  PagerDutyNotificationRule,
  PagerDutyOnCall,
  PagerDutyReference,
  PagerDutyUser,
} from "./pagerduty-types.js";
export { normalizePhoneNumber, selectPhoneNumbers } from "./phone-numbers.js";
export type { PagerDutyEndpoint, PagerDutyRequestEvent, PagerDutyRequestResult } from "./transport.js";
