/**
 * Fault injection, end to end: the same N incident lives on a fault-free simulator and on a fresh one
 * that fails ~14 % of the app's requests (500/502, dropped connections, 403 secondary rate limits with
 * Retry-After, writes carried out before a 502 so the answer is lost). After one more event per
 * incident (a person re-saving the title: "the next event repairs"), every incident must end exactly
 * as in the fault-free run, with zero duplicate app comments and zero lost checklist ticks.
 */
import { afterAll, describe, expect, it } from "@jest/globals";
import type { RequestRecord } from "../../simulator/src/index.js";
import {
  duplicateAppComments,
  fileIncident,
  finalState,
  LIFE_STEPS,
  SCENARIO,
  startReliabilityApp,
  writeReport,
  type FinalState,
  type LifeNumbers,
  type ReliabilityApp,
} from "./support.js";

const INCIDENTS = Number(process.env.RELIABILITY_INCIDENTS ?? 6);
const FAULTS = {
  failRate: 0.08,
  statuses: [500, 502],
  timeoutRate: 0.03,
  timeoutDelayMs: 50,
  secondaryRateLimitRate: 0.03,
  seed: 2026,
  applyWritesBeforeFailing: true,
};
const repo = SCENARIO.repo;

interface RunResult {
  states: FinalState[];
  numbers: LifeNumbers[];
  duplicates: string[];
  requests: RequestRecord[];
  failedDeliveries: number;
  deliveries: number;
  retryLogLines: number;
  ms: number;
}

let running: ReliabilityApp | undefined;
afterAll(() => running?.stop());

/** Drives INCIDENTS lives (then the repair event) on a fresh simulator + app; returns what it saw. */
async function run(faulty: boolean): Promise<RunResult> {
  const started = Date.now();
  const e2e = await startReliabilityApp();
  running = e2e;
  try {
    const { sim } = e2e;
    if (faulty) sim.faults = FAULTS;
    const numbers: LifeNumbers[] = [];
    for (let i = 0; i < INCIDENTS; i++) {
      const n = await fileIncident(sim, i);
      for (const step of LIFE_STEPS) await step(sim, n, i);
      numbers.push(n);
    }
    await sim.settle({ timeoutMs: 60_000 });
    // The next event: a person re-saves each incident's title (nothing changes for the fault-free run).
    for (const n of numbers) await sim.user("alice").editTitle(repo, n.incident, sim.issue(repo, n.incident).title);
    await sim.settle({ timeoutMs: 60_000 });
    sim.faults = {};
    expect(sim.violations.filter((v) => v.kind !== "authentication")).toEqual([]);
    return {
      states: numbers.map((n) => normalise(finalState(sim, n.incident), n)),
      numbers,
      duplicates: numbers.flatMap((n) => duplicateAppComments(sim, n.incident).map((d) => `#${n.incident}: ${d}`)),
      requests: [...sim.requests],
      failedDeliveries: sim.deliveries.filter((d) => d.status !== 200).length,
      deliveries: sim.deliveries.length,
      retryLogLines: e2e.app.logs.filter((l) => l.includes("retrying in")).length,
      ms: Date.now() - started,
    };
  } finally {
    await e2e.stop();
    running = undefined;
  }
}

/** Issue numbers differ between the two simulators only through the action's number. */
function normalise(state: FinalState, n: LifeNumbers): FinalState {
  const strip = (text: string): string =>
    text.replaceAll(`#${n.action}`, "#ACTION").replaceAll(`#${n.incident}`, "#INCIDENT");
  return { ...state, body: strip(state.body), statusFacts: strip(state.statusFacts) };
}

/** Faulted requests that were repeated later (same method, path and body): the retries observed. */
function retriedFaults(requests: RequestRecord[]): {
  faulted: number;
  retried: number;
  byKind: Record<string, number>;
} {
  const byKind: Record<string, number> = {};
  let retried = 0;
  requests.forEach((r, index) => {
    if (!r.fault) return;
    byKind[r.fault] = (byKind[r.fault] ?? 0) + 1;
    const again = requests
      .slice(index + 1)
      .some(
        (later) =>
          later.method === r.method && later.path === r.path && JSON.stringify(later.body) === JSON.stringify(r.body),
      );
    if (again) retried += 1;
  });
  return { faulted: requests.filter((r) => r.fault).length, retried, byKind };
}

describe(`${INCIDENTS} incident lives with ~14 % of requests failing`, () => {
  it("end exactly as without faults: same labels, bodies, states and comment kinds; no duplicates; no lost ticks", async () => {
    const clean = await run(false);
    const faulty = await run(true);
    const faults = retriedFaults(faulty.requests);

    // The fault-free run is what an incident life must look like.
    for (const [i, state] of clean.states.entries()) {
      expect(state.state).toBe("open");
      expect(state.labels).toEqual(
        i % 2 === 0
          ? ["category:core-bug", "devops:3", "incident", "sev:1"]
          : ["category:core-bug", "devops:1", "incident", "sev:2"],
      );
      expect(state.body).toContain("- [x] #ACTION alert on login error rate");
      expect(state.appCommentKinds).toEqual(["complete", "reopened", "status"]);
    }
    expect(clean.duplicates).toEqual([]);
    expect(clean.failedDeliveries).toBe(0);

    // Faults really happened, of every kind, and were retried.
    expect(faults.faulted).toBeGreaterThanOrEqual(Math.round(faulty.requests.length * 0.08));
    expect(Object.keys(faults.byKind).sort()).toEqual(expect.arrayContaining(["secondary-rate-limit", "timeout"]));
    expect(Object.keys(faults.byKind).some((k) => k.endsWith("after write"))).toBe(true);

    // ... and changed nothing in the outcome.
    expect(faulty.states).toEqual(clean.states);
    expect(faulty.duplicates).toEqual([]);
    const ticks = faulty.states.filter((s) => s.body.includes("- [x] #ACTION")).length;
    expect(ticks).toBe(INCIDENTS);

    writeReport(
      "fault-injection.md",
      [
        `| figure | fault-free run | faulty run |`,
        `|---|---|---|`,
        `| incident lives (filed, classified by command, closed too early, write-up, action closed, next event) | ${INCIDENTS} | ${INCIDENTS} |`,
        `| webhook deliveries | ${clean.deliveries} | ${faulty.deliveries} |`,
        `| deliveries the app answered with an error | ${clean.failedDeliveries} | ${faulty.failedDeliveries} |`,
        `| requests the app made | ${clean.requests.length} | ${faulty.requests.length} |`,
        `| injected faults | 0 | ${faults.faulted} (${((100 * faults.faulted) / faulty.requests.length).toFixed(1)} %): ${Object.entries(
          faults.byKind,
        )
          .sort()
          .map(([k, v]) => `${k} ${v}`)
          .join(", ")} |`,
        `| faulted requests repeated later (retries observed) | 0 | ${faults.retried} |`,
        `| app log lines "secondary rate limit ... retrying" | ${clean.retryLogLines} | ${faulty.retryLogLines} |`,
        `| final states equal to the fault-free run | - | ${faulty.states.filter((s, i) => JSON.stringify(s) === JSON.stringify(clean.states[i])).length} of ${INCIDENTS} |`,
        `| duplicate app comments | ${clean.duplicates.length} | ${faulty.duplicates.length} |`,
        `| checklist ticks present | ${clean.states.filter((s) => s.body.includes("- [x] #ACTION")).length} of ${INCIDENTS} | ${ticks} of ${INCIDENTS} |`,
        `| wall time | ${(clean.ms / 1000).toFixed(1)} s | ${(faulty.ms / 1000).toFixed(1)} s |`,
        ``,
        `Faults: ${JSON.stringify(FAULTS)}`,
      ].join("\n"),
    );
  }, 180_000);
});
