import { PdvError } from "@pagerduty-voys/core";
import { FAKE_PAGERDUTY_ERROR_CODES } from "../errors.js";
import { type Answer, pdError } from "./fake-answer.js";
import type { FakeFault, FakeFaultOptions } from "./fake-types.js";

/** The fault in force, with its options. */
export interface ActiveFault {
  /** The fault. */
  readonly fault: FakeFault;
  /** Path filter, if any. */
  readonly match: string | RegExp | undefined;
  /** `ratelimit-reset` for `rate-limit`. */
  readonly resetSeconds: number;
}

const FAULTS: readonly FakeFault[] = [
  "rate-limit",
  "rate-limit-bare",
  "error-500",
  "bad-gateway",
  "hang",
  "refuse",
  "unauthorized",
  "forbidden",
];

/** Validates `setFault` arguments. */
export function toActiveFault(fault: FakeFault | null, options: FakeFaultOptions = {}): ActiveFault | null {
  if (fault === null) return null;
  if (!FAULTS.includes(fault)) throw invalidOption(`fake PagerDuty: unknown fault ${String(fault)}`);
  if (fault === "refuse" && options.match !== undefined) {
    throw invalidOption("fake PagerDuty: `refuse` stops the whole listener and cannot match a path");
  }
  const resetSeconds = options.resetSeconds ?? 30;
  if (!Number.isInteger(resetSeconds) || resetSeconds < 0) {
    throw invalidOption("fake PagerDuty: resetSeconds must be an integer ≥ 0");
  }
  return { fault, match: options.match, resetSeconds };
}

/** True when the fault applies to a request for `path`. */
export function faultApplies(active: ActiveFault | null, path: string): active is ActiveFault {
  if (active === null || active.fault === "refuse") return false;
  const { match } = active;
  if (match === undefined) return true;
  if (typeof match === "string") return match === path;
  match.lastIndex = 0;
  return match.test(path);
}

/** The answer a fault gives (every fault but `hang` and `refuse`, which never answer). */
export function faultAnswer(active: ActiveFault): Answer {
  switch (active.fault) {
    case "rate-limit": {
      const answer = pdError(429, "Rate Limit Exceeded", 2020);
      const headers = {
        ...answer.headers,
        "ratelimit-limit": "960",
        "ratelimit-remaining": "0",
        "ratelimit-reset": String(active.resetSeconds),
      };
      return { ...answer, headers };
    }
    case "rate-limit-bare":
      return { status: 429, headers: {}, body: "" };
    case "error-500":
      return pdError(500, "Internal Server Error", 2000);
    case "unauthorized":
      return pdError(401, "Unauthorized", 2006);
    case "forbidden":
      return pdError(403, "Access Denied", 2010);
    default:
      return {
        status: 502,
        headers: { "content-type": "text/html" },
        body: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n",
      };
  }
}

/** The error for a misused `setFault`, `setLatency` or `setEventsFault`. */
export function invalidOption(message: string): PdvError {
  return new PdvError(FAKE_PAGERDUTY_ERROR_CODES.OPTIONS_INVALID, message);
}
