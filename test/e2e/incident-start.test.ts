/**
 * Promoting an old issue to an incident does not breach it at once (issue #10 item 4): the
 * investigation clock starts when the issue became an incident, by the label or by `/incident`;
 * a sweep that finds an incident the app has no state for reads the issue's timeline once.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { decodeState } from "../../src/core/status-state.js";
import { SCENARIO, startSimulatedApp, type SimulatedApp } from "../../simulator/src/app-process.js";
import { expectNoViolations, runSweepCli } from "../support/e2e.js";

const repo = SCENARIO.repo;
const HOUR_MS = 3_600_000;
const CONFIG = ["teams:", '  escalation: { "1": "@acme/sre-leads" }', ""].join("\n");
const daysAgo = (days: number): Date => new Date(Math.floor((Date.now() - days * 24 * HOUR_MS) / 1000) * 1000);

let e2e: SimulatedApp;
beforeAll(async () => {
  e2e = await startSimulatedApp({ config: CONFIG, env: { SWEEP_INTERVAL_MINUTES: "0" } });
}, 60_000);
afterAll(() => e2e?.stop());

const status = (n: number): string =>
  e2e.sim.comments(repo, n).find((c) => c.body.startsWith("<!-- incident-keeper:status -->"))?.body ?? "";
const reminders = (n: number): string[] =>
  e2e.sim
    .comments(repo, n)
    .map((c) => c.body)
    .filter((b) => b.includes("<!-- incident-keeper:reminder "));

describe("the investigation clock starts when the issue became an incident", () => {
  it("a three-day-old issue labelled `incident` is on track, and the sweep pages nobody", async () => {
    const n = e2e.sim.seed.issue(repo, { title: "Odd latency since Monday", labels: ["sev:1"], createdAt: daysAgo(3) });
    const before = Date.now();
    await e2e.sim.user("alice").addLabels(repo, n, ["incident"]);
    await e2e.sim.settle();
    const body = status(n);
    expect(body).not.toContain("breached");
    const incidentAt = Date.parse(decodeState(body).incidentAt ?? "");
    expect(incidentAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);

    const from = e2e.sim.requests.length;
    const outcome = await runSweepCli(e2e);
    expect(outcome.code).toBe(0);
    await e2e.sim.settle();
    expect(reminders(n)).toEqual([]);
    expect(e2e.sim.issue(repo, n).labels).not.toContain("sla:breached");
    // The state has the time: the sweep reads no timeline.
    expect(e2e.sim.requests.slice(from).filter((r) => r.path.endsWith("/timeline"))).toEqual([]);
    expectNoViolations(e2e.sim);
  }, 90_000);

  it("`/incident` on a three-day-old issue starts the clock at the comment", async () => {
    const n = e2e.sim.seed.issue(repo, { title: "Customer report from last week", createdAt: daysAgo(3) });
    await e2e.sim.user("bob").comment(repo, n, "/incident");
    await e2e.sim.settle();
    const body = status(n);
    expect(e2e.sim.issue(repo, n).labels).toContain("incident");
    expect(body).not.toContain("breached");
    expect(Date.now() - Date.parse(decodeState(body).incidentAt ?? "")).toBeLessThan(60_000);
  }, 60_000);

  it("an incident the app has no state for: the sweep reads its timeline once", async () => {
    // Labelled 2 hours ago while the app was not installed (no webhook), opened three days ago.
    const n = e2e.sim.seed.issue(repo, { title: "Labelled while the app was away", createdAt: daysAgo(3) });
    await e2e.sim.user("alice").addLabels(repo, n, ["incident"]);
    // The app's status comment is deleted, as if it never handled the label: only the timeline knows.
    await e2e.sim.settle();
    for (const c of e2e.sim.comments(repo, n))
      await e2e.sim
        .user("alice")
        .deleteComment(repo, c.id)
        .catch(() => undefined);
    await e2e.sim.settle();
    const from = e2e.sim.requests.length;
    const outcome = await runSweepCli(e2e);
    expect(outcome.code).toBe(0);
    await e2e.sim.settle();
    expect(reminders(n)).toEqual([]);
    expect(e2e.sim.requests.slice(from).filter((r) => r.path === `/repos/${repo}/issues/${n}/timeline`)).toHaveLength(
      1,
    );
    expectNoViolations(e2e.sim);
  }, 90_000);
});
