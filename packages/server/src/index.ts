export { type AuditFields, writeAudit } from "./audit.js";
export {
  type ConstantTimeCompare,
  createSecretChecker,
  type SecretChecker,
  type SecretCheckerOptions,
} from "./auth.js";
export {
  buildServer,
  DEFAULT_SHUTDOWN_DRAIN_MS,
  MAX_HEADER_SIZE,
  MAX_PARAM_LENGTH,
  REQUEST_TIMEOUT_MS,
} from "./build-server.js";
export { SERVER_ERROR_CODES, ServerError, type ServerErrorCode } from "./errors.js";
export { readiness } from "./health.js";
export type { CallObserver } from "./incidents/call-observer.js";
export type { EventAttempt, EventResult } from "./incidents/event-sender-types.js";
export { dedupKeyFor, EVENT_SOURCE, type IncidentCall, incidentEvent } from "./incidents/incident-event.js";
export { createIpAllowlist, type IpAllowlist, invalidCidrs, parseCidr, unmapIpv4 } from "./ip-allowlist.js";
export {
  type BatchedDestination,
  createBatchedDestination,
  createLoggerOptions,
  LOG_LEVELS,
  type LoggerOptions,
  maskNumber,
  pathOf,
  QuietLogController,
  REDACTED_PATHS,
  serializeRequest,
} from "./logging.js";
export {
  CALL_OUTCOMES,
  type CallOutcome,
  createMetrics,
  type MetricsOptions,
  type PagerDutyRequestEvent,
  type RosterRefreshEvent,
  type ServerMetrics,
} from "./metrics.js";
export { buildOptionProblems, webhookOptionProblems } from "./option-problems.js";
export type { BuildServerOptions, RouteConfig, StrategyChoice, StrategyModuleRef } from "./options.js";
export { type ReloadInput, type ReloadResult, reloadServer } from "./reload.js";
export {
  type CallDecision,
  guardedPick,
  type NoPickReason,
  PICK_TIMEOUT_MS,
  type RouteCallDeps,
  routeCall,
  type StrategyFailureReason,
} from "./route-call.js";
export {
  createRouteTable,
  DEFAULT_ROUTE_NAME,
  IVR_CODE_PATTERN,
  type RouteTable,
  routeTableProblems,
  type WebhookRoute,
} from "./route-table.js";
export {
  DEFAULT_COLD_START_WAIT_MS,
  type VoysWebhookOptions,
  voysWebhook,
  WEBHOOK_BODY_LIMIT,
  WEBHOOK_PATHS,
} from "./webhook-plugin.js";
