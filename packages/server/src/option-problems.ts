import { problemsOf } from "./option-issues.js";
import type { BuildServerOptions } from "./options.js";
import { buildServerOptionsSchema, webhookOptionsSchema } from "./options-schema.js";
import type { WebhookRoute } from "./route-table.js";

/** Every problem of `voysWebhook` options, as `path: message` (the shared zod schema). */
export function webhookOptionProblems(options: {
  readonly roster?: unknown;
  readonly routes: readonly WebhookRoute[];
  readonly secretKey: unknown;
  readonly allowedIps?: readonly string[] | undefined;
  readonly trustProxy?: readonly string[] | undefined;
  readonly coldStartWaitMs?: unknown;
}): string[] {
  return problemsOf(webhookOptionsSchema, options);
}

/** Every problem of `buildServer` options, as `path: message` (the shared zod schema). */
export function buildOptionProblems(options: BuildServerOptions): string[] {
  return problemsOf(buildServerOptionsSchema, options);
}
