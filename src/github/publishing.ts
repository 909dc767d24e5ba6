/**
 * The API calls of `/postmortem` (issue #14) on the publishing repository, another repository of the
 * same installation: its visibility, a branch's head, one file on a branch, the file's write, and the
 * draft pull request. Typed and minimal; made by `GitHubGateway.publishing()` (same octokit, same
 * write count).
 */
import type { ProbotOctokit } from "probot";
import { z } from "zod";
import type { RepoName, RepoVisibility } from "../core/postmortem.js";

const repoSchema = z.object({ private: z.boolean(), html_url: z.string(), default_branch: z.string() }).loose();
const fileSchema = z.object({ type: z.literal("file"), sha: z.string(), content: z.string() }).loose();
const pullSchema = z.object({ number: z.number(), html_url: z.string(), title: z.string() }).loose();

export interface DraftPull {
  number: number;
  url: string;
  title: string;
}

/** How long one request may take (as the gateway's). */
const REQUEST_TIMEOUT_MS = 20_000;
const timeout = (): AbortSignal => AbortSignal.timeout(REQUEST_TIMEOUT_MS);

export class PublishingGateway {
  constructor(
    private readonly octokit: ProbotOctokit,
    /** Counts a write request (the incident gateway's count). */
    private readonly countWrite: () => void,
  ) {}

  /** A repository's visibility, web address and default branch; `not-found` (not installed, no such repository) or `forbidden`. */
  async repository(
    ref: RepoName,
  ): Promise<
    ({ ok: true; defaultBranch: string } & RepoVisibility) | { ok: false; status: "not-found" | "forbidden" }
  > {
    try {
      const { data } = await this.octokit.rest.repos.get({ ...ref, request: { signal: timeout() } });
      const parsed = repoSchema.parse(data);
      return { ok: true, private: parsed.private, htmlUrl: parsed.html_url, defaultBranch: parsed.default_branch };
    } catch (error) {
      const status = statusOf(error);
      if (status === 404 || status === 301) return { ok: false, status: "not-found" };
      if (status === 403) return { ok: false, status: "forbidden" };
      throw error;
    }
  }

  /** The commit a branch points at, or null when the branch does not exist. */
  async branchSha(ref: RepoName, branch: string): Promise<string | null> {
    try {
      const { data } = await this.octokit.rest.git.getRef({
        ...ref,
        ref: `heads/${branch}`,
        request: { signal: timeout() },
      });
      return data.object.sha;
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  /** Creates `branch` at `sha`; a branch created meanwhile (422 "Reference already exists") is fine. */
  async createBranch(ref: RepoName, branch: string, sha: string): Promise<void> {
    try {
      this.countWrite();
      await this.octokit.rest.git.createRef({
        ...ref,
        ref: `refs/heads/${branch}`,
        sha,
        request: { signal: timeout() },
      });
    } catch (error) {
      if (statusOf(error) !== 422) throw error;
    }
  }

  /** A file's text and blob sha on a branch, or null when it is not there. */
  async file(ref: RepoName, path: string, branch: string): Promise<{ sha: string; text: string } | null> {
    try {
      const { data } = await this.octokit.rest.repos.getContent({
        ...ref,
        path,
        ref: branch,
        request: { signal: timeout() },
      });
      const parsed = fileSchema.safeParse(data);
      if (!parsed.success) return null;
      return { sha: parsed.data.sha, text: Buffer.from(parsed.data.content, "base64").toString("utf8") };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  /** Creates or updates a file on a branch (`sha`: the blob it replaces; GitHub answers 409/422 when it is stale). */
  async putFile(
    ref: RepoName,
    args: { path: string; branch: string; text: string; message: string; sha: string | null },
  ): Promise<void> {
    this.countWrite();
    await this.octokit.rest.repos.createOrUpdateFileContents({
      ...ref,
      path: args.path,
      branch: args.branch,
      message: args.message,
      content: Buffer.from(args.text, "utf8").toString("base64"),
      ...(args.sha ? { sha: args.sha } : {}),
      // A stale sha (409) is not retried blindly: the caller reads the file again.
      request: { retries: 0, signal: timeout() },
    });
  }

  /** The open pull request from `branch` (of the same repository), if any. */
  async openPullFrom(ref: RepoName, branch: string): Promise<DraftPull | null> {
    const { data } = await this.octokit.rest.pulls.list({
      ...ref,
      head: `${ref.owner}:${branch}`,
      state: "open",
      per_page: 10,
      request: { signal: timeout() },
    });
    const first = data[0];
    if (!first) return null;
    const parsed = pullSchema.parse(first);
    return { number: parsed.number, url: parsed.html_url, title: parsed.title };
  }

  /** Opens a draft pull request. */
  async createDraftPull(
    ref: RepoName,
    args: { title: string; body: string; head: string; base: string },
  ): Promise<DraftPull> {
    this.countWrite();
    const { data } = await this.octokit.rest.pulls.create({
      ...ref,
      title: args.title,
      body: args.body,
      head: args.head,
      base: args.base,
      draft: true,
      request: { retries: 0, signal: timeout() },
    });
    const parsed = pullSchema.parse(data);
    return { number: parsed.number, url: parsed.html_url, title: parsed.title };
  }

  /** Retitles a pull request (the incident's title changed). */
  async retitlePull(ref: RepoName, number: number, title: string): Promise<void> {
    this.countWrite();
    await this.octokit.rest.pulls.update({ ...ref, pull_number: number, title, request: { signal: timeout() } });
  }
}

function statusOf(error: unknown): number | null {
  if (typeof error === "object" && error !== null && "status" in error && typeof error.status === "number")
    return error.status;
  return null;
}
