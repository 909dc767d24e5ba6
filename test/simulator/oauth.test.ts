/**
 * The simulator's user authorization: the OAuth web flow (authorize -> redirect with code and state,
 * code -> `ghu_` token, once) through @octokit/oauth-methods as the app uses it, and what a user token
 * lists: the installations and repositories the person can read within the app's (answers checked
 * against GitHub's response schemas).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { exchangeWebFlowCode, getWebFlowAuthorizationUrl } from "@octokit/oauth-methods";
import type { GitHubSimulator } from "../../simulator/src/index.js";
import { INSTALLATION_ID, startSimulator, TestOctokit } from "./helpers.js";

let sim: GitHubSimulator;
beforeAll(async () => {
  sim = await startSimulator({ checkResponses: true });
  sim.seed.installation({ id: 78, account: "globex", type: "Organization" });
  sim.seed.repo("globex/site", { installationId: 78 });
  sim.seed.repo("acme/outside", { installationId: null });
  sim.seed.permission("acme/outside", "mallory", "admin"); // not the app's: never listed
  sim.seed.permission("acme/web", "mallory", "none");
});
afterAll(() => sim.stop());

const CALLBACK = "http://127.0.0.1:9/incident-keeper/callback";
const request = () => new TestOctokit({ baseUrl: `${sim.baseUrl}/api/v3` }).request;

async function signIn(login: string, state = "s-1"): Promise<string> {
  sim.signInBrowser(login);
  const { url } = getWebFlowAuthorizationUrl({
    clientType: "github-app",
    clientId: sim.oauthClient.clientId,
    redirectUrl: CALLBACK,
    state,
    request: request(),
  });
  expect(url.startsWith(`${sim.baseUrl}/login/oauth/authorize?`)).toBe(true);
  const answer = await fetch(url, { redirect: "manual" });
  expect(answer.status).toBe(302);
  const back = new URL(answer.headers.get("location")!);
  expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
  expect(back.searchParams.get("state")).toBe(state);
  const { authentication } = await exchangeWebFlowCode({
    clientType: "github-app",
    clientId: sim.oauthClient.clientId,
    clientSecret: sim.oauthClient.clientSecret,
    code: back.searchParams.get("code")!,
    redirectUrl: CALLBACK,
    request: request(),
  });
  expect(authentication.token).toMatch(/^ghu_/);
  return authentication.token;
}

async function readable(token: string): Promise<string[]> {
  const octokit = new TestOctokit({ auth: { token }, baseUrl: `${sim.baseUrl}/api/v3` });
  const installations = await octokit.paginate(octokit.rest.apps.listInstallationsForAuthenticatedUser, {
    per_page: 100,
  });
  const names: string[] = [];
  for (const installation of installations) {
    const repos = await octokit.paginate(octokit.rest.apps.listInstallationReposForAuthenticatedUser, {
      installation_id: installation.id,
      per_page: 1, // pagination through Link headers
    });
    names.push(...repos.map((r) => r.full_name));
  }
  return names.sort();
}

describe("the simulator's user authorization", () => {
  it("signs a person in and lists only what they can read within the app's installations", async () => {
    sim.seed.permission("globex/site", "alice", "write");
    sim.seed.permission("acme/web", "alice", "read");
    expect(await readable(await signIn("alice"))).toEqual(["acme/api", "acme/web", "globex/site"]);
    expect(await readable(await signIn("mallory"))).toEqual(["acme/api"]);
  });

  it("a code works once; a wrong secret, an unknown client or nobody signed in is refused", async () => {
    sim.signInBrowser("alice");
    const authorize = (clientId: string) =>
      fetch(
        `${sim.baseUrl}/login/oauth/authorize?client_id=${clientId}&redirect_uri=${encodeURIComponent(CALLBACK)}&state=x`,
        { redirect: "manual" },
      );
    expect((await authorize("Iv1.nope")).status).toBe(404);
    const code = new URL((await authorize(sim.oauthClient.clientId)).headers.get("location")!).searchParams.get(
      "code",
    )!;
    const exchange = (secret: string) =>
      exchangeWebFlowCode({
        clientType: "github-app",
        clientId: sim.oauthClient.clientId,
        clientSecret: secret,
        code,
        request: request(),
      });
    await expect(exchange("wrong")).rejects.toThrow(/incorrect_client_credentials/);
    expect((await exchange(sim.oauthClient.clientSecret)).authentication.token).toMatch(/^ghu_/);
    await expect(exchange(sim.oauthClient.clientSecret)).rejects.toThrow(/bad_verification_code/);
    sim.signInBrowser(null);
    expect((await authorize(sim.oauthClient.clientId)).status).toBe(401);
  });

  it("a user token is not an installation token, and an installation the person cannot reach is 404", async () => {
    const token = await signIn("mallory");
    const octokit = new TestOctokit({ auth: { token }, baseUrl: `${sim.baseUrl}/api/v3` });
    await expect(
      octokit.rest.apps.listInstallationReposForAuthenticatedUser({ installation_id: 78 }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(octokit.rest.issues.listForRepo({ owner: "acme", repo: "api" })).rejects.toMatchObject({
      status: 403,
    });
    const anonymous = new TestOctokit({ baseUrl: `${sim.baseUrl}/api/v3` });
    await expect(anonymous.rest.apps.listInstallationsForAuthenticatedUser()).rejects.toMatchObject({ status: 401 });
    expect(INSTALLATION_ID).toBe(77);
    const kinds = sim.violations.map((v) => `${v.kind} ${v.operationId}`);
    expect(kinds).toEqual([
      "authentication issues/list-for-repo",
      "authentication apps/list-installations-for-authenticated-user",
    ]);
    sim.violations.length = 0;
  });

  it("no violation in the flow itself", () => {
    expect(sim.violations).toEqual([]);
  });
});
