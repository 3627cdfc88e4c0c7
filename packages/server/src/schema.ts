/**
 * `@pagerduty-voys/server/schema`: the zod schema of `buildServer`'s options and its building blocks,
 * for applications that read settings from text (environment, files) and must accept exactly what
 * the server accepts.
 */
export {
  choice,
  expecting,
  formatChoices,
  HOP_COUNT_REFUSED,
  integer,
  optionFields,
  PROXY_RANGE_NAMES,
  patterned,
  URL_SAFE,
} from "./option-fields.js";
export {
  formatIssues,
  formatPath,
  type OptionIssue,
  problemsOf,
  routeSetIssues,
  strictMapping,
} from "./option-issues.js";
export { buildServerOptionsSchema, routeConfigSchema } from "./options-schema.js";
