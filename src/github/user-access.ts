/**
 * The dashboard's GitHub sign-in, on GitHub's side: the app's own user authorization (GitHub App
 * user-to-server OAuth web flow, through @octokit/oauth-methods) and what the signed-in person can
 * read among the app's installations (`GET /user/installations`, `GET /user/installations/{id}/repositories`
 * with the user's token, paginated). The user token never leaves the server and is never logged.
 */
import { exchangeWebFlowCode, getWebFlowAuthorizationUrl } from "@octokit/oauth-methods";
import { ProbotOctokit } from "probot";

/** The app's OAuth client (GITHUB_CLIENT_ID / GITHUB_CLIENT_SECRET, written to .env by Probot's setup). */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

/** The REST base the app talks to: github.com, or GHE_HOST's `/api/v3`. */
export function apiBaseUrl(env: NodeJS.ProcessEnv): string {
  return env.GHE_HOST ? `${env.GHE_PROTOCOL || "https"}://${env.GHE_HOST}/api/v3` : "https://api.github.com";
}

/** An octokit for one person's user-to-server token (or none, for the OAuth endpoints): no retries of its own. */
function userOctokit(baseUrl: string, token?: string): InstanceType<typeof ProbotOctokit> {
  return new ProbotOctokit({
    baseUrl,
    ...(token ? { auth: { token } } : {}),
    retry: { enabled: false },
    throttle: { enabled: false },
  });
}

/** Where the browser goes to authorize: `<github>/login/oauth/authorize?client_id=...&state=...&redirect_uri=...`. */
export function authorizationUrl(args: {
  client: OAuthClient;
  baseUrl: string;
  redirectUrl: string;
  state: string;
}): string {
  return getWebFlowAuthorizationUrl({
    clientType: "github-app",
    clientId: args.client.clientId,
    redirectUrl: args.redirectUrl,
    state: args.state,
    allowSignup: false,
    request: userOctokit(args.baseUrl).request,
  }).url;
}

/** The callback's code for the person's token (`POST /login/oauth/access_token`): one request. */
export async function exchangeCode(args: {
  client: OAuthClient;
  baseUrl: string;
  code: string;
  redirectUrl: string;
}): Promise<{ token: string; expiresAt: number | null }> {
  const { authentication } = await exchangeWebFlowCode({
    clientType: "github-app",
    clientId: args.client.clientId,
    clientSecret: args.client.clientSecret,
    code: args.code,
    redirectUrl: args.redirectUrl,
    request: userOctokit(args.baseUrl).request,
  });
  const expiresAt =
    "expiresAt" in authentication && authentication.expiresAt ? Date.parse(authentication.expiresAt) : null;
  return { token: authentication.token, expiresAt: Number.isFinite(expiresAt) ? expiresAt : null };
}

/** The repositories a person can read among the app's installations, and the requests it took. */
export interface ReadableRepositories {
  /** `installationId:owner/name`, lower case. */
  keys: Set<string>;
  requests: number;
}

/** What the person can read within the app's installations: 1 request + 1 per installation (per 100 of each). */
export async function readableRepositories(args: { baseUrl: string; token: string }): Promise<ReadableRepositories> {
  const octokit = userOctokit(args.baseUrl, args.token);
  let requests = 0;
  octokit.hook.before("request", () => {
    requests += 1;
  });
  const installations = await octokit.paginate(octokit.rest.apps.listInstallationsForAuthenticatedUser, {
    per_page: 100,
  });
  const keys = new Set<string>();
  // Independent reads at once: one listing per installation.
  const lists = await Promise.all(
    installations.map(async (installation) => ({
      id: installation.id,
      repos: await octokit.paginate(octokit.rest.apps.listInstallationReposForAuthenticatedUser, {
        installation_id: installation.id,
        per_page: 100,
      }),
    })),
  );
  for (const list of lists) for (const repo of list.repos) keys.add(`${list.id}:${repo.full_name}`.toLowerCase());
  return { keys, requests };
}
