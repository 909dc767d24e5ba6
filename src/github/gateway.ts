/**
 * The GitHub gateway: every API call the app makes goes through here, typed, paginated where the
 * endpoint lists, and cached where the answer cannot change within the scope (an event, or for label
 * existence the app's lifetime).
 */
import type { ProbotOctokit } from "probot";
import type { Logger } from "probot";
import { isOwnComment, type AppIdentity } from "./identity.js";
import { toPermissionLevel, type PermissionLevel } from "../core/permissions.js";
import type { LabelSpec } from "../core/label-catalog.js";
import type { IncidentIssue } from "../core/incident.js";
import type { LabelEvent } from "../core/incident-start.js";
import { issueSchema, toIssueSnapshot } from "./payloads.js";
import { remoteStateOf, type RemoteState } from "../core/writeup.js";
import type { OwnComment } from "../core/snapshot.js";
import type { HistoryComment } from "../core/state-rebuild.js";
import { parseKey } from "../core/references.js";
import { z } from "zod";
import { prepareOctokit, type GitHubCaches } from "./prepare-octokit.js";
import { PublishingGateway } from "./publishing.js";
import { readRepoConfig } from "./config-reader.js";
import type { ConfigResult } from "../config/load.js";
import type { SecurityTarget } from "../core/security.js";

export { toIssueSnapshot };

export interface RepoRef {
  owner: string;
  repo: string;
}

export type { OwnComment };

export type IssueSnapshot = IncidentIssue;

/** A timeline entry that adds or removes a label (other entries are skipped). */
const labelEventSchema = z.object({
  event: z.enum(["labeled", "unlabeled"]),
  label: z.object({ name: z.string() }),
  created_at: z.iso.datetime({ offset: true }),
});

export class GitHubGateway {
  private readonly permissions = new Map<string, Promise<PermissionLevel>>();
  private writeCount = 0;
  private readonly created: number[] = [];
  /** GitHub's time of the latest write answer that carried one, and the write count then. */
  private lastAnswer: { atMs: number; writes: number } | null = null;

  constructor(
    private readonly octokit: ProbotOctokit,
    private readonly repoRef: RepoRef,
    private readonly identity: AppIdentity,
    private readonly log: Logger,
    private readonly installationId: number,
    /** The app's caches: repo labels known to exist live there for the app's lifetime. */
    private readonly caches: GitHubCaches,
  ) {
    prepareOctokit(octokit, { installationId, caches });
  }

  get repo(): RepoRef {
    return this.repoRef;
  }

  /** The installation this gateway acts for. */
  get installation(): number {
    return this.installationId;
  }

  /** Write requests this gateway has sent (answered or not), for write budgets and reports. */
  get writes(): number {
    return this.writeCount;
  }

  /**
   * GitHub's time (`updated_at` of its answer) of this gateway's last write, when that write was the
   * last one sent (none after it whose answer carries no time, e.g. labels or a delete); else null.
   * The issue's `updated_at` is then at most this time unless someone else changed it since.
   */
  get lastWriteAt(): string | null {
    if (!this.lastAnswer || this.lastAnswer.writes !== this.writeCount) return null;
    return new Date(this.lastAnswer.atMs).toISOString();
  }

  private answered(updatedAt: string | null | undefined): void {
    const atMs = updatedAt ? Date.parse(updatedAt) : Number.NaN;
    if (!Number.isFinite(atMs)) return;
    this.lastAnswer = { atMs: Math.max(atMs, this.lastAnswer?.atMs ?? atMs), writes: this.writeCount };
  }

  /** Ids of the comments this gateway created, oldest first. */
  get createdComments(): readonly number[] {
    return this.created;
  }

  /** The calls `/postmortem` makes on other repositories of the installation (issue #14); writes count here. */
  publishing(): PublishingGateway {
    return new PublishingGateway(this.octokit, () => {
      this.writeCount += 1;
    });
  }

  /** Deletes one of the app's comments; a comment already gone is fine. */
  async deleteComment(commentId: number): Promise<void> {
    try {
      this.writeCount += 1;
      await this.octokit.rest.issues.deleteComment({
        ...this.repoRef,
        comment_id: commentId,
        request: { signal: timeout() },
      });
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  /** The app's own comments on an issue, oldest first (one paginated read). */
  async ownComments(issueNumber: number): Promise<OwnComment[]> {
    return (await this.issueThread(issueNumber)).own;
  }

  /**
   * The issue's comments in one listing: the app's own, and people's (bots aside), which say the
   * commands a rebuilt hidden state replays (issue #10 item 6).
   */
  async issueThread(issueNumber: number): Promise<{ own: OwnComment[]; people: HistoryComment[]; gone?: true }> {
    const comments: Awaited<ReturnType<typeof this.octokit.rest.issues.listComments>>["data"] = [];
    const address = `/repos/${this.repoRef.owner}/${this.repoRef.repo}/issues/${issueNumber}/comments`.toLowerCase();
    try {
      for await (const page of this.octokit.paginate.iterator(this.octokit.rest.issues.listComments, {
        ...this.repoRef,
        issue_number: issueNumber,
        per_page: 100,
        request: { signal: timeout() },
      })) {
        // Moved to another repository (a transferred security incident, issue #14): GitHub redirects
        // the old address; nothing is decided there any more.
        if (!new URL(page.url).pathname.toLowerCase().endsWith(address)) return { own: [], people: [], gone: true };
        comments.push(...page.data);
      }
    } catch (error) {
      const status = statusOf(error);
      if (status === 404 || status === 410) return { own: [], people: [], gone: true };
      throw error;
    }
    const own = comments.filter((c) => isOwnComment(c, this.identity));
    const people = comments.filter((c) => !isOwnComment(c, this.identity) && c.user?.type !== "Bot" && c.user?.login);
    return {
      own: own.map((c) => ({
        id: c.id,
        body: c.body ?? "",
        ...(c.updated_at ? { updatedAt: new Date(c.updated_at) } : {}),
      })),
      people: people.map((c) => ({
        login: c.user?.login ?? "",
        body: (c.body ?? "").slice(0, 65_536),
        createdAt: new Date(c.created_at),
      })),
    };
  }

  /** A user's permission on the repository, read at most once per gateway (= per event). */
  permissionOf(login: string): Promise<PermissionLevel> {
    let pending = this.permissions.get(login);
    if (!pending) {
      pending = this.octokit.rest.repos
        .getCollaboratorPermissionLevel({ ...this.repoRef, username: login, request: { signal: timeout() } })
        .then(({ data }) => toPermissionLevel(data.role_name, data.permission))
        .catch((error: unknown) => {
          if (statusOf(error) === 404) return "none" as const;
          throw error;
        });
      this.permissions.set(login, pending);
    }
    return pending;
  }

  /** Creates the labels among `specs` that the repository lacks (repo labels read once per app). */
  async ensureLabels(specs: LabelSpec[]): Promise<void> {
    if (specs.length === 0) return;
    const key = `${this.installationId}:${this.repoRef.owner}/${this.repoRef.repo}`.toLowerCase();
    let known = this.caches.knownLabels.get(key);
    if (!known) {
      const labels = await this.octokit.paginate(this.octokit.rest.issues.listLabelsForRepo, {
        ...this.repoRef,
        per_page: 100,
        request: { signal: timeout() },
      });
      known = new Set(labels.map((l) => l.name.toLowerCase()));
      this.caches.knownLabels.set(key, known);
    }
    for (const spec of specs) {
      if (known.has(spec.name.toLowerCase())) continue;
      try {
        this.writeCount += 1;
        await this.octokit.rest.issues.createLabel({
          ...this.repoRef,
          name: spec.name,
          color: spec.color,
          description: spec.description,
          request: { signal: timeout() },
        });
      } catch (error) {
        if (statusOf(error) !== 422) throw error; // 422: someone created it meanwhile
      }
      known.add(spec.name.toLowerCase());
    }
  }

  async addLabels(issueNumber: number, labels: string[]): Promise<void> {
    if (labels.length === 0) return;
    this.writeCount += 1;
    await this.octokit.rest.issues.addLabels({
      ...this.repoRef,
      issue_number: issueNumber,
      labels,
      request: { signal: timeout() },
    });
  }

  async removeLabel(issueNumber: number, name: string): Promise<void> {
    try {
      this.writeCount += 1;
      await this.octokit.rest.issues.removeLabel({
        ...this.repoRef,
        issue_number: issueNumber,
        name,
        request: { signal: timeout() },
      });
    } catch (error) {
      if (statusOf(error) !== 404) throw error; // already gone
    }
  }

  /**
   * Creates a comment without blind retries: when the answer is lost (5xx, timeout) the comment may
   * exist anyway, so look for it (by its first line, the app's marker) before trying once more.
   */
  async createComment(issueNumber: number, body: string): Promise<OwnComment> {
    const create = async (retries: number): Promise<OwnComment> => {
      this.writeCount += 1;
      const { data } = await this.octokit.rest.issues.createComment({
        ...this.repoRef,
        issue_number: issueNumber,
        body,
        request: { retries, signal: timeout() },
      });
      this.created.push(data.id);
      this.answered(data.updated_at);
      return { id: data.id, body: data.body ?? body };
    };
    try {
      return await create(0);
    } catch (error) {
      if (!mayHaveLanded(error)) throw error;
      const marker = body.split("\n", 1)[0] ?? body;
      const landed = (await this.ownComments(issueNumber)).find(
        (c) => c.body.split("\n", 1)[0] === marker && (marker.startsWith("<!-- incident-keeper:") || c.body === body),
      );
      if (landed) {
        this.log.warn(
          { repo: this.repoRef, issue: issueNumber },
          "comment creation answered with an error but the comment exists: not repeated",
        );
        return landed;
      }
      return create(2);
    }
  }

  async updateComment(commentId: number, body: string): Promise<void> {
    this.writeCount += 1;
    const { data } = await this.octokit.rest.issues.updateComment({
      ...this.repoRef,
      comment_id: commentId,
      body,
      request: { signal: timeout() },
    });
    this.answered((data as { updated_at?: string } | undefined)?.updated_at);
  }

  async getIssue(issueNumber: number): Promise<IssueSnapshot> {
    return (await this.locateIssue(issueNumber)).issue;
  }

  /**
   * Issue `issueNumber` and the repository it is in now: a transferred issue (a moved security
   * incident, issue #14) answers its old number with 301 to its new address, which the request follows
   * (no call of its own); the answer's `repository_url` names where it landed.
   */
  async locateIssue(issueNumber: number): Promise<{ issue: IssueSnapshot; owner: string; repo: string }> {
    const { data } = await this.octokit.rest.issues.get({
      ...this.repoRef,
      issue_number: issueNumber,
      request: { signal: timeout() },
    });
    const [owner, repo] = (repoFromUrl(data.repository_url) ?? "").split("/");
    return owner && repo
      ? { issue: toIssueSnapshot(data), owner, repo }
      : { issue: toIssueSnapshot(data), ...this.repoRef };
  }

  async updateIssue(
    issueNumber: number,
    change: { state?: "open" | "closed"; state_reason?: "completed" | "not_planned" | "reopened"; body?: string },
  ): Promise<void> {
    this.writeCount += 1;
    const { data } = await this.octokit.rest.issues.update({
      ...this.repoRef,
      issue_number: issueNumber,
      ...change,
      request: { signal: timeout() },
    });
    this.answered((data as { updated_at?: string } | undefined)?.updated_at);
  }

  /** Opens an issue (the weekly digest). */
  async createIssue(issue: { title: string; body: string; labels: string[] }): Promise<{ number: number }> {
    this.writeCount += 1;
    const request = { signal: timeout() };
    const { data } = await this.octokit.rest.issues.create({ ...this.repoRef, ...issue, request });
    return { number: data.number };
  }

  /** Issues the app itself opened that carry `label` (open or closed), newest first, first page only. */
  async ownIssuesWithLabel(label: string): Promise<{ number: number; body: string }[]> {
    const { data } = await this.octokit.rest.issues.listForRepo({
      ...this.repoRef,
      labels: label,
      state: "all",
      sort: "created",
      direction: "desc",
      per_page: 30,
      request: { signal: timeout() },
    });
    const bot = this.identity.botLogin;
    const own = data.filter((i) => !i.pull_request && i.user?.type === "Bot" && i.user.login === bot);
    return own.map((i) => ({ number: i.number, body: i.body ?? "" }));
  }

  /** What GitHub says about `owner/name#N` (issue or PR); not found / no access reads as unknown. */
  async remoteState(key: string): Promise<RemoteState> {
    return (await this.remoteStateTimed(key)).state;
  }

  /**
   * {@link remoteState} with GitHub's times from the same answer, for the incident's timeline (no
   * extra request): its outcome (`merged_at`, else `closed_at`) and its opening (`created_at`).
   */
  async remoteStateTimed(
    key: string,
  ): Promise<{ state: RemoteState; doneAt: string | null; createdAt: string | null }> {
    const parsed = parseKey(key);
    if (!parsed) return { state: { found: false }, doneAt: null, createdAt: null };
    try {
      const { data } = await this.octokit.rest.issues.get({
        owner: parsed.owner,
        repo: parsed.repo,
        issue_number: parsed.number,
        request: { signal: timeout() },
      });
      const state = data.state === "closed" ? "closed" : "open";
      const merged = Boolean(data.pull_request?.merged_at);
      const doneAt = state === "closed" ? (data.pull_request?.merged_at ?? data.closed_at ?? null) : null;
      return {
        state: remoteStateOf({
          isPullRequest: Boolean(data.pull_request),
          state,
          stateReason: data.state_reason ?? null,
          merged,
          title: data.title,
        }),
        doneAt,
        createdAt: data.created_at ?? null,
      };
    } catch (error) {
      const status = statusOf(error);
      if (status === 404 || status === 403 || status === 410 || status === 301)
        return { state: { found: false }, doneAt: null, createdAt: null };
      throw error;
    }
  }

  /** Issues (in any repository the installation sees) whose body or comments reference `owner/name#N`. */
  /** The `labeled` / `unlabeled` entries of an issue's timeline (one paginated read). */
  async labelEvents(issueNumber: number): Promise<LabelEvent[]> {
    const events = await this.octokit.paginate(this.octokit.rest.issues.listEventsForTimeline, {
      ...this.repoRef,
      issue_number: issueNumber,
      per_page: 100,
      request: { signal: timeout() },
    });
    return events.flatMap((event) => {
      const parsed = labelEventSchema.safeParse(event);
      return parsed.success
        ? [{ event: parsed.data.event, label: parsed.data.label.name, at: new Date(parsed.data.created_at) }]
        : [];
    });
  }

  async referencingIssues(key: string): Promise<ReferencingIssue[]> {
    const parsed = parseKey(key);
    if (!parsed) return [];
    const events = await this.octokit.paginate(this.octokit.rest.issues.listEventsForTimeline, {
      owner: parsed.owner,
      repo: parsed.repo,
      issue_number: parsed.number,
      per_page: 100,
      request: { signal: timeout() },
    });
    const found = new Map<string, ReferencingIssue>();
    for (const event of events) {
      if (!("event" in event) || event.event !== "cross-referenced" || !("source" in event)) continue;
      // The app's own mentions (a status comment naming a PR in review) do not make an issue list an action.
      if ((event as { actor?: { login?: string } | null }).actor?.login === this.identity.botLogin) continue;
      const source = (event as { source?: { issue?: unknown } }).source?.issue;
      const parsedSource = referencingIssueSchema.safeParse(source);
      if (!parsedSource.success) continue;
      const issue = parsedSource.data;
      const fullName = issue.repository?.full_name ?? repoFromUrl(issue.repository_url);
      if (!fullName) continue;
      const [owner, repo] = fullName.split("/");
      if (!owner || !repo) continue;
      found.set(`${fullName}#${issue.number}`.toLowerCase(), { owner, repo, issue: toIssueSnapshot(issue) });
    }
    return [...found.values()];
  }

  /**
   * The app's own issues whose body starts with `marker` (an alert group's incident), newest first.
   * Two reads at once: a search for the group's token (finds it however old, but GitHub's index lags
   * a few seconds behind) and the app's newest issues (consistent at once, covering that lag).
   */
  async ownIssuesMarked(args: { token: string; marker: string }): Promise<IssueSnapshot[]> {
    const query = `repo:${this.repoRef.owner}/${this.repoRef.repo} is:issue "${args.token}" in:body`;
    const [searched, recent] = await Promise.all([
      this.octokit.rest.search.issuesAndPullRequests({
        q: query,
        sort: "created",
        order: "desc",
        per_page: 20,
        request: { signal: timeout() },
      }),
      this.octokit.rest.issues.listForRepo({
        ...this.repoRef,
        creator: this.identity.botLogin,
        state: "all",
        sort: "created",
        direction: "desc",
        per_page: 30,
        request: { signal: timeout() },
      }),
    ]);
    const found = new Map<number, IssueSnapshot>();
    for (const raw of [...searched.data.items, ...recent.data]) {
      const issue = toIssueSnapshot(raw);
      if (issue.isPullRequest || issue.author !== this.identity.botLogin) continue;
      if (issue.body.split("\n", 1)[0]?.trim() !== args.marker) continue;
      found.set(issue.number, issue);
    }
    return [...found.values()].sort((a, b) => b.number - a.number);
  }

  /**
   * Files an issue. A lost answer (5xx, timeout) may hide an issue that exists: `landed` looks for
   * it before one more try, so a retry never files it twice.
   */
  async fileIssue(args: {
    title: string;
    body: string;
    labels: string[];
    landed: () => Promise<IssueSnapshot | null>;
  }): Promise<IssueSnapshot> {
    const create = async (retries: number): Promise<IssueSnapshot> => {
      this.writeCount += 1;
      const { data } = await this.octokit.rest.issues.create({
        ...this.repoRef,
        title: args.title,
        body: args.body,
        labels: args.labels,
        request: { retries, signal: timeout() },
      });
      return toIssueSnapshot(data);
    };
    try {
      return await create(0);
    } catch (error) {
      if (!mayHaveLanded(error)) throw error;
      const landed = await args.landed();
      if (landed) return landed;
      return create(2);
    }
  }

  /** A gateway for another repository of the same installation (the same octokit). */
  forRepo(repo: RepoRef): GitHubGateway {
    return new GitHubGateway(this.octokit, repo, this.identity, this.log, this.installationId, this.caches);
  }

  /** This repository's `.github/incident-keeper.yml` (with the org's defaults). */
  readConfig(): Promise<ConfigResult> {
    return readRepoConfig(this.octokit, this.repoRef);
  }

  /**
   * What moving issue `issueNumber` to `repository` needs (issue #14), in one GraphQL query: the
   * issue's node id and the target's node id and visibility. A target the installation cannot see
   * (absent, not installed) reads as `repositoryId: null`.
   */
  async securityTarget(issueNumber: number, repository: string): Promise<SecurityTarget> {
    const [owner = "", name = ""] = repository.split("/");
    const variables = {
      owner: this.repoRef.owner,
      name: this.repoRef.repo,
      number: issueNumber,
      tOwner: owner,
      tName: name,
    };
    let data: unknown;
    try {
      data = await this.octokit.graphql(SECURITY_TARGET_QUERY, { ...variables, request: { signal: timeout() } });
    } catch (error) {
      // NOT_FOUND for a repository the installation cannot see: GitHub answers the rest (partial data).
      const partial = (error as { data?: unknown; errors?: Array<{ type?: string }> } | null) ?? null;
      if (!partial?.data || !(partial.errors ?? []).every((e) => e.type === "NOT_FOUND")) throw error;
      data = partial.data;
    }
    const parsed = securityTargetAnswer.parse(data);
    return {
      repository,
      repositoryId: parsed.target?.id ?? null,
      isPrivate: parsed.target?.isPrivate ?? false,
      issueId: parsed.source?.issue?.id ?? null,
    };
  }

  /**
   * Moves issue `issueNumber` (node `issueId`) to `repository` (node `repositoryId`) with GraphQL
   * `transferIssue` (REST has none), creating the labels the target lacks. Returns where it is now.
   * A lost answer (5xx, timeout) may hide a move that happened: the old number then answers with the
   * moved issue (GitHub's redirect), which is looked for before the failure is reported.
   */
  async transferIssue(args: {
    issueId: string;
    repositoryId: string;
    issueNumber: number;
    repository: string;
  }): Promise<{ owner: string; repo: string; number: number }> {
    this.writeCount += 1;
    try {
      const answer = transferAnswer.parse(
        await this.octokit.graphql(TRANSFER_MUTATION, {
          issueId: args.issueId,
          repositoryId: args.repositoryId,
          request: { signal: timeout() },
        }),
      );
      const [owner = "", repo = ""] = answer.transferIssue.issue.repository.nameWithOwner.split("/");
      return { owner, repo, number: answer.transferIssue.issue.number };
    } catch (error) {
      if (!mayHaveLanded(error)) throw error;
      const landed = await this.movedTo(args.issueNumber, args.repository);
      if (landed) return landed;
      throw error;
    }
  }

  /** Where issue `issueNumber` is now, when it is in `repository` (followed through GitHub's 301); else null. */
  private async movedTo(
    issueNumber: number,
    repository: string,
  ): Promise<{ owner: string; repo: string; number: number } | null> {
    try {
      const { data } = await this.octokit.rest.issues.get({
        ...this.repoRef,
        issue_number: issueNumber,
        request: { signal: timeout() },
      });
      const fullName = repoFromUrl(data.repository_url);
      if (!fullName || fullName.toLowerCase() !== repository.toLowerCase()) return null;
      const [owner = "", repo = ""] = fullName.split("/");
      return { owner, repo, number: data.number };
    } catch {
      return null;
    }
  }

  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.log.warn(fields, message);
  }
}

const SECURITY_TARGET_QUERY = `query (
  $owner: String!, $name: String!, $number: Int!, $tOwner: String!, $tName: String!
) {
  source: repository(owner: $owner, name: $name) { issue(number: $number) { id } }
  target: repository(owner: $tOwner, name: $tName) { id isPrivate }
}`;

const securityTargetAnswer = z.object({
  source: z.object({ issue: z.object({ id: z.string() }).nullable() }).nullable(),
  target: z.object({ id: z.string(), isPrivate: z.boolean() }).nullable(),
});

const TRANSFER_MUTATION = `mutation ($issueId: ID!, $repositoryId: ID!) {
  transferIssue(input: { issueId: $issueId, repositoryId: $repositoryId, createLabelsIfMissing: true }) {
    issue { number repository { nameWithOwner } }
  }
}`;

const transferAnswer = z.object({
  transferIssue: z.object({
    issue: z.object({ number: z.number().int(), repository: z.object({ nameWithOwner: z.string() }) }),
  }),
});

export interface ReferencingIssue {
  owner: string;
  repo: string;
  issue: IncidentIssue;
}

const referencingIssueSchema = issueSchema.extend({
  repository: z.object({ full_name: z.string() }).loose().optional(),
  repository_url: z.string().optional(),
});

function repoFromUrl(url: string | undefined): string | null {
  const match = /\/repos\/([^/]+)\/([^/]+)$/.exec(url ?? "");
  return match ? `${match[1]}/${match[2]}` : null;
}

export { parseKey };

/** How long one GitHub request may take before the app gives up on it. */
export const REQUEST_TIMEOUT_MS = 20_000;

function timeout(): AbortSignal {
  return AbortSignal.timeout(REQUEST_TIMEOUT_MS);
}

/** A failed write whose effect is unknown: a server error or no answer at all (timeout, reset). */
export function mayHaveLanded(error: unknown): boolean {
  const status = statusOf(error);
  return status === null || status >= 500;
}

/** HTTP status of an Octokit request error, if any. */
export function statusOf(error: unknown): number | null {
  if (typeof error === "object" && error !== null && "status" in error && typeof error.status === "number")
    return error.status;
  return null;
}

/** The state of an action issue (not a pull request) as the incident's status comment keeps it. */
export function issueActionState(issue: IncidentIssue): RemoteState {
  return remoteStateOf({
    isPullRequest: false,
    state: issue.state,
    stateReason: issue.stateReason,
    title: issue.title,
  });
}
