// Test strategy module whose factory refuses its options.
export default ({ options }) => {
  throw new Error(`strategy_options.country must be a string, got ${typeof options.country}`);
};
