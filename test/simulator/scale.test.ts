import { afterAll, beforeAll, expect, test } from "@jest/globals";
import type { GitHubSimulator } from "../../simulator/src/index.js";
import { installationOctokit, startSimulator, type TestOctokitInstance } from "./helpers.js";
import { cpuNow } from "../support/cpu-time.js";

let sim: GitHubSimulator;
let octokit: TestOctokitInstance;

beforeAll(async () => {
  sim = await startSimulator();
  octokit = await installationOctokit(sim);
});
afterAll(() => sim.stop());

test("seeds 10,000 issues quickly and still answers list and search requests fast", async () => {
  // CPU time of this process (simulator and client alike), not wall time: other processes on a
  // loaded machine must not count against the code under test.
  const started = cpuNow();
  for (let i = 0; i < 10_000; i++) {
    sim.seed.issue("acme/api", {
      title: `incident ${i}`,
      body: i % 10 === 0 ? `follow-up of #${i}` : "body",
      labels: i % 3 === 0 ? ["incident", "sev:1"] : ["incident"],
      state: i % 2 === 0 ? "closed" : "open",
      createdAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000),
    });
  }
  const seedMs = cpuNow() - started;
  expect(seedMs).toBeLessThan(3000);

  const queried = cpuNow();
  const { data } = await octokit.rest.search.issuesAndPullRequests({
    q: 'repo:acme/api is:issue is:open label:"sev:1"',
    per_page: 100,
  });
  const page = await octokit.rest.issues.listForRepo({
    owner: "acme",
    repo: "api",
    labels: "sev:1",
    per_page: 100,
    page: 5,
  });
  expect(cpuNow() - queried).toBeLessThan(1500);
  expect(data.total_count).toBe(1667);
  expect(data.items).toHaveLength(100);
  expect(page.data).toHaveLength(100);
  await expect(
    octokit.rest.search.issuesAndPullRequests({ q: "repo:acme/api", per_page: 100, page: 11 }),
  ).rejects.toMatchObject({ status: 422 });
});
