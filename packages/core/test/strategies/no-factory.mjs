// A test strategy module without a factory.
export const strategy = "nothing to see";
