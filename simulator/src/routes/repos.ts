/** Repository metadata, file contents (for Probot's context.config) and collaborator permissions. */
import { NotFoundError } from "../errors.js";
import { blobSha } from "../ids.js";
import { json } from "../http-util.js";
import { fileAtPullHead } from "../checks.js";
import { findBranch } from "../git-branches.js";
import { repoJson, userJson } from "../payloads.js";
import { roleAtLeast, type SimState } from "../state.js";
import type { JsonObject, RoleName, SimRepo } from "../types.js";
import type { RouteDefinition } from "./types.js";

const LEGACY_PERMISSION: Record<RoleName, string> = {
  admin: "admin",
  maintain: "write",
  write: "write",
  triage: "read",
  read: "read",
  none: "none",
};

function contentEntry(
  state: SimState,
  repo: SimRepo,
  path: string,
  kind: "file" | "dir",
  /** The file's text at the ref read (default: on the default branch). */
  at?: string,
): JsonObject {
  const text = at ?? repo.files.get(path) ?? "";
  const sha = kind === "file" ? blobSha(text) : blobSha(`tree:${path}`);
  const api = `${state.urls.api}/repos/${repo.fullName}/contents/${path}?ref=${repo.defaultBranch}`;
  const html = `${state.urls.html}/${repo.fullName}/${kind === "file" ? "blob" : "tree"}/${repo.defaultBranch}/${path}`;
  const git = `${state.urls.api}/repos/${repo.fullName}/git/${kind === "file" ? "blobs" : "trees"}/${sha}`;
  return {
    type: kind,
    size: kind === "file" ? Buffer.byteLength(text) : 0,
    name: path.split("/").pop() ?? path,
    path,
    sha,
    url: api,
    git_url: git,
    html_url: html,
    download_url: kind === "file" ? `${state.urls.html}/raw/${repo.fullName}/${repo.defaultBranch}/${path}` : null,
    _links: { self: api, git, html },
  };
}

function directoryListing(state: SimState, repo: SimRepo, path: string): JsonObject[] | null {
  const prefix = `${path.replace(/\/$/, "")}/`;
  const children = new Map<string, "file" | "dir">();
  for (const file of repo.files.keys()) {
    if (!file.startsWith(prefix)) continue;
    const rest = file.slice(prefix.length);
    const slash = rest.indexOf("/");
    children.set(prefix + (slash < 0 ? rest : rest.slice(0, slash)), slash < 0 ? "file" : "dir");
  }
  if (children.size === 0) return null;
  return [...children]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([child, kind]) => contentEntry(state, repo, child, kind));
}

/** Repository routes. */
export const repoRoutes: RouteDefinition[] = [
  {
    operationId: "repos/get",
    auth: "installation",
    permission: ["metadata", "read"],
    handle: (request, services) =>
      json(200, repoJson(services.state.urls, services.repo(request, "read"), { full: true })),
  },
  {
    operationId: "repos/get-content",
    auth: "installation",
    permission: ["contents", "read"],
    handle: (request, services) => {
      const repo = services.repo(request, "read");
      const path = (request.params.path ?? "").replace(/^\/+/, "");
      // `ref` naming a pull request's head: that commit's version of the file (null: removed there).
      const ref = request.query.get("ref");
      // `ref` naming a branch (issue #14's draft branches): that branch's version of the file.
      const branch = ref === null || ref === repo.defaultBranch ? undefined : findBranch(repo, ref);
      if (branch && !branch.files.has(path)) throw new NotFoundError();
      const atHead = branch ? branch.files.get(path) : ref === null ? undefined : fileAtPullHead(repo, path, ref);
      if (atHead === null) throw new NotFoundError();
      const text = atHead ?? repo.files.get(path);
      const accept = String(request.headers.accept ?? "");
      if (text === undefined) {
        const listing = directoryListing(services.state, repo, path);
        if (!listing) throw new NotFoundError();
        return json(200, listing);
      }
      const etag = `W/"${blobSha(text)}"`;
      if (request.headers["if-none-match"] === etag) return { status: 304, headers: { etag } };
      if (/\.raw\b|vnd\.github\.raw/.test(accept)) {
        return { status: 200, body: text, headers: { etag, "content-type": "text/plain; charset=utf-8" } };
      }
      const entry = contentEntry(services.state, repo, path, "file", text);
      const base64 = Buffer.from(text, "utf8").toString("base64").replace(/.{60}/g, "$&\n");
      return json(200, { ...entry, content: base64, encoding: "base64" }, { etag });
    },
  },
  {
    operationId: "repos/get-collaborator-permission-level",
    auth: "installation",
    permission: ["metadata", "read"],
    handle: (request, services) => {
      const repo = services.repo(request, "read");
      const user = services.state.findUser(request.params.username ?? "");
      if (!user) throw new NotFoundError(`${request.params.username ?? ""} is not a user`);
      const role = services.state.roleOf(repo, user.login);
      const permissions = {
        admin: roleAtLeast(role, "admin"),
        maintain: roleAtLeast(role, "maintain"),
        push: roleAtLeast(role, "write"),
        triage: roleAtLeast(role, "triage"),
        pull: roleAtLeast(role, "read"),
      };
      return json(200, {
        permission: LEGACY_PERMISSION[role],
        role_name: role,
        user: { ...userJson(services.state.urls, user), permissions, role_name: role },
      });
    },
  },
];
