import type { WebhookConfig } from "../config/types.js";

/** Explains a failed PagerDuty fetch for `check`, naming the setting to look at; never prints the key. */
export function describePagerDutyError(error: unknown, config: WebhookConfig, timeoutMs: number): string[] {
  const code = (error as { code?: unknown } | null)?.code;
  const keyOrigin =
    config.origins.PAGERDUTY_API_KEY === "file" ? `${config.configDir}/api_key` : "PAGERDUTY_API_KEY";
  switch (code) {
    case "PDV_ERR_PAGERDUTY_UNAUTHORIZED":
      return [
        "PagerDuty refused the API key (401 Unauthorized).",
        `Check the key in ${keyOrigin}: create a read-only REST API key in PagerDuty (Integrations → API Access Keys).`,
      ];
    case "PDV_ERR_PAGERDUTY_FORBIDDEN":
      return [
        "PagerDuty accepted the API key but refused access (403 Forbidden): the key cannot read on-calls or users.",
      ];
    case "PDV_ERR_PAGERDUTY_NOT_FOUND":
      return [
        `PagerDuty answered 404 Not Found: check PAGERDUTY_API_URL (${config.pagerduty.apiUrl}) and the escalation policy ids.`,
      ];
    case "PDV_ERR_PAGERDUTY_RATE_LIMITED": {
      const wait = (error as { retryAfterMs?: number }).retryAfterMs;
      return [
        `PagerDuty rate-limited the request (429)${wait === undefined ? "" : `; try again in ${Math.ceil(wait / 1000)} s`}.`,
      ];
    }
    case "PDV_ERR_PAGERDUTY_BAD_REQUEST":
      return [`PagerDuty answered 400 Bad Request: check the escalation policy ids (${policyList(config)}).`];
    case "PDV_ERR_PAGERDUTY_ABORTED":
      return [`PagerDuty did not answer within ${timeoutMs} ms at ${config.pagerduty.apiUrl}.`];
    case "PDV_ERR_PAGERDUTY_TIMEOUT":
      return [
        `PagerDuty did not answer in time (PAGERDUTY_TIMEOUT_MS=${config.pagerduty.requestTimeoutMs}) at ${config.pagerduty.apiUrl}.`,
      ];
    default:
      break;
  }
  if (
    (error as { name?: unknown } | null)?.name === "TimeoutError" ||
    (error as { name?: unknown } | null)?.name === "AbortError"
  ) {
    return [`PagerDuty did not answer within ${timeoutMs} ms at ${config.pagerduty.apiUrl}.`];
  }
  const message = error instanceof Error ? error.message : String(error);
  const prefix = typeof code === "string" ? `${code}: ` : "";
  if (code === "PDV_ERR_PAGERDUTY_UNAVAILABLE") {
    return [`PagerDuty could not be reached or failed at ${config.pagerduty.apiUrl}: ${prefix}${message}`];
  }
  return [`The PagerDuty request failed: ${prefix}${message}`];
}

function policyList(config: WebhookConfig): string {
  return [...new Set(config.routes.map((route) => route.policyId))].join(", ");
}
