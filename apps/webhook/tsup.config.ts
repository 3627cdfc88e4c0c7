import { writeFileSync } from "node:fs";
import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    cli: "src/cli.ts", // keeps its `#!/usr/bin/env node` line; tsup marks it executable
  },
  format: ["esm"],
  dts: { entry: { index: "src/index.ts" } },
  clean: true,
  sourcemap: true,
  target: "node20",
  // config.yaml's JSON Schema, generated from the zod schema that validates it (shipped in dist/).
  async onSuccess() {
    const { CONFIG_SCHEMA_FILE, configJsonSchema } = await import(`${process.cwd()}/dist/index.js`);
    writeFileSync(`dist/${CONFIG_SCHEMA_FILE}`, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  },
});
