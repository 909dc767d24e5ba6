import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { RequestError } from "@octokit/request-error";
import type { GitHubSimulator } from "../../simulator/src/index.js";
import { installationOctokit, startSimulator, type TestOctokitInstance } from "./helpers.js";

let sim: GitHubSimulator;
let octokit: TestOctokitInstance;
const api = { owner: "acme", repo: "api" };

beforeAll(async () => {
  // This suite also checks every answer against GitHub's response schemas (slow to compile, so only here).
  sim = await startSimulator({ checkResponses: true });
  octokit = await installationOctokit(sim);
});
afterAll(() => sim.stop());

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    if (error instanceof RequestError) return error.status;
    throw error;
  }
}

describe("pagination", () => {
  beforeAll(() => {
    for (let i = 1; i <= 75; i++)
      sim.seed.issue("acme/web", { title: `issue ${i}`, createdAt: new Date(Date.UTC(2024, 0, 1, 0, i)) });
  });

  test("answers per_page/page with GitHub's Link header on the URL the client used", async () => {
    const first = await octokit.rest.issues.listForRepo({ owner: "acme", repo: "web", per_page: 30 });
    expect(first.data).toHaveLength(30);
    expect(first.data[0]?.number).toBe(75); // newest first by default
    const link = first.headers.link ?? "";
    expect(link).toContain(`<${sim.baseUrl}/api/v3/repos/acme/web/issues?per_page=30&page=2>; rel="next"`);
    expect(link).toContain('page=3>; rel="last"');
    const last = await octokit.rest.issues.listForRepo({ owner: "acme", repo: "web", per_page: 30, page: 3 });
    expect(last.data).toHaveLength(15);
    expect(last.headers.link).toContain('rel="prev"');
    expect(last.headers.link).not.toContain('rel="next"');
  });

  test("octokit.paginate follows the links to the end", async () => {
    const all = await octokit.paginate(octokit.rest.issues.listForRepo, {
      owner: "acme",
      repo: "web",
      per_page: 20,
      direction: "asc",
    });
    expect(all.map((issue) => issue.number)).toEqual(Array.from({ length: 75 }, (_, i) => i + 1));
  });
});

describe("labels", () => {
  test("adding an unknown label creates it in the repository with GitHub's default colour", async () => {
    const { data: issue } = await octokit.rest.issues.create({ ...api, title: "label me" });
    const { data } = await octokit.rest.issues.addLabels({ ...api, issue_number: issue.number, labels: ["sev:1"] });
    expect(data.map((label) => label.name)).toEqual(["sev:1"]);
    expect(sim.labels("acme/api")).toContainEqual({ name: "sev:1", color: "ededed", description: null });
    expect((await octokit.rest.issues.getLabel({ ...api, name: "sev:1" })).data.name).toBe("sev:1");
  });

  test("removing a label the issue does not carry is a 404", async () => {
    const { data: issue } = await octokit.rest.issues.create({ ...api, title: "no labels" });
    await expect(
      octokit.rest.issues.removeLabel({ ...api, issue_number: issue.number, name: "sev:1" }),
    ).rejects.toMatchObject({
      status: 404,
      response: { data: { message: "Label does not exist" } },
    });
  });

  test("set-labels replaces, and an empty list clears", async () => {
    const { data: issue } = await octokit.rest.issues.create({ ...api, title: "relabel", labels: ["a", "b"] });
    await octokit.rest.issues.setLabels({ ...api, issue_number: issue.number, labels: ["b", "c"] });
    expect(sim.issue("acme/api", issue.number).labels).toEqual(["b", "c"]);
    await octokit.rest.issues.setLabels({ ...api, issue_number: issue.number, labels: [] });
    expect(sim.issue("acme/api", issue.number).labels).toEqual([]);
  });

  test("creating a label twice is 422 already_exists", async () => {
    await octokit.rest.issues.createLabel({ ...api, name: "dup", color: "#FF0000" });
    expect(sim.labels("acme/api")).toContainEqual({ name: "dup", color: "ff0000", description: null });
    await expect(octokit.rest.issues.createLabel({ ...api, name: "DUP" })).rejects.toMatchObject({ status: 422 });
  });
});

describe("collaborator permission", () => {
  test.each([
    ["alice", "admin", "admin"],
    ["bob", "read", "triage"],
    ["mallory", "read", "read"],
  ])("%s has legacy permission %s and role %s", async (username, permission, role) => {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...api, username });
    expect(data).toMatchObject({ permission, role_name: role, user: { login: username } });
  });

  test("a known user without access to a private repository has none; an unknown login is 404", async () => {
    sim.user("carol");
    expect(
      (await octokit.rest.repos.getCollaboratorPermissionLevel({ ...api, username: "carol" })).data.permission,
    ).toBe("none");
    expect(await statusOf(octokit.rest.repos.getCollaboratorPermissionLevel({ ...api, username: "nobody-here" }))).toBe(
      404,
    );
  });
});

describe("contents and config", () => {
  beforeAll(() => {
    sim.seed.file("acme/api", ".github/incident-keeper.yml", "policy:\n  sev1: 4h\n");
    sim.seed.file("acme/.github", ".github/incident-keeper.yml", "org: true\n");
  });

  test("raw media type answers the text; JSON answers base64 with an ETag honoured by If-None-Match", async () => {
    const raw = await octokit.rest.repos.getContent({
      ...api,
      path: ".github/incident-keeper.yml",
      mediaType: { format: "raw" },
    });
    expect(raw.data).toBe("policy:\n  sev1: 4h\n");
    const { data, headers } = await octokit.rest.repos.getContent({ ...api, path: ".github/incident-keeper.yml" });
    expect(Array.isArray(data) ? null : data.type).toBe("file");
    expect(
      Buffer.from(!Array.isArray(data) && "content" in data ? (data.content ?? "") : "", "base64").toString(),
    ).toBe("policy:\n  sev1: 4h\n");
    const conditional = octokit.rest.repos.getContent({
      ...api,
      path: ".github/incident-keeper.yml",
      headers: { "if-none-match": headers.etag },
    });
    expect(await statusOf(conditional)).toBe(304);
  });

  test("a missing file is 404", async () => {
    expect(await statusOf(octokit.rest.repos.getContent({ ...api, path: ".github/absent.yml" }))).toBe(404);
  });

  test("Probot's config plugin reads the repository file, and falls back to the organisation's .github repository", async () => {
    expect((await octokit.config.get({ ...api, path: ".github/incident-keeper.yml" })).config).toEqual({
      policy: { sev1: "4h" },
    });
    expect(
      (await octokit.config.get({ owner: "acme", repo: "web", path: ".github/incident-keeper.yml" })).config,
    ).toEqual({ org: true });
  });
});

describe("installation scoping", () => {
  beforeAll(() => {
    sim.seed.installation({ id: 88, account: "other", type: "Organization" });
    sim.seed.repo("other/secret", { installationId: 88 });
    sim.seed.repo("other/open-source", { installationId: 88, private: false });
  });

  test("a private repository of another installation is 404, as on GitHub", async () => {
    expect(await statusOf(octokit.rest.repos.get({ owner: "other", repo: "secret" }))).toBe(404);
    expect(await statusOf(octokit.rest.issues.create({ owner: "other", repo: "secret", title: "x" }))).toBe(404);
  });

  test("a public repository of another installation is readable but not writable", async () => {
    expect(await statusOf(octokit.rest.repos.get({ owner: "other", repo: "open-source" }))).toBe(200);
    expect(await statusOf(octokit.rest.issues.create({ owner: "other", repo: "open-source", title: "x" }))).toBe(403);
  });

  test("the log records which installation each request used", () => {
    expect(sim.requests.filter((r) => r.path.startsWith("/repos/other/")).every((r) => r.installationId === 77)).toBe(
      true,
    );
  });

  test("installation endpoints", async () => {
    const { data } = await octokit.rest.apps.listReposAccessibleToInstallation();
    expect(data.repositories.map((repo) => repo.full_name)).toEqual(["acme/api", "acme/web", "acme/.github"]);
  });
});

describe("issues, comments and timeline", () => {
  test("closing with a reason, reopening, and the comment's performed_via_github_app", async () => {
    const { data: issue } = await octokit.rest.issues.create({ ...api, title: "close me" });
    const closed = await octokit.rest.issues.update({
      ...api,
      issue_number: issue.number,
      state: "closed",
      state_reason: "not_planned",
    });
    expect(closed.data).toMatchObject({
      state: "closed",
      state_reason: "not_planned",
      closed_by: { login: "incident-keeper[bot]" },
    });
    const reopened = await octokit.rest.issues.update({ ...api, issue_number: issue.number, state: "open" });
    expect(reopened.data).toMatchObject({ state: "open", state_reason: "reopened", closed_at: null });
    const { data: comment } = await octokit.rest.issues.createComment({
      ...api,
      issue_number: issue.number,
      body: "status",
    });
    expect(comment.user?.login).toBe("incident-keeper[bot]");
    expect(comment.performed_via_github_app).toMatchObject({ id: 4242, slug: "incident-keeper" });
    await octokit.rest.issues.updateComment({ ...api, comment_id: comment.id, body: "status v2" });
    expect(sim.comments("acme/api", issue.number)).toEqual([
      expect.objectContaining({ body: "status v2", viaApp: true }),
    ]);
    expect(sim.timeline("acme/api", issue.number).map((event) => event.event)).toEqual([
      "closed",
      "reopened",
      "commented",
    ]);
  });

  test("cross-referenced timeline events carry the full source issue with its repository", async () => {
    const target = sim.seed.issue("acme/api", { title: "incident" });
    const source = sim.seed.issue("acme/web", { title: "follow-up", body: `Part of acme/api#${target}` });
    const { data } = await octokit.rest.issues.listEventsForTimeline({ ...api, issue_number: target });
    expect(data).toEqual([
      expect.objectContaining({
        event: "cross-referenced",
        source: {
          type: "issue",
          issue: expect.objectContaining({
            number: source,
            repository: expect.objectContaining({ full_name: "acme/web" }),
          }),
        },
      }),
    ]);
  });

  test("pull requests share the number sequence and are readable through both APIs", async () => {
    const { data: pr } = await sim.user("alice").openPullRequest("acme/api", { title: "fix", head: "fix-branch" });
    const asIssue = await octokit.rest.issues.get({ ...api, issue_number: pr.number });
    expect(asIssue.data.pull_request?.url).toContain(`/pulls/${pr.number}`);
    const asPull = await octokit.rest.pulls.get({ ...api, pull_number: pr.number });
    expect(asPull.data).toMatchObject({ number: pr.number, merged: false, head: { ref: "fix-branch" } });
  });
});

describe("search", () => {
  const q = (query: string): Promise<number[]> =>
    octokit.rest.search
      .issuesAndPullRequests({ q: query, sort: "created", order: "asc" })
      .then(({ data }) => data.items.map((item) => item.number));
  let n: Record<string, number> = {};

  beforeAll(() => {
    sim.seed.installation({ id: 99, account: "search-org", type: "Organization" });
    sim.seed.repo("search-org/one", { installationId: 99 });
    sim.seed.repo("search-org/two", { installationId: 99 });
    const at = (day: number): Date => new Date(Date.UTC(2024, 4, day));
    n = {
      sev1: sim.seed.issue("search-org/one", {
        title: "DB down",
        body: "Root cause: disk",
        labels: ["incident", "sev:1"],
        createdAt: at(1),
      }),
      sev2: sim.seed.issue("search-org/one", {
        title: "Slow API",
        body: "follow-up of search-org/one#1",
        labels: ["incident", "sev:2"],
        createdAt: at(2),
      }),
      closed: sim.seed.issue("search-org/one", {
        title: "Old",
        labels: ["incident"],
        state: "closed",
        createdAt: at(3),
      }),
      other: sim.seed.issue("search-org/two", { title: "Other repo", labels: ["needs review"], createdAt: at(4) }),
      pr: sim.seed.issue("search-org/one", {
        title: "Fix",
        body: "Fixes #1",
        pullRequest: { head: "fix" },
        createdAt: at(5),
      }),
    };
  });

  test("repo:, is:, state:, label: (quoted, several = AND), in:body and free text", async () => {
    const app = await installationOctokit(sim, 99);
    const search = (query: string): Promise<string[]> =>
      app.rest.search
        .issuesAndPullRequests({ q: query, sort: "created", order: "asc" })
        .then(({ data }) => data.items.map((item) => `${item.repository_url.split("/").pop() ?? ""}#${item.number}`));
    expect(await search("repo:search-org/one is:issue is:open")).toEqual(["one#1", "one#2"]);
    expect(await search("org:search-org is:issue state:closed")).toEqual(["one#3"]);
    expect(await search('user:search-org label:"needs review"')).toEqual(["two#1"]);
    expect(await search('repo:search-org/one label:incident label:"sev:1"')).toEqual(["one#1"]);
    expect(await search("repo:search-org/one label:sev:1,sev:2")).toEqual(["one#1", "one#2"]);
    expect(await search('repo:search-org/one in:body "search-org/one#1"')).toEqual(["one#2"]);
    expect(await search("repo:search-org/one is:pr Fixes")).toEqual(["one#4"]);
    expect(await search("repo:search-org/one -label:sev:1 is:issue created:>=2024-05-02")).toEqual(["one#2", "one#3"]);
    expect(n.sev1).toBe(1);
  });

  test("private repositories of other installations never show up; total_count and incomplete_results are set", async () => {
    const { data } = await octokit.rest.search.issuesAndPullRequests({ q: "org:search-org" });
    expect(data).toMatchObject({ total_count: 0, incomplete_results: false, items: [] });
    expect(await q("repo:acme/api is:pr")).not.toHaveLength(0);
  });

  test("unsupported syntax is reported as a violation instead of being silently misread", async () => {
    const before = sim.violations.length;
    await q("repo:acme/api mentions:alice");
    expect(sim.violations.slice(before)).toEqual([
      expect.objectContaining({ kind: "unsupported-search", reason: expect.stringContaining("mentions:alice") }),
    ]);
  });
});

test("requests are counted as reads and writes", async () => {
  const since = new Date();
  await octokit.rest.issues.create({ ...api, title: "count" });
  await octokit.rest.issues.listForRepo(api);
  await octokit.rest.issues.listForRepo(api);
  expect(sim.countRequests({ since })).toEqual({ total: 3, reads: 2, writes: 1 });
  expect(sim.countRequests({ since, operationId: "issues/create" })).toEqual({ total: 1, reads: 0, writes: 1 });
});

test("every answer of this suite matched GitHub's response schemas, and nothing else was flagged", () => {
  expect(sim.violations.filter((violation) => !violation.reason.includes("mentions:alice"))).toEqual([]);
});
