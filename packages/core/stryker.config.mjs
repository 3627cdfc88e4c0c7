import shared from "../../stryker.shared.mjs";

/**
 * Mutation testing of core's production code (`pnpm mutation`): no tests, no test support. The Redis
 * plumbing is left out: its tests run against a real redis-server, where a mutant costs seconds and
 * often the whole timeout; its behaviour is covered by the Redis contract and fault tests instead.
 */
export default {
  ...shared,
  mutate: [
    "src/**/*.ts",
    "!src/**/*.test.ts",
    "!src/testing/**",
    "!src/index.ts",
    "!src/types.ts",
    "!src/redis*.ts",
    "!src/command-timeout.ts",
  ],
};
