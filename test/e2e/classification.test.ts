/**
 * Classification end to end: the real app process against the simulator, from an incident filed
 * through the issue form to one label per dimension and one status comment edited in place; and an
 * invalid config reported once, updated in place, and recovered from.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { SCENARIO, startSimulatedApp, type SimulatedApp } from "../../simulator/src/app-process.js";
import { incidentFormBody, type GitHubSimulator, type RequestRecord } from "../../simulator/src/index.js";
import { formatUtc } from "../../src/core/time-format.js";
import { atOnce, expectCallGroups } from "../support/call-groups.js";
import { expectNoViolations } from "../support/e2e.js";

const repo = SCENARIO.repo;
const STATUS = "<!-- incident-keeper:status -->";
const CONFIG_ERROR = "<!-- incident-keeper:config-error -->";
/** A valid repository config: the app reads exactly one file per event (no org fallback). */
const CONFIG = "incident_label: incident\n";

let e2e: SimulatedApp;
beforeAll(async () => {
  e2e = await startSimulatedApp({ config: CONFIG });
}, 60_000);
afterAll(() => e2e?.stop());
afterEach(() => expectNoViolations(e2e.sim));

/**
 * The app's requests after `mark` (an index into sim.requests), without access-token creation and
 * without `GET /app` (the app's identity, read once per process by whichever event comes first).
 */
function requestsSince(sim: GitHubSimulator, mark: number): RequestRecord[] {
  return sim.requests
    .slice(mark)
    .filter((r) => !r.path.endsWith("/access_tokens") && r.operationId !== "apps/get-authenticated");
}
function split(records: RequestRecord[]): { reads: number; writes: number; calls: string[] } {
  const reads = records.filter((r) => r.method === "GET").length;
  return { reads, writes: records.length - reads, calls: records.map((r) => `${r.method} ${r.operationId ?? r.path}`) };
}
const ofOperation = (records: RequestRecord[], operationId: string): number =>
  records.filter((r) => r.operationId === operationId).length;
const statusComments = (n: number): string[] =>
  e2e.sim
    .comments(repo, n)
    .filter((c) => c.body.startsWith(STATUS))
    .map((c) => c.body);
const labelsOf = (n: number): string[] => [...e2e.sim.issue(repo, n).labels].sort();
/** Deliveries after `mark` that people caused (the app's own echoes excluded), as `event.action`. */
const humanDeliveries = (since: number): string[] =>
  e2e.sim.deliveries
    .slice(since)
    .filter((d) => d.sender !== e2e.sim.botLogin)
    .map((d) => `${d.event}.${d.action ?? ""}`);
const UTC = /\d{4}-\d\d-\d\d \d\d:\d\d UTC/;
const parseUtc = (text: string): number => Date.parse(`${text.replace(" UTC", ":00Z").replace(" ", "T")}`);
/** Request figures per scenario, printed once at the end for the record. */
const figures: Record<string, { reads: number; writes: number; calls: string[] }> = {};
afterAll(() => {
  console.log(
    Object.entries(figures)
      .map(([name, f]) => `${name}: ${f.reads} reads, ${f.writes} writes`)
      .join("\n"),
  );
});

/** The body GitHub renders for a submission of .github/ISSUE_TEMPLATE/incident.yml. */
function formBody(answers: { category: string; severity: string; devops: string }): string {
  return incidentFormBody({
    summary: "Checkout returns 500 for every customer in the EU region since 09:05 UTC.",
    impact: "About a third of all orders fail.",
    ...answers,
  });
}

/** The dropdown options of the real template, so the test breaks if the form and the parser drift apart. */
const template = parse(readFileSync(new URL("../../.github/ISSUE_TEMPLATE/incident.yml", import.meta.url), "utf8")) as {
  labels: string[];
  body: Array<{ id?: string; attributes: { label?: string; options?: string[] } }>;
};
const optionsOf = (id: string): string[] => template.body.find((field) => field.id === id)?.attributes.options ?? [];

describe("classification labels and the status comment", () => {
  let incident = 0;
  let firstStatus = "";

  it("files from the issue form: one label per dimension from the dropdowns, labels created, one status comment", async () => {
    const alice = e2e.sim.user("alice");
    expect(template.body.find((f) => f.id === "devops")?.attributes.label).toBe("Remediation difficulty");
    const body = formBody({
      category: optionsOf("category")[0]!,
      severity: optionsOf("severity")[2]!,
      devops: optionsOf("devops")[2]!,
    });
    const mark = e2e.sim.requests.length;
    const deliveryMark = e2e.sim.deliveries.length;
    const { status, data: issue } = await alice.openIssue(repo, {
      title: "[Incident] Checkout fails in the EU",
      body,
      labels: template.labels,
    });
    expect(status).toBe(200);
    await e2e.sim.settle();
    incident = issue.number;

    expect(labelsOf(incident)).toEqual([
      "category:core-bug",
      "devops:3",
      "incident",
      "incident:needs-writeup",
      "sev:3",
    ]);
    const repoLabels = new Map(e2e.sim.labels(repo).map((l) => [l.name, l]));
    expect(repoLabels.get("category:core-bug")).toEqual({
      name: "category:core-bug",
      color: "5319e7",
      description: "Incident category: Core product bug",
    });
    expect(repoLabels.get("sev:3")).toEqual({ name: "sev:3", color: "fbca04", description: "Sev 3: minor problem" });
    expect(repoLabels.get("devops:3")).toEqual({
      name: "devops:3",
      color: "1d76db",
      description: "DevOps 3: CI/CD or code change, 1-2 developers",
    });
    expect(repoLabels.get("incident:needs-writeup")).toEqual({
      name: "incident:needs-writeup",
      color: "fef2c0",
      description: "Incident write-up (Timeline, RCA, Actions) incomplete",
    });

    const comments = e2e.sim.comments(repo, incident);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.viaApp).toBe(true);
    firstStatus = comments[0]!.body;
    expect(firstStatus.startsWith(STATUS)).toBe(true);
    expect(firstStatus).toContain("| Category | Core product bug |");
    expect(firstStatus).toContain("| Severity | Sev 3: minor problem |");
    expect(firstStatus).toContain("| Remediation difficulty | DevOps 3: CI/CD or code change, 1-2 developers |");
    expect(firstStatus).not.toContain("Still to classify");
    // Investigation: 12 h from opening, met by the form's classification.
    const investigationDue = formatUtc(new Date(issue.createdAt.getTime() + 12 * 3_600_000));
    expect(firstStatus).toMatch(
      new RegExp(
        `^\\| Investigate & classify \\(12 hours\\) \\| ${investigationDue} \\| ✅ met \\(classified ${UTC.source}\\) \\|$`,
        "m",
      ),
    );
    // Resolution: Sev 3 x DevOps 3 = 3 months (2,160 h) from the classification, i.e. about now.
    const resolution = new RegExp(
      `^\\| Resolve \\(3 months\\) \\| (${UTC.source}) \\(in 13 weeks\\) \\| ⏳ on track \\|$`,
      "m",
    ).exec(firstStatus);
    expect(resolution).not.toBeNull();
    expect(Math.abs(parseUtc(resolution![1]!) - (issue.createdAt.getTime() + 2_160 * 3_600_000))).toBeLessThanOrEqual(
      120_000,
    );
    expect(firstStatus).toContain("- ❌ Timeline: still the placeholder");

    // issues.opened and issues.labeled (incident): one config read and one comment list each.
    const calls = requestsSince(e2e.sim, mark);
    const events = humanDeliveries(deliveryMark);
    expect(events).toEqual(["issues.opened", "issues.labeled"]);
    expect(ofOperation(calls, "repos/get-content")).toBe(events.length);
    expect(ofOperation(calls, "issues/list-comments")).toBe(events.length);
    figures.form = split(calls);
    // Each delivery reads the config and the app's comments at once (one round trip, issue #12): their
    // arrival order is the network's, so each pair is compared as a set, the writes after it in order.
    expectCallGroups(figures.form.calls, [
      atOnce("GET repos/get-content", "GET issues/list-comments"),
      "GET issues/list-labels-for-repo", // once per process and repository
      "POST issues/create-label",
      "POST issues/create-label",
      "POST issues/create-label",
      "POST issues/create-label",
      "POST issues/add-labels",
      "POST issues/create-comment",
      atOnce("GET repos/get-content", "GET issues/list-comments"),
      // issues.labeled carries the labels of its moment (only `incident`). Sent in the same second
      // as the status comment, it is taken as current and the same labels are added again,
      // idempotently; a second later it is older than the status comment, so the app reads the
      // current issue instead and writes nothing. Either way the status comment is not touched.
      figures.form.calls.at(-1) === "GET issues/get" ? "GET issues/get" : "POST issues/add-labels",
    ]);
  }, 30_000);

  it("keeps one severity: adding sev:1 to a sev:3 incident removes sev:3 and edits the status comment in place", async () => {
    const mark = e2e.sim.requests.length;
    const commentId = e2e.sim.comments(repo, incident)[0]!.id;
    await e2e.sim.user("bob").addLabels(repo, incident, ["sev:1"]);
    await e2e.sim.settle();
    expect(labelsOf(incident)).toEqual([
      "category:core-bug",
      "devops:3",
      "incident",
      "incident:needs-writeup",
      "sev:1",
    ]);
    const comments = e2e.sim.comments(repo, incident);
    expect(comments.map((c) => c.id)).toEqual([commentId]);
    const status = comments[0]!.body;
    expect(status).not.toBe(firstStatus);
    expect(status).toContain("| Severity | Sev 1: complete outage |");
    expect(status).toMatch(/^\| Resolve \(48 hours\) \| .+ \| ⏳ on track \|$/m);
    expect(statusComments(incident)).toHaveLength(1);
    const calls = requestsSince(e2e.sim, mark);
    figures.replace = split(calls);
    expectCallGroups(figures.replace.calls, [
      atOnce("GET repos/get-content", "GET issues/list-comments"),
      "DELETE issues/remove-label",
      "PATCH issues/update-comment",
    ]);
  }, 30_000);

  it("writes nothing when an event changes nothing the app shows", async () => {
    const before = statusComments(incident);
    const mark = e2e.sim.requests.length;
    await e2e.sim.user("alice").editTitle(repo, incident, "[Incident] Checkout fails in the EU (all card types)");
    await e2e.sim.settle();
    const calls = requestsSince(e2e.sim, mark);
    figures.noop = split(calls);
    expectCallGroups(figures.noop.calls, [atOnce("GET repos/get-content", "GET issues/list-comments")]);
    expect(statusComments(incident)).toEqual(before);
  }, 30_000);
});

describe("an invalid .github/incident-keeper.yml", () => {
  const BAD = [
    "incident_label: 42",
    "colour: blue",
    "sla:",
    "  investigation_hours: twelve",
    "permissions:",
    "  commands: everyone",
    "",
  ].join("\n");
  const configErrors = (n: number): Array<{ id: number; body: string }> =>
    e2e.sim.comments(repo, n).filter((c) => c.body.startsWith(CONFIG_ERROR));
  afterAll(() => e2e.sim.seed.file(repo, SCENARIO.configPath, CONFIG));

  it("gets one comment naming each invalid key, updated in place, and no labels or SLA action until it is fixed", async () => {
    e2e.sim.seed.file(repo, SCENARIO.configPath, BAD);
    const alice = e2e.sim.user("alice");
    let mark = e2e.sim.requests.length;
    const body = formBody({
      category: optionsOf("category")[0]!,
      severity: optionsOf("severity")[1]!,
      devops: optionsOf("devops")[0]!,
    });
    const { data: issue } = await alice.openIssue(repo, {
      title: "[Incident] Search is slow",
      body,
      labels: ["incident"],
    });
    await e2e.sim.settle();
    const n = issue.number;
    expect(labelsOf(n)).toEqual(["incident"]);
    const [first, ...others] = configErrors(n);
    expect(others).toEqual([]);
    expect(e2e.sim.comments(repo, n)).toHaveLength(1);
    const rows = first!.body.split("\n").filter((line) => line.startsWith("| `"));
    expect(rows).toEqual([
      "| `incident_label` | Invalid input: expected string, received number |",
      '| `permissions.commands` | Invalid option: expected one of "read"\\|"triage"\\|"write"\\|"maintain"\\|"admin" |',
      "| `sla.investigation_hours` | Invalid input: expected number, received string |",
      '| `(root)` | Unrecognized key: "colour" |',
    ]);
    expect(first!.body).toContain("no SLA action is taken in this repository");
    figures.badConfigOpen = split(requestsSince(e2e.sim, mark));
    // opened + labeled: each reads the config and the comments once; one comment written in all.
    expectCallGroups(figures.badConfigOpen.calls, [
      atOnce("GET repos/get-content", "GET issues/list-comments"),
      "POST issues/create-comment",
      atOnce("GET repos/get-content", "GET issues/list-comments"),
    ]);

    // The same problems again: nothing written.
    mark = e2e.sim.requests.length;
    await e2e.sim.user("bob").addLabels(repo, n, ["sev:2"]);
    await e2e.sim.settle();
    figures.badConfigSame = split(requestsSince(e2e.sim, mark));
    expectCallGroups(figures.badConfigSame.calls, [atOnce("GET repos/get-content", "GET issues/list-comments")]);
    expect(labelsOf(n)).toEqual(["incident", "sev:2"]);

    // Other problems (a YAML syntax error): the same comment now says so.
    e2e.sim.seed.file(repo, SCENARIO.configPath, "sla: [unclosed\n");
    mark = e2e.sim.requests.length;
    await e2e.sim.user("bob").comment(repo, n, "/sev 1");
    await e2e.sim.settle();
    figures.badConfigChanged = split(requestsSince(e2e.sim, mark));
    expectCallGroups(figures.badConfigChanged.calls, [
      atOnce("GET repos/get-content", "GET issues/list-comments"),
      "PATCH issues/update-comment",
    ]);
    const updated = configErrors(n);
    expect(updated.map((c) => c.id)).toEqual([first!.id]);
    expect(updated[0]!.body).toMatch(/^\| `\(file\)` \| could not be read as YAML: .+ \|$/m);
    expect(updated[0]!.body).not.toContain("incident_label");
    expect(labelsOf(n)).toEqual(["incident", "sev:2"]);
    expect(statusComments(n)).toEqual([]);

    // Fixed: the next event classifies from the labels and the form's answers nobody labelled (the
    // form was filed while the config was broken), reading the current issue first (no status yet).
    e2e.sim.seed.file(repo, SCENARIO.configPath, CONFIG);
    mark = e2e.sim.requests.length;
    await e2e.sim.user("bob").addLabels(repo, n, ["category:core-bug"]);
    await e2e.sim.settle();
    figures.configFixed = split(requestsSince(e2e.sim, mark));
    expectCallGroups(
      figures.configFixed.calls.filter((c) => c !== "POST issues/create-label"),
      [
        atOnce("GET repos/get-content", "GET issues/list-comments"),
        "GET issues/get",
        "GET issues/list-events-for-timeline", // no state yet: when did it become an incident? (issue #10 item 4)
        "POST issues/add-labels",
        "POST issues/create-comment",
        "PATCH issues/update-comment", // the config-error comment now says the file is fixed (item 11)
      ],
    );
    expect(e2e.sim.comments(repo, n).find((c) => c.body.startsWith(CONFIG_ERROR))?.body).toContain("is valid again");
    expect(labelsOf(n)).toEqual(["category:core-bug", "devops:1", "incident", "incident:needs-writeup", "sev:2"]);
    expect(statusComments(n)).toHaveLength(1);
    expect(statusComments(n)[0]).not.toContain("Still to classify");
    expect(statusComments(n)[0]).toContain("| Remediation difficulty | DevOps 1:");
    expect(configErrors(n)).toHaveLength(1);
  }, 60_000);
});
