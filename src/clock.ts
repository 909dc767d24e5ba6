/** The one source of "now" for the whole app: inject a fixed clock in tests. */
export interface Clock {
  now(): Date;
}

/** Wall-clock time of this machine (always handled as UTC instants). */
export const systemClock: Clock = { now: () => new Date() };

/** A clock frozen at `at` that tests can move forward. */
export function fixedClock(at: Date | string): Clock & { set(at: Date | string): void; advanceMs(ms: number): void } {
  let current = new Date(at);
  return {
    now: () => new Date(current.getTime()),
    set: (next) => {
      current = new Date(next);
    },
    advanceMs: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}
