// A test strategy module whose factory throws.
export default function broken() {
  throw new Error("strategy_options.country is required");
}
