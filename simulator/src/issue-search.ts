/** Issue search shared by REST (`GET /search/issues`) and GraphQL (`search(type: ISSUE)`). */
import { matchesSearchQuery, parseSearchQuery } from "./search-query.js";
import type { SimState } from "./state.js";
import type { SimIssue } from "./types.js";

/** GitHub returns at most this many results of one query. */
export const MAX_SEARCH_RESULTS = 1000;

function sortKey(issue: SimIssue, key: string): number {
  if (key === "updated") return issue.updatedAt.getTime();
  if (key === "comments") return issue.comments.length;
  return issue.createdAt.getTime();
}

/**
 * Every issue and pull request matching `q` that the installation can see (public repositories and
 * its own), ordered by `sort`/`order` (or the query's `sort:`; default newest first).
 * `unsupported` lists qualifiers the simulator cannot answer faithfully.
 */
export function searchIssues(
  state: SimState,
  input: { q: string; installationId: number | null; sort?: string | null; order?: string | null },
): { hits: SimIssue[]; unsupported: string[] } {
  const query = parseSearchQuery(input.q);
  const visible = [...state.repos.values()].filter(
    (repo) => !repo.private || repo.installationId === input.installationId,
  );
  const hits = visible.flatMap((repo) => [...repo.issues.values()].filter((issue) => matchesSearchQuery(issue, query)));
  const key = input.sort ?? query.sort?.key ?? "created";
  const order = (input.order ?? query.sort?.order ?? "desc") === "asc" ? 1 : -1;
  hits.sort((a, b) => order * (sortKey(a, key) - sortKey(b, key)) || b.id - a.id);
  return { hits, unsupported: query.unsupported };
}
