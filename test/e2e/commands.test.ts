/**
 * Slash commands end to end: the real app process against the simulator. Permitted people change the
 * classification (several commands in one comment); people without the permission get exactly one
 * short reply and change nothing; a burst of refused commands gets no reply storm; bots are ignored;
 * `/incident` turns a plain issue into an incident.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { SCENARIO, startSimulatedApp, type SimulatedApp } from "../../simulator/src/app-process.js";
import type { GitHubSimulator, JsonObject, RequestRecord } from "../../simulator/src/index.js";
import { atOnce, expectCallGroups } from "../support/call-groups.js";
import { expectNoViolations } from "../support/e2e.js";

const repo = SCENARIO.repo;
const STATUS = "<!-- incident-keeper:status -->";
const REPLY = "<!-- incident-keeper:reply ";
/** A valid repository config: the app reads exactly one file per event (no org fallback). */
const CONFIG = "incident_label: incident\n";

let e2e: SimulatedApp;
beforeAll(async () => {
  e2e = await startSimulatedApp({ config: CONFIG });
  // eve: another outsider with read access, for the burst (mallory's replies are counted separately).
  e2e.sim.seed.permission(repo, "eve", "read");
}, 60_000);
afterAll(() => e2e?.stop());
afterEach(() => expectNoViolations(e2e.sim));

/** Request figures per scenario, printed once at the end for the record. */
const figures: Record<string, { reads: number; writes: number; calls: string[] }> = {};
afterAll(() => {
  console.log(
    Object.entries(figures)
      .map(([name, f]) => `${name}: ${f.reads} reads, ${f.writes} writes`)
      .join("\n"),
  );
});

/** The app's requests after `mark`, without access-token creation and the once-per-process `GET /app`. */
function requestsSince(sim: GitHubSimulator, mark: number): RequestRecord[] {
  return sim.requests
    .slice(mark)
    .filter((r) => !r.path.endsWith("/access_tokens") && r.operationId !== "apps/get-authenticated");
}
function split(records: RequestRecord[]): { reads: number; writes: number; calls: string[] } {
  const reads = records.filter((r) => r.method === "GET").length;
  return { reads, writes: records.length - reads, calls: records.map((r) => `${r.method} ${r.operationId ?? r.path}`) };
}
const labelsOf = (n: number): string[] => [...e2e.sim.issue(repo, n).labels].sort();
const appComments = (n: number): string[] =>
  e2e.sim
    .comments(repo, n)
    .filter((c) => c.viaApp)
    .map((c) => c.body);
const replies = (n: number): string[] => appComments(n).filter((b) => b.startsWith(REPLY));
const statusOf = (n: number): string => appComments(n).find((b) => b.startsWith(STATUS)) ?? "";

/** A snapshot of everything a command could change on an issue (the app's replies aside). */
const stateOf = (n: number): { labels: string[]; state: string; body: string | null; app: string[] } => {
  const issue = e2e.sim.issue(repo, n);
  return {
    labels: [...issue.labels].sort(),
    state: issue.state,
    body: issue.body,
    app: appComments(n).filter((b) => !b.startsWith(REPLY)),
  };
};

let incident = 0;
let plain = 0;
beforeAll(() => {
  incident = e2e.sim.seed.issue(repo, {
    title: "Payments time out",
    body: "Card payments time out for 20% of requests.",
    labels: ["incident", "category:core-bug", "sev:3", "devops:1"],
    user: "alice",
  });
  plain = e2e.sim.seed.issue(repo, { title: "Typo on the pricing page", body: "It says 'monthy'.", user: "alice" });
});

describe("a permitted user's commands", () => {
  it("`/sev 2` and `/devops 3` in one comment replace both labels and post the status comment", async () => {
    const mark = e2e.sim.requests.length;
    await e2e.sim
      .user("bob")
      .comment(repo, incident, "Looked at the dashboards: revenue is hit, needs a code change.\n\n/sev 2\n/devops 3");
    await e2e.sim.settle();
    expect(labelsOf(incident)).toEqual([
      "category:core-bug",
      "devops:3",
      "incident",
      "incident:needs-writeup",
      "sev:2",
    ]);
    expect(appComments(incident)).toHaveLength(1);
    expect(statusOf(incident)).toContain("| Severity | Sev 2: major functionality broken, revenue affected |");
    expect(statusOf(incident)).toContain("| Remediation difficulty | DevOps 3: CI/CD or code change, 1-2 developers |");
    expect(statusOf(incident)).toMatch(/^\| Resolve \(48 hours\) \| .+ \| ⏳ on track \|$/m);
    figures.permitted = split(requestsSince(e2e.sim, mark));
    // The config, the commenter's permission and the app's comments are read at once (one round trip,
    // issue #12): their arrival order is the network's, so the three are compared as a set.
    expectCallGroups(figures.permitted.calls, [
      atOnce("GET repos/get-content", "GET repos/get-collaborator-permission-level", "GET issues/list-comments"),
      "GET issues/list-events-for-timeline", // no state yet: when did it become an incident? (issue #10 item 4)
      "GET issues/list-labels-for-repo",
      "POST issues/create-label", // sev:2
      "POST issues/create-label", // devops:3
      "POST issues/create-label", // incident:needs-writeup
      "POST issues/add-labels",
      "DELETE issues/remove-label",
      "DELETE issues/remove-label",
      "POST issues/create-comment",
    ]);
  }, 30_000);
});

describe("a user without the permission", () => {
  it("`/sev 1` on an incident: nothing changes, exactly one short reply", async () => {
    const before = stateOf(incident);
    const mark = e2e.sim.requests.length;
    const { data: comment } = await e2e.sim.user("mallory").comment(repo, incident, "/sev 1");
    await e2e.sim.settle();
    expect(stateOf(incident)).toEqual(before);
    expect(replies(incident)).toEqual([
      `${REPLY}${comment.id} -->\n@mallory \`/sev\` needs at least **triage** permission on this repository (you have **read**), so nothing was changed.`,
    ]);
    figures.refused = split(requestsSince(e2e.sim, mark));
    expectCallGroups(figures.refused.calls, [
      atOnce("GET repos/get-content", "GET repos/get-collaborator-permission-level", "GET issues/list-comments"),
      "POST issues/create-comment",
    ]);
  }, 30_000);

  it("`/incident` on a plain issue: it does not become an incident, exactly one short reply", async () => {
    const { data: comment } = await e2e.sim.user("mallory").comment(repo, plain, "/incident");
    await e2e.sim.settle();
    expect(labelsOf(plain)).toEqual([]);
    expect(appComments(plain)).toEqual([
      `${REPLY}${comment.id} -->\n@mallory \`/incident\` needs at least **triage** permission on this repository (you have **read**), so nothing was changed.`,
    ]);
  }, 30_000);

  it("a burst of refused commands gets at most three replies an hour, then silence", async () => {
    const before = stateOf(incident);
    const mark = e2e.sim.requests.length;
    const eve = e2e.sim.user("eve");
    for (let i = 0; i < 6; i++) await eve.comment(repo, incident, `/sev 1\n/devops 1`);
    await e2e.sim.settle();
    const eveReplies = replies(incident).filter((b) => b.includes("@eve "));
    expect(eveReplies).toHaveLength(3);
    expect(stateOf(incident)).toEqual(before);
    figures.burst = split(requestsSince(e2e.sim, mark));
    // Every refused comment still costs its reads (config, permission, own comments); only 3 writes.
    expect(figures.burst).toMatchObject({ reads: 18, writes: 3 });
  }, 60_000);
});

describe("bots", () => {
  it("a bot's command comment costs no request at all", async () => {
    const before = stateOf(incident);
    const template = e2e.sim.deliveries
      .filter((d) => d.event === "issue_comment" && d.action === "created")
      .at(-1)!.payload;
    const payload = structuredClone(template) as JsonObject & { comment: JsonObject; sender: JsonObject };
    const bot = { login: "renovate[bot]", id: 29139614, type: "Bot" };
    payload.comment = {
      ...payload.comment,
      id: 999_000_001,
      body: "/sev 1\n/incident",
      user: { ...(payload.comment.user as JsonObject), ...bot },
    };
    payload.sender = { ...payload.sender, ...bot };
    const mark = e2e.sim.requests.length;
    expect(await e2e.sim.deliver("issue_comment", payload)).toBe(200);
    // The app's own account too (a reply quoting a command must never run it).
    e2e.sim.seed.permission(repo, e2e.sim.botLogin, "write");
    await e2e.sim.user(e2e.sim.botLogin).comment(repo, incident, "/sev 5");
    await e2e.sim.settle();
    expect(requestsSince(e2e.sim, mark)).toEqual([]);
    expect(stateOf(incident)).toEqual(before);
    expect(e2e.sim.comments(repo, incident).at(-1)).toMatchObject({ user: e2e.sim.botLogin, body: "/sev 5" });
  }, 30_000);
});

describe("`/incident` from a permitted user", () => {
  it("makes a plain issue an incident: the incident label and a status comment asking for the classification", async () => {
    const mark = e2e.sim.requests.length;
    await e2e.sim.user("bob").comment(repo, plain, "This is customer-facing.\n\n/incident");
    await e2e.sim.settle();
    expect(labelsOf(plain)).toEqual(["incident", "incident:needs-writeup"]);
    const status = statusOf(plain);
    expect(status).toContain("**Still to classify:** category, severity, remediation difficulty.");
    expect(appComments(plain).filter((b) => b.startsWith(STATUS))).toHaveLength(1);
    figures.declare = split(requestsSince(e2e.sim, mark));
    expectCallGroups(figures.declare.calls, [
      atOnce("GET repos/get-content", "GET repos/get-collaborator-permission-level", "GET issues/list-comments"),
      "POST issues/add-labels",
      "POST issues/create-comment",
    ]);
  }, 30_000);
});
