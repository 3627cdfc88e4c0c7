import shared from "../../stryker.shared.mjs";

/** Mutation testing of core's production code (`pnpm mutation`): no tests, no test support. */
export default {
  ...shared,
  mutate: [
    "src/**/*.ts",
    "!src/**/*.test.ts",
    "!src/testing/**",
    "!src/index.ts",
    "!src/redis.ts",
    "!src/types.ts",
  ],
};
