/** Placeholder until the testing entry is written. */
export const placeholder = true;
