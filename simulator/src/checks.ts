/**
 * Pull-request files and the Checks API: the files a pull request changes (with their text at its
 * head commit), pushes that move the head (`synchronize`), and check runs on commits
 * (create, update, list for a ref). Kept beside the repository and issue state, not in it.
 */
import { HttpError, NotFoundError } from "./errors.js";
import { blobSha, fakeSha } from "./ids.js";
import { json, paginate } from "./http-util.js";
import { nowOf, type MutationContext } from "./mutation-context.js";
import type { SimState } from "./state.js";
import type { JsonObject, SimIssue, SimRepo } from "./types.js";
import { checkSuiteWebhook, issueWebhook } from "./webhook-payloads.js";
import { bodyRecord, intParam } from "./routes/body.js";
import type { RouteDefinition } from "./routes/types.js";

/** A file a pull request changes: its text at the head commit, or null when the pull request removes it. */
export type PullFiles = Map<string, string | null>;

export interface SimCheckRun {
  id: number;
  name: string;
  headSha: string;
  appId: number;
  status: string;
  conclusion: string | null;
  startedAt: Date;
  completedAt: Date | null;
  output: { title: string | null; summary: string | null; text: string | null; annotations: JsonObject[] };
  /** Every request that wrote it (create, then updates), for tests. */
  writes: number;
}

const pullFiles = new WeakMap<SimIssue, PullFiles>();
const checkRuns = new WeakMap<SimRepo, SimCheckRun[]>();
let nextCheckRunId = 4_000_000;
let nextCheckSuiteId = 5_000_000;

/**
 * The `check_suite.requested` GitHub sends for a push to a pull request's branch: `pulls` are the
 * branch's open pull requests at that moment (none for the push that precedes opening one).
 */
export function requestCheckSuite(ctx: MutationContext, pull: SimIssue, before: string, pulls: SimIssue[]): void {
  const pr = pull.pullRequest;
  if (!pr) return;
  const suite = { id: nextCheckSuiteId++, headBranch: pr.head, headSha: pr.headSha, before, pulls };
  ctx.emit(() => checkSuiteWebhook(ctx.state, "requested", pull.repo, ctx.actor, suite));
}

/** The files a pull request changes (empty map when none were given). */
export function filesOf(pull: SimIssue): PullFiles {
  let files = pullFiles.get(pull);
  if (!files) {
    files = new Map();
    pullFiles.set(pull, files);
  }
  return files;
}

/** The check runs on a repository's commits, oldest first. */
export function checkRunsOf(repo: SimRepo): SimCheckRun[] {
  let runs = checkRuns.get(repo);
  if (!runs) {
    runs = [];
    checkRuns.set(repo, runs);
  }
  return runs;
}

/** A file's text at `ref` when `ref` is the head of one of the repository's pull requests; undefined otherwise. */
export function fileAtPullHead(repo: SimRepo, path: string, ref: string): string | null | undefined {
  for (const issue of repo.issues.values()) {
    if (issue.pullRequest?.headSha !== ref) continue;
    const files = filesOf(issue);
    if (files.has(path)) return files.get(path) ?? null;
    return repo.files.get(path);
  }
  return undefined;
}

/** A push to a pull request's branch: its files change, its head moves, `synchronize` is delivered. */
export function pushToPull(ctx: MutationContext, pull: SimIssue, files: Record<string, string | null>): string {
  const pr = pull.pullRequest;
  if (!pr) throw new HttpError(422, "not a pull request");
  const before = pr.headSha;
  for (const [path, text] of Object.entries(files)) filesOf(pull).set(path, text);
  pr.headSha = fakeSha(`${before}:${JSON.stringify(files)}`);
  pull.updatedAt = nowOf(ctx);
  // GitHub sends both for a push to a pull request's branch.
  requestCheckSuite(ctx, pull, before, [pull]);
  ctx.emit(() => issueWebhook(ctx.state, "synchronize", pull, ctx.actor, { before, after: pr.headSha }));
  return pr.headSha;
}

function checkRunJson(state: SimState, repo: SimRepo, run: SimCheckRun): JsonObject {
  const url = `${state.urls.api}/repos/${repo.fullName}/check-runs/${run.id}`;
  return {
    id: run.id,
    node_id: Buffer.from(`CheckRun:${run.id}`).toString("base64"),
    head_sha: run.headSha,
    external_id: "",
    url,
    html_url: `${state.urls.html}/${repo.fullName}/runs/${run.id}`,
    details_url: null,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt.toISOString(),
    completed_at: run.completedAt?.toISOString() ?? null,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.output.annotations.length,
      annotations_url: `${url}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.id + 1 },
    app: {
      id: run.appId,
      slug: state.app.slug,
      name: state.app.name,
      node_id: "",
      owner: null,
      description: null,
      external_url: "",
      html_url: "",
      created_at: "",
      updated_at: "",
      permissions: {},
      events: [],
    },
    pull_requests: [],
  };
}

function applyCheckBody(run: SimCheckRun, body: Record<string, unknown>, at: Date): void {
  if (typeof body.status === "string") run.status = body.status;
  if (typeof body.conclusion === "string") {
    run.conclusion = body.conclusion;
    run.status = "completed";
  }
  if (typeof body.completed_at === "string") run.completedAt = new Date(body.completed_at);
  else if (run.status === "completed" && !run.completedAt) run.completedAt = at;
  const output = body.output as Record<string, unknown> | undefined;
  if (output) {
    run.output.title = typeof output.title === "string" ? output.title : run.output.title;
    run.output.summary = typeof output.summary === "string" ? output.summary : run.output.summary;
    run.output.text = typeof output.text === "string" ? output.text : run.output.text;
    // Like GitHub, annotations of later updates are added to the run's; at most 50 per request.
    const annotations = Array.isArray(output.annotations) ? (output.annotations as JsonObject[]) : [];
    if (annotations.length > 50) throw new HttpError(422, "Only 50 annotations may be sent per request");
    run.output.annotations.push(...annotations);
  }
  run.writes += 1;
}

/** Pull-request files and check-run routes. */
export const checkRoutes: RouteDefinition[] = [
  {
    operationId: "repos/compare-commits-with-basehead",
    auth: "installation",
    permission: ["contents", "read"],
    handle: (request, services) => {
      const repo = services.repo(request, "read");
      const [base = "", head = ""] = (request.params.basehead ?? "").split("...");
      // Only what the app asks: the default branch against a pull request's head commit.
      const pull = [...repo.issues.values()].find((issue) => issue.pullRequest?.headSha === head);
      if (!pull || base !== repo.defaultBranch) {
        services.report(
          request,
          "unimplemented-endpoint",
          `compare ${request.params.basehead ?? ""}: only default-branch...pull-request-head is simulated`,
        );
        throw new NotFoundError();
      }
      const files = [...filesOf(pull)].map(([filename, text]) => ({
        sha: blobSha(text ?? ""),
        filename,
        status: text === null ? "removed" : repo.files.has(filename) ? "modified" : "added",
        additions: 1,
        deletions: 0,
        changes: 1,
        blob_url: `${services.state.urls.html}/${repo.fullName}/blob/${head}/${filename}`,
        raw_url: `${services.state.urls.html}/${repo.fullName}/raw/${head}/${filename}`,
        contents_url: `${services.state.urls.api}/repos/${repo.fullName}/contents/${filename}?ref=${head}`,
      }));
      const commit: JsonObject = {
        sha: head,
        node_id: "",
        url: "",
        html_url: "",
        comments_url: "",
        parents: [],
        author: null,
        committer: null,
        commit: {
          message: "push",
          url: "",
          comment_count: 0,
          tree: { sha: head, url: "" },
          author: null,
          committer: null,
        },
      };
      const base_commit = { ...commit, sha: base };
      return json(200, {
        url: `${services.state.urls.api}/repos/${repo.fullName}/compare/${base}...${head}`,
        html_url: `${services.state.urls.html}/${repo.fullName}/compare/${base}...${head}`,
        permalink_url: `${services.state.urls.html}/${repo.fullName}/compare/${base}...${head}`,
        diff_url: "",
        patch_url: "",
        base_commit,
        merge_base_commit: base_commit,
        status: "ahead",
        ahead_by: 1,
        behind_by: 0,
        total_commits: 1,
        commits: [commit],
        files,
      });
    },
  },
  {
    operationId: "pulls/list-files",
    auth: "installation",
    permission: ["pull_requests", "read"],
    handle: (request, services) => {
      const repo = services.repo(request, "read");
      const pull = repo.issues.get(intParam(request.params, "pull_number"));
      if (!pull?.pullRequest) throw new NotFoundError();
      const entries = [...filesOf(pull)].map(([filename, text]) => {
        const existed = repo.files.has(filename);
        const status = text === null ? "removed" : existed ? "modified" : "added";
        const lines = (text ?? repo.files.get(filename) ?? "").split("\n").length;
        return {
          sha: blobSha(text ?? ""),
          filename,
          status,
          additions: text === null ? 0 : lines,
          deletions: text === null || !existed ? (text === null ? lines : 0) : 1,
          changes: lines,
          blob_url: `${services.state.urls.html}/${repo.fullName}/blob/${pull.pullRequest?.headSha ?? ""}/${filename}`,
          raw_url: `${services.state.urls.html}/${repo.fullName}/raw/${pull.pullRequest?.headSha ?? ""}/${filename}`,
          contents_url:
            `${services.state.urls.api}/repos/${repo.fullName}/contents/${filename}` +
            `?ref=${pull.pullRequest?.headSha ?? ""}`,
        };
      });
      const page = paginate(entries, request.query, request.publicUrl);
      return json(200, page.items, page.headers);
    },
  },
  {
    operationId: "checks/create",
    auth: "installation",
    permission: ["checks", "write"],
    handle: (request, services) => {
      const repo = services.repo(request, "write");
      const body = bodyRecord(request.body);
      const at = services.state.clock.now();
      const run: SimCheckRun = {
        id: nextCheckRunId++,
        name: String(body.name),
        headSha: String(body.head_sha),
        appId: services.state.app.id,
        status: "queued",
        conclusion: null,
        startedAt: typeof body.started_at === "string" ? new Date(body.started_at) : at,
        completedAt: null,
        output: { title: null, summary: null, text: null, annotations: [] },
        writes: 0,
      };
      applyCheckBody(run, body, at);
      checkRunsOf(repo).push(run);
      return json(201, checkRunJson(services.state, repo, run));
    },
  },
  {
    operationId: "checks/update",
    auth: "installation",
    permission: ["checks", "write"],
    handle: (request, services) => {
      const repo = services.repo(request, "write");
      const id = intParam(request.params, "check_run_id");
      const run = checkRunsOf(repo).find((candidate) => candidate.id === id);
      if (!run) throw new NotFoundError();
      applyCheckBody(run, bodyRecord(request.body), services.state.clock.now());
      return json(200, checkRunJson(services.state, repo, run));
    },
  },
  {
    operationId: "checks/list-for-ref",
    auth: "installation",
    permission: ["checks", "read"],
    handle: (request, services) => {
      const repo = services.repo(request, "read");
      const ref = request.params.ref ?? "";
      const name = request.query.get("check_name");
      const appId = request.query.get("app_id");
      // filter=latest (the default): the newest run of each name.
      const all = request.query.get("filter") === "all";
      const seen = new Set<string>();
      const runs = [...checkRunsOf(repo)]
        .reverse()
        .filter(
          (run) =>
            run.headSha === ref &&
            (name === null || run.name === name) &&
            (appId === null || String(run.appId) === appId),
        )
        .filter((run) => all || (!seen.has(run.name) && seen.add(run.name) !== undefined));
      const page = paginate(runs, request.query, request.publicUrl);
      return json(
        200,
        { total_count: runs.length, check_runs: page.items.map((run) => checkRunJson(services.state, repo, run)) },
        page.headers,
      );
    },
  },
];
