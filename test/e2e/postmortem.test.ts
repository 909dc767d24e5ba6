/**
 * `/postmortem` end to end (issue #14): the real app against the simulator opens one draft pull
 * request with the public write-up in the publishing repository, updates the same branch and pull
 * request when run again, links only public actions, refuses a stranger, says so once when the
 * publishing repository is not installed (nothing written there), and drafts nothing for a security
 * incident without `--public-ok`. Every request validated against GitHub's OpenAPI description; the
 * calls of each run are counted.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { SCENARIO, startSimulatedApp, type SimulatedApp } from "../../simulator/src/app-process.js";
import type { RequestRecord } from "../../simulator/src/index.js";
import { decodeState } from "../../src/core/status-state.js";
import { expectNoViolations } from "../support/e2e.js";

const repo = SCENARIO.repo;
const SITE = "acme/website";
const STATUS = "<!-- incident-keeper:status -->";
const CONFIG = `publish:\n  repository: ${SITE}\n`;

let e2e: SimulatedApp;
let publicAction = 0;
let privateAction = 0;
beforeAll(async () => {
  e2e = await startSimulatedApp({ config: CONFIG });
  const { seed } = e2e.sim;
  seed.repo(SITE, { installationId: SCENARIO.installationId, private: false });
  seed.file(SITE, "README.md", "# acme.example\n");
  seed.repo("acme/oss", { installationId: SCENARIO.installationId, private: false });
  seed.repo("acme/hidden", { installationId: null, private: true });
  publicAction = seed.issue("acme/oss", { title: "Lint cache keys", user: "alice" });
  privateAction = seed.issue(SCENARIO.otherRepo, { title: "Rotate the payment secret", user: "alice" });
}, 60_000);
afterAll(() => e2e?.stop());
afterEach(() => expectNoViolations(e2e.sim));

const body = (rca: string): string =>
  [
    "### Summary",
    "",
    "Checkout failed for EU shoppers; @bob paged @acme/sre (`sev:1`).",
    "",
    "### Impact",
    "",
    "Every EU checkout for 40 minutes.",
    "",
    "### Timeline",
    "",
    "- 09:00 deploy",
    "",
    "### RCA",
    "",
    rca,
    "",
    "### Actions",
    "",
    `- [ ] acme/oss#${publicAction} lint cache keys in CI`,
    `- [ ] ${SCENARIO.otherRepo}#${privateAction} rotate the payment secret`,
  ].join("\n");

const appComments = (n: number): string[] =>
  e2e.sim
    .comments(repo, n)
    .filter((c) => c.viaApp)
    .map((c) => c.body);
const statusOf = (n: number): string => appComments(n).find((b) => b.startsWith(STATUS)) ?? "";
const replies = (n: number): string[] => appComments(n).filter((b) => b.includes("incident-keeper:postmortem "));
const pulls = (full: string) => e2e.sim.issues(full).filter((i) => i.isPullRequest);
/** The app's calls since `since`, as `METHOD operationId` (token requests aside). */
const callsSince = (since: Date): string[] =>
  e2e.sim.requests
    .filter((r: RequestRecord) => r.at >= since)
    .filter((r) => !r.path.endsWith("/access_tokens") && r.operationId !== "apps/get-authenticated")
    .map((r) => `${r.method} ${r.operationId ?? r.path} ${r.path.startsWith(`/repos/${SITE}`) ? SITE : ""}`.trim());

/**
 * A comment and everything the app does about it. The app's throttling spaces its comments 3 s apart
 * (the reply, then the status comment), and a delivery answered after ~9 s leaves the handler running:
 * settle only after a quiet spell longer than that spacing.
 */
async function say(login: string, n: number, text: string): Promise<string[]> {
  const since = new Date();
  await e2e.sim.user(login).comment(repo, n, text);
  await e2e.sim.settle({ quietMs: 3_500, timeoutMs: 60_000 });
  return callsSince(since);
}

describe("/postmortem on an incident", () => {
  let incident = 0;
  let branch = "";
  let path = "";
  beforeAll(() => {
    incident = e2e.sim.seed.issue(repo, {
      title: "[Incident] Checkout fails for EU",
      body: body("A cache key collision after the 09:00 deploy."),
      labels: ["incident"],
      user: "alice",
      createdAt: new Date("2026-11-23T08:55:00Z"),
    });
  });

  it("opens one draft pull request with the write-up in the publishing repository, and links it", async () => {
    const calls = await say("alice", incident, "/postmortem");
    const opened = pulls(SITE);
    expect(opened).toHaveLength(1);
    const pr = opened[0]!;
    branch = `incident-keeper/postmortem-acme-api-${incident}`;
    expect(e2e.sim.pullRequest(SITE, pr.number)).toEqual({ head: branch, base: "main", draft: true });
    expect(pr.title).toBe("Incident report: Checkout fails for EU");
    // The public repository's pull request does not name the private incident.
    expect(pr.body).not.toContain("acme/api");

    path = "content/blog/incidents/2026-11-23-checkout-fails-for-eu.md";
    const file = e2e.sim.branches(SITE).get(branch)?.files.get(path) ?? "";
    expect(file).toContain('title: "Checkout fails for EU"');
    expect(file).toContain("## Summary\n\nCheckout failed for EU shoppers; bob paged acme/sre");
    expect(file).toContain("Every EU checkout for 40 minutes.");
    expect(file).toContain("A cache key collision after the 09:00 deploy.");
    expect(file).toContain(`[lint cache keys in CI](http`);
    expect(file).toContain(`/acme/oss/issues/${publicAction})`);
    // The private action: described, never linked or named.
    expect(file).toContain("- rotate the payment secret\n");
    expect(file).not.toContain(SCENARIO.otherRepo);
    expect(file).not.toMatch(/(^|\s)@[A-Za-z0-9]/m);
    expect(file).not.toContain("sev:1");
    // The default branch is untouched until the pull request is merged.
    expect(e2e.sim.file(SITE, path)).toBeUndefined();

    expect(replies(incident)).toEqual([expect.stringContaining(`[${SITE}#${pr.number}](`)]);
    expect(statusOf(incident)).toContain(`**Public write-up:** draft pull request [${SITE}#${pr.number}](`);
    expect(decodeState(statusOf(incident)).postmortem).toMatchObject({
      repository: SITE,
      number: pr.number,
      branch,
      path,
    });
    // The app's own pull_request.opened is ignored: no comment on the draft pull request.
    expect(e2e.sim.comments(SITE, pr.number)).toEqual([]);
    console.log(`first /postmortem: ${calls.length} calls\n  ${calls.join("\n  ")}`);
    expect(calls.filter((c) => c.endsWith(SITE))).toEqual([
      "GET repos/get acme/website",
      "GET git/get-ref acme/website",
      "GET git/get-ref acme/website",
      "GET repos/get-content acme/website",
      "POST git/create-ref acme/website",
      "PUT repos/create-or-update-file-contents acme/website",
      "POST pulls/create acme/website",
    ]);
  });

  it("run again after the RCA changed: the same branch and pull request, the file updated", async () => {
    const before = e2e.sim.branches(SITE).get(branch)?.files.get(path);
    await e2e.sim.user("alice").editBody(repo, incident, body("A cache key collision: two tenants shared one key."));
    await e2e.sim.settle({ quietMs: 3_500, timeoutMs: 60_000 });
    const calls = await say("alice", incident, "/postmortem");
    expect(pulls(SITE)).toHaveLength(1);
    const after = e2e.sim.branches(SITE).get(branch)?.files.get(path) ?? "";
    expect(after).not.toBe(before);
    expect(after).toContain("two tenants shared one key");
    expect(replies(incident)).toHaveLength(2);
    expect(replies(incident)[1]).toContain("is updated from the incident");
    console.log(`re-run with a change: ${calls.length} calls\n  ${calls.join("\n  ")}`);
    expect(calls.filter((c) => c.endsWith(SITE))).toEqual([
      "GET repos/get acme/website",
      "GET git/get-ref acme/website",
      "GET repos/get-content acme/website",
      "PUT repos/create-or-update-file-contents acme/website",
      "GET pulls/list acme/website",
    ]);
  });

  it("run again without a change: nothing written in the publishing repository", async () => {
    const calls = await say("alice", incident, "/postmortem");
    expect(pulls(SITE)).toHaveLength(1);
    expect(replies(incident)[2]).toContain("is already up to date");
    console.log(`re-run without a change: ${calls.length} calls\n  ${calls.join("\n  ")}`);
    expect(calls.filter((c) => c.endsWith(SITE))).toEqual([
      "GET repos/get acme/website",
      "GET git/get-ref acme/website",
      "GET repos/get-content acme/website",
      "GET pulls/list acme/website",
    ]);
  });

  it("a stranger is refused, and nothing is read or written in the publishing repository", async () => {
    const calls = await say("bob", incident, "/postmortem");
    expect(calls.filter((c) => c.endsWith(SITE))).toEqual([]);
    expect(appComments(incident).some((b) => b.includes("`/postmortem` needs at least **maintain**"))).toBe(true);
    expect(pulls(SITE)).toHaveLength(1);
  });
});

describe("when the draft cannot be written", () => {
  afterAll(() => e2e.sim.seed.file(repo, SCENARIO.configPath, CONFIG));

  it("a publishing repository outside the installation: one clear reply, no branch, no write there", async () => {
    e2e.sim.seed.file(repo, SCENARIO.configPath, "publish:\n  repository: acme/hidden\n");
    const incident = e2e.sim.seed.issue(repo, {
      title: "Search down",
      body: body("A bad index."),
      labels: ["incident"],
    });
    const calls = await say("alice", incident, "/postmortem");
    expect(replies(incident)).toEqual([expect.stringContaining("cannot reach `acme/hidden`")]);
    expect([...e2e.sim.branches("acme/hidden").keys()]).toEqual(["main"]);
    expect(calls.filter((c) => c.includes("acme/hidden") || /POST git|PUT repos|POST pulls/.test(c))).toEqual([]);
    expect(decodeState(statusOf(incident)).postmortem).toBeUndefined();
  });

  it("no publish.repository: one clear reply", async () => {
    e2e.sim.seed.file(repo, SCENARIO.configPath, "incident_label: incident\n");
    const incident = e2e.sim.seed.issue(repo, { title: "Mail delayed", body: body("Queue."), labels: ["incident"] });
    await say("alice", incident, "/postmortem");
    expect(replies(incident)).toEqual([expect.stringContaining("set `publish.repository`")]);
  });
});

describe("a security incident", () => {
  it("gets no draft without --public-ok, and one with it", async () => {
    const before = pulls(SITE).length;
    const incident = e2e.sim.seed.issue(repo, {
      title: "Token leaked in logs",
      body: body("A debug log printed the session token."),
      labels: ["incident", "incident:security"],
    });
    const refused = await say("alice", incident, "/postmortem");
    expect(replies(incident)).toEqual([expect.stringContaining("this is a security incident")]);
    expect(replies(incident)[0]).not.toContain("session token");
    expect(refused.filter((c) => c.endsWith(SITE))).toEqual([]);
    expect(pulls(SITE)).toHaveLength(before);

    await say("alice", incident, "/postmortem --public-ok");
    expect(pulls(SITE)).toHaveLength(before + 1);
    expect(replies(incident)[1]).toContain("draft pull request is open");
  });
});
