/**
 * Branches, file writes and pull requests opened through the API (issue #14's `/postmortem`):
 * `GET /git/ref/{ref}`, `POST /git/refs`, `PUT /contents/{path}` (with GitHub's sha checks), and
 * pulls list / create / update. Writes to a branch with an open pull request are pushes to it.
 */
import { HttpError, NotFoundError } from "../errors.js";
import { blobSha, nodeId } from "../ids.js";
import { json, paginate } from "../http-util.js";
import { pullRequestJson } from "../issue-payloads.js";
import { editIssue, openIssue, setIssueState } from "../issue-mutations.js";
import { filesOf, pushToPull } from "../checks.js";
import {
  branchAt,
  commitFile,
  createBranch,
  diffFiles,
  findBranch,
  openPullsFrom,
  type SimBranch,
} from "../git-branches.js";
import type { SimState } from "../state.js";
import type { JsonObject, SimIssue, SimRepo } from "../types.js";
import { bodyRecord, intParam, optionalString } from "./body.js";
import type { RouteDefinition } from "./types.js";

function refJson(state: SimState, repo: SimRepo, branch: SimBranch): JsonObject {
  const api = `${state.urls.api}/repos/${repo.fullName}`;
  return {
    ref: `refs/heads/${branch.name}`,
    node_id: nodeId("Ref", repo.id),
    url: `${api}/git/refs/heads/${branch.name}`,
    object: { type: "commit", sha: branch.sha, url: `${api}/git/commits/${branch.sha}` },
  };
}

/** `heads/NAME` (as `git/ref/{ref}` takes it, the slash possibly encoded) -> NAME. */
function headName(ref: string): string | null {
  const decoded = decodeURIComponent(ref);
  return decoded.startsWith("heads/") ? decoded.slice("heads/".length) : null;
}

function fileCommitJson(args: {
  state: SimState;
  repo: SimRepo;
  branch: SimBranch;
  path: string;
  text: string;
  message: string;
  parent: string;
}): JsonObject {
  const { state, repo, branch, path, text, message, parent } = args;
  const api = `${state.urls.api}/repos/${repo.fullName}`;
  const html = `${state.urls.html}/${repo.fullName}`;
  const sha = blobSha(text);
  const now = state.clock
    .now()
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z");
  const person = {
    name: state.app.bot.login,
    email: `${state.app.bot.id}+${state.app.bot.login}@users.noreply`,
    date: now,
  };
  return {
    content: {
      name: path.split("/").pop() ?? path,
      path,
      sha,
      size: Buffer.byteLength(text),
      url: `${api}/contents/${path}?ref=${branch.name}`,
      html_url: `${html}/blob/${branch.name}/${path}`,
      git_url: `${api}/git/blobs/${sha}`,
      download_url: `${html}/raw/${branch.name}/${path}`,
      type: "file",
      _links: {
        self: `${api}/contents/${path}?ref=${branch.name}`,
        git: `${api}/git/blobs/${sha}`,
        html: `${html}/blob/${branch.name}/${path}`,
      },
    },
    commit: {
      sha: branch.sha,
      node_id: nodeId("Commit", repo.id),
      url: `${api}/git/commits/${branch.sha}`,
      html_url: `${html}/commit/${branch.sha}`,
      author: person,
      committer: person,
      message,
      tree: { url: `${api}/git/trees/${branch.sha}`, sha: branch.sha },
      parents: [{ url: `${api}/git/commits/${parent}`, html_url: `${html}/commit/${parent}`, sha: parent }],
      verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
    },
  };
}

/** The pull request's changed files follow its head branch (what the checks and `pulls/list-files` read). */
function syncPullFiles(pull: SimIssue, head: SimBranch, base: SimBranch | undefined): void {
  const files = filesOf(pull);
  files.clear();
  for (const [path, text] of base ? diffFiles(head, base) : head.files) files.set(path, text);
  if (pull.pullRequest) pull.pullRequest.headSha = head.sha;
}

/** Git refs, file writes and pull requests. */
export const gitRoutes: RouteDefinition[] = [
  {
    operationId: "git/get-ref",
    auth: "installation",
    permission: ["contents", "read"],
    handle: (request, services) => {
      const repo = services.repo(request, "read");
      const name = headName(request.params.ref ?? "");
      const branch = name === null ? undefined : findBranch(repo, name);
      if (!branch) throw new NotFoundError();
      return json(200, refJson(services.state, repo, branch));
    },
  },
  {
    operationId: "git/create-ref",
    auth: "installation",
    permission: ["contents", "write"],
    handle: (request, services) => {
      const repo = services.repo(request, "write");
      const body = bodyRecord(request.body);
      const ref = optionalString(body, "ref") ?? "";
      const sha = optionalString(body, "sha") ?? "";
      if (!ref.startsWith("refs/") || ref.split("/").length < 3)
        throw new HttpError(422, "Reference name must start with 'refs/' and have at least two slashes.");
      if (!ref.startsWith("refs/heads/"))
        throw new HttpError(422, "The simulator creates branches (refs/heads/...) only");
      const name = ref.slice("refs/heads/".length);
      if (findBranch(repo, name)) throw new HttpError(422, "Reference already exists");
      const from = branchAt(repo, sha);
      if (!from) throw new HttpError(422, "Object does not exist");
      return json(201, refJson(services.state, repo, createBranch(repo, name, from)));
    },
  },
  {
    operationId: "repos/create-or-update-file-contents",
    auth: "installation",
    permission: ["contents", "write"],
    handle: (request, services) => {
      const repo = services.repo(request, "write");
      const body = bodyRecord(request.body);
      const path = (request.params.path ?? "").replace(/^\/+/, "");
      const branchName = optionalString(body, "branch") ?? repo.defaultBranch;
      const branch = findBranch(repo, branchName);
      if (!branch) throw new NotFoundError(`Branch ${branchName} not found`);
      const message = optionalString(body, "message") ?? "";
      const content = optionalString(body, "content") ?? "";
      if (!/^[A-Za-z0-9+/=\s]*$/.test(content)) throw new HttpError(422, "content is not valid Base64");
      const text = Buffer.from(content, "base64").toString("utf8");
      const given = optionalString(body, "sha");
      const existing = branch.files.get(path);
      if (existing !== undefined && given === undefined)
        throw new HttpError(422, `Invalid request.\n\n"sha" wasn't supplied.`);
      if (existing !== undefined && given !== blobSha(existing))
        throw new HttpError(409, `${path} does not match ${given ?? ""}`);
      if (existing === undefined && given !== undefined) throw new HttpError(422, `${path} does not exist (sha given)`);
      const parent = branch.sha;
      commitFile(branch, path, text, message);
      // A push to a pull request's branch: its files and head move, `synchronize` is delivered.
      for (const pull of openPullsFrom(repo, branch.name)) {
        syncPullFiles(pull, branch, findBranch(repo, pull.pullRequest?.base ?? repo.defaultBranch));
        pushToPull(services.appContext(), pull, {});
        if (pull.pullRequest) pull.pullRequest.headSha = branch.sha;
      }
      const answer = fileCommitJson({ state: services.state, repo, branch, path, text, message, parent });
      return json(existing === undefined ? 201 : 200, answer);
    },
  },
  {
    operationId: "pulls/list",
    auth: "installation",
    permission: ["pull_requests", "read"],
    handle: (request, services) => {
      const repo = services.repo(request, "read");
      const state = request.query.get("state") ?? "open";
      const head = request.query.get("head");
      const base = request.query.get("base");
      let pulls = [...repo.issues.values()].filter((issue) => issue.pullRequest !== null);
      if (state !== "all") pulls = pulls.filter((pull) => pull.state === state);
      if (head !== null) {
        // `user:ref-name` (GitHub ignores a head without the owner's prefix).
        const [owner, ...rest] = head.split(":");
        const name = rest.join(":");
        pulls =
          name === ""
            ? pulls
            : pulls.filter(
                (pull) => owner?.toLowerCase() === repo.owner.login.toLowerCase() && pull.pullRequest?.head === name,
              );
      }
      if (base !== null) pulls = pulls.filter((pull) => pull.pullRequest?.base === base);
      const desc = (request.query.get("direction") ?? "desc") === "desc";
      pulls.sort((a, b) => (desc ? b.number - a.number : a.number - b.number));
      const page = paginate(pulls, request.query, request.publicUrl);
      return json(
        200,
        page.items.map((pull) => pullRequestJson(services.state, pull)),
        page.headers,
      );
    },
  },
  {
    operationId: "pulls/create",
    auth: "installation",
    permission: ["pull_requests", "write"],
    handle: (request, services) => {
      const repo = services.repo(request, "write");
      const body = bodyRecord(request.body);
      const headArg = optionalString(body, "head") ?? "";
      const baseName = optionalString(body, "base") ?? "";
      const headName = headArg.includes(":") ? headArg.slice(headArg.indexOf(":") + 1) : headArg;
      const head = findBranch(repo, headName);
      const base = findBranch(repo, baseName);
      const invalid = (field: string, message?: string): HttpError =>
        new HttpError(422, "Validation Failed", {
          extra: {
            errors: [
              { resource: "PullRequest", code: message ? "custom" : "invalid", field, ...(message ? { message } : {}) },
            ],
          },
        });
      if (!head) throw invalid("head");
      if (!base) throw invalid("base");
      if (openPullsFrom(repo, headName).some((pull) => pull.pullRequest?.base === baseName))
        throw invalid("head", `A pull request already exists for ${repo.owner.login}:${headName}.`);
      const changed = diffFiles(head, base);
      if (changed.size === 0) throw invalid("head", `No commits between ${baseName} and ${headName}`);
      const pull = openIssue(services.appContext(), repo, {
        title: optionalString(body, "title") ?? headName,
        body: optionalString(body, "body") ?? null,
        pullRequest: { head: headName, base: baseName, draft: body.draft === true },
      });
      syncPullFiles(pull, head, base);
      return json(201, pullRequestJson(services.state, pull));
    },
  },
  {
    operationId: "pulls/update",
    auth: "installation",
    permission: ["pull_requests", "write"],
    handle: (request, services) => {
      const repo = services.repo(request, "write");
      const pull = repo.issues.get(intParam(request.params, "pull_number"));
      if (!pull?.pullRequest) throw new NotFoundError();
      const body = bodyRecord(request.body);
      const ctx = services.appContext();
      const title = optionalString(body, "title");
      const text = optionalString(body, "body");
      editIssue(ctx, pull, {
        ...(title !== undefined ? { title } : {}),
        ...(text !== undefined ? { body: text } : {}),
      });
      const state = optionalString(body, "state");
      if (state === "closed" || state === "open") setIssueState(ctx, pull, { state });
      return json(200, pullRequestJson(services.state, pull));
    },
  },
];
