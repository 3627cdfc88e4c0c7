import { fileURLToPath } from "node:url";
import shared from "../../stryker.shared.mjs";

/** Mutation testing of the webhook's hot path (`pnpm mutation`): handler, routing, route table, secret check, call metrics. */
export default {
  ...shared,
  vitest: { configFile: fileURLToPath(new URL("./vitest.mutation.config.ts", import.meta.url)) },
  mutate: [
    "src/webhook-handler.ts",
    "src/route-call.ts",
    "src/route-table.ts",
    "src/auth.ts",
    "src/call-metrics.ts",
  ],
};
