/**
 * Replay: the webhook deliveries of orderly incident lives are recorded, then delivered again to a
 * repository where people did the same things while no webhook reached the app (GitHub's state is
 * current, the deliveries arrive late). The reference is those late deliveries sent once, in order;
 * each twice, shuffled (seeded) and all at once must end in the same state, with no duplicate comment.
 * (Late, the app judges the current issue: the early close it would have undone live is, by the time
 * it hears of it, the close of a complete incident, so it stands.)
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { sign } from "@octokit/webhooks-methods";
import type { JsonObject } from "../../simulator/src/index.js";
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

const INCIDENTS = 2;
const PERMUTATIONS = 6;

interface Recorded {
  event: string;
  payload: JsonObject;
  label: string;
}

let e2e: ReliabilityApp;
let recorded: Recorded[];
let expected: FinalState[];
let lateExpected: FinalState[];
let numbers: LifeNumbers[];
const figures: string[] = [];

/** When the people's first action happens, in every world (whole seconds, an hour before the run). */
let peopleFrom: Date;
/** Simulated time between two of the people's actions. */
const STEP_MS = 60_000;

/**
 * The same people's actions in `repo`; with the webhook URL unset, nothing reaches the app. Every
 * world plays them at the same simulated times (the clock frozen at `peopleFrom`, moved on a minute
 * per action, then back to real time): the recorded deliveries carry the times of the live world,
 * and a replay world whose action was created after the recorded close (real time, later) would be
 * a world GitHub never makes, where a delivery's `closed_at` and GitHub's own answer disagree about
 * the same close. The same times make the replayed deliveries GitHub's own for that world.
 */
async function livePeople(repo: string, deliver: boolean): Promise<LifeNumbers[]> {
  const sim = e2e.sim;
  if (repo !== SCENARIO.repo) {
    sim.seed.repo(repo, { installationId: SCENARIO.installationId });
    sim.seed.permission(repo, "alice", "admin");
    sim.seed.permission(repo, "bob", "triage");
  }
  if (!deliver) sim.setWebhookUrl(undefined);
  const result: LifeNumbers[] = [];
  sim.setTime(peopleFrom);
  try {
    for (let i = 0; i < INCIDENTS; i++) {
      const n = await fileIncident(sim, i, repo);
      for (const step of LIFE_STEPS) {
        sim.advanceTime(STEP_MS);
        await step(sim, n, i, repo);
      }
      sim.advanceTime(STEP_MS);
      result.push(n);
    }
  } finally {
    sim.setTime(null);
    if (!deliver) sim.setWebhookUrl(`${e2e.app.url}/api/github/webhooks`);
  }
  return result;
}

/** A signed POST to the app, as GitHub would send it; resolves to the HTTP status. */
async function post(delivery: Recorded, repo: string): Promise<number> {
  const body = JSON.stringify(delivery.payload)
    .replaceAll(`"${SCENARIO.repo}`, `"${repo}`)
    .replaceAll(`/${SCENARIO.repo}/`, `/${repo}/`)
    .replaceAll(`"name":"api"`, `"name":"${repo.split("/")[1]}"`);
  const response = await fetch(`${e2e.app.url}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": delivery.event,
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": await sign(e2e.secret, body),
    },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

/** mulberry32, for seeded shuffles. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: T[], seed: number): T[] {
  const next = random(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function statesOf(repo: string, lives: LifeNumbers[]): FinalState[] {
  return lives.map((n) => {
    const state = finalState(e2e.sim, n.incident, repo);
    return { ...state, statusFacts: state.statusFacts };
  });
}

beforeAll(async () => {
  e2e = await startReliabilityApp();
  peopleFrom = new Date(Math.floor(e2e.sim.now().getTime() / 1000) * 1000 - 3_600_000);
  numbers = await livePeople(SCENARIO.repo, true);
  await e2e.sim.settle({ timeoutMs: 30_000 });
  recorded = e2e.sim.deliveries
    .filter((d) => d.sender !== e2e.sim.botLogin && d.status === 200)
    .map((d) => ({ event: d.event, payload: d.payload, label: `${d.event}.${d.action ?? ""}` }));
  expected = statesOf(SCENARIO.repo, numbers);
}, 60_000);
afterAll(() => e2e?.stop());

describe("replayed deliveries converge to the orderly final state", () => {
  it("the orderly run is a complete incident life", () => {
    for (const state of expected) {
      expect(state.appCommentKinds).toEqual(["complete", "reopened", "status"]);
      expect(state.body).toMatch(/- \[x\] #\d+ alert on login error rate/);
    }
    expect(recorded.length).toBeGreaterThan(10);
  });

  it("late, in order, once: the reference; same labels and ticked body as the live run, the close stands", async () => {
    const repo = `${SCENARIO.org}/replay-once`;
    const lives = await livePeople(repo, false);
    const statuses: number[] = [];
    for (const delivery of recorded) statuses.push(await post(delivery, repo));
    await e2e.sim.settle({ timeoutMs: 30_000 });
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    lateExpected = statesOf(repo, lives);
    lateExpected.forEach((state, i) => {
      expect(state.labels).toEqual(expected[i]!.labels);
      expect(state.body).toEqual(expected[i]!.body);
      expect(state.state).toBe("closed");
      expect(state.appCommentKinds).toEqual(["status"]);
      expect(state.statusFacts).toContain("✅ met (resolved");
      // The follow-up action opened and closed once each, GitHub's own close (one closed_at in this world).
      expect(state.statusFacts.match(/Follow-up action #\d+ opened/g)).toHaveLength(1);
      expect(state.statusFacts.match(/Follow-up action #\d+ closed/g)).toHaveLength(1);
    });
    for (const n of lives) expect(duplicateAppComments(e2e.sim, n.incident, repo)).toEqual([]);
    figures.push(
      `| late, in order, once (reference) | 1 | ${recorded.length} | labels and ticked body equal to the live run; the early close stands (complete by then) |`,
    );
  }, 60_000);

  it("late, in order, every delivery twice (GitHub's at-least-once delivery)", async () => {
    const repo = `${SCENARIO.org}/replay-twice`;
    const lives = await livePeople(repo, false);
    const statuses: number[] = [];
    for (const delivery of recorded) for (let copy = 0; copy < 2; copy++) statuses.push(await post(delivery, repo));
    await e2e.sim.settle({ timeoutMs: 30_000 });
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(statesOf(repo, lives)).toEqual(lateExpected);
    for (const n of lives) expect(duplicateAppComments(e2e.sim, n.incident, repo)).toEqual([]);
    figures.push(
      `| late, in order, each delivery twice | 1 | ${recorded.length * 2} | equal to the reference, 0 duplicate comments |`,
    );
  }, 60_000);

  it(`${PERMUTATIONS} seeded shuffles, every delivery twice`, async () => {
    let converged = 0;
    let duplicates = 0;
    for (let k = 0; k < PERMUTATIONS; k++) {
      const repo = `${SCENARIO.org}/replay-${k}`;
      const lives = await livePeople(repo, false);
      expect(lives).toEqual(numbers);
      const order = shuffled([...recorded, ...recorded], 1000 + k);
      const statuses: number[] = [];
      for (const delivery of order) statuses.push(await post(delivery, repo));
      await e2e.sim.settle({ timeoutMs: 30_000 });
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      if (JSON.stringify(statesOf(repo, lives)) === JSON.stringify(lateExpected)) converged += 1;
      for (const n of lives) duplicates += duplicateAppComments(e2e.sim, n.incident, repo).length;
    }
    figures.push(
      `| seeded shuffles, each delivery twice | ${PERMUTATIONS} | ${recorded.length * 2} each | ${converged} of ${PERMUTATIONS} equal to the reference, ${duplicates} duplicate comments |`,
    );
    expect(duplicates).toBe(0);
    expect(converged).toBe(PERMUTATIONS);
  }, 120_000);

  it("all deliveries at once (concurrent for each incident), twice", async () => {
    const repo = `${SCENARIO.org}/replay-concurrent`;
    const lives = await livePeople(repo, false);
    const statuses = await Promise.all([...recorded, ...recorded].map((d) => post(d, repo)));
    await e2e.sim.settle({ timeoutMs: 30_000 });
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(statesOf(repo, lives)).toEqual(lateExpected);
    for (const n of lives) expect(duplicateAppComments(e2e.sim, n.incident, repo)).toEqual([]);
    figures.push(
      `| late, all at once | 1 | ${recorded.length * 2} deliveries in flight together | equal to the reference |`,
    );
    writeReport(
      "replay.md",
      [
        "| replay | runs | deliveries | outcome |",
        "|---|---|---|---|",
        `| orderly (recorded) | 1 | ${recorded.length} people's deliveries, ${INCIDENTS} incident lives | reference |`,
        ...figures,
      ].join("\n"),
    );
  }, 60_000);
});
