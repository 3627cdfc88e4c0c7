import { defineConfig } from "vitest/config";

/**
 * The one vitest configuration of the repository: every package's `vitest.config.ts` re-exports it.
 * Paths are relative to the package vitest runs in. Coverage (`vitest run --coverage`, with
 * @vitest/coverage-v8) counts production code only: no tests, no test support.
 */
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    reporters: ["default", "json"],
    outputFile: { json: "test-results.json" },
    testTimeout: 20_000,
    hookTimeout: 20_000,
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      exclude: ["src/**/*.test.ts", "src/testing/**"],
    },
  },
});
