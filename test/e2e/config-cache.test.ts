/**
 * The config is read conditionally: after the first read, the app sends the file's ETag and GitHub
 * answers 304 while the file is unchanged (free of rate limit); a changed file is read afresh.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { SCENARIO, startSimulatedApp, type SimulatedApp } from "../../simulator/src/app-process.js";
import { expectNoViolations } from "../support/e2e.js";

const repo = SCENARIO.repo;
let e2e: SimulatedApp;
beforeAll(async () => {
  e2e = await startSimulatedApp({ config: "incident_label: incident\n" });
}, 60_000);
afterAll(() => e2e?.stop());

/** Statuses of the app's reads of acme/api's config file since `mark`. */
const configReads = (mark: number): number[] =>
  e2e.sim.requests
    .slice(mark)
    .filter((r) => r.method === "GET" && r.path.startsWith(`/repos/${repo}/contents/`))
    .map((r) => r.status);

describe("config reads with ETags", () => {
  it("answers 200 once, then 304 while the file is unchanged, then 200 when it changes", async () => {
    const alice = e2e.sim.user("alice");
    let mark = e2e.sim.requests.length;
    const { data: incident } = await alice.openIssue(repo, { title: "Cache stampede", labels: ["incident"] });
    await e2e.sim.settle();
    expect(configReads(mark)).toEqual([200, 304]); // opened, then labeled (`incident`)

    mark = e2e.sim.requests.length;
    await alice.addLabels(repo, incident.number, ["sev:3"]);
    await e2e.sim.settle();
    expect(configReads(mark)).toEqual([304]);

    // A changed file (the incident label renamed) is read afresh and takes effect at once.
    e2e.sim.seed.file(repo, SCENARIO.configPath, "incident_label: outage\n");
    mark = e2e.sim.requests.length;
    const { data: outage } = await alice.openIssue(repo, { title: "Disk full", labels: ["outage", "sev:2"] });
    await e2e.sim.settle();
    expect(configReads(mark)[0]).toBe(200);
    expect(
      configReads(mark)
        .slice(1)
        .every((status) => status === 304),
    ).toBe(true);
    expect(
      e2e.sim.comments(repo, outage.number).filter((c) => c.body.startsWith("<!-- incident-keeper:status -->")),
    ).toHaveLength(1);
    expectNoViolations(e2e.sim);
  }, 60_000);
});
