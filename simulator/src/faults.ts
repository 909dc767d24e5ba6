/**
 * Fault injection for reliability tests: failing statuses, dropped connections and secondary
 * rate limits, drawn from a seeded PRNG so a given seed always fails the same requests.
 */

/** Fault settings; every rate is a probability between 0 and 1. */
export interface FaultConfig {
  /** Answer with one of `statuses` (default [500, 502]). */
  failRate?: number;
  statuses?: number[];
  /** Drop the connection without an answer after `timeoutDelayMs` (default 50 ms). */
  timeoutRate?: number;
  timeoutDelayMs?: number;
  /** Answer 403 with `retry-after: 1` and GitHub's secondary-rate-limit message. */
  secondaryRateLimitRate?: number;
  /** PRNG seed (default 1). */
  seed?: number;
  /** Carry out failed writes before answering 502 (the write happened, the answer was lost). */
  applyWritesBeforeFailing?: boolean;
  /** Also fault POST /app/installations/{id}/access_tokens (default false). */
  includeTokenCreation?: boolean;
  /**
   * Fault only these operations: REST operation ids (`issues/create-comment`) or `graphql:FIELD` for
   * a GraphQL request whose first top-level field is FIELD (`graphql:transferIssue`). Default: all.
   */
  only?: string[];
}

/** What happens to one request. */
export type FaultDecision =
  | { kind: "none" }
  | { kind: "status"; status: number; applyFirst: boolean }
  | { kind: "timeout"; delayMs: number }
  | { kind: "secondary-rate-limit" };

/** mulberry32: a tiny, well-distributed 32-bit PRNG. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Decides, request by request, which fault (if any) to inject. */
export class FaultInjector {
  #config: FaultConfig = {};
  #random: () => number = mulberry32(1);

  /** The current settings. */
  get config(): FaultConfig {
    return { ...this.#config };
  }

  /** Replaces the settings and restarts the PRNG from the seed. */
  configure(config: FaultConfig): void {
    this.#config = { ...config };
    this.#random = mulberry32(config.seed ?? 1);
  }

  /** True when any fault can happen. */
  get active(): boolean {
    const c = this.#config;
    return (c.failRate ?? 0) > 0 || (c.timeoutRate ?? 0) > 0 || (c.secondaryRateLimitRate ?? 0) > 0;
  }

  /** The fate of the next eligible request; consumes PRNG draws only while faults are active. */
  decide(request: { isWrite: boolean; isTokenCreation: boolean; operation?: string }): FaultDecision {
    const c = this.#config;
    if (!this.active || (request.isTokenCreation && !c.includeTokenCreation)) return { kind: "none" };
    if (c.only && !c.only.includes(request.operation ?? "")) return { kind: "none" };
    const draw = this.#random();
    const timeout = c.timeoutRate ?? 0;
    const limited = timeout + (c.secondaryRateLimitRate ?? 0);
    const failed = limited + (c.failRate ?? 0);
    if (draw < timeout) return { kind: "timeout", delayMs: c.timeoutDelayMs ?? 50 };
    if (draw < limited) return { kind: "secondary-rate-limit" };
    if (draw < failed) {
      const statuses = c.statuses && c.statuses.length > 0 ? c.statuses : [500, 502];
      const status = statuses[Math.floor(this.#random() * statuses.length)] ?? 500;
      return { kind: "status", status, applyFirst: request.isWrite && c.applyWritesBeforeFailing === true };
    }
    return { kind: "none" };
  }
}

/** GitHub's answer body for a secondary rate limit. */
export const SECONDARY_RATE_LIMIT_MESSAGE =
  "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID SIMULATED.";
