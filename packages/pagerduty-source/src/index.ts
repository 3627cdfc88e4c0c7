export {
  isPagerDutyError,
  PAGERDUTY_ERROR_CODES,
  PagerDutyError,
  type PagerDutyErrorCode,
  type PagerDutyErrorDetails,
} from "./errors.js";
export {
  createEventsClient,
  DEFAULT_PAGERDUTY_EVENTS_URL,
  type EventSendResult,
  type EventSeverity,
  type EventsClient,
  type EventsClientOptions,
  type PagerDutyEvent,
  parseRetryAfter,
} from "./events.js";
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
