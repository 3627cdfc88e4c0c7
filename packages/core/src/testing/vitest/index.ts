export { runCounterContract } from "./counter-contract.js";
export { runStickyStoreContract } from "./sticky-store-contract.js";
export type { StrategyContractOptions } from "./strategy-contract.js";
export { runStrategyContract } from "./strategy-contract.js";
export type { StrategyModuleContractOptions } from "./strategy-module-contract.js";
export { runStrategyModuleContract } from "./strategy-module-contract.js";
