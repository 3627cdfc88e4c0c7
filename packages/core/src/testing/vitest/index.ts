export { runCounterContract } from "./counter-contract.js";
export { runStickyStoreContract } from "./sticky-store-contract.js";
export type { StrategyContractOptions } from "./strategy-contract.js";
export { runStrategyContract } from "./strategy-contract.js";
