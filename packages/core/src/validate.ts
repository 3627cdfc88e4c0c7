/** Appends a problem unless `value` is a finite number ≥ `min` (or undefined, when optional). */
export function checkNumber(
  problems: string[],
  name: string,
  value: unknown,
  min: number,
  optional = true,
): void {
  if (value === undefined && optional) return;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    problems.push(`${name}: expected a number ≥ ${min}, got ${String(value)}`);
  }
}

/** Appends a problem unless `value` is a function (or undefined, when optional). */
export function checkFunction(problems: string[], name: string, value: unknown, optional = true): void {
  if (value === undefined && optional) return;
  if (typeof value !== "function") problems.push(`${name}: expected a function`);
}
