import { z } from "zod";
import { configFileSchema } from "./file-schema.js";

/** The JSON Schema's file name, written into dist/ by the build and shipped in the npm package and the .deb. */
export const CONFIG_SCHEMA_FILE = "config.schema.json";

/** JSON Schema (draft 2020-12) of config.yaml, generated from the same zod schema that validates it. */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configFileSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
}
