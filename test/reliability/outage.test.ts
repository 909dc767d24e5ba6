/**
 * A GitHub outage, end to end with real processes: the app (`probot run lib/index.js`, shipped retry
 * and pacing) keeps running while GitHub answers 503 to every call (token creation included), and
 * people keep acting: a label change, a command, an action closed, a premature close. Every delivery
 * of the outage fails on the app's side (GitHub's retries of 503 outlast the webhook's 9 s answer, so
 * most are answered 202 "still processing" and fail afterwards: the app remembers those itself).
 * After recovery one sweep (its redelivery pass, then its repair pass, which now also looks at
 * incidents closed since its last pass) must bring every incident to the fault-free run's final state:
 * labels, body ticks, open/closed, the kinds of the app's comments, the status comment's facts; 0
 * duplicate comments, 0 lost ticks.
 */
import { afterEach, describe, expect, it } from "@jest/globals";
import { GitHubSimulator } from "../../simulator/src/index.js";
import { manifestGrants, seedScenario, startAppProcess, type AppProcess } from "../../simulator/src/app-process.js";
import {
  duplicateAppComments,
  fileIncident,
  finalState,
  SCENARIO,
  writeReport,
  writeup,
  type FinalState,
  type LifeNumbers,
} from "./support.js";

const TOKEN = "outage-test-sweep-token";
const repo = SCENARIO.repo;
/** The outage's failures are logged by the app with this message (src/index.ts onError). */
const FAILED_EVENT = "event failed after retries";

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

interface Run {
  sim: GitHubSimulator;
  app: AppProcess;
}

async function start(env: Record<string, string> = {}): Promise<Run> {
  const secret = `sim-${Math.random().toString(36).slice(2)}`;
  const sim = new GitHubSimulator({ appId: SCENARIO.appId, webhookSecret: secret, ...manifestGrants() });
  seedScenario(sim);
  const { port } = await sim.start();
  cleanup.push(() => sim.stop());
  const app = await startAppProcess({
    simulatorHost: `127.0.0.1:${port}`,
    webhookSecret: secret,
    env: { SWEEP_TRIGGER_TOKEN: TOKEN, SWEEP_INTERVAL_MINUTES: "0", ...env },
  });
  cleanup.push(() => app.kill());
  sim.setWebhookUrl(`${app.url}/api/github/webhooks`);
  return { sim, app };
}

interface SweepAnswer {
  redelivery?: { listed: number; failed: number; redelivered: number; errors: number };
  installations: Array<{ repaired?: number; repairedClosed?: number; errors: number }>;
}

async function sweep(app: AppProcess): Promise<SweepAnswer> {
  const response = await fetch(`${app.url}/api/incident-keeper/sweep?wait=1`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as SweepAnswer;
}

async function until(condition: () => boolean, timeoutMs: number, what: string, logs: string[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${logs.slice(-40).join("\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Before the outage: A filed from the form and written up with its action; B labelled and classified. */
async function before(sim: GitHubSimulator): Promise<{ a: LifeNumbers; b: LifeNumbers }> {
  const a = await fileIncident(sim, 0);
  await sim.user("bob").comment(repo, a.incident, "/sev 1\n/devops 3");
  await sim.user("alice").editBody(repo, a.incident, writeup(0, a.action));
  const b = await fileIncident(sim, 1);
  await sim.user("bob").comment(repo, b.incident, "/category core-bug\n/sev 2\n/devops 1");
  return { a, b };
}

/** What people do while GitHub is down (and, in the reference run, while it is up). */
async function during(sim: GitHubSimulator, { a, b }: { a: LifeNumbers; b: LifeNumbers }): Promise<number> {
  const steps = [
    () => sim.user("alice").addLabels(repo, a.incident, ["sev:2"]), // a label change: newest severity wins
    () => sim.user("bob").comment(repo, b.incident, "/devops 2"), // a command
    () => sim.user("bob").close(repo, a.action), // A's action closed: its box must be ticked
    () => sim.user("alice").close(repo, b.incident), // a premature close: B has no write-up
  ];
  let deliveries = 0;
  for (const step of steps) deliveries += (await step()).deliveries.length;
  return deliveries;
}

function normalise(state: FinalState, n: LifeNumbers): FinalState {
  return {
    ...state,
    body: state.body.replaceAll(`#${n.action}`, "#ACTION"),
    statusFacts: state.statusFacts.replaceAll(`#${n.action}`, "#ACTION"),
  };
}

/** Searches for closed incidents among `requests` (the repair pass's look for lost closes). */
const closedSearches = (sim: GitHubSimulator, from: number): number =>
  sim.requests
    .slice(from)
    .filter((r) => r.path === "/search/issues" && new URLSearchParams(r.query).get("q")?.includes("is:closed")).length;

const failedLines = (app: AppProcess): number => app.logs.filter((l) => l.includes(FAILED_EVENT)).length;

describe("GitHub answers 503 to every call for a while; people keep acting", () => {
  it("after recovery, redelivery and one sweep converge to the fault-free run", async () => {
    // Fault-free run of the same script.
    const reference = await start();
    const refNumbers = await before(reference.sim);
    await reference.sim.settle({ timeoutMs: 120_000 });
    await sweep(reference.app);
    await during(reference.sim, refNumbers);
    await reference.sim.settle({ timeoutMs: 120_000 });
    await sweep(reference.app);
    await reference.sim.settle({ timeoutMs: 120_000 });
    const expected = [refNumbers.a, refNumbers.b].map((n) => normalise(finalState(reference.sim, n.incident), n));
    expect(expected[1]?.state).toBe("open"); // the premature close was reopened
    expect(expected[0]?.body).toContain("- [x] #ACTION");

    // The outage run.
    const outage = await start();
    const numbers = await before(outage.sim);
    await outage.sim.settle({ timeoutMs: 120_000 });
    await sweep(outage.app); // the app has looked at both incidents once (its repair ledger knows them)
    const failedBefore = failedLines(outage.app);
    const firstOutageAttempt = outage.sim.deliveries.length;
    outage.sim.faults = { failRate: 1, statuses: [503], includeTokenCreation: true };
    const requestsAtOutage = outage.sim.requests.length;
    const outageDeliveries = await during(outage.sim, numbers);
    // Every delivery of the outage fails on the app's side: answered 5xx, or 202 and failed later.
    await until(
      () => failedLines(outage.app) - failedBefore >= outageDeliveries,
      240_000,
      `${outageDeliveries} failed events in the app's log`,
      outage.app.logs,
    );
    await outage.sim.settle({ timeoutMs: 60_000 });
    const outageAttempts = outage.sim.deliveries.slice(firstOutageAttempt);
    const answered = outageAttempts.map((d) => d.status);
    const failedRequests = outage.sim.requests.slice(requestsAtOutage).filter((r) => r.fault).length;
    expect(outageAttempts).toHaveLength(outageDeliveries);
    expect(failedRequests).toBeGreaterThan(0);
    // Nothing of the outage reached GitHub: B is still closed, A's box unticked.
    expect(outage.sim.issue(repo, numbers.b.incident).state).toBe("closed");
    expect(outage.sim.issue(repo, numbers.a.incident).body).toContain(`- [ ] #${numbers.a.action}`);

    // Recovery: one sweep.
    outage.sim.faults = {};
    const requestsBefore = outage.sim.requests.length;
    const report = await sweep(outage.app);
    await outage.sim.settle({ timeoutMs: 120_000 });

    const redeliveries = outage.sim.deliveries.filter((d) => d.redelivery);
    expect(report.redelivery?.errors).toBe(0);
    expect(report.redelivery?.redelivered).toBe(outageDeliveries);
    expect(redeliveries.map((d) => d.id).sort()).toEqual(outageAttempts.map((d) => d.id).sort());
    expect(redeliveries.every((d) => d.status >= 200 && d.status < 300)).toBe(true);

    const actual = [numbers.a, numbers.b].map((n) => normalise(finalState(outage.sim, n.incident), n));
    expect(actual).toEqual(expected);
    const duplicates = [numbers.a, numbers.b].flatMap((n) => duplicateAppComments(outage.sim, n.incident));
    expect(duplicates).toEqual([]);
    const lostTicks = outage.sim.issue(repo, numbers.a.incident).body?.includes(`- [x] #${numbers.a.action}`) ? 0 : 1;
    expect(lostTicks).toBe(0);
    expect(outage.sim.violations.filter((v) => v.kind !== "authentication")).toEqual([]);
    expect(reference.sim.violations.filter((v) => v.kind !== "authentication")).toEqual([]);

    // The recovery sweep looked for lost closes (a delivery had failed); B was found closed and reopened.
    expect(closedSearches(outage.sim, requestsBefore)).toBeGreaterThanOrEqual(1);

    // A second sweep asks for nothing again, changes nothing, and (nothing newly lost) searches no closed incident.
    const writesBefore = outage.sim.countRequests().writes;
    const secondFrom = outage.sim.requests.length;
    const again = await sweep(outage.app);
    await outage.sim.settle({ timeoutMs: 60_000 });
    expect(again.redelivery?.redelivered).toBe(0);
    expect(outage.sim.countRequests().writes).toBe(writesBefore);
    expect(closedSearches(outage.sim, secondFrom)).toBe(0);

    const statuses = [...new Set(answered)].sort().join(", ");
    writeReport(
      "outage.md",
      [
        `| incidents | deliveries during the outage (app's answers) | requests failed with 503 | redelivered | repaired (closed) | requests of the recovery sweep (incl. redelivered events) | duplicates | lost ticks |`,
        `| --- | --- | --- | --- | --- | --- | --- | --- |`,
        `| 2 | ${outageDeliveries} (${statuses}) | ${failedRequests} | ${report.redelivery?.redelivered ?? 0} | ${report.installations.map((i) => `${i.repaired ?? 0} (${i.repairedClosed ?? 0})`).join(", ")} | ${outage.sim.requests.length - requestsBefore} | ${duplicates.length} | ${lostTicks} |`,
      ].join("\n"),
    );
  }, 600_000);
});
