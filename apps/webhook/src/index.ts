import { loadConfig } from "./config/load-config.js";
import type { LoadConfigOptions, WebhookConfig } from "./config/types.js";
import { configInvalidError } from "./errors.js";

export { STRATEGY_NAMES } from "@pagerduty-voys/core";
export { LOG_LEVELS } from "@pagerduty-voys/server";
export { CONFIG_SCHEMA_FILE, configJsonSchema } from "./config/json-schema.js";
export { loadConfig } from "./config/load-config.js";
export { DEFAULT_ROUTE } from "./config/routes.js";
export { type ServerExtras, toServerOptions } from "./config/server-options.js";
export { DEFAULT_CONFIG_DIR, ROUTES_FILE, SETTINGS, type SettingSpec } from "./config/settings.js";
export type {
  LoadConfigOptions,
  LoadConfigResult,
  RouteSettings,
  SettingOrigin,
  StrategyName,
  StrategySetting,
  WebhookConfig,
} from "./config/types.js";
export { WEBHOOK_ERROR_CODES, WebhookAppError } from "./errors.js";

/** Like loadConfig, but returns the config or throws PDV_ERR_CONFIG_INVALID listing every problem. */
export function loadConfigOrThrow(options: LoadConfigOptions): { config: WebhookConfig; warnings: string[] } {
  const result = loadConfig(options);
  if (!result.ok) throw configInvalidError(result.errors);
  return { config: result.config, warnings: result.warnings };
}
