/**
 * The Octokit the app runs on: Probot's own (`ProbotOctokit`: throttling, pagination, REST methods,
 * request logging, config) with two parts of its request pipeline replaced by equivalents that do
 * not wait on zero-delay timers (issue #12: they cost ~25-35 ms per delivery, BENCHMARKS.md):
 * - throttling keeps `@octokit/plugin-throttling` and its limits, on {@link LocalLimiter} through the
 *   plugin's `throttle.Bottleneck` option; with `REDIS_URL` Probot passes Bottleneck and a Redis
 *   connection (cluster-wide limits) and those are kept as they are;
 * - `@octokit/plugin-retry` is switched off and {@link retrying} does its work with the same rules;
 *   options given as `retry` (Probot's name) are read by it.
 *
 * `npm start` (src/server.ts), the CLI and the Action serve through this class; handlers and tests
 * see a `ProbotOctokit` in every other respect.
 */
import { ProbotOctokit } from "probot";
import { LocalLimiter } from "./local-limiter.js";
import { retrying, type RetryingOptions } from "./retry.js";

interface PipelineOptions {
  retry?: RetryingOptions;
  retrying?: RetryingOptions;
  throttle?: { Bottleneck?: unknown; connection?: unknown; [key: string]: unknown };
  [key: string]: unknown;
}

/**
 * Options as the app's pipeline needs them; idempotent (an installation's octokit is built again
 * from its app octokit's final options).
 */
export function pipelineOptions(options: PipelineOptions): PipelineOptions {
  const retry = options.retrying ?? options.retry ?? {};
  const throttle = options.throttle ?? {};
  const clustered = throttle.connection != null;
  return {
    ...options,
    retry: { enabled: false },
    retrying: retry,
    throttle: clustered || throttle.Bottleneck != null ? throttle : { ...throttle, Bottleneck: LocalLimiter },
  };
}

export const IncidentKeeperOctokit: typeof ProbotOctokit = ProbotOctokit.plugin(retrying as never).defaults(
  (options: PipelineOptions) => pipelineOptions(options),
);
