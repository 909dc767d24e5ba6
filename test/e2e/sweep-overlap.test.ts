/**
 * Overlapping sweeps post each reminder once (issue #10 item 2): two `incident-keeper sweep`
 * processes started together over freshly breached incidents, without Redis (GitHub is the arbiter:
 * re-read under the lock, and the later of two identical comments deletes itself) and with Redis
 * (the cluster-wide incident lock).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { SCENARIO, startSimulatedApp, type SimulatedApp } from "../../simulator/src/app-process.js";
import { expectNoViolations, runSweepCli } from "../support/e2e.js";
import { redisUnavailable, startRedis, type RedisServer } from "../support/redis.js";

const repo = SCENARIO.repo;
const HOUR_MS = 3_600_000;
const INCIDENTS = 4;
const hoursAgo = (hours: number): Date => new Date(Math.floor((Date.now() - hours * HOUR_MS) / 1000) * 1000);

let e2e: SimulatedApp;
beforeAll(async () => {
  e2e = await startSimulatedApp({ env: { SWEEP_INTERVAL_MINUTES: "0" } });
}, 60_000);
afterAll(() => e2e?.stop());

const own = (n: number, marker: string): number =>
  e2e.sim.comments(repo, n).filter((c) => c.body.startsWith(marker)).length;

/** Seeds breached incidents, runs two sweeps at once, and returns the incidents and the requests made. */
async function overlap(
  env: Record<string, string>,
): Promise<{ numbers: number[]; deletes: number; codes: Array<number | null>; restCommentReads: number }> {
  const numbers = Array.from({ length: INCIDENTS }, (_, i) =>
    e2e.sim.seed.issue(repo, { title: `Breached ${i}`, labels: ["incident"], createdAt: hoursAgo(13 + i / 10) }),
  );
  await e2e.sim.settle();
  const from = e2e.sim.requests.length;
  const outcomes = await Promise.all([runSweepCli(e2e, env), runSweepCli(e2e, env)]);
  await e2e.sim.settle();
  for (const outcome of outcomes) expect(outcome.stderr).toBe("");
  const deletes = e2e.sim.requests.slice(from).filter((r) => r.method === "DELETE").length;
  // Of this call's incidents only: the repair pass of a fresh CLI reads the earlier tests' incidents.
  const restCommentReads = e2e.sim.requests
    .slice(from)
    .filter((r) => r.method === "GET" && numbers.some((n) => r.path.endsWith(`/issues/${n}/comments`))).length;
  return { numbers, deletes, codes: outcomes.map((o) => o.code), restCommentReads };
}

describe("two sweeps at once", () => {
  it("without Redis: exactly one reminder and one status comment per incident at the end", async () => {
    const { numbers, codes, deletes } = await overlap({});
    // At most one later copy of each reminder and of each status comment was withdrawn.
    expect(deletes).toBeLessThanOrEqual(2 * INCIDENTS);
    expect(codes).toEqual([0, 0]);
    expect(numbers.map((n) => own(n, "<!-- incident-keeper:reminder investigation:breach@"))).toEqual(
      numbers.map(() => 1),
    );
    expect(numbers.map((n) => own(n, "<!-- incident-keeper:status -->"))).toEqual(numbers.map(() => 1));
    for (const n of numbers) expect(e2e.sim.issue(repo, n).labels).toContain("sla:breached");
    expectNoViolations(e2e.sim);
  }, 120_000);

  const skipReason = redisUnavailable();
  if (skipReason) console.warn(skipReason);
  (skipReason ? describe.skip : describe)("with REDIS_URL", () => {
    let redis: RedisServer;
    beforeAll(async () => {
      redis = await startRedis();
    }, 20_000);
    afterAll(() => redis?.stop());

    it("the CLIs share the cluster lock: one reminder each, nothing to delete", async () => {
      const { numbers, deletes, codes, restCommentReads } = await overlap({ REDIS_URL: redis.url });
      // The due incidents' re-read under the held cluster locks, and the arbiter's read: batch queries.
      expect(restCommentReads).toBe(0);
      expect(codes).toEqual([0, 0]);
      expect(numbers.map((n) => own(n, "<!-- incident-keeper:reminder investigation:breach@"))).toEqual(
        numbers.map(() => 1),
      );
      expect(numbers.map((n) => own(n, "<!-- incident-keeper:status -->"))).toEqual(numbers.map(() => 1));
      expect(deletes).toBe(0);
      expectNoViolations(e2e.sim);
    }, 120_000);
  });
});
