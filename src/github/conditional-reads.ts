/**
 * Conditional reads of repository files (the config, the organisation's `.github` defaults): the
 * request carries the file's last `ETag` in `If-None-Match`, GitHub answers `304 Not Modified` while
 * the file is unchanged, and a 304 does not count against the installation's rate limit. The last
 * answer is kept per installation, media type and URL for the process's lifetime (never shared
 * across installations), at most {@link MAX_ENTRIES} of them.
 */
import type { ProbotOctokit } from "probot";
import { statusOf } from "./gateway.js";

type Octokit = InstanceType<typeof ProbotOctokit>;
type Response = Awaited<ReturnType<Octokit["request"]>>;

const CONTENTS_URL = /\/repos\/[^/]+\/[^/]+\/contents\//i;
export const MAX_ENTRIES = 1_000;

/** The kept answers (per installation, media type and URL), owned by the app's `GitHubCaches`. */
export class ConditionalReadCache {
  private readonly answers = new Map<string, { etag: string; response: Response }>();

  get(key: string): { etag: string; response: Response } | undefined {
    return this.answers.get(key);
  }

  delete(key: string): void {
    this.answers.delete(key);
  }

  /** Keeps `response` under `key` as the newest entry (null: forgets it), at most MAX_ENTRIES. */
  remember(key: string, response: Response | null): void {
    this.answers.delete(key);
    if (!response) return;
    this.answers.set(key, { etag: String(response.headers.etag), response });
    if (this.answers.size > MAX_ENTRIES) this.answers.delete(this.answers.keys().next().value as string);
  }

  get size(): number {
    return this.answers.size;
  }
}

/** Octokits already wrapped (weak: per octokit object, nothing to clear). */
const wrapped = new WeakSet<object>();

/**
 * Makes this octokit's GETs of repository contents conditional, keeping answers in `answers`
 * (idempotent per octokit). Installed by `prepareOctokit`.
 */
export function conditionalContentReads(octokit: Octokit, installationId: number, answers: ConditionalReadCache): void {
  if (wrapped.has(octokit)) return;
  wrapped.add(octokit);
  octokit.hook.wrap("request", async (request, options) => {
    const { method, url, headers } = octokit.request.endpoint.parse(options);
    if (method !== "GET" || !CONTENTS_URL.test(url)) return request(options);
    const key = `${installationId} ${String(headers.accept ?? "")} ${url}`;
    const known = answers.get(key);
    // Set on the request's own options object: before-after-hook binds every inner hook (auth,
    // retry, throttling) to that object, so a copy passed on would lose the header.
    if (known) options.headers = { ...options.headers, "if-none-match": known.etag };
    try {
      const response = await request(options);
      answers.remember(key, typeof response.headers.etag === "string" ? response : null);
      return response;
    } catch (error) {
      if (known && statusOf(error) === 304) return known.response;
      if (statusOf(error) === 404) answers.delete(key);
      throw error;
    }
  });
}
