/**
 * Crash, end to end with real processes: the app (`probot run lib/index.js`) is killed with SIGKILL
 * while a burst of deliveries is in flight, people keep acting while it is down, and a new process
 * starts. After one sweep (its redelivery pass asks GitHub again for every failed delivery; its repair
 * pass reconciles every incident that changed) each incident must end as in an uninterrupted run:
 * labels, body ticks, open/closed, the kinds of the app's comments and the status comment's facts,
 * with 0 duplicate comments and 0 lost ticks.
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

const INCIDENTS = 2;
const TOKEN = "crash-test-sweep-token";
const repo = SCENARIO.repo;

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function startSim(): Promise<{ sim: GitHubSimulator; host: string; secret: string }> {
  const secret = `sim-${Math.random().toString(36).slice(2)}`;
  const sim = new GitHubSimulator({ appId: SCENARIO.appId, webhookSecret: secret, ...manifestGrants() });
  seedScenario(sim);
  const { port } = await sim.start();
  cleanup.push(() => sim.stop());
  return { sim, host: `127.0.0.1:${port}`, secret };
}

async function startApp(sim: GitHubSimulator, host: string, secret: string, privateKey?: string): Promise<AppProcess> {
  const app = await startAppProcess({
    simulatorHost: host,
    webhookSecret: secret,
    privateKey,
    env: { SWEEP_TRIGGER_TOKEN: TOKEN, SWEEP_INTERVAL_MINUTES: "0" },
  });
  cleanup.push(() => app.kill());
  sim.setWebhookUrl(`${app.url}/api/github/webhooks`);
  return app;
}

interface SweepAnswer {
  redelivery?: { listed: number; failed: number; redelivered: number; errors: number };
  installations: Array<{ repaired?: number; errors: number }>;
}

async function sweep(app: AppProcess): Promise<SweepAnswer> {
  const response = await fetch(`${app.url}/api/incident-keeper/sweep?wait=1`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as SweepAnswer;
}

/** The life without the early close: filed, classified by command, written up with an action, the action closed. */
async function burst(sim: GitHubSimulator, i: number): Promise<LifeNumbers> {
  const n = await fileIncident(sim, i);
  await sim
    .user("bob")
    .comment(repo, n.incident, i % 2 === 0 ? "/sev 1\n/devops 3" : "/category core-bug\n/sev 2\n/devops 1");
  return n;
}

async function rest(sim: GitHubSimulator, n: LifeNumbers, i: number): Promise<void> {
  await sim.user("alice").editBody(repo, n.incident, writeup(i, n.action));
  await sim.user("bob").close(repo, n.action);
}

function normalise(state: FinalState, n: LifeNumbers): FinalState {
  return {
    ...state,
    body: state.body.replaceAll(`#${n.action}`, "#ACTION"),
    statusFacts: state.statusFacts.replaceAll(`#${n.action}`, "#ACTION"),
  };
}

describe("SIGKILL during a burst, restart, redelivery and one sweep", () => {
  it("ends every incident as an uninterrupted run does, with no duplicate comment and no lost tick", async () => {
    // Uninterrupted run.
    const reference = await startSim();
    const refApp = await startApp(reference.sim, reference.host, reference.secret);
    const refNumbers: LifeNumbers[] = [];
    for (let i = 0; i < INCIDENTS; i++) refNumbers.push(await burst(reference.sim, i));
    for (const [i, n] of refNumbers.entries()) await rest(reference.sim, n, i);
    await reference.sim.settle({ timeoutMs: 120_000 });
    await sweep(refApp);
    await reference.sim.settle({ timeoutMs: 120_000 });
    const expected = refNumbers.map((n) => normalise(finalState(reference.sim, n.incident), n));

    // Crashed run: the burst goes out, the process is killed mid-way, people keep acting.
    const crashed = await startSim();
    const first = await startApp(crashed.sim, crashed.host, crashed.secret);
    const numbers: LifeNumbers[] = [];
    for (let i = 0; i < INCIDENTS; i++) numbers.push(await burst(crashed.sim, i));
    await new Promise((resolve) => setTimeout(resolve, 400));
    first.process.kill("SIGKILL");
    await new Promise((resolve) => first.process.once("exit", resolve));
    for (const [i, n] of numbers.entries()) await rest(crashed.sim, n, i);
    await crashed.sim.settle({ timeoutMs: 60_000 });
    const failedBefore = new Set(
      crashed.sim.deliveries.filter((d) => d.status < 200 || d.status >= 300).map((d) => d.id),
    );
    expect(failedBefore.size).toBeGreaterThan(0);

    const second = await startApp(crashed.sim, crashed.host, crashed.secret, first.privateKey);
    const requestsBefore = crashed.sim.requests.length;
    const report = await sweep(second);
    await crashed.sim.settle({ timeoutMs: 120_000 });

    expect(report.redelivery?.redelivered).toBe(failedBefore.size);
    expect(report.redelivery?.errors).toBe(0);
    // Each failed delivery was sent again once, flagged as a redelivery, and answered 2xx.
    const redeliveries = crashed.sim.deliveries.filter((d) => d.redelivery);
    expect(redeliveries.map((d) => d.id).sort()).toEqual([...failedBefore].sort());
    expect(redeliveries.every((d) => d.status >= 200 && d.status < 300)).toBe(true);

    const actual = numbers.map((n) => normalise(finalState(crashed.sim, n.incident), n));
    expect(actual).toEqual(expected);
    const duplicates = numbers.flatMap((n) => duplicateAppComments(crashed.sim, n.incident));
    expect(duplicates).toEqual([]);
    const lostTicks = numbers.filter(
      (n) => !(crashed.sim.issue(repo, n.incident).body ?? "").includes(`- [x] #${n.action}`),
    ).length;
    expect(lostTicks).toBe(0);
    expect(crashed.sim.violations.filter((v) => v.kind !== "authentication")).toEqual([]);
    expect(reference.sim.violations.filter((v) => v.kind !== "authentication")).toEqual([]);

    // A second sweep asks for nothing again.
    const again = await sweep(second);
    expect(again.redelivery?.redelivered).toBe(0);
    expect(crashed.sim.deliveries.filter((d) => d.redelivery)).toHaveLength(failedBefore.size);

    writeReport(
      "crash.md",
      [
        `| incidents | deliveries failed by the crash | redelivered | requests of the recovery sweep (incl. redelivered events) | duplicates | lost ticks |`,
        `| --- | --- | --- | --- | --- | --- |`,
        `| ${INCIDENTS} | ${failedBefore.size} | ${report.redelivery?.redelivered ?? 0} | ${crashed.sim.requests.length - requestsBefore} | ${duplicates.length} | ${lostTicks} |`,
      ].join("\n"),
    );
  }, 400_000);
});
