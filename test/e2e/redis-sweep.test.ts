/**
 * Two real app processes sharing one Redis: every due reminder is posted exactly once, and killing
 * the process that is mid-sweep loses none (the other instance finishes the work).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { GitHubSimulator } from "../../simulator/src/index.js";
import {
  generateAppPrivateKey,
  seedScenario,
  SCENARIO,
  startAppProcess,
  type AppProcess,
} from "../../simulator/src/app-process.js";
import { expectNoViolations } from "../support/e2e.js";
import { redisUnavailable, startRedis, type RedisServer } from "../support/redis.js";

const skipReason = redisUnavailable();
if (skipReason) console.warn(skipReason);
const describeWithRedis = skipReason ? describe.skip : describe;

const SECRET = "redis-e2e";
const INCIDENTS = 4;

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describeWithRedis("sweeps on several processes with REDIS_URL", () => {
  let redis: RedisServer;
  let sim: GitHubSimulator;
  const apps: AppProcess[] = [];
  const privateKey = generateAppPrivateKey();
  let numbers: number[] = [];

  const start = async (): Promise<AppProcess> => {
    const app = await startAppProcess({
      simulatorHost: new URL(sim.baseUrl).host,
      webhookSecret: SECRET,
      privateKey,
      env: { REDIS_URL: redis.url, SWEEP_INTERVAL_MINUTES: "0.05", SWEEP_JOB_LOCK_MS: "3000", LOG_LEVEL: "warn" },
    });
    apps.push(app);
    return app;
  };
  const reminderCounts = (): number[] =>
    numbers.map(
      (n) =>
        sim.comments(SCENARIO.repo, n).filter((c) => c.body.includes("<!-- incident-keeper:reminder investigation:50@"))
          .length,
    );

  beforeAll(async () => {
    redis = await startRedis();
    sim = new GitHubSimulator({ appId: SCENARIO.appId, webhookSecret: SECRET });
    await sim.start();
    seedScenario(sim);
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.kill()));
    await sim?.stop();
    await redis?.stop();
  });

  it("kills the instance that started the sweep; the other finishes; each reminder exactly once", async () => {
    const createdAt = new Date(Date.now() - 7 * 3_600_000); // 7 h of a 12 h window: 50 % is due
    numbers = Array.from({ length: INCIDENTS }, (_, i) =>
      sim.seed.issue(SCENARIO.repo, {
        title: `Incident ${i}`,
        labels: ["incident", "incident:needs-writeup"],
        createdAt,
      }),
    );
    const first = await start();
    // As soon as the first instance has searched (its sweep is under way), kill it.
    await until(
      () => sim.requests.some((r) => r.path.startsWith("/search/issues")),
      30_000,
      "the first sweep to start",
    );
    await first.kill();
    const postedBeforeKill = reminderCounts().reduce((a, b) => a + b, 0);
    await start();
    await start();
    // Generous: when the killed instance held an incident's Redis lock, the survivor waits for it 30 s
    // (then works without it); process start-up on a loaded machine and Probot's cluster-wide write
    // pacing (one comment per 3 s per installation) add to that. The exactly-once check below is what matters.
    await until(() => reminderCounts().every((c) => c >= 1), 100_000, "every reminder to be posted");
    // Several more intervals on both instances: nothing is posted twice.
    await new Promise((r) => setTimeout(r, 8_000));
    expect({ counts: reminderCounts(), postedBeforeKill }).toEqual({
      counts: Array(INCIDENTS).fill(1),
      postedBeforeKill: expect.any(Number),
    });
    expectNoViolations(sim);
  }, 170_000);
});
