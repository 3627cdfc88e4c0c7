import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CONFIG_SCHEMA_FILE, configJsonSchema } from "../src/config/json-schema.js";
import { validateRoutesDocument } from "../src/config/routes-file.js";
import { APP_DIR } from "./helpers/cli-process.js";

describe("config.yaml's JSON Schema", () => {
  it("is built into dist from the zod schema that validates config.yaml", () => {
    const built = JSON.parse(readFileSync(join(APP_DIR, "dist", CONFIG_SCHEMA_FILE), "utf8"));
    expect(built).toEqual(configJsonSchema());
    const route = built.properties.routes.items;
    expect(route.additionalProperties).toBe(false);
    expect(route.required).toEqual(["name", "escalation_policy_id"]);
    expect(route.properties.codes.items.pattern).toBe("^[0-9*#]{1,20}$");
    expect(route.properties.incidents.enum).toEqual(["off", "missed", "all"]);
    for (const pattern of [route.properties.strategy.pattern, route.properties.name.pattern]) {
      expect(() => new RegExp(pattern, "u")).not.toThrow();
    }
  });

  it("ships in the npm package (dist) and is referenced by the example config, which is valid", () => {
    const pkg = JSON.parse(readFileSync(join(APP_DIR, "package.json"), "utf8"));
    expect(pkg.files).toContain("dist");
    const example = readFileSync(join(APP_DIR, "deploy", "config.yaml.example"), "utf8");
    expect(example.split("\n")[0]).toBe(
      `# yaml-language-server: $schema=/usr/share/pagerduty-voys-webhook/${CONFIG_SCHEMA_FILE}`,
    );
    expect(validateRoutesDocument(parse(example))).toMatchObject({ problems: [] });
  });
});
