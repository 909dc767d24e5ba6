/**
 * Retries requests that GitHub refused with a secondary rate limit, after its Retry-After.
 *
 * Probot 14 under `probot run` configures its throttling plugin with an `onSecondaryRateLimit` that
 * only logs (no retry), and its retry plugin never retries a 403: every secondary limit failed the
 * whole event. A refused request was not carried out, so repeating it (even a create) is safe.
 */
import type { ProbotOctokit } from "probot";

/** Octokits that already carry the hook (each handler's gateway and the sweep may ask again). */
const hooked = new WeakSet<object>();

/** Attempts after the first refusal. */
const MAX_RETRIES = 3;
/** When GitHub gives no Retry-After (the throttling plugin's fallback too). */
const FALLBACK_WAIT_SECONDS = 60;
/** Longer waits are not worth holding an event for: the event fails and the next one repairs. */
const MAX_WAIT_SECONDS = 300;

/** Seconds to wait before retrying, or null when `error` is not a secondary rate limit. */
export function secondaryLimitWaitSeconds(error: unknown): number | null {
  if (typeof error !== "object" || error === null) return null;
  const { status, message, response } = error as {
    status?: unknown;
    message?: unknown;
    response?: { headers?: Record<string, unknown> };
  };
  if (status !== 403 && status !== 429) return null;
  if (typeof message !== "string" || !/\bsecondary rate\b/i.test(message)) return null;
  const header = Number(response?.headers?.["retry-after"]);
  return Number.isFinite(header) && header >= 0 ? header : FALLBACK_WAIT_SECONDS;
}

/** Makes `octokit` wait out secondary rate limits and retry (up to 3 times); idempotent. */
export function retrySecondaryRateLimits(octokit: ProbotOctokit): void {
  if (hooked.has(octokit)) return;
  hooked.add(octokit);
  octokit.hook.wrap("request", async (request, options) => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await request(options);
      } catch (error) {
        const waitSeconds = secondaryLimitWaitSeconds(error);
        if (waitSeconds === null || waitSeconds > MAX_WAIT_SECONDS || attempt >= MAX_RETRIES) throw error;
        octokit.log.warn(`secondary rate limit on ${options.method} ${options.url}: retrying in ${waitSeconds} s`);
        await new Promise((resolve) => setTimeout(resolve, waitSeconds * 1000));
      }
    }
  });
}
