import { afterAll, beforeAll, beforeEach, describe, expect, test } from "@jest/globals";
import type { GitHubSimulator } from "../../simulator/src/index.js";
import { installationOctokit, installationToken, startSimulator, type TestOctokitInstance } from "./helpers.js";

let sim: GitHubSimulator;
let octokit: TestOctokitInstance;
const api = { owner: "acme", repo: "api" };

beforeAll(async () => {
  sim = await startSimulator();
  octokit = await installationOctokit(sim);
  sim.seed.issue("acme/api", { title: "target" });
});
beforeEach(() => {
  sim.faults = {};
});
afterAll(() => sim.stop());

async function statuses(count: number): Promise<number[]> {
  const results: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await octokit.rest.issues.get({ ...api, issue_number: 1 }).then(
      (ok) => ok.status as number,
      (error: { status?: number }) => error.status ?? -1,
    );
    results.push(response);
  }
  return results;
}

describe("fault injection", () => {
  test("is deterministic for a seed, and differs between seeds", async () => {
    sim.faults = { failRate: 0.3, statuses: [500, 502], seed: 7 };
    const first = await statuses(30);
    sim.faults = { failRate: 0.3, statuses: [500, 502], seed: 7 };
    expect(await statuses(30)).toEqual(first);
    expect(first.filter((status) => status !== 200).length).toBeGreaterThan(3);
    expect(new Set(first)).toEqual(new Set([200, 500, 502]));
    sim.faults = { failRate: 0.3, statuses: [500, 502], seed: 8 };
    expect(await statuses(30)).not.toEqual(first);
    expect(sim.requests.filter((request) => request.fault).length).toBeGreaterThan(0);
  });

  test("secondary rate limits answer 403 with retry-after and GitHub's message", async () => {
    sim.faults = { secondaryRateLimitRate: 1 };
    await expect(octokit.rest.issues.get({ ...api, issue_number: 1 })).rejects.toMatchObject({
      status: 403,
      response: { headers: { "retry-after": "1" }, data: { message: expect.stringContaining("secondary rate limit") } },
    });
  });

  test("timeouts drop the connection without an answer", async () => {
    sim.faults = { timeoutRate: 1, timeoutDelayMs: 10 };
    await expect(octokit.rest.issues.get({ ...api, issue_number: 1 })).rejects.toThrow();
    expect(sim.requests.at(-1)).toMatchObject({ status: 0, fault: "timeout" });
  });

  test("a write can happen although its answer is lost (502)", async () => {
    sim.faults = { failRate: 1, statuses: [502], applyWritesBeforeFailing: true };
    await expect(
      octokit.rest.issues.createComment({ ...api, issue_number: 1, body: "written anyway" }),
    ).rejects.toMatchObject({ status: 502 });
    sim.faults = {};
    expect(sim.comments("acme/api", 1).map((comment) => comment.body)).toContain("written anyway");
  });

  test("token creation is spared unless configured", async () => {
    sim.faults = { failRate: 1 };
    await expect(installationToken(sim)).resolves.toMatch(/^ghs_/);
    sim.faults = { failRate: 1, includeTokenCreation: true };
    await expect(installationToken(sim)).rejects.toMatchObject({ status: expect.any(Number) });
  });
});
