/**
 * What a user-to-server token may list (the app acting for a person who signed in through it): the
 * app's installations the person can reach, and in each the repositories the person can read. The
 * token's access is the intersection of the person's (repository roles) and the app's (the
 * installation's repositories), as on GitHub.
 */
import { NotFoundError } from "../errors.js";
import { json, paginate } from "../http-util.js";
import { installationJson, repoJson } from "../payloads.js";
import { roleAtLeast, type SimState } from "../state.js";
import type { SimRepo } from "../types.js";
import type { RouteDefinition } from "./types.js";

/** The installation's repositories `login` can read. */
function readableRepos(state: SimState, installationId: number, login: string): SimRepo[] {
  return state.reposOf(installationId).filter((repo) => roleAtLeast(state.roleOf(repo, login), "read"));
}

/** User-to-server routes. */
export const userRoutes: RouteDefinition[] = [
  {
    operationId: "apps/list-installations-for-authenticated-user",
    auth: "user",
    handle: (request, { state }) => {
      const login = request.userLogin ?? "";
      const reachable = [...state.installations.values()].filter(
        (installation) => readableRepos(state, installation.id, login).length > 0,
      );
      const page = paginate(
        reachable.map((installation) => installationJson(state, installation)),
        request.query,
        request.publicUrl,
      );
      return json(200, { total_count: reachable.length, installations: page.items }, page.headers);
    },
  },
  {
    operationId: "apps/list-installation-repos-for-authenticated-user",
    auth: "user",
    handle: (request, { state }) => {
      const installation = state.installations.get(Number(request.params.installation_id));
      const repos = installation ? readableRepos(state, installation.id, request.userLogin ?? "") : [];
      if (repos.length === 0) throw new NotFoundError();
      const page = paginate(
        repos.map((repo) => repoJson(state.urls, repo)),
        request.query,
        request.publicUrl,
      );
      return json(
        200,
        { total_count: repos.length, repository_selection: "selected", repositories: page.items },
        page.headers,
      );
    },
  },
];
