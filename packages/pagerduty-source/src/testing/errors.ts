/**
 * Error codes of the fake PagerDuty (`/testing` entry only, kept out of the production registry
 * `PAGERDUTY_ERROR_CODES`). The fake throws core's `PdvError` with one of them.
 */
export const FAKE_PAGERDUTY_ERROR_CODES = {
  /** A scenario given to `createFakePagerDuty` or `setScenario` is malformed; the message says where. */
  SCENARIO_INVALID: "PDV_ERR_TESTING_FAKE_SCENARIO_INVALID",
  /** `setFault`, `setLatency` or `setEventsFault` was given an unknown fault or an invalid option. */
  OPTIONS_INVALID: "PDV_ERR_TESTING_FAKE_OPTIONS_INVALID",
  /** `setFault` was called after `close()`. */
  CLOSED: "PDV_ERR_TESTING_FAKE_CLOSED",
  /** `waitForEvents` saw fewer events than it waited for within its timeout. */
  EVENTS_TIMEOUT: "PDV_ERR_TESTING_FAKE_EVENTS_TIMEOUT",
} as const;

/** One of the fake PagerDuty's error codes. */
export type FakePagerDutyErrorCode =
  (typeof FAKE_PAGERDUTY_ERROR_CODES)[keyof typeof FAKE_PAGERDUTY_ERROR_CODES];
