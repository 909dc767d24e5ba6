/**
 * The sweep finds incidents by each repository's configured incident label (issue #10 item 1):
 * acme/api calls its incidents `outage`, acme/web keeps the organisation's default `incident`.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { SCENARIO, startSimulatedApp, type SimulatedApp } from "../../simulator/src/app-process.js";
import { expectNoViolations, runSweepCli } from "../support/e2e.js";

const HOUR_MS = 3_600_000;
let e2e: SimulatedApp;
beforeAll(async () => {
  e2e = await startSimulatedApp({ config: "incident_label: outage\n", env: { SWEEP_INTERVAL_MINUTES: "0" } });
}, 60_000);
afterAll(() => e2e?.stop());

const hoursAgo = (hours: number): Date => new Date(Math.floor((Date.now() - hours * HOUR_MS) / 1000) * 1000);
const reminders = (repo: string, n: number): string[] =>
  e2e.sim
    .comments(repo, n)
    .map((c) => c.body)
    .filter((b) => b.includes("<!-- incident-keeper:reminder "));

describe("a sweep over custom incident labels", () => {
  it("reminds an `outage` incident in the repository that configures it, and an `incident` one elsewhere", async () => {
    const outage = e2e.sim.seed.issue(SCENARIO.repo, {
      title: "Checkout down",
      labels: ["outage"],
      createdAt: hoursAgo(13),
    });
    // In acme/api `incident` is not the incident label: an issue carrying it is not swept there.
    const notOne = e2e.sim.seed.issue(SCENARIO.repo, {
      title: "Labelled the old way",
      labels: ["incident"],
      createdAt: hoursAgo(13),
    });
    const web = e2e.sim.seed.issue(SCENARIO.otherRepo, {
      title: "Web slow",
      labels: ["incident"],
      createdAt: hoursAgo(7),
    });
    await e2e.sim.settle();
    const from = e2e.sim.requests.length;
    const outcome = await runSweepCli(e2e);
    await e2e.sim.settle();
    expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: "" });
    expect(outcome.stdout).toMatch(/: 3 open incident\(s\), 2 read, 2 reminder\(s\) posted/);

    expect(reminders(SCENARIO.repo, outage)).toEqual([
      expect.stringContaining("<!-- incident-keeper:reminder investigation:breach@"),
    ]);
    expect(e2e.sim.issue(SCENARIO.repo, outage).labels).toContain("sla:breached");
    expect(reminders(SCENARIO.otherRepo, web)).toEqual([
      expect.stringContaining("<!-- incident-keeper:reminder investigation:50@"),
    ]);
    expect(reminders(SCENARIO.repo, notOne)).toEqual([]);

    // Reads: the installation's repositories once, each repository's config once, one search per label.
    const reads = e2e.sim.requests.slice(from).filter((r) => r.method === "GET" && !r.path.includes("/issues/"));
    const paths = reads.map((r) => r.path);
    expect(paths.filter((p) => p === "/installation/repositories")).toHaveLength(1);
    expect(paths.filter((p) => p === "/search/issues")).toHaveLength(2);
    expect(paths.filter((p) => p === "/repos/acme/api/contents/.github%2Fincident-keeper.yml")).toHaveLength(1);
    expect(paths.filter((p) => p === "/repos/acme/web/contents/.github%2Fincident-keeper.yml")).toHaveLength(1);
    expectNoViolations(e2e.sim);
  }, 90_000);
});
