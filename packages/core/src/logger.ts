import type { Logger } from "./types.js";

const ignore = (): void => {};

/** A logger that drops everything: the default when no logger is given. */
export const silentLogger: Logger = Object.freeze({
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
});
