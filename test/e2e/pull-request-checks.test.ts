/**
 * Check runs on pull requests, end to end: the real app process against the simulator (every request
 * validated against GitHub's OpenAPI description), triggered by the check suites GitHub requests for
 * each push. `incident-keeper / write-up` on changed postmortems with annotations, a new head checked
 * after a push, none for a branch without such a file; `incident-keeper / config` for a changed
 * .github/incident-keeper.yml.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { SCENARIO, startSimulatedApp, type SimulatedApp } from "../../simulator/src/app-process.js";
import { expectNoViolations } from "../support/e2e.js";

let e2e: SimulatedApp;
beforeAll(async () => {
  e2e = await startSimulatedApp();
}, 60_000);
afterAll(() => e2e?.stop());

const repo = SCENARIO.repo;
const calls = (since: number): string[] =>
  e2e.sim.requests
    .slice(since)
    .filter((r) => !r.path.includes("access_tokens"))
    .map((r) => `${r.method} ${decodeURIComponent(r.path.split("?")[0] ?? "")}`)
    // The app's identity, read once per process by whichever delivery comes first.
    .filter((call) => call !== "GET /app");

const incomplete = [
  "# Postmortem: queue backlog",
  "",
  "## Timeline",
  "",
  "- 10:00 backlog grows",
  "",
  "## Root Causes",
  "",
  "TBD",
  "",
].join("\n");
const complete = `${incomplete.replace("TBD", "The consumer's batch size was set to 1 by a typo.")}\n## Action items\n\n- [ ] Validate batch sizes #7\n`;

describe("the write-up check", () => {
  it("fails a pull request whose postmortem lacks sections, with annotations on the lines, then passes on the fixing push", async () => {
    const since = e2e.sim.requests.length;
    const { data: pr } = await e2e.sim.user("bob").openPullRequest(repo, {
      title: "Postmortem for the backlog",
      files: { "docs/postmortems/2026-11-30-backlog.md": incomplete, "src/consumer.ts": "export {};\n" },
    });
    await e2e.sim.settle();
    const runs = e2e.sim.checkRuns(repo);
    expect(runs.map((run) => [run.name, run.conclusion])).toEqual([["incident-keeper / write-up", "failure"]]);
    const run = runs[0]!;
    expect(run.output.title).toBe("1 of 1 postmortem not complete");
    expect(run.output.summary).toContain(
      "| `docs/postmortems/2026-11-30-backlog.md` | ✓ | ✗ placeholder | ✗ missing | — |",
    );
    expect(run.output.annotations).toEqual([
      expect.objectContaining({
        path: "docs/postmortems/2026-11-30-backlog.md",
        start_line: 7,
        annotation_level: "failure",
        title: "RCA placeholder",
      }),
      expect.objectContaining({
        path: "docs/postmortems/2026-11-30-backlog.md",
        start_line: 1,
        title: "Actions missing",
        message: 'No Actions section: add a heading for it (for example "## Action items").',
      }),
    ]);
    // The branch's push came before the pull request: its changes against main, config (the paths),
    // the file at the head, the app's runs on the head, the new run. The pull_request event: nothing.
    expect(calls(since).sort()).toEqual(
      [
        `GET /repos/${repo}/compare/main...${run.headSha}`,
        `GET /repos/${repo}/contents/.github/incident-keeper.yml`,
        `GET /repos/${repo}/contents/.github/incident-keeper.yml`.replace(repo, "acme/.github"),
        `GET /repos/${repo}/contents/docs/postmortems/2026-11-30-backlog.md`,
        `GET /repos/${repo}/commits/${run.headSha}/check-runs`,
        `POST /repos/${repo}/check-runs`,
      ].sort(),
    );

    const sincePush = e2e.sim.requests.length;
    await e2e.sim
      .user("alice")
      .pushToPullRequest(repo, pr.number, { "docs/postmortems/2026-11-30-backlog.md": complete });
    await e2e.sim.settle();
    const after = e2e.sim.checkRuns(repo);
    expect(after).toHaveLength(2);
    expect(after[1]!.headSha).not.toBe(run.headSha);
    expect([after[1]!.name, after[1]!.conclusion, after[1]!.output.title]).toEqual([
      "incident-keeper / write-up",
      "success",
      "Every postmortem has its Timeline, RCA and Actions written",
    ]);
    expect(after[1]!.output.summary).toContain("| ✓ | ✓ | ✓ | #7 |");
    expect(after[1]!.output.annotations).toEqual([]);
    // The push's check suite names the pull request: its file list.
    expect(calls(sincePush).filter((call) => !call.startsWith("GET"))).toEqual([`POST /repos/${repo}/check-runs`]);
    expect(calls(sincePush)).toContain(`GET /repos/${repo}/pulls/${pr.number}/files`);
    expectNoViolations(e2e.sim);
  }, 90_000);

  it("posts no check for a branch without postmortem files: one read, its changes", async () => {
    const before = e2e.sim.checkRuns(repo).length;
    const since = e2e.sim.requests.length;
    const { data: pr } = await e2e.sim.user("bob").openPullRequest(repo, {
      title: "Refactor",
      files: { "src/a.ts": "export {};\n", "docs/guide.md": "# Guide\n" },
    });
    await e2e.sim.settle();
    expect(e2e.sim.checkRuns(repo)).toHaveLength(before);
    // docs/guide.md is Markdown, so the config is read for the paths; it is not under them.
    expect(pr.number).toBeGreaterThan(0);
    expect(
      calls(since)
        .filter((call) => !call.includes("incident-keeper.yml"))
        .map((call) => call.replace(/[0-9a-f]{40}$/u, "SHA")),
    ).toEqual([`GET /repos/${repo}/compare/main...SHA`]);
    expectNoViolations(e2e.sim);
  }, 60_000);
});

describe("the config check", () => {
  it("names each invalid key with its line before the change lands", async () => {
    const config = [
      "incident_label: incident",
      "sla:",
      "  investigation_hours: twelve",
      "writeup:",
      "  sektions: {}",
      "",
    ].join("\n");
    const { data: pr } = await e2e.sim
      .user("bob")
      .openPullRequest(repo, { title: "Tune the SLA", files: { ".github/incident-keeper.yml": config } });
    await e2e.sim.settle();
    const run = e2e.sim.checkRuns(repo).find((candidate) => candidate.name === "incident-keeper / config");
    expect(pr.number).toBeGreaterThan(0);
    expect(run).toBeDefined();
    expect([run!.conclusion, run!.output.title]).toEqual(["failure", "2 problems in .github/incident-keeper.yml"]);
    expect(run!.output.annotations.map((a) => [a.path, a.start_line, a.title])).toEqual([
      [".github/incident-keeper.yml", 3, "sla.investigation_hours"],
      [".github/incident-keeper.yml", 5, "writeup"],
    ]);
    expect(run!.output.summary).toContain("no SLA action in this repository");
    expect(e2e.sim.checkRuns(repo).filter((candidate) => candidate.headSha === run!.headSha)).toHaveLength(1);
    expectNoViolations(e2e.sim);
  }, 60_000);
});
