/** Placeholder until the index entry is written. */
export const placeholder = true;
