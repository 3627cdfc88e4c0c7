import type { HeldRoster } from "./roster-health.js";

/** Why the roster thinks the wall clock jumped. */
type ClockJump =
  | { readonly reason: "clock-skew"; readonly skewMs: number }
  | { readonly reason: "outside-window"; readonly now: Date };

/** What a clock watch compares. */
export interface ClockWatchOptions {
  /** The wall clock. */
  readonly now: () => Date;
  /** The monotonic clock (milliseconds). */
  readonly monotonicNow: () => number;
  /** Disagreement between the two clocks that counts as a jump. */
  readonly toleranceMs: number;
  /** How long before the end of the held window a refresh is due at once. */
  readonly marginMs: number;
  /** The roster whose window is watched. */
  readonly held: HeldRoster;
  /** Called once per jump noticed. */
  readonly onJump: (jump: ClockJump) => void;
}

/** Notices a stepped wall clock: cheap enough to run on every call. */
export interface ClockWatch {
  /** Compares the clocks and the held window; calls `onJump` when the wall clock jumped. */
  check(): void;
}

/**
 * Creates a clock watch. A jump is noticed when the wall clock moved more (or less) than the
 * monotonic clock by over `toleranceMs` since the last check, or when the wall clock left the window
 * the roster holds (before its start, or within `marginMs` of its end): once per held window.
 */
export function createClockWatch(options: ClockWatchOptions): ClockWatch {
  const { held } = options;
  let wallRef = options.now().getTime();
  let monoRef = options.monotonicNow();
  /** The window end already handled; undefined until a jump or a window was handled. */
  let windowHandled: Date | null | undefined;
  return {
    check() {
      const wall = options.now().getTime();
      const mono = options.monotonicNow();
      const skewMs = wall - wallRef - (mono - monoRef);
      wallRef = wall;
      monoRef = mono;
      if (Math.abs(skewMs) > options.toleranceMs) {
        // The refresh this starts covers the window check as well.
        windowHandled = held.coveredUntil;
        options.onJump({ reason: "clock-skew", skewMs });
        return;
      }
      const { coveredSince, coveredUntil } = held;
      if (coveredSince === null || coveredUntil === null || windowHandled === coveredUntil) return;
      if (wall < coveredSince.getTime() || wall >= coveredUntil.getTime() - options.marginMs) {
        windowHandled = coveredUntil;
        options.onJump({ reason: "outside-window", now: new Date(wall) });
      }
    },
  };
}
