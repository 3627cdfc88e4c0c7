export { ENQUEUE_PATH, eventProblems } from "./fake/fake-events.js";
export { sampleScenario } from "./fake/fake-scenario.js";
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
