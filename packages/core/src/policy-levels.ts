import { type ShiftIndex, selectorKey } from "./shift-index.js";

/** The levels of `policyId` that hold shifts in `index`, ascending ([] before the first load). */
export function policyLevels(index: ShiftIndex | null, policyId: string): number[] {
  if (index === null) return [];
  const prefix = selectorKey({ policyId, level: 0 }).slice(0, -1);
  const levels: number[] = [];
  for (const key of index.keys()) {
    if (!key.startsWith(prefix)) continue;
    const level = Number(key.slice(prefix.length));
    if (Number.isInteger(level)) levels.push(level);
  }
  return levels.sort((a, b) => a - b);
}
