// Test strategy module without a factory.
export const name = "nothing";
