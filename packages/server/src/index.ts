// What users of @pagerduty-voys/server need: the server, its reload, the Fastify plugin for embedding,
// their options, the errors, and the metrics the plugin reports to. Everything else is internal.
export { buildServer } from "./build-server.js";
export { SERVER_ERROR_CODES, ServerError, type ServerErrorCode } from "./errors.js";
export { LOG_LEVELS } from "./logging.js";
export { createMetrics, type ServerMetrics } from "./metrics.js";
export type { BuildServerOptions, RouteConfig, StrategyChoice, StrategyModuleRef } from "./options.js";
export { type ReloadInput, type ReloadResult, reloadServer } from "./reload.js";
export type { WebhookRoute } from "./route-table.js";
export { type VoysWebhookOptions, voysWebhook, WEBHOOK_PATHS } from "./webhook-plugin.js";
