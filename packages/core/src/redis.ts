/** Placeholder until the redis entry is written. */
export const placeholder = true;
