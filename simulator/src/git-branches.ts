/**
 * Branches of a repository (issue #14's `/postmortem` writes a draft on its own branch): each a head
 * commit and the files at it. The default branch's files are the repository's own `files` map (what
 * seeding and config reads use); a branch made from another copies its files. Kept beside the model
 * (a WeakMap per repository) so `SimRepo` stays as the rest of the simulator knows it.
 */
import { fakeSha } from "./ids.js";
import type { SimIssue, SimRepo } from "./types.js";

export interface SimBranch {
  name: string;
  sha: string;
  files: Map<string, string>;
}

const branches = new WeakMap<SimRepo, Map<string, SimBranch>>();

/** The repository's branches by name, the default branch always among them. */
export function branchesOf(repo: SimRepo): Map<string, SimBranch> {
  let map = branches.get(repo);
  if (!map) {
    map = new Map();
    branches.set(repo, map);
  }
  const main = map.get(repo.defaultBranch);
  if (!main || main.files !== repo.files)
    map.set(repo.defaultBranch, {
      name: repo.defaultBranch,
      sha: main?.sha ?? fakeSha(`${repo.fullName}:${repo.defaultBranch}`),
      files: repo.files,
    });
  return map;
}

/** The branch `name`, if it exists. */
export function findBranch(repo: SimRepo, name: string): SimBranch | undefined {
  return branchesOf(repo).get(name);
}

/** The branch whose head is `sha`, if any. */
export function branchAt(repo: SimRepo, sha: string): SimBranch | undefined {
  return [...branchesOf(repo).values()].find((branch) => branch.sha === sha);
}

/** Creates `name` at the head of `from` (its files copied). */
export function createBranch(repo: SimRepo, name: string, from: SimBranch): SimBranch {
  const branch: SimBranch = { name, sha: from.sha, files: new Map(from.files) };
  branchesOf(repo).set(name, branch);
  return branch;
}

/** Writes one file on a branch: a new head commit. */
export function commitFile(branch: SimBranch, path: string, text: string, message: string): string {
  branch.files.set(path, text);
  branch.sha = fakeSha(`${branch.sha}:${path}:${message}:${text.length}:${text}`);
  return branch.sha;
}

/** The files of `head` that differ from `base` (path -> text): what a pull request between them changes. */
export function diffFiles(head: SimBranch, base: SimBranch): Map<string, string> {
  const changed = new Map<string, string>();
  for (const [path, text] of head.files) if (base.files.get(path) !== text) changed.set(path, text);
  return changed;
}

/** Open pull requests of the repository from branch `head`. */
export function openPullsFrom(repo: SimRepo, head: string): SimIssue[] {
  return [...repo.issues.values()].filter(
    (issue) => issue.pullRequest !== null && issue.state === "open" && issue.pullRequest.head === head,
  );
}
