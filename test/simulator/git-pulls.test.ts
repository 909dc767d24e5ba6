/**
 * The simulator's branches, file writes and API-opened pull requests (issue #14's `/postmortem`), with
 * GitHub's sha checks, each answer checked against GitHub's response schemas.
 */
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { RequestError } from "@octokit/request-error";
import type { GitHubSimulator } from "../../simulator/src/index.js";
import { blobSha } from "../../simulator/src/ids.js";
import { installationOctokit, startSimulator, type TestOctokitInstance } from "./helpers.js";

let sim: GitHubSimulator;
let octokit: TestOctokitInstance;
const site = { owner: "acme", repo: "api" };
const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

beforeAll(async () => {
  sim = await startSimulator({
    checkResponses: true,
    permissions: { issues: "write", pull_requests: "write", contents: "write", metadata: "read", checks: "write" },
  });
  sim.seed.file("acme/api", "README.md", "# api\n");
  octokit = await installationOctokit(sim);
});
afterAll(() => sim.stop());

async function failure(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RequestError) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error("the request succeeded");
}

describe("branches and files", () => {
  let mainSha = "";

  test("a branch's ref; 404 for a missing one", async () => {
    const { data } = await octokit.rest.git.getRef({ ...site, ref: "heads/main" });
    expect(data).toMatchObject({ ref: "refs/heads/main", object: { type: "commit" } });
    mainSha = data.object.sha;
    expect((await failure(octokit.rest.git.getRef({ ...site, ref: "heads/nope" }))).status).toBe(404);
  });

  test("creates a branch at a commit; 422 when it exists or the commit does not", async () => {
    const { status } = await octokit.rest.git.createRef({ ...site, ref: "refs/heads/draft/one", sha: mainSha });
    expect(status).toBe(201);
    const { data } = await octokit.rest.git.getRef({ ...site, ref: "heads/draft/one" });
    expect(data.object.sha).toBe(mainSha);
    expect(await failure(octokit.rest.git.createRef({ ...site, ref: "refs/heads/draft/one", sha: mainSha }))).toEqual(
      expect.objectContaining({ status: 422, message: expect.stringContaining("Reference already exists") }),
    );
    expect(
      (await failure(octokit.rest.git.createRef({ ...site, ref: "refs/heads/x", sha: "0".repeat(40) }))).status,
    ).toBe(422);
  });

  test("writes a file on the branch, with GitHub's sha checks (422 missing, 409 stale)", async () => {
    const path = "posts/a.md";
    const created = await octokit.rest.repos.createOrUpdateFileContents({
      ...site,
      path,
      branch: "draft/one",
      message: "add",
      content: b64("one\n"),
    });
    expect(created.status).toBe(201);
    expect(created.data.content?.sha).toBe(blobSha("one\n"));
    // Only on the branch: the default branch does not have it.
    expect(sim.file("acme/api", path)).toBeUndefined();
    const { data } = await octokit.rest.repos.getContent({ ...site, path, ref: "draft/one" });
    expect(data).toMatchObject({ type: "file", sha: blobSha("one\n") });
    const write = (sha?: string) =>
      octokit.rest.repos.createOrUpdateFileContents({
        ...site,
        path,
        branch: "draft/one",
        message: "edit",
        content: b64("two\n"),
        ...(sha ? { sha } : {}),
      });
    expect((await failure(write())).status).toBe(422);
    expect((await failure(write(blobSha("stale\n")))).status).toBe(409);
    expect((await write(blobSha("one\n"))).status).toBe(200);
    expect(sim.branches("acme/api").get("draft/one")?.files.get(path)).toBe("two\n");
    expect(
      (await failure(octokit.rest.repos.getContent({ ...site, path: "posts/none.md", ref: "draft/one" }))).status,
    ).toBe(404);
  });
});

describe("pull requests opened through the API", () => {
  test("a draft pull request from the branch; found by head; a second one for the same head is 422", async () => {
    const { data: pull, status } = await octokit.rest.pulls.create({
      ...site,
      title: "Draft",
      body: "text",
      head: "draft/one",
      base: "main",
      draft: true,
    });
    expect(status).toBe(201);
    expect(pull).toMatchObject({ draft: true, head: { ref: "draft/one" }, base: { ref: "main" }, state: "open" });
    expect(sim.deliveries.some((d) => d.event === "pull_request" && d.action === "opened")).toBe(true);
    const listed = await octokit.rest.pulls.list({ ...site, head: "acme:draft/one", state: "open" });
    expect(listed.data.map((p) => p.number)).toEqual([pull.number]);
    expect((await octokit.rest.pulls.list({ ...site, head: "acme:other", state: "open" })).data).toEqual([]);
    const again = await failure(octokit.rest.pulls.create({ ...site, title: "x", head: "draft/one", base: "main" }));
    expect(again.status).toBe(422);
    const { data: retitled } = await octokit.rest.pulls.update({ ...site, pull_number: pull.number, title: "Renamed" });
    expect(retitled.title).toBe("Renamed");
  });

  test("no pull request between identical branches (422), nor from a missing branch", async () => {
    const { data } = await octokit.rest.git.getRef({ ...site, ref: "heads/main" });
    await octokit.rest.git.createRef({ ...site, ref: "refs/heads/same", sha: data.object.sha });
    expect((await failure(octokit.rest.pulls.create({ ...site, title: "x", head: "same", base: "main" }))).status).toBe(
      422,
    );
    expect((await failure(octokit.rest.pulls.create({ ...site, title: "x", head: "gone", base: "main" }))).status).toBe(
      422,
    );
  });

  test("no violations", () => {
    expect(sim.violations).toEqual([]);
  });
});

describe("without contents write", () => {
  test("creating a branch is 403 and a permission violation", async () => {
    const readOnly = await startSimulator();
    try {
      const client = await installationOctokit(readOnly);
      const { data } = await client.rest.git.getRef({ ...site, ref: "heads/main" });
      const refused = await failure(client.rest.git.createRef({ ...site, ref: "refs/heads/x", sha: data.object.sha }));
      expect(refused.status).toBe(403);
      expect(readOnly.violations.map((v) => v.kind)).toEqual(["permission"]);
    } finally {
      await readOnly.stop();
    }
  });
});
