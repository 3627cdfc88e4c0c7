/** Placeholder until the cli entry is written. */
export const placeholder = true;
