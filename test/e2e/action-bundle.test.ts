/**
 * The shipped Action: the esbuild bundle (dist/action/index.mjs, built by `npm run build`) run the way
 * the Actions runner runs a `node20` action, on recorded event files (test/fixtures/action-events,
 * recorded from the simulator's own deliveries), against the simulator. No npm ci, no build, no lib/.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { GitHubSimulator } from "../../simulator/src/index.js";
import { expectNoViolations, seedScenario, E2E } from "../support/e2e.js";

const run = promisify(execFile);
const BUNDLE = new URL("../../dist/action/index.mjs", import.meta.url).pathname;
const EVENTS = new URL("../fixtures/action-events/", import.meta.url);
let sim: GitHubSimulator;
let token: string;

async function installationToken(baseUrl: string): Promise<string> {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString("base64url");
  const jwt = `${part({ alg: "RS256", typ: "JWT" })}.${part({ iss: 15368, iat: 0, exp: 4102444800 })}.sig`;
  const response = await fetch(`${baseUrl}/api/v3/app/installations/${E2E.installationId}/access_tokens`, {
    method: "POST",
    headers: { authorization: `Bearer ${jwt}`, accept: "application/vnd.github+json" },
  });
  return ((await response.json()) as { token: string }).token;
}

/** Runs the bundle as the runner does: `node dist/action/index.mjs`, inputs as INPUT_* variables, from an unrelated directory. */
async function bundle(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const cwd = mkdtempSync(join(tmpdir(), "ik-bundle-cwd-"));
  try {
    const { stdout, stderr } = await run(process.execPath, [BUNDLE], {
      env: { PATH: process.env.PATH, ...env },
      cwd,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const appEnv = (event: string, file: string): Record<string, string> => ({
  INPUT_TOKEN: token,
  GITHUB_EVENT_NAME: event,
  GITHUB_EVENT_PATH: new URL(file, EVENTS).pathname,
  GITHUB_REPOSITORY: E2E.repo,
  GITHUB_API_URL: `${sim.baseUrl}/api/v3`,
  GITHUB_RUN_ID: "7",
  LOG_LEVEL: "warn",
  INCIDENT_KEEPER_THROTTLE: "off",
});

beforeAll(async () => {
  sim = new GitHubSimulator({ appId: 15368, appSlug: "github-actions", webhookSecret: "unused" });
  await sim.start();
  seedScenario(sim);
  token = await installationToken(sim.baseUrl);
});
afterAll(() => sim?.stop());

describe("action.yml", () => {
  it("runs the bundle with node20 and installs or builds nothing", () => {
    const action = parse(readFileSync(new URL("../../action.yml", import.meta.url), "utf8")) as {
      runs: Record<string, unknown>;
      inputs: Record<string, unknown>;
    };
    expect(action.runs).toEqual({ using: "node20", main: "dist/action/index.mjs" });
    expect(Object.keys(action.inputs)).toEqual(["command", "token", "files", "config"]);
    expect(existsSync(BUNDLE)).toBe(true);
  });
});

describe("the release workflow and the documented lint step", () => {
  type Step = { run?: string; uses?: string; with?: Record<string, string> };
  const workflow = (
    path: string,
  ): { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, { steps: Step[] }> } =>
    parse(readFileSync(new URL(`../../${path}`, import.meta.url), "utf8")) as never;

  it("release: on a version tag, tests, then commits dist/action and moves the tag and its major tag", () => {
    const release = workflow(".github/workflows/release.yml");
    expect(release.on).toEqual({ push: { tags: ["v[0-9]+.[0-9]+.[0-9]+"] } });
    expect(release.permissions).toEqual({ contents: "write" });
    const script = release.jobs.release!.steps.map((step) => step.run ?? "").join("\n");
    expect(script).toContain("npm run lint && npm test");
    expect(script).toContain("git add --force dist/action");
    expect(script).toContain('git push --force origin "refs/tags/${TAG}" "refs/tags/${major}"');
  });

  it("the lint example uses the Action with command: lint and no token", () => {
    const lint = workflow("examples/postmortem-lint-workflow.yml");
    const step = lint.jobs.lint!.steps.find((candidate) => (candidate.uses ?? "").startsWith("acme/incident-keeper@"));
    expect(step).toEqual({ uses: "acme/incident-keeper@v1", with: { command: "lint" } });
    expect(lint.permissions).toEqual({ contents: "read" });
    expect(readFileSync(new URL("../../README.md", import.meta.url), "utf8")).toContain("command: lint");
  });
});

describe("the bundle on recorded events", () => {
  it("issues.opened: labels and one status comment; issue_comment /devops 2: classified", async () => {
    const recorded = JSON.parse(readFileSync(new URL("issues.opened.json", EVENTS), "utf8")) as {
      issue: { number: number; title: string; body: string };
    };
    // The issue the recording is about, as it stood.
    const { data: issue } = await sim
      .user("alice")
      .openIssue(E2E.repo, { title: recorded.issue.title, body: recorded.issue.body, labels: ["incident", "sev:2"] });
    expect(issue.number).toBe(recorded.issue.number);
    const opened = await bundle(appEnv("issues", "issues.opened.json"));
    expect(opened).toMatchObject({ code: 0, stderr: "" });
    expect(
      sim.comments(E2E.repo, issue.number).filter((c) => c.body.startsWith("<!-- incident-keeper:status -->")),
    ).toHaveLength(1);
    expect(sim.issue(E2E.repo, issue.number).labels).toContain("incident:needs-writeup");

    await sim.user("alice").comment(E2E.repo, issue.number, "/devops 2");
    const commented = await bundle(appEnv("issue_comment", "issue_comment.created.json"));
    expect(commented).toMatchObject({ code: 0, stderr: "" });
    expect(sim.issue(E2E.repo, issue.number).labels).toEqual(expect.arrayContaining(["incident", "sev:2", "devops:2"]));
    expectNoViolations(sim);
  }, 90_000);

  it("pull_request.opened with a postmortem: the write-up check run (Actions mode has no check-suite events)", async () => {
    const { data: pr } = await sim
      .user("bob")
      .openPullRequest(E2E.repo, { title: "Postmortem", files: { "postmortems/a.md": "## Timeline\n\nx\n" } });
    const delivery = sim.deliveries.find(
      (d) =>
        d.event === "pull_request" && d.action === "opened" && (d.payload as { number?: number }).number === pr.number,
    );
    expect(delivery).toBeDefined();
    const eventPath = join(mkdtempSync(join(tmpdir(), "ik-pr-event-")), "event.json");
    writeFileSync(eventPath, JSON.stringify(delivery!.payload));
    const result = await bundle({ ...appEnv("pull_request", "schedule.json"), GITHUB_EVENT_PATH: eventPath });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    const runs = sim.checkRuns(E2E.repo).filter((run) => run.name === "incident-keeper / write-up");
    expect(runs.map((run) => [run.conclusion, run.appId, run.output.annotations.length])).toEqual([
      ["failure", 15368, 2],
    ]);
    expectNoViolations(sim);
  }, 60_000);

  it("schedule: one sweep of the repository", async () => {
    const result = await bundle(appEnv("schedule", "schedule.json"));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^incident-keeper sweep: \{.*"errors":0/mu);
    expectNoViolations(sim);
  }, 60_000);
});

describe("command: lint", () => {
  it("annotates incomplete write-ups of the workspace, reads the repository's config, needs no token", async () => {
    const workspace = mkdtempSync(join(tmpdir(), "ik-lint-ws-"));
    mkdirSync(join(workspace, "postmortems"));
    mkdirSync(join(workspace, ".github"));
    const corpus = new URL("../fixtures/writeup-corpus/", import.meta.url);
    cpSync(new URL("01-sre-book-full.md", corpus), join(workspace, "postmortems/01.md"));
    cpSync(new URL("43-root-causes-todo-lessons.md", corpus), join(workspace, "postmortems/43.md"));
    writeFileSync(join(workspace, "postmortems/team.md"), "## Logbook\n\nx\n\n## RCA\n\ny\n\n## Actions\n\n- [ ] #1\n");
    writeFileSync(
      join(workspace, ".github/incident-keeper.yml"),
      "writeup:\n  extra_sections:\n    timeline: [Logbook]\n",
    );
    const summary = join(workspace, "summary.md");
    const result = await bundle({
      INPUT_COMMAND: "lint",
      INPUT_FILES: "postmortems/*.md",
      GITHUB_WORKSPACE: workspace,
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(result.code).toBe(1);
    expect(result.stdout.split("\n")).toEqual([
      '::error file=postmortems/43.md,line=7,title=RCA placeholder::The RCA section "Root Causes" holds only a placeholder or a template prompt.',
      "ok  postmortems/01.md",
      "not ok  postmortems/43.md",
      "ok  postmortems/team.md",
      "1 of 3 postmortems not complete",
      "",
    ]);
    expect(readFileSync(summary, "utf8")).toContain("| `postmortems/43.md` | ✓ | ✗ placeholder | ✓ |");

    writeFileSync(join(workspace, ".github/incident-keeper.yml"), "writeup:\n  sektions: {}\n");
    const bad = await bundle({ INPUT_COMMAND: "lint", GITHUB_WORKSPACE: workspace });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain("::error file=.github/incident-keeper.yml::writeup: Unrecognized key");
  }, 60_000);
});
