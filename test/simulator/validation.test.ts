import { afterAll, beforeAll, beforeEach, describe, expect, test } from "@jest/globals";
import type { GitHubSimulator } from "../../simulator/src/index.js";
import { fakeAppJwt, installationToken, startSimulator, TestOctokit, type TestOctokitInstance } from "./helpers.js";

let sim: GitHubSimulator;
let octokit: TestOctokitInstance;
let token: string;
const api = { owner: "acme", repo: "api" };

beforeAll(async () => {
  sim = await startSimulator();
  token = await installationToken(sim);
  octokit = new TestOctokit({ auth: { token }, baseUrl: `${sim.baseUrl}/api/v3` });
  sim.seed.issue("acme/api", { title: "first" });
});
beforeEach(() => sim.clearLogs());
afterAll(() => sim.stop());

/** A raw call, as a misbehaving client would make it. */
async function call(
  method: string,
  path: string,
  init: { body?: string; auth?: string | null } = {},
): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (init.auth !== null) headers.authorization = init.auth ?? `token ${token}`;
  const response = await fetch(`${sim.baseUrl}/api/v3${path}`, { method, headers, body: init.body });
  return { status: response.status, body: await response.text() };
}

describe("request bodies are validated against GitHub's OpenAPI description", () => {
  test("a misspelled key is a 422 and a violation, and nothing changes", async () => {
    const request = octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
      ...api,
      issue_number: 1,
      stat: "closed",
    });
    await expect(request).rejects.toMatchObject({ status: 422 });
    expect(sim.issue("acme/api", 1).state).toBe("open");
    expect(sim.violations).toEqual([
      {
        kind: "invalid-request",
        method: "PATCH",
        path: "/repos/acme/api/issues/1",
        operationId: "issues/update",
        reason: expect.stringContaining('"stat" is not a permitted key'),
      },
    ]);
  });

  test("a wrong type or enum value is a 422", async () => {
    // Literal URLs: octokit's types would (rightly) refuse these parameters.
    await expect(octokit.request("PATCH /repos/acme/api/issues/1", { state: "done" })).rejects.toMatchObject({
      status: 422,
    });
    await expect(octokit.request("POST /repos/acme/api/issues/1/comments", { body: 42 })).rejects.toMatchObject({
      status: 422,
    });
    expect(sim.violations.map((violation) => violation.operationId)).toEqual([
      "issues/update",
      "issues/create-comment",
    ]);
  });

  test("nullable fields accept null (OpenAPI nullable is rewritten for ajv)", async () => {
    await octokit.rest.issues.update({ ...api, issue_number: 1, body: null, state_reason: null });
    expect(sim.violations).toEqual([]);
  });

  test("a body that is not JSON is a 400", async () => {
    expect((await call("POST", "/repos/acme/api/issues", { body: "{title:" })).status).toBe(400);
    expect(sim.violations).toHaveLength(1);
  });
});

describe("query parameters", () => {
  test("an enum violation is a 422", async () => {
    await expect(octokit.request("GET /repos/acme/api/issues", { state: "opened" })).rejects.toMatchObject({
      status: 422,
    });
    expect(sim.violations[0]?.reason).toContain("state");
  });

  test("an unknown parameter is answered (GitHub ignores it) but recorded", async () => {
    const { status } = await octokit.request("GET /repos/{owner}/{repo}/issues", { ...api, labelz: "sev:1" });
    expect(status).toBe(200);
    expect(sim.violations).toEqual([
      expect.objectContaining({ kind: "unknown-query-parameter", reason: expect.stringContaining('"labelz"') }),
    ]);
  });

  test("a required parameter (search q) is enforced", async () => {
    expect((await call("GET", "/search/issues")).status).toBe(422);
  });
});

describe("endpoints", () => {
  test("an endpoint the simulator does not implement is a 404 and an unimplemented-endpoint violation", async () => {
    await expect(octokit.request("GET /repos/{owner}/{repo}/branches", api)).rejects.toMatchObject({ status: 404 });
    expect(sim.violations).toEqual([
      expect.objectContaining({
        kind: "unimplemented-endpoint",
        reason: expect.stringContaining("GET /repos/acme/api/branches"),
      }),
    ]);
  });

  // GraphQL is simulated now (test/simulator/graphql.test.ts); what it cannot answer still fails and is recorded.
  test("a GraphQL field the simulator does not answer fails and is recorded", async () => {
    await expect(octokit.graphql("query { viewer { login } }")).rejects.toThrow();
    expect(sim.violations).toEqual([
      expect.objectContaining({ kind: "unsupported-graphql", reason: "graphql: not simulated: Query.viewer" }),
    ]);
  });

  test("paths are served with and without the /api/v3 prefix", async () => {
    const response = await fetch(`${sim.baseUrl}/repos/acme/api/issues/1`, {
      headers: { authorization: `bearer ${token}` },
    });
    expect(response.status).toBe(200);
  });
});

describe("authentication", () => {
  test("no credentials is a 401; an unknown token is 401 Bad credentials", async () => {
    expect((await call("GET", "/repos/acme/api", { auth: null })).status).toBe(401);
    const bad = await call("GET", "/repos/acme/api", { auth: "token ghs_not-a-token" });
    expect(bad).toMatchObject({ status: 401, body: expect.stringContaining("Bad credentials") });
    expect(sim.violations.every((violation) => violation.kind === "authentication")).toBe(true);
  });

  test("app endpoints need the app's JWT; a JWT for another app id is refused", async () => {
    expect((await call("GET", "/app", { auth: `bearer ${fakeAppJwt()}` })).status).toBe(200);
    expect((await call("GET", "/app")).status).toBe(401);
    expect((await call("GET", "/app", { auth: `bearer ${fakeAppJwt(1)}` })).status).toBe(401);
  });

  test("an operation outside the app's permissions is 403 Resource not accessible by integration", async () => {
    const { data: pr } = await sim.user("alice").openPullRequest("acme/api", { title: "p" });
    await expect(octokit.rest.pulls.merge({ ...api, pull_number: pr.number })).rejects.toMatchObject({ status: 403 });
    expect(sim.violations).toEqual([expect.objectContaining({ kind: "permission", operationId: "pulls/merge" })]);
  });
});
