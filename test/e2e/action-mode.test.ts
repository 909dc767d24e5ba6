/**
 * GitHub Actions mode: `node lib/action/main.js` run as a workflow step would run it, with the
 * workflow's token, against the simulator (which plays the GitHub Actions app, id 15368).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { GitHubSimulator } from "../../simulator/src/index.js";
import { expectNoViolations, seedScenario, E2E } from "../support/e2e.js";

const run = promisify(execFile);
let sim: GitHubSimulator;
let token: string;
const dir = mkdtempSync(join(tmpdir(), "ik-action-"));

async function installationToken(baseUrl: string): Promise<string> {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString("base64url");
  const jwt = `${part({ alg: "RS256", typ: "JWT" })}.${part({ iss: 15368, iat: 0, exp: 4102444800 })}.sig`;
  const response = await fetch(`${baseUrl}/api/v3/app/installations/${E2E.installationId}/access_tokens`, {
    method: "POST",
    headers: { authorization: `Bearer ${jwt}`, accept: "application/vnd.github+json" },
  });
  return ((await response.json()) as { token: string }).token;
}

async function action(
  eventName: string,
  payload: object | null,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const eventPath = join(dir, `${eventName}-${Math.random()}.json`);
  writeFileSync(eventPath, JSON.stringify(payload ?? {}));
  const env = {
    PATH: process.env.PATH,
    GITHUB_TOKEN: token,
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: E2E.repo,
    GITHUB_API_URL: `${sim.baseUrl}/api/v3`,
    GITHUB_RUN_ID: "42",
    LOG_LEVEL: "warn" as const,
    INCIDENT_KEEPER_THROTTLE: "off",
  };
  try {
    const { stdout, stderr } = await run(process.execPath, ["lib/action/main.js"], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  sim = new GitHubSimulator({ appId: 15368, appSlug: "github-actions", webhookSecret: "unused" });
  await sim.start();
  seedScenario(sim);
  token = await installationToken(sim.baseUrl);
});
afterAll(() => sim?.stop());

/** Waits until the next whole second (GitHub's timestamps are whole seconds). */
const nextSecond = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1_050 - (Date.now() % 1_000)));

describe("GitHub Actions mode", () => {
  it("handles the workflow's issues event: labels and one status comment", async () => {
    const { data: issue } = await sim
      .user("alice")
      .openIssue(E2E.repo, { title: "API 503s", labels: ["incident", "sev:2"] });
    const delivery = sim.deliveries.find((d) => d.event === "issues" && d.action === "opened");
    expect(delivery).toBeDefined();
    // A workflow starts seconds after its event: the app's writes come in a later second of GitHub's clock.
    await nextSecond();
    const first = await action("issues", delivery!.payload);
    expect(first).toMatchObject({ code: 0 });
    const comments = sim.comments(E2E.repo, issue.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("<!-- incident-keeper:status -->");
    expect(sim.issue(E2E.repo, issue.number).labels).toContain("incident:needs-writeup");
    // The same workflow event again (a re-run): nothing new. Its payload predates the app's status
    // comment, so the app reads the current issue instead of trusting the payload's labels, and
    // writes nothing.
    const requestsBefore = sim.requests.length;
    expect(await action("issues", delivery!.payload)).toMatchObject({ code: 0 });
    const rerun = sim.requests.slice(requestsBefore).filter((r) => !r.path.includes("access_tokens"));
    expect(rerun.filter((r) => r.method !== "GET")).toEqual([]);
    expect(rerun.map((r) => `${r.method} ${r.path.split("?")[0]}`)).toContain(
      `GET /repos/${E2E.repo}/issues/${issue.number}`,
    );
    expect(sim.comments(E2E.repo, issue.number)).toHaveLength(1);
    expectNoViolations(sim);
  });

  it("runs the reminder sweep on `schedule`, once", async () => {
    const createdAt = new Date(Date.now() - 8 * 3_600_000); // 8 h ago: 50 % of the 12 h window passed
    const number = sim.seed.issue(E2E.repo, {
      title: "Old incident",
      labels: ["incident", "incident:needs-writeup"],
      createdAt,
    });
    const first = await action("schedule", { schedule: "*/15 * * * *" });
    expect(first).toMatchObject({ code: 0, stderr: "" });
    const reminders = sim
      .comments(E2E.repo, number)
      .filter((c) => c.body.includes("<!-- incident-keeper:reminder investigation:50@"));
    expect(reminders).toHaveLength(1);
    expect((await action("schedule", {})).code).toBe(0);
    expect(sim.comments(E2E.repo, number).filter((c) => c.body.includes("<!-- incident-keeper:reminder"))).toHaveLength(
      1,
    );
    expectNoViolations(sim);
  });

  it("refuses to start without a token", async () => {
    const saved = token;
    token = "";
    const result = await action("issues", {});
    token = saved;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("needs GITHUB_TOKEN");
  });
});
