import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { PdvError } from "@pagerduty-voys/core";
import { FAKE_PAGERDUTY_ERROR_CODES } from "../errors.js";
import { sampleScenario } from "../scenarios.js";
import type { FakeEventsState } from "./fake-events.js";
import { invalidOption, toActiveFault } from "./fake-faults.js";
import { createHandler, type FakeState } from "./fake-handler.js";
import { storeScenario } from "./fake-scenario.js";
import type {
  FakeEvent,
  FakeFault,
  FakeFaultOptions,
  FakePagerDuty,
  FakePagerDutyOptions,
} from "./fake-types.js";

/** The API key the fake accepts unless told otherwise. */
export const DEFAULT_FAKE_TOKEN = "fake-pagerduty-token";

interface Listener {
  start(port: number): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts a fake PagerDuty REST API v2 (`/oncalls`, `/users/{id}` and its contact methods and
 * notification rules) and Events API v2 (`POST /v2/enqueue`) over real HTTP on loopback, with
 * faults, latency and a request log.
 */
export async function createFakePagerDuty(options: FakePagerDutyOptions = {}): Promise<FakePagerDuty> {
  const host = options.host ?? "127.0.0.1";
  const state: FakeState = {
    token: options.token ?? DEFAULT_FAKE_TOKEN,
    now: options.now ?? (() => new Date()),
    base: "",
    scenario: storeScenario(options.scenario ?? sampleScenario()),
    fault: null,
    latencyMs: 0,
    requests: [],
    inFlight: 0,
    maxInFlight: 0,
    timers: new Set(),
    window: { start: 0, count: 0 },
    events: { events: [], fault: null, listeners: new Set() },
  };
  const listener = createListener(host, createHandler(state));
  const port = await listener.start(options.port ?? 0);
  state.base = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const faults = createFaultSwitch(state, listener, port);
  return {
    url: state.base,
    token: state.token,
    get requests() {
      return state.requests.slice();
    },
    get maxConcurrentRequests() {
      return state.maxInFlight;
    },
    setScenario(scenario) {
      state.scenario = storeScenario(scenario);
    },
    setLatency(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw invalidOption("fake PagerDuty: latency must be a number ≥ 0");
      state.latencyMs = ms;
    },
    setFault: faults.set,
    get events() {
      return state.events.events.slice();
    },
    setEventsFault(fault, faultOptions = {}) {
      const retryAfterSeconds = faultOptions.retryAfterSeconds ?? 1;
      if (!Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 0)
        throw invalidOption("fake PagerDuty: retryAfterSeconds must be an integer ≥ 0");
      state.events.fault = fault === null ? null : { fault, retryAfterSeconds };
    },
    waitForEvents: (count, timeoutMs = 5_000) => waitForEvents(state.events, count, timeoutMs),
    clearEvents() {
      state.events.events = [];
    },
    clearRequests() {
      state.requests = [];
      state.maxInFlight = state.inFlight;
    },
    close: faults.close,
  };
}

function waitForEvents(
  events: FakeEventsState,
  count: number,
  timeoutMs: number,
): Promise<readonly FakeEvent[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      if (events.events.length < count) return false;
      clearTimeout(timer);
      events.listeners.delete(listener);
      resolve(events.events.slice());
      return true;
    };
    const listener = (): void => {
      check();
    };
    const timer = setTimeout(() => {
      events.listeners.delete(listener);
      reject(
        new PdvError(
          FAKE_PAGERDUTY_ERROR_CODES.EVENTS_TIMEOUT,
          `fake PagerDuty: ${events.events.length} of ${count} events arrived within ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
    if (!check()) events.listeners.add(listener);
  });
}

// Listener changes (refuse, listen again, close) run one after another, in call order.
function createFaultSwitch(state: FakeState, listener: Listener, port: number) {
  let closed = false;
  let transition: Promise<void> = Promise.resolve();
  const enqueue = (step: () => Promise<unknown>): Promise<void> => {
    const next = transition.then(step, step).then(() => undefined);
    transition = next.catch(() => undefined);
    return next;
  };
  return {
    set(fault: FakeFault | null, options?: FakeFaultOptions): Promise<void> {
      if (closed)
        throw new PdvError(FAKE_PAGERDUTY_ERROR_CODES.CLOSED, "fake PagerDuty: setFault after close()");
      state.fault = toActiveFault(fault, options);
      const refusing = state.fault?.fault === "refuse";
      const done = enqueue(() =>
        refusing ? listener.stop() : closed ? Promise.resolve() : listener.start(port),
      );
      done.catch(() => undefined); // Callers who do not await must not get an unhandled rejection.
      return done;
    },
    close(): Promise<void> {
      closed = true;
      state.fault = null;
      for (const timer of state.timers) clearTimeout(timer);
      state.timers.clear();
      return enqueue(() => listener.stop());
    },
  };
}

// One port, listened on again after `refuse`: a new http.Server each time, same handler.
function createListener(host: string, handler: http.RequestListener): Listener {
  let server: http.Server | null = null;
  const sockets = new Set<Socket>();
  return {
    start(port) {
      if (server) return Promise.resolve((server.address() as AddressInfo).port);
      const next = http.createServer(handler);
      next.on("connection", (socket) => {
        sockets.add(socket);
        socket.once("close", () => sockets.delete(socket));
      });
      return new Promise((resolve, reject) => {
        next.once("error", reject);
        next.listen(port, host, () => {
          next.off("error", reject);
          server = next;
          resolve((next.address() as AddressInfo).port);
        });
      });
    },
    stop() {
      const current = server;
      server = null;
      if (!current) return Promise.resolve();
      const closedPromise = new Promise<void>((resolve) => current.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      return closedPromise;
    },
  };
}
