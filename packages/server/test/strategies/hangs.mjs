// Test strategy module: a pick that never answers.
export function createStrategy() {
  return { name: "hangs", pick: () => new Promise(() => {}) };
}
