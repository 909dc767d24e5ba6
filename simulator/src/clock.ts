/**
 * The simulator's clock: real time until `set`, then frozen at the given instant until moved
 * again, so timestamps in tests are exact.
 */
export class SimClock {
  #fixed: Date | null = null;

  /** The current simulated time. */
  now(): Date {
    return this.#fixed ? new Date(this.#fixed.getTime()) : new Date();
  }

  /** Freezes the clock at `date`; `null` returns to real time. */
  set(date: Date | null): void {
    this.#fixed = date ? new Date(date.getTime()) : null;
  }

  /** Moves a frozen clock forward (freezing it at the current real time first if it runs). */
  advance(ms: number): void {
    this.#fixed = new Date(this.now().getTime() + ms);
  }
}

/**
 * Real time in milliseconds, for what must not follow the simulated clock: request durations,
 * settle and start-up timeouts, installation-token expiry, rate-limit reset headers.
 */
export function wallNow(): number {
  return Date.now();
}
