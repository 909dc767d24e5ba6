/** GET /search/issues over every repository the installation can see. */
import { HttpError } from "../errors.js";
import { searchItemJson } from "../issue-payloads.js";
import { json, linkHeader, pageParams } from "../http-util.js";
import { MAX_SEARCH_RESULTS, searchIssues } from "../issue-search.js";
import type { RouteDefinition } from "./types.js";

/** Search routes. */
export const searchRoutes: RouteDefinition[] = [
  {
    operationId: "search/issues-and-pull-requests",
    auth: "installation",
    permission: ["metadata", "read"],
    handle: (request, services) => {
      const { hits, unsupported } = searchIssues(services.state, {
        q: request.query.get("q") ?? "",
        installationId: request.installationId,
        sort: request.query.get("sort"),
        order: request.query.get("order"),
      });
      for (const token of unsupported) {
        services.report(request, "unsupported-search", `search qualifier or syntax not simulated: ${token}`);
      }
      const { perPage, page } = pageParams(request.query);
      if ((page - 1) * perPage >= MAX_SEARCH_RESULTS && hits.length > 0) {
        throw new HttpError(422, "Only the first 1000 search results are available");
      }
      const reachable = hits.slice(0, MAX_SEARCH_RESULTS);
      const link = linkHeader(request.publicUrl, page, Math.max(1, Math.ceil(reachable.length / perPage)));
      const items = reachable
        .slice((page - 1) * perPage, page * perPage)
        .map((issue) => searchItemJson(services.state, issue));
      return json(
        200,
        { total_count: hits.length, incomplete_results: false, search_type: "lexical", items },
        link ? { link } : {},
      );
    },
  },
];
