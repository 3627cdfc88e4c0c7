export type { FakePagerDutyErrorCode } from "./errors.js";
export { FAKE_PAGERDUTY_ERROR_CODES } from "./errors.js";
export { ENQUEUE_PATH, eventProblems } from "./fake/fake-events.js";
export { createFakePagerDuty, DEFAULT_FAKE_TOKEN } from "./fake/fake-server.js";
export type {
  FakeContactMethod,
  FakeEvent,
  FakeEventsFault,
  FakeFault,
  FakeFaultOptions,
  FakeNotificationRule,
  FakeOnCall,
  FakePagerDuty,
  FakePagerDutyOptions,
  FakeRequest,
  FakeScenario,
  FakeUser,
} from "./fake/fake-types.js";
export type { FakePhone, FakeUserOptions } from "./scenarios.js";
export {
  FORBIDDEN_NUMBERS,
  fakeUser,
  LEVEL1_NUMBERS,
  phoneOf,
  phoneUser,
  rotationScenario,
  sampleScenario,
  THREE_POLICY_NUMBERS,
  testScenario,
  threePolicyScenario,
  userId,
} from "./scenarios.js";
