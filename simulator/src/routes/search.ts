/** GET /search/issues over every repository the installation can see. */
import { HttpError } from "../errors.js";
import { searchItemJson } from "../issue-payloads.js";
import { json, linkHeader, pageParams } from "../http-util.js";
import { matchesSearchQuery, parseSearchQuery } from "../search-query.js";
import type { SimIssue } from "../types.js";
import type { RouteDefinition } from "./types.js";

const MAX_RESULTS = 1000;

function sortKey(issue: SimIssue, key: string): number {
  if (key === "updated") return issue.updatedAt.getTime();
  if (key === "comments") return issue.comments.length;
  return issue.createdAt.getTime();
}

/** Search routes. */
export const searchRoutes: RouteDefinition[] = [
  {
    operationId: "search/issues-and-pull-requests",
    auth: "installation",
    permission: ["metadata", "read"],
    handle: (request, services) => {
      const q = request.query.get("q") ?? "";
      const query = parseSearchQuery(q);
      for (const token of query.unsupported) services.report(request, "unsupported-search", `search qualifier or syntax not simulated: ${token}`);
      const visible = [...services.state.repos.values()].filter((repo) => !repo.private || repo.installationId === request.installationId);
      const hits = visible.flatMap((repo) => [...repo.issues.values()].filter((issue) => matchesSearchQuery(issue, query)));
      const key = request.query.get("sort") ?? query.sort?.key ?? "created";
      const order = (request.query.get("order") ?? query.sort?.order ?? "desc") === "asc" ? 1 : -1;
      hits.sort((a, b) => order * (sortKey(a, key) - sortKey(b, key)) || b.id - a.id);
      const { perPage, page } = pageParams(request.query);
      if ((page - 1) * perPage >= MAX_RESULTS && hits.length > 0) {
        throw new HttpError(422, "Only the first 1000 search results are available");
      }
      const reachable = hits.slice(0, MAX_RESULTS);
      const link = linkHeader(request.publicUrl, page, Math.max(1, Math.ceil(reachable.length / perPage)));
      const items = reachable.slice((page - 1) * perPage, page * perPage).map((issue) => searchItemJson(services.state, issue));
      return json(200, { total_count: hits.length, incomplete_results: false, search_type: "lexical", items }, link ? { link } : {});
    },
  },
];
