/**
 * The one place that prepares an octokit for the app's work (webhook deliveries, the sweep, the CLI,
 * the Action, the report): every request hook is installed from here, and what the app keeps in
 * memory about GitHub lives in a {@link GitHubCaches} created with the app (tests create a fresh app
 * instead of clearing module state).
 */
import type { ProbotOctokit } from "probot";
import { ConditionalReadCache, conditionalContentReads } from "./conditional-reads.js";
import { MissingConfigFiles, shareOrgConfigReads } from "./config-reader.js";
import { retrySecondaryRateLimits } from "./secondary-limit.js";

/** Memory about GitHub that outlives one delivery: caches only, never state (a miss costs a read). */
export class GitHubCaches {
  /** Repository labels known to exist, per `installation:owner/repo` (lower case). */
  readonly knownLabels = new Map<string, Set<string>>();
  /** The last answer of each conditional read of repository contents (config files). */
  readonly contentReads = new ConditionalReadCache();
  /** Repositories last seen without their own config file: their org `.github` file is read at once. */
  readonly missingConfigFiles = new MissingConfigFiles();
  /** The weekly digest's reported weeks already settled, per `installation:owner/repo` (saves the listing). */
  readonly settledDigests = new Map<string, string>();
}

export interface PrepareOptions {
  /** The installation the octokit acts for (conditional reads are never shared across installations). */
  installationId: number;
  caches: GitHubCaches;
}

/**
 * Installs the app's request hooks on `octokit` (idempotent per octokit): retries after secondary
 * rate limits, and conditional reads of repository contents.
 */
export function prepareOctokit(octokit: ProbotOctokit, options: PrepareOptions): void {
  retrySecondaryRateLimits(octokit);
  conditionalContentReads(octokit, options.installationId, options.caches.contentReads);
}

/**
 * Starts one pass over many repositories (a sweep, a report): until the next call for the same
 * octokit, the organisation's `.github` config file is read once for all of them.
 */
export function startReadPass(octokit: ProbotOctokit): void {
  shareOrgConfigReads(octokit);
}

/** Counts every request `octokit` sends from now on (once per octokit; the same counter after). */
export function countRequests(octokit: ProbotOctokit): { calls: number } {
  let counter = counters.get(octokit);
  if (!counter) {
    const fresh = { calls: 0 };
    counter = fresh;
    counters.set(octokit, fresh);
    octokit.hook.before("request", () => {
      fresh.calls += 1;
    });
  }
  return counter;
}

/** Per octokit object (weak): dies with the octokit, nothing for tests to clear. */
const counters = new WeakMap<object, { calls: number }>();
