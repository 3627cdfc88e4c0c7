import { defineConfig } from "vitest/config";
import shared from "../../vitest.shared.js";

/**
 * The tests Stryker runs against the webhook path (`pnpm mutation`): the in-process ones. The
 * end-to-end files (fake PagerDuty over HTTP, Redis, property tests) take minutes per run there.
 */
export default defineConfig({
  test: {
    ...shared.test,
    include: [
      "src/**/*.test.ts",
      "test/webhook.test.ts",
      "test/webhook-path.test.ts",
      "test/security.test.ts",
      "test/sticky.test.ts",
      "test/webhook-observed.test.ts",
    ],
  },
});
