/**
 * Retries a request GitHub failed with a server error (or that never got an answer), as Probot's
 * `@octokit/plugin-retry` does, without a limiter: the plugin creates a Bottleneck per request only
 * to wait between attempts, and Bottleneck's zero-delay timers cost ~4 ms per request (issue #12).
 * {@link IncidentKeeperOctokit} switches the plugin off and installs this in its place.
 *
 * The same rules: a status at or above 400 that is not in `doNotRetry` is retried up to `retries`
 * times (a request's own `request.retries` wins), after (attempt + 1)² × `retryAfterBaseValue` ms;
 * a GraphQL answer "Something went wrong while executing your query" counts as a 500;
 * `request.retryCount` tells the next attempt which it is. A 403 (a rate limit) is left to the
 * throttling plugin and to {@link retrySecondaryRateLimits}; a 429 is also retried here, as Probot's
 * plugin did.
 */
import { RequestError } from "@octokit/request-error";

export interface RetryingOptions {
  enabled?: boolean;
  retries?: number;
  retryAfterBaseValue?: number;
  doNotRetry?: number[];
}

interface RequestOptions {
  request?: { retries?: number; retryCount?: number; [key: string]: unknown };
  [key: string]: unknown;
}

interface Hookable {
  hook: {
    wrap(name: "request", fn: (request: (o: RequestOptions) => Promise<unknown>, o: RequestOptions) => unknown): void;
  };
}

const GRAPHQL_SERVER_ERROR = /Something went wrong while executing your query/;

/** The status to judge `error` by, or null when it is not an answer to a request (nothing to retry). */
function failedStatus(error: unknown): number | null {
  if (!(error instanceof Error)) return null;
  const { status, request } = error as { status?: unknown; request?: { request?: unknown } };
  if (typeof status !== "number" || request?.request === undefined) return null;
  return status;
}

/** The Octokit plugin: reads `octokitOptions.retrying`. */
export function retrying(octokit: Hookable, octokitOptions: { retrying?: RetryingOptions }): Record<string, never> {
  const state = {
    enabled: true,
    retries: 3,
    retryAfterBaseValue: 1000,
    doNotRetry: [400, 401, 403, 404, 410, 422, 451],
    ...octokitOptions.retrying,
  };
  if (!state.enabled) return {};
  octokit.hook.wrap("request", async (request, options) => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const response = (await request(options)) as { data?: { errors?: { message?: unknown }[] } };
        const first = response.data?.errors?.[0];
        if (typeof first?.message === "string" && GRAPHQL_SERVER_ERROR.test(first.message)) {
          throw new RequestError(first.message, 500, { request: options as never, response: response as never });
        }
        return response;
      } catch (error) {
        const status = failedStatus(error);
        const retries = options.request?.retries ?? state.retries;
        if (status === null || status < 400 || state.doNotRetry.includes(status) || attempt >= retries) throw error;
        await new Promise((resolve) => setTimeout(resolve, (attempt + 1) ** 2 * state.retryAfterBaseValue));
        if (options.request) options.request.retryCount = attempt + 1;
        else options.request = { retryCount: attempt + 1 };
      }
    }
  });
  return {};
}
