/**
 * A pull request that fixes an incident's action: its own status comment, "in review" on the
 * incident, and on merge the action ticked and the incident complete.
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
const statusOf = (n: number): string =>
  e2e.sim.comments(repo, n).find((c) => c.body.startsWith("<!-- incident-keeper:status -->"))?.body ?? "";

describe("pull requests linked to an incident's action", () => {
  it("shows the PR in review, then ticks the action when it merges", async () => {
    const alice = e2e.sim.user("alice");
    const { data: action } = await alice.openIssue(repo, { title: "Alert on login error rate" });
    const body = [
      "## Timeline",
      "- 09:12 UTC alert fired",
      "## RCA",
      "A bad config push disabled the session cache.",
      "## Actions",
      `- [ ] #${action.number} alert on login error rate`,
    ].join("\n");
    const { data: incident } = await alice.openIssue(repo, {
      title: "Logins fail",
      body,
      labels: ["incident", "category:core-bug", "sev:2", "devops:1"],
    });
    await e2e.sim.settle();
    expect(statusOf(incident.number)).toContain("open");

    const { data: pr } = await e2e.sim
      .user("bob")
      .openPullRequest(repo, { title: "Add the alert", body: `Fixes #${action.number}` });
    await e2e.sim.settle();
    const prStatus = e2e.sim
      .comments(repo, pr.number)
      .filter((c) => c.body.startsWith("<!-- incident-keeper:pr-status -->"));
    expect(prStatus).toHaveLength(1);
    expect(prStatus[0]!.body).toContain(`**#${incident.number}** Logins fail (Sev 2): 0 of 1 follow-up actions done`);
    expect(prStatus[0]!.body).toContain("← this pull request");
    expect(statusOf(incident.number)).toContain(`in review (acme/api#${pr.number})`);

    await alice.mergePullRequest(repo, pr.number);
    await e2e.sim.settle();
    expect(e2e.sim.issue(repo, action.number).state).toBe("closed");
    expect(e2e.sim.issue(repo, incident.number).body).toBe(
      body.replace(`- [ ] #${action.number}`, `- [x] #${action.number}`),
    );
    expect(statusOf(incident.number)).toContain("(1 of 1 done)");
    const prComments = e2e.sim
      .comments(repo, pr.number)
      .filter((c) => c.body.startsWith("<!-- incident-keeper:pr-status -->"));
    expect(prComments).toHaveLength(1);
    expect(prComments[0]!.body).toContain("1 of 1 follow-up actions done");
    expect(
      e2e.sim.comments(repo, incident.number).filter((c) => c.body.includes("<!-- incident-keeper:complete -->")),
    ).toHaveLength(1);
    expectNoViolations(e2e.sim);
  }, 90_000);

  it("makes no request for a pull request that references nothing", async () => {
    const before = e2e.sim.requests.length;
    await e2e.sim.user("bob").openPullRequest(repo, { title: "Refactor", body: "Just tidying `#1` in code." });
    await e2e.sim.settle();
    expect(e2e.sim.requests.slice(before).filter((r) => !r.path.includes("access_tokens"))).toEqual([]);
  }, 30_000);
});
