/** The GitHub App endpoints Probot and apps use: /app, installations, installation tokens. */
import { NotFoundError } from "../errors.js";
import { json, paginate } from "../http-util.js";
import { appJson, installationJson, isoSeconds, repoJson } from "../payloads.js";
import type { RouteDefinition } from "./types.js";

/** GitHub App routes. */
export const appRoutes: RouteDefinition[] = [
  {
    operationId: "apps/get-authenticated",
    auth: "app",
    handle: (_request, { state }) => json(200, appJson(state)),
  },
  {
    operationId: "apps/list-installations",
    auth: "app",
    handle: (request, { state }) => {
      const all = [...state.installations.values()].map((installation) => installationJson(state, installation));
      const page = paginate(all, request.query, request.publicUrl);
      return json(200, page.items, page.headers);
    },
  },
  {
    operationId: "apps/create-installation-access-token",
    auth: "app",
    handle: (request, { state, tokens }) => {
      const installation = state.installations.get(Number(request.params.installation_id));
      if (!installation) throw new NotFoundError();
      const issued = tokens.issue(installation.id);
      return json(201, {
        token: issued.token,
        expires_at: isoSeconds(issued.expiresAt),
        permissions: { ...state.app.permissions },
        repository_selection: "selected",
      });
    },
  },
  {
    operationId: "apps/list-repos-accessible-to-installation",
    auth: "installation",
    handle: (request, { state }) => {
      const repos = state.reposOf(request.installationId ?? -1).map((repo) => repoJson(state.urls, repo));
      const page = paginate(repos, request.query, request.publicUrl);
      return json(
        200,
        { total_count: repos.length, repository_selection: "selected", repositories: page.items },
        page.headers,
      );
    },
  },
  {
    operationId: "apps/get-repo-installation",
    auth: "app",
    handle: (request, { state }) => {
      const repo = state.findRepo(`${request.params.owner}/${request.params.repo}`);
      const installation = repo?.installationId != null ? state.installations.get(repo.installationId) : undefined;
      if (!installation) throw new NotFoundError();
      return json(200, installationJson(state, installation));
    },
  },
  {
    operationId: "apps/get-org-installation",
    auth: "app",
    handle: (request, { state }) => {
      const login = (request.params.org ?? "").toLowerCase();
      const installation = [...state.installations.values()].find(
        (i) => i.account.login.toLowerCase() === login && i.account.type === "Organization",
      );
      if (!installation) throw new NotFoundError();
      return json(200, installationJson(state, installation));
    },
  },
  {
    operationId: "apps/get-user-installation",
    auth: "app",
    handle: (request, { state }) => {
      const login = (request.params.username ?? "").toLowerCase();
      const installation = [...state.installations.values()].find((i) => i.account.login.toLowerCase() === login);
      if (!installation) throw new NotFoundError();
      return json(200, installationJson(state, installation));
    },
  },
];
