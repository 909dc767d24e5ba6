/**
 * The write-up and its follow-up actions, end to end: the real app process against the simulator.
 * The section checklist and the `incident:needs-writeup` label, the premature close reopened with
 * its reason, `/close --force`, the completion comment (and `close_when_done`), and how action
 * states show in the body and the status comment.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { SCENARIO, startSimulatedApp, type SimulatedApp } from "../../simulator/src/app-process.js";
import type { RequestRecord } from "../../simulator/src/request-log.js";
import { expectNoViolations } from "../support/e2e.js";

const repo = SCENARIO.repo; // acme/api: default config (close_when_done false)
const web = SCENARIO.otherRepo; // acme/web: its own config with close_when_done true
const STATUS = "<!-- incident-keeper:status -->";
const COMPLETE = "<!-- incident-keeper:complete -->";
const CLASSIFIED = ["incident", "category:core-bug", "sev:2", "devops:1"];

let e2e: SimulatedApp;
beforeAll(async () => {
  e2e = await startSimulatedApp({ env: { SWEEP_INTERVAL_MINUTES: "0" } });
  e2e.sim.seed.file(web, SCENARIO.configPath, "writeup:\n  close_when_done: true\n");
}, 60_000);
afterAll(() => e2e?.stop());

const bodies = (r: string, n: number): string[] => e2e.sim.comments(r, n).map((c) => c.body);
const statusComments = (r: string, n: number) =>
  e2e.sim.comments(r, n).filter((c) => c.viaApp && c.body.startsWith(STATUS));
const statusOf = (r: string, n: number): string => {
  const all = statusComments(r, n);
  expect(all).toHaveLength(1);
  return all[0]!.body;
};
const withMarker = (r: string, n: number, marker: string): string[] => bodies(r, n).filter((b) => b.includes(marker));

/** The app's API requests since `since` (token creation aside), as `METHOD path` lines. */
function requestsSince(since: number): RequestRecord[] {
  return e2e.sim.requests.filter((r) => r.at.getTime() >= since && !r.path.endsWith("/access_tokens"));
}
const writesSince = (since: number): string[] =>
  requestsSince(since)
    .filter((r) => r.method !== "GET")
    .map((r) => `${r.method} ${r.path}`);

/** Waits until the wall clock is in a later second than `date` (GitHub's timestamps have seconds). */
async function nextSecondAfter(date: Date | null): Promise<void> {
  const second = Math.floor((date?.getTime() ?? Date.now()) / 1000);
  while (Math.floor(Date.now() / 1000) <= second) await new Promise((r) => setTimeout(r, 50));
}

describe("the write-up checklist and its label", () => {
  it("shows missing / placeholder / filled, then removes the label and updates the checklist in place", async () => {
    const alice = e2e.sim.user("alice");
    const body = [
      "## Timeline",
      "- 09:12 UTC the login error rate alert fired",
      "",
      "### Root cause",
      "",
      "_No response_",
      "",
    ].join("\n");
    const { data: incident } = await alice.openIssue(repo, { title: "Logins fail", body, labels: CLASSIFIED });
    await e2e.sim.settle();

    const status = statusOf(repo, incident.number);
    expect(status).toContain("- ✅ Timeline: filled in");
    expect(status).toContain("- ❌ RCA (root cause analysis): still the placeholder");
    expect(status).toContain("- ❌ Actions: missing");
    expect(e2e.sim.issue(repo, incident.number).labels).toContain("incident:needs-writeup");
    const statusId = statusComments(repo, incident.number)[0]!.id;

    // Filling the RCA only: still needs the write-up, the checklist moves on.
    let since = Date.now();
    const withRca = body.replace("_No response_", "A config push disabled the session cache.");
    await alice.editBody(repo, incident.number, withRca);
    await e2e.sim.settle();
    expect(statusOf(repo, incident.number)).toContain("- ✅ RCA (root cause analysis): filled in");
    expect(statusOf(repo, incident.number)).toContain("- ❌ Actions: missing");
    expect(e2e.sim.issue(repo, incident.number).labels).toContain("incident:needs-writeup");
    expect(writesSince(since)).toEqual([`PATCH /repos/acme/api/issues/comments/${statusId}`]);

    // All three sections: the label goes, the same status comment is edited, the body untouched.
    since = Date.now();
    const complete = `${withRca}\n## Actions\n\n- [ ] add an alert on the session cache hit rate\n`;
    await alice.editBody(repo, incident.number, complete);
    await e2e.sim.settle();
    const after = statusOf(repo, incident.number);
    expect(statusComments(repo, incident.number)[0]!.id).toBe(statusId);
    expect(after).toContain("- ✅ Timeline: filled in");
    expect(after).toContain("- ✅ RCA (root cause analysis): filled in");
    expect(after).toContain("- ✅ Actions: filled in");
    expect(after).toContain("**Follow-up actions** (0 of 1 done)");
    expect(after).toContain("- ⬜ add an alert on the session cache hit rate — to do");
    expect(e2e.sim.issue(repo, incident.number).labels).not.toContain("incident:needs-writeup");
    expect(e2e.sim.issue(repo, incident.number).body).toBe(complete);
    expect(writesSince(since)).toEqual([
      "DELETE /repos/acme/api/issues/" + incident.number + "/labels/incident%3Aneeds-writeup",
      `PATCH /repos/acme/api/issues/comments/${statusId}`,
    ]);
    // The open task keeps it from being complete.
    expect(withMarker(repo, incident.number, COMPLETE)).toEqual([]);
    expect(e2e.sim.comments(repo, incident.number)).toHaveLength(1);
    expectNoViolations(e2e.sim);
  }, 60_000);
});

describe("a premature close", () => {
  it("names an action the app cannot see by its reference once (issue #10 item 12)", async () => {
    const alice = e2e.sim.user("alice");
    const body = [
      "## Timeline",
      "- 10:00 UTC keys leaked",
      "## RCA",
      "A token in a log line.",
      "## Actions",
      "- [ ] elsewhere/vault#5 rotate the keys",
    ].join("\n");
    const { data: incident } = await alice.openIssue(repo, { title: "Leaked keys", body, labels: CLASSIFIED });
    await e2e.sim.settle();
    await alice.close(repo, incident.number);
    await e2e.sim.settle();
    const reopened = withMarker(repo, incident.number, "<!-- incident-keeper:reopened ");
    expect(reopened).toHaveLength(1);
    expect(reopened[0]).toContain("**Actions not done yet:**\n- elsewhere/vault#5 rotate the keys (unknown");
    expect(reopened[0]).not.toContain("elsewhere/vault#5 elsewhere/vault#5");
    expectNoViolations(e2e.sim);
  }, 60_000);

  it("is reopened with one comment per attempt that says what is missing", async () => {
    const alice = e2e.sim.user("alice");
    const { data: action } = await alice.openIssue(repo, { title: "Alert on cache hit rate" });
    const body = [
      "## Timeline",
      "- 10:00 UTC cache disabled",
      "## RCA",
      "<!-- to be written -->",
      "## Actions",
      `- [ ] #${action.number} alert`,
      "- [x] roll back the config",
    ].join("\n");
    const { data: incident } = await alice.openIssue(repo, { title: "Cache outage", body, labels: CLASSIFIED });
    await e2e.sim.settle();
    expect(statusOf(repo, incident.number)).toContain("- ❌ RCA (root cause analysis): empty");

    const since = Date.now();
    const { data: closed } = await alice.close(repo, incident.number);
    await e2e.sim.settle();
    expect(e2e.sim.issue(repo, incident.number).state).toBe("open");
    const reopened = withMarker(repo, incident.number, "<!-- incident-keeper:reopened ");
    expect(reopened).toHaveLength(1);
    // The attempt is keyed by the close's closed_at, which GitHub gives in whole seconds.
    expect(reopened[0]).toContain(
      `<!-- incident-keeper:reopened ${closed.closedAt!.toISOString().replace(/\.\d{3}Z$/, ".000Z")} -->`,
    );
    expect(reopened[0]).toContain("**Write-up sections still missing or empty:**\n- RCA (root cause analysis)\n");
    expect(reopened[0]).toContain(`**Actions not done yet:**\n- #${action.number} Alert on cache hit rate (open)\n`);
    expect(reopened[0]).not.toContain("roll back"); // the ticked task is done
    // One action state read (fresh on close), the reopen, the comment, the status edit.
    const writes = writesSince(since);
    expect(writes).toEqual([
      `PATCH /repos/acme/api/issues/${incident.number}`,
      `POST /repos/acme/api/issues/${incident.number}/comments`,
      expect.stringMatching(new RegExp(`^PATCH /repos/acme/api/issues/comments/\\d+$`)),
    ]);
    expect(
      requestsSince(since).filter((r) => r.method === "GET" && r.path === `/repos/acme/api/issues/${action.number}`),
    ).toHaveLength(1);

    // The same close delivered again (a webhook redelivery): reopened again, no second comment.
    const delivery = e2e.sim.deliveries.find(
      (d) =>
        d.event === "issues" &&
        d.action === "closed" &&
        (d.payload.issue as { number: number }).number === incident.number,
    );
    expect(await e2e.sim.deliver("issues", delivery!.payload)).toBe(200);
    await e2e.sim.settle();
    expect(withMarker(repo, incident.number, "<!-- incident-keeper:reopened ")).toHaveLength(1);

    // A second attempt (another second, as GitHub's timestamps go): a second comment, same reasons.
    await nextSecondAfter(closed.closedAt);
    await alice.close(repo, incident.number);
    await e2e.sim.settle();
    expect(e2e.sim.issue(repo, incident.number).state).toBe("open");
    const twice = withMarker(repo, incident.number, "<!-- incident-keeper:reopened ");
    expect(twice).toHaveLength(2);
    const strip = (b: string): string => b.replace(/<!-- incident-keeper:reopened [^>]+ -->/, "");
    expect(strip(twice[1]!)).toBe(strip(twice[0]!));

    // Finish the write-up and the action: the app says so once, then a close stays closed.
    await alice.close(repo, action.number);
    await e2e.sim.settle();
    const ticked = body.replace(`- [ ] #${action.number}`, `- [x] #${action.number}`);
    expect(e2e.sim.issue(repo, incident.number).body).toBe(ticked);
    await alice.editBody(
      repo,
      incident.number,
      ticked.replace("<!-- to be written -->", "A config push disabled the cache."),
    );
    await e2e.sim.settle();
    const complete = withMarker(repo, incident.number, COMPLETE);
    expect(complete).toEqual([
      expect.stringContaining("all 2 follow-up actions are done. This incident can be closed."),
    ]);
    expect(e2e.sim.issue(repo, incident.number).state).toBe("open"); // close_when_done is off in acme/api
    await nextSecondAfter(null);
    await alice.close(repo, incident.number);
    await e2e.sim.settle();
    expect(e2e.sim.issue(repo, incident.number).state).toBe("closed");
    expect(withMarker(repo, incident.number, "<!-- incident-keeper:reopened ")).toHaveLength(2);
    expect(withMarker(repo, incident.number, COMPLETE)).toHaveLength(1);
    expect(statusOf(repo, incident.number)).toContain("(2 of 2 done)");
    expectNoViolations(e2e.sim);
  }, 90_000);
});

describe("/close --force", () => {
  it("is refused to a reader with a short reply, and closes for a maintainer for good", async () => {
    const alice = e2e.sim.user("alice");
    const body = "## Timeline\n_No response_\n";
    const { data: incident } = await alice.openIssue(repo, { title: "Duplicate page", body, labels: CLASSIFIED });
    await e2e.sim.settle();
    const statusBefore = statusOf(repo, incident.number);

    let since = Date.now();
    const { data: attempt } = await e2e.sim
      .user("mallory")
      .comment(repo, incident.number, "/close --force not a real incident");
    await e2e.sim.settle();
    expect(e2e.sim.issue(repo, incident.number).state).toBe("open");
    expect(statusOf(repo, incident.number)).toBe(statusBefore);
    const replies = withMarker(repo, incident.number, "<!-- incident-keeper:reply ");
    expect(replies).toEqual([
      `<!-- incident-keeper:reply ${attempt.id} -->\n@mallory \`/close --force\` needs at least **maintain** permission on this repository (you have **read**), so nothing was changed.`,
    ]);
    expect(writesSince(since)).toEqual([`POST /repos/acme/api/issues/${incident.number}/comments`]);

    since = Date.now();
    await alice.comment(repo, incident.number, "/close --force duplicate of an incident handled elsewhere");
    await e2e.sim.settle();
    const closed = e2e.sim.issue(repo, incident.number);
    expect(closed).toMatchObject({ state: "closed", stateReason: "completed" });
    const status = statusOf(repo, incident.number);
    expect(status).toMatch(
      /🔓 \*\*Closed with `\/close --force`\*\* by alice on \d{4}-\d\d-\d\d \d\d:\d\d UTC: duplicate of an incident handled elsewhere/,
    );
    expect(withMarker(repo, incident.number, "<!-- incident-keeper:reopened ")).toEqual([]);
    expect(withMarker(repo, incident.number, "<!-- incident-keeper:reply ")).toHaveLength(1);
    expect(writesSince(since)).toEqual([
      expect.stringMatching(/^PATCH \/repos\/acme\/api\/issues\/comments\/\d+$/),
      `PATCH /repos/acme/api/issues/${incident.number}`,
    ]);

    // Still closed once every echo is handled; and a later edit does not reopen it either.
    await alice.editBody(repo, incident.number, `${body}\nedited after the close\n`);
    await e2e.sim.settle();
    expect(e2e.sim.issue(repo, incident.number).state).toBe("closed");
    expect(withMarker(repo, incident.number, "<!-- incident-keeper:reopened ")).toEqual([]);
    expectNoViolations(e2e.sim);
  }, 60_000);
});

describe("completion with close_when_done", () => {
  it("says so once and closes the incident when the last action is done", async () => {
    const alice = e2e.sim.user("alice");
    const { data: action } = await alice.openIssue(web, { title: "Retry with backoff" });
    const body = [
      "**Timeline**",
      "",
      "- 11:00 retries storm the API",
      "",
      "**What went wrong**",
      "",
      "Clients retry without backoff.",
      "",
      "**Action items**",
      "",
      `- [ ] #${action.number} backoff`,
      "- [x] scale the API out",
    ].join("\n");
    const { data: incident } = await alice.openIssue(web, { title: "Retry storm", body, labels: CLASSIFIED });
    await e2e.sim.settle();
    expect(statusOf(web, incident.number)).toContain("**Follow-up actions** (1 of 2 done)");
    expect(e2e.sim.issue(web, incident.number).labels).not.toContain("incident:needs-writeup");
    expect(withMarker(web, incident.number, COMPLETE)).toEqual([]);

    const since = Date.now();
    await alice.close(web, action.number);
    await e2e.sim.settle();
    const after = e2e.sim.issue(web, incident.number);
    expect(after.body).toBe(body.replace(`- [ ] #${action.number}`, `- [x] #${action.number}`));
    expect(after).toMatchObject({ state: "closed", stateReason: "completed" });
    expect(withMarker(web, incident.number, COMPLETE)).toEqual([
      `${COMPLETE}\n### ✅ Incident complete\n\nThe write-up is filled in and all 2 follow-up actions are done. Closing the incident.`,
    ]);
    expect(withMarker(web, incident.number, "<!-- incident-keeper:reopened ")).toEqual([]);
    expect(statusOf(web, incident.number)).toContain("(2 of 2 done)");
    expect(writesSince(since)).toEqual([
      `PATCH /repos/acme/web/issues/${incident.number}`, // tick
      `POST /repos/acme/web/issues/${incident.number}/comments`, // complete
      `PATCH /repos/acme/web/issues/${incident.number}`, // close
      expect.stringMatching(/^PATCH \/repos\/acme\/web\/issues\/comments\/\d+$/),
    ]);
    expectNoViolations(e2e.sim);
  }, 60_000);
});

describe("action states", () => {
  it("ticks and unticks exactly the action's checkbox and shows not planned as not doing", async () => {
    const alice = e2e.sim.user("alice");
    const { data: a } = await alice.openIssue(repo, { title: "Add a canary" });
    const { data: b } = await alice.openIssue(repo, { title: "Rewrite the scheduler" });
    const { data: c } = await alice.openIssue(repo, { title: "Only mentioned in code" });
    const body = [
      "## Timeline",
      "- 12:00 deploy; 12:05 errors",
      "## RCA",
      "No canary stage.",
      "## Actions",
      `- [ ] #${a.number} canary stage`,
      `- [ ] #${b.number} scheduler rewrite`,
      "- [ ] write the runbook",
      `- see \`#${c.number}\` for background`,
      "",
      // Prose inside the actions section counts since issue #15; prose outside it still does not.
      "## Notes",
      "",
      `#${c.number} in prose outside the actions section is not an action either.`,
    ].join("\n");
    const { data: incident } = await alice.openIssue(repo, {
      title: "Deploy broke checkout",
      body,
      labels: CLASSIFIED,
    });
    await e2e.sim.settle();
    let status = statusOf(repo, incident.number);
    expect(status).toContain("**Follow-up actions** (0 of 3 done)");
    expect(status).toContain(`- ⬜ #${a.number}: Add a canary — open`);
    expect(status).toContain(`- ⬜ #${b.number}: Rewrite the scheduler — open`);
    expect(status).toContain("- ⬜ write the runbook — to do");
    expect(status).not.toContain(`#${c.number}:`);

    const ticked = body.replace(`- [ ] #${a.number}`, `- [x] #${a.number}`);
    await alice.close(repo, a.number);
    await e2e.sim.settle();
    expect(e2e.sim.issue(repo, incident.number).body).toBe(ticked);
    expect(statusOf(repo, incident.number)).toContain(`- ✅ #${a.number}: Add a canary — done`);

    await alice.reopen(repo, a.number);
    await e2e.sim.settle();
    expect(e2e.sim.issue(repo, incident.number).body).toBe(body);
    expect(statusOf(repo, incident.number)).toContain(`- ⬜ #${a.number}: Add a canary — open`);

    await alice.close(repo, b.number, { reason: "not_planned" });
    await e2e.sim.settle();
    const withB = body.replace(`- [ ] #${b.number}`, `- [x] #${b.number}`);
    expect(e2e.sim.issue(repo, incident.number).body).toBe(withB);
    status = statusOf(repo, incident.number);
    expect(status).toContain(`- ➖ #${b.number}: Rewrite the scheduler — not doing`);
    expect(status).toContain("**Follow-up actions** (1 of 3 done)");

    // The issue referenced only in a code span and in prose: closing it changes nothing.
    const since = Date.now();
    await alice.close(repo, c.number);
    await e2e.sim.settle();
    expect(e2e.sim.issue(repo, incident.number).body).toBe(withB);
    expect(writesSince(since)).toEqual([]);

    // A plain task is done only when ticked by a person.
    await alice.close(repo, a.number);
    await e2e.sim.settle();
    const allIssuesDone = withB.replace(`- [ ] #${a.number}`, `- [x] #${a.number}`);
    expect(e2e.sim.issue(repo, incident.number).body).toBe(allIssuesDone);
    expect(statusOf(repo, incident.number)).toContain("- ⬜ write the runbook — to do");
    expect(withMarker(repo, incident.number, COMPLETE)).toEqual([]);
    await alice.editBody(
      repo,
      incident.number,
      allIssuesDone.replace("- [ ] write the runbook", "- [x] write the runbook"),
    );
    await e2e.sim.settle();
    status = statusOf(repo, incident.number);
    expect(status).toContain("- ✅ write the runbook — done");
    expect(status).toContain("**Follow-up actions** (3 of 3 done)");
    expect(withMarker(repo, incident.number, COMPLETE)).toHaveLength(1);
    expect(e2e.sim.issue(repo, incident.number).state).toBe("open");
    expectNoViolations(e2e.sim);
  }, 90_000);
});
