/**
 * GitHub sign-in for the dashboard, end to end: the real app process and the simulator's OAuth web
 * flow. Two people with different repository access see different incidents; a sign-in costs the
 * token exchange and the user-token listings once per session, and page views cost nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { SCENARIO, startSimulatedApp, type SimulatedApp } from "../../simulator/src/app-process.js";
import { GitHubSimulator } from "../../simulator/src/index.js";
import { expectNoViolations } from "../support/e2e.js";

const SWEEP_TOKEN = "sweep-secret-for-tests";
const { repo, otherRepo } = SCENARIO;
let e2e: SimulatedApp;
const client = new GitHubSimulator({ appId: SCENARIO.appId, webhookSecret: "unused" }).oauthClient;

beforeAll(async () => {
  e2e = await startSimulatedApp({
    env: {
      GITHUB_CLIENT_ID: client.clientId,
      GITHUB_CLIENT_SECRET: client.clientSecret,
      SWEEP_TRIGGER_TOKEN: SWEEP_TOKEN,
      SWEEP_INTERVAL_MINUTES: "0",
      LOG_LEVEL: "trace",
    },
  });
  // alice: admin of both repositories; mallory: reads acme/api, nothing of acme/web (the scenario's roles).
  e2e.sim.seed.issue(repo, { title: "API latency", labels: ["incident"] });
  e2e.sim.seed.issue(otherRepo, { title: "Web outage", labels: ["incident"] });
  const sweep = await fetch(`${e2e.app.url}/api/incident-keeper/sweep?wait=1`, {
    method: "POST",
    headers: { authorization: `Bearer ${SWEEP_TOKEN}` },
  });
  expect(sweep.status).toBe(200);
  await e2e.sim.settle();
}, 60_000);
afterAll(() => e2e?.stop());

/** The browser's click-through: login -> GitHub's authorize page -> the callback -> the dashboard. */
async function signIn(login: string): Promise<{ cookie: string; html: string }> {
  e2e.sim.signInBrowser(login);
  const start = await fetch(`${e2e.app.url}/incident-keeper/login`, { redirect: "manual" });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get("location")!);
  expect(`${authorize.origin}${authorize.pathname}`).toBe(`${e2e.sim.baseUrl}/login/oauth/authorize`);
  expect(authorize.searchParams.get("client_id")).toBe(client.clientId);
  expect(authorize.searchParams.get("redirect_uri")).toBe(`${e2e.app.url}/incident-keeper/callback`);
  const stateCookie = start.headers.get("set-cookie")!.split(";")[0]!;
  const github = await fetch(authorize, { redirect: "manual" });
  expect(github.status).toBe(302);
  const callback = await fetch(github.headers.get("location")!, {
    headers: { cookie: stateCookie },
    redirect: "manual",
  });
  expect(callback.status).toBe(303);
  const cookie = callback.headers
    .getSetCookie()
    .find((c) => c.startsWith("ik_session="))!
    .split(";")[0]!;
  const page = await fetch(`${e2e.app.url}/incident-keeper/dashboard`, { headers: { cookie } });
  expect(page.status).toBe(200);
  return { cookie, html: await page.text() };
}

const userCalls = (sim: GitHubSimulator, from: number) =>
  sim.requests
    .slice(from)
    .map((r) => r.operationId)
    .filter((id) => id?.startsWith("oauth/") || id?.endsWith("-for-authenticated-user"));

describe("the dashboard with GitHub sign-in", () => {
  it("without a session: the sign-in page, no incident data, no token form", async () => {
    const res = await fetch(`${e2e.app.url}/incident-keeper/dashboard`);
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain("Sign in with GitHub");
    expect(html).not.toContain('name="token"');
    expect(html).not.toContain("API latency");
  });

  it("two people with different access see different incidents; sign-in costs its calls once, page views none", async () => {
    let from = e2e.sim.requests.length;
    const alice = await signIn("alice");
    expect(alice.html).toContain("API latency");
    expect(alice.html).toContain("Web outage");
    // One token exchange, one listing of installations, one of the installation's repositories.
    expect(userCalls(e2e.sim, from)).toEqual([
      "oauth/authorize",
      "oauth/access-token",
      "apps/list-installations-for-authenticated-user",
      "apps/list-installation-repos-for-authenticated-user",
    ]);
    from = e2e.sim.requests.length;
    const mallory = await signIn("mallory");
    expect(mallory.html).toContain("API latency");
    expect(mallory.html).not.toContain("Web outage");
    expect(mallory.html).not.toContain(otherRepo);
    expect(userCalls(e2e.sim, from)).toHaveLength(4);

    from = e2e.sim.requests.length;
    for (const who of [alice, mallory, alice])
      expect(
        (await fetch(`${e2e.app.url}/incident-keeper/dashboard`, { headers: { cookie: who.cookie } })).status,
      ).toBe(200);
    expect(e2e.sim.requests.length - from).toBe(0);
    // The user tokens, the client secret and the codes never reach the browser or the logs (trace level).
    const logs = e2e.app.logs.join("\n");
    expect(logs).toContain("/incident-keeper/callback");
    expect(`${alice.cookie}${alice.html}${mallory.html}${logs}`).not.toMatch(/ghu_/);
    expect(logs).not.toContain(client.clientSecret);
    expect(logs).not.toMatch(/[?&]code=[0-9a-f]{20}/);
  }, 60_000);

  it("sign-out: the session cookie no longer opens the page", async () => {
    const bob = await signIn("bob");
    const out = await fetch(`${e2e.app.url}/incident-keeper/logout`, {
      method: "POST",
      headers: { cookie: bob.cookie },
      redirect: "manual",
    });
    expect(out.status).toBe(303);
    expect((await fetch(`${e2e.app.url}/incident-keeper/dashboard`, { headers: { cookie: bob.cookie } })).status).toBe(
      401,
    );
  }, 30_000);

  it("no OpenAPI violations", () => {
    expectNoViolations(e2e.sim);
  });
});
