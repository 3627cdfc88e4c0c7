import shared from "../../stryker.shared.mjs";

/** Mutation testing of the whole adapter (`pnpm mutation`). */
export default {
  ...shared,
  mutate: ["src/**/*.ts", "!src/**/*.test.ts", "!src/index.ts"],
};
