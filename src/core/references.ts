/**
 * Issue and pull-request references as people write them in write-ups: `#12`, `owner/repo#12`, and
 * links to `/owner/repo/issues/12` or `/owner/repo/pull/12` on any host (github.com or GitHub
 * Enterprise). Pure; finds references in plain text and URLs, never in Markdown source (the caller
 * walks the Markdown tree so that code, link text and anchors are left out).
 */

/** A reference as written; `owner`/`repo` are null for a bare `#12` (the incident's own repository). */
export interface IssueRef {
  owner: string | null;
  repo: string | null;
  number: number;
}

/** The repository a bare `#12` refers to. */
export interface RepoContext {
  owner: string;
  repo: string;
}

/** A reference with its repository filled in. */
export interface ResolvedRef {
  owner: string;
  repo: string;
  number: number;
}

/** GitHub issue numbers are positive 32-bit signed integers. */
const MAX_ISSUE_NUMBER = 2 ** 31 - 1;

/** GitHub login rules: alphanumerics and single inner hyphens, at most 39 characters. */
const OWNER = "[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}";
const REPO = "[A-Za-z0-9._-]{1,100}";
const OWNER_PATTERN = new RegExp(`^${OWNER}$`);
const REPO_PATTERN = new RegExp(`^${REPO}$`);

/**
 * `#12` or `owner/repo#12`, not inside a word or path (`abc#12`, `a/b/c#12`, `##12`), not followed by
 * more word characters (`#12abc`), no leading zero. Lookbehind keeps the match linear.
 */
const TEXT_REF = new RegExp(
  `(?<![\\p{L}\\p{N}_/.#@&-])(?:(${OWNER})/(${REPO}))?#([1-9][0-9]{0,9})(?![\\p{L}\\p{N}_])`,
  "gu",
);

/** Every reference in a piece of plain text, in order of appearance. */
export function findRefsInText(text: string): IssueRef[] {
  const refs: IssueRef[] = [];
  for (const match of text.matchAll(TEXT_REF)) {
    const number = toIssueNumber(match[3] ?? "");
    if (number === null) continue;
    const owner = match[1] ?? null;
    const repo = match[2] ?? null;
    if (repo !== null && !isRepoName(repo)) continue;
    refs.push({ owner: repo === null ? null : owner, repo, number });
  }
  return refs;
}

/**
 * The reference a URL points at, for `http(s)://HOST/owner/repo/issues/N` and `.../pull/N` (any host,
 * any trailing path, query or fragment), or null.
 */
export function parseIssueUrl(url: string): IssueRef | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return null;
  const [owner, repo, kind, number] = parsed.pathname.split("/").slice(1);
  if (owner === undefined || repo === undefined || number === undefined) return null;
  if (kind !== "issues" && kind !== "pull") return null;
  if (!OWNER_PATTERN.test(owner) || !isRepoName(repo)) return null;
  const issueNumber = /^[1-9][0-9]{0,9}$/.test(number) ? toIssueNumber(number) : null;
  return issueNumber === null ? null : { owner, repo, number: issueNumber };
}

/** `owner/name` to a repository, or null when it is not a valid repository name. */
export function parseRepo(fullName: string): RepoContext | null {
  const [owner, repo, ...rest] = fullName.split("/");
  if (owner === undefined || repo === undefined || rest.length > 0) return null;
  return OWNER_PATTERN.test(owner) && isRepoName(repo) ? { owner, repo } : null;
}

/**
 * `owner/name#12` for a reference with a repository, `defaultRepo#12` for a bare one when
 * `defaultRepo` (`owner/name`) is given, else `#12`.
 */
export function formatRef(ref: IssueRef, defaultRepo?: string): string {
  if (ref.owner !== null && ref.repo !== null) return `${ref.owner}/${ref.repo}#${ref.number}`;
  return defaultRepo ? `${defaultRepo}#${ref.number}` : `#${ref.number}`;
}

/** The reference with a bare `#12` placed in `context`'s repository. */
export function resolveRef(ref: IssueRef, context: RepoContext): ResolvedRef {
  if (ref.owner !== null && ref.repo !== null) return { owner: ref.owner, repo: ref.repo, number: ref.number };
  return { owner: context.owner, repo: context.repo, number: ref.number };
}

/** Whether two references name the same issue (GitHub owner and repository names ignore case). */
export function sameIssue(a: IssueRef, b: IssueRef, context: RepoContext): boolean {
  const left = resolveRef(a, context);
  const right = resolveRef(b, context);
  return (
    left.number === right.number &&
    left.owner.toLowerCase() === right.owner.toLowerCase() &&
    left.repo.toLowerCase() === right.repo.toLowerCase()
  );
}

function isRepoName(repo: string): boolean {
  // `.` and `..` are path segments, not repositories.
  return REPO_PATTERN.test(repo) && repo !== "." && repo !== "..";
}

function toIssueNumber(digits: string): number | null {
  const number = Number(digits);
  return Number.isInteger(number) && number >= 1 && number <= MAX_ISSUE_NUMBER ? number : null;
}

/**
 * The one key of an issue or pull request across repositories: `owner/name#N`, lower-cased (GitHub
 * ignores case in owner and repository names). Used for locks, action states and lookups.
 */
export function refKeyOf(owner: string, repo: string, number: number): string {
  return `${owner}/${repo}#${number}`.toLowerCase();
}

/** Splits an `owner/name#N` key. */
export function parseKey(key: string): { owner: string; repo: string; number: number } | null {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)#(\d{1,10})$/.exec(key);
  if (!match?.[1] || !match[2]) return null;
  return { owner: match[1], repo: match[2], number: Number(match[3]) };
}

/** How an incident shows `key`: `#N` in its own repository, `owner/name#N` elsewhere ("" when unreadable). */
export function shortRef(key: string | null, repo: { owner: string; repo: string }): string {
  if (!key) return "";
  const parsed = parseKey(key);
  if (!parsed) return "";
  const same =
    parsed.owner.toLowerCase() === repo.owner.toLowerCase() && parsed.repo.toLowerCase() === repo.repo.toLowerCase();
  return same ? `#${parsed.number}` : `${parsed.owner}/${parsed.repo}#${parsed.number}`;
}
