/**
 * A subset of GitHub's issue search syntax: qualifiers (repo, org, user, is, type, state, label,
 * -label, no, in, author, assignee, reason, created, updated, closed) and free-text terms.
 * Anything else is reported as unsupported so tests notice instead of trusting a wrong answer.
 */
import type { SimIssue } from "./types.js";

type Field = "title" | "body" | "comments";
type TimeField = "createdAt" | "updatedAt" | "closedAt";

/** A parsed query. */
export interface SearchQuery {
  repos: string[];
  owners: string[];
  is: string[];
  labelGroups: string[][];
  excludedLabels: string[];
  no: string[];
  fields: Field[];
  authors: string[];
  assignees: string[];
  reasons: string[];
  times: Array<{ field: TimeField; test: (ms: number) => boolean }>;
  terms: string[];
  sort: { key: string; order: "asc" | "desc" } | null;
  unsupported: string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Splits on whitespace, keeping quoted parts (`label:"needs review"`, `"acme/api#12"`) together. */
export function tokenize(q: string): string[] {
  return [...q.matchAll(/(?:[^\s"]+|"[^"]*")+/g)].map((match) => match[0]);
}

function unquote(value: string): string {
  return value.replace(/"/g, "");
}

function bound(value: string, edge: "start" | "end"): number | null {
  if (value === "*") return edge === "start" ? -Infinity : Infinity;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) return null;
  return dateOnly && edge === "end" ? ms + DAY_MS : ms;
}

/** `>D`, `>=D`, `<D`, `<=D`, `A..B` or `D` (a whole day when D has no time). */
export function parseTimeRange(value: string): ((ms: number) => boolean) | null {
  const range = /^(.+)\.\.(.+)$/.exec(value);
  if (range) {
    const from = bound(range[1] ?? "", "start");
    const to = bound(range[2] ?? "", "end");
    const inclusiveEnd = /^\d{4}-\d{2}-\d{2}$/.test(range[2] ?? "");
    if (from === null || to === null) return null;
    return (ms) => ms >= from && (inclusiveEnd ? ms < to : ms <= to);
  }
  const compared = /^(>=|<=|>|<)?(.+)$/.exec(value);
  const operator = compared?.[1] ?? "";
  const start = bound(compared?.[2] ?? "", "start");
  const end = bound(compared?.[2] ?? "", "end");
  if (start === null || end === null) return null;
  const dateOnly = end !== start;
  switch (operator) {
    case ">":
      return (ms) => (dateOnly ? ms >= end : ms > start);
    case ">=":
      return (ms) => ms >= start;
    case "<":
      return (ms) => ms < start;
    case "<=":
      return (ms) => (dateOnly ? ms < end : ms <= start);
    default:
      return (ms) => (dateOnly ? ms >= start && ms < end : ms === start);
  }
}

/** Parses a `q` string. */
export function parseSearchQuery(q: string): SearchQuery {
  const query: SearchQuery = {
    repos: [],
    owners: [],
    is: [],
    labelGroups: [],
    excludedLabels: [],
    no: [],
    fields: [],
    authors: [],
    assignees: [],
    reasons: [],
    times: [],
    terms: [],
    sort: null,
    unsupported: [],
  };
  for (const token of tokenize(q)) {
    const qualifier = /^(-?)([a-z-]+):(.+)$/i.exec(token);
    if (!qualifier || token.startsWith('"')) {
      if (token === "AND") continue;
      if (token === "OR" || token.startsWith("(") || token.endsWith(")"))
        query.unsupported.push(`${token} (boolean/grouping)`);
      else query.terms.push(unquote(token).toLowerCase());
      continue;
    }
    const negated = qualifier[1] === "-";
    const key = (qualifier[2] ?? "").toLowerCase();
    const value = unquote(qualifier[3] ?? "");
    const lower = value.toLowerCase();
    if (negated && key !== "label") {
      query.unsupported.push(token);
      continue;
    }
    switch (key) {
      case "repo":
        query.repos.push(lower);
        break;
      case "org":
      case "user":
        query.owners.push(lower);
        break;
      case "is":
      case "type":
        query.is.push(lower === "pull-request" ? "pr" : lower);
        break;
      case "state":
        query.is.push(lower);
        break;
      case "label":
        if (negated) query.excludedLabels.push(lower);
        else query.labelGroups.push(lower.split(",").map((name) => name.trim()));
        break;
      case "no":
        query.no.push(lower);
        break;
      case "in":
        query.fields.push(
          ...lower.split(",").filter((f): f is Field => f === "title" || f === "body" || f === "comments"),
        );
        break;
      case "author":
        query.authors.push(lower);
        break;
      case "assignee":
        query.assignees.push(lower);
        break;
      case "reason":
        query.reasons.push(lower.replace(/\s+/g, "_"));
        break;
      case "created":
      case "updated":
      case "closed": {
        const test = parseTimeRange(value);
        if (test) query.times.push({ field: `${key}At` as TimeField, test });
        else query.unsupported.push(token);
        break;
      }
      case "sort": {
        const [sortKey = "", order = "desc"] = lower.split("-");
        query.sort = { key: sortKey, order: order === "asc" ? "asc" : "desc" };
        break;
      }
      default:
        query.unsupported.push(token);
    }
  }
  const knownIs = new Set(["issue", "pr", "open", "closed", "merged", "unmerged", "locked", "unlocked"]);
  for (const value of query.is) if (!knownIs.has(value)) query.unsupported.push(`is:${value}`);
  for (const value of query.no) if (value !== "label" && value !== "assignee") query.unsupported.push(`no:${value}`);
  return query;
}

function containsTerm(text: string, term: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(term, from);
    if (at < 0) return false;
    const before = text[at - 1] ?? " ";
    const after = text[at + term.length] ?? " ";
    if (!/\w/.test(before) && !/\w/.test(after)) return true;
    from = at + 1;
  }
}

function matchesIs(issue: SimIssue, value: string): boolean {
  switch (value) {
    case "issue":
      return !issue.pullRequest;
    case "pr":
      return issue.pullRequest !== null;
    case "open":
    case "closed":
      return issue.state === value;
    case "merged":
      return issue.pullRequest?.merged === true;
    case "unmerged":
      return issue.pullRequest !== null && !issue.pullRequest.merged;
    case "locked":
      return issue.locked;
    case "unlocked":
      return !issue.locked;
    default:
      return true;
  }
}

/** True when `issue` satisfies every qualifier and term of `query`. */
export function matchesSearchQuery(issue: SimIssue, query: SearchQuery): boolean {
  const fullName = issue.repo.fullName.toLowerCase();
  if (query.repos.length > 0 && !query.repos.includes(fullName)) return false;
  if (query.owners.length > 0 && !query.owners.includes(issue.repo.owner.login.toLowerCase())) return false;
  if (!query.is.every((value) => matchesIs(issue, value))) return false;
  const labels = issue.labels.map((label) => label.name.toLowerCase());
  if (!query.labelGroups.every((group) => group.some((name) => labels.includes(name)))) return false;
  if (query.excludedLabels.some((name) => labels.includes(name))) return false;
  if (query.no.includes("label") && labels.length > 0) return false;
  if (query.no.includes("assignee") && issue.assignees.length > 0) return false;
  if (query.authors.length > 0 && !query.authors.includes(issue.user.login.toLowerCase())) return false;
  const assignees = issue.assignees.map((user) => user.login.toLowerCase());
  if (!query.assignees.every((login) => assignees.includes(login))) return false;
  if (query.reasons.length > 0 && !query.reasons.includes(issue.stateReason ?? "")) return false;
  for (const { field, test } of query.times) {
    const date = issue[field];
    // GitHub's times are whole seconds (as every payload shows them): `created:>T` excludes T.5.
    if (!date || !test(Math.floor(date.getTime() / 1000) * 1000)) return false;
  }
  if (query.terms.length === 0) return true;
  const fields: Field[] = query.fields.length > 0 ? query.fields : ["title", "body"];
  const haystack = [
    fields.includes("title") ? issue.title : "",
    fields.includes("body") ? (issue.body ?? "") : "",
    ...(fields.includes("comments") ? issue.comments.map((comment) => comment.body) : []),
  ]
    .join("\n")
    .toLowerCase();
  return query.terms.every((term) => containsTerm(haystack, term));
}
