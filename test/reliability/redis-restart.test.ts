/**
 * Redis restarted under two app instances (real processes) that share it for the sweep schedule
 * (BullMQ), the incident locks, the redelivery memory and the repair ledger. Redis goes down while
 * reminders are due and deliveries arrive, then starts again on the same port:
 * - without persistence, killed with SIGKILL: everything Redis held is gone (the sweep schedule too);
 * - with persistence (append-only file, fsync always), stopped with SIGTERM: its data comes back.
 * Either way: no reminder is posted twice, every due reminder is posted once after Redis returns (no
 * sweep lost), the deliveries made while it was down are handled, and neither process crashes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "@jest/globals";
import { GitHubSimulator } from "../../simulator/src/index.js";
import {
  generateAppPrivateKey,
  seedScenario,
  SCENARIO,
  startAppProcess,
  type AppProcess,
} from "../../simulator/src/app-process.js";
import { expectNoViolations } from "../support/e2e.js";
import { redisUnavailable, startRedis } from "../support/redis.js";
import { writeReport } from "./support.js";

const skipReason = redisUnavailable();
if (skipReason) console.warn(skipReason);
const describeWithRedis = skipReason ? describe.skip : describe;

const SECRET = "redis-restart-e2e";
const PER_BATCH = 3;
const REMINDER = "<!-- incident-keeper:reminder investigation:50@";

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function until(condition: () => boolean, timeoutMs: number, what: string, logs: string[][]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n${logs.map((l) => l.slice(-25).join("\n")).join("\n---\n")}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Without persistence, before the fix in src/runtime/bottleneck-redis-recovery.ts, the app never
 * recovered: Probot's cluster-wide throttling (Bottleneck on Redis) had lost its settings key and
 * every API call failed with "ERR SETTINGS_KEY_NOT_FOUND" until the processes restarted.
 */
const VARIANTS = [
  { variant: "without persistence, SIGKILL (Redis loses everything)", persist: false, signal: "SIGKILL" as const },
  { variant: "with persistence (AOF), SIGTERM (Redis keeps its data)", persist: true, signal: "SIGTERM" as const },
];

describeWithRedis("Redis restarted under two app instances", () => {
  it.each(VARIANTS)(
    "$variant: no reminder twice, none lost, the processes reconnect",
    async ({ persist, signal }) => {
      const dataDir = persist ? mkdtempSync(join(tmpdir(), "ik-redis-")) : undefined;
      if (dataDir) cleanup.push(() => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })));
      let redis = await startRedis({ dataDir });
      cleanup.push(() => redis.stop());
      const sim = new GitHubSimulator({ appId: SCENARIO.appId, webhookSecret: SECRET });
      await sim.start();
      cleanup.push(() => sim.stop());
      seedScenario(sim);
      const privateKey = generateAppPrivateKey();
      const apps: AppProcess[] = [];
      for (let i = 0; i < 2; i++) {
        const app = await startAppProcess({
          simulatorHost: new URL(sim.baseUrl).host,
          webhookSecret: SECRET,
          privateKey,
          env: { REDIS_URL: redis.url, SWEEP_INTERVAL_MINUTES: "0.05", SWEEP_JOB_LOCK_MS: "3000", LOG_LEVEL: "warn" },
        });
        cleanup.push(() => app.kill());
        apps.push(app);
      }
      sim.setWebhookUrl(`${apps[0]!.url}/api/github/webhooks`);
      const logs = apps.map((a) => a.logs);
      const seedDue = (label: string): number[] => {
        const createdAt = new Date(Date.now() - 7 * 3_600_000); // 7 h of a 12 h window: 50 % is due
        return Array.from({ length: PER_BATCH }, (_, i) =>
          sim.seed.issue(SCENARIO.repo, { title: `${label} ${i}`, labels: ["incident"], createdAt }),
        );
      };
      const reminders = (numbers: number[]): number[] =>
        numbers.map((n) => sim.comments(SCENARIO.repo, n).filter((c) => c.body.includes(REMINDER)).length);
      const sweepSearches = (): number => sim.requests.filter((r) => r.path === "/search/issues").length;

      // Before: the shared schedule works.
      const before = seedDue("Before");
      await until(() => reminders(before).every((c) => c >= 1), 120_000, "the reminders due before the restart", logs);

      // Redis goes down; reminders fall due and a person acts meanwhile.
      await redis.kill(signal);
      const during = seedDue("During");
      const commanded = during[0]!;
      sim.setWebhookUrl(`${apps[1]!.url}/api/github/webhooks`);
      const { status } = await sim.user("bob").comment(SCENARIO.repo, commanded, "/sev 2\n/devops 1");
      sim.setWebhookUrl(`${apps[0]!.url}/api/github/webhooks`);
      // Both instances have noticed (their Redis clients report the refused connection).
      await until(
        () => logs.every((l) => l.some((line) => line.includes("ECONNREFUSED"))),
        60_000,
        "both instances to notice Redis is gone",
        logs,
      );

      // Redis returns on the same port.
      redis = await startRedis({ port: redis.port, dataDir });
      await until(
        () => reminders(during).every((c) => c >= 1),
        150_000,
        "the reminders due while Redis was down",
        logs,
      );
      // Several more sweeps on both instances: nothing is posted twice.
      const searchesAtRecovery = sweepSearches();
      await until(() => sweepSearches() >= searchesAtRecovery + 4, 120_000, "four more sweeps", logs);
      await sim.settle({ timeoutMs: 60_000 });

      expect({ before: reminders(before), during: reminders(during) }).toEqual({
        before: Array(PER_BATCH).fill(1),
        during: Array(PER_BATCH).fill(1),
      });
      // The command made while Redis was down was handled (answered 2xx: 202 when its lock waited on
      // Redis past the webhook's 9 s; its labels applied).
      expect([200, 202]).toContain(status);
      await until(
        () => ["sev:2", "devops:1"].every((l) => sim.issue(SCENARIO.repo, commanded).labels.includes(l)),
        60_000,
        "the command's labels",
        logs,
      );
      // Neither process crashed; both are still serving.
      for (const app of apps) {
        expect(app.process.exitCode).toBeNull();
        expect((await fetch(`${app.url}/ping`)).ok).toBe(true);
      }
      expectNoViolations(sim);
      writeReport(
        `redis-restart-${persist ? "aof" : "none"}.md`,
        `| Redis ${persist ? "with AOF, SIGTERM" : "without persistence, SIGKILL"} | reminders due before / during | posted | duplicates | command while down | processes alive |\n| --- | --- | --- | --- | --- | --- |\n| restarted on port ${redis.port} | ${PER_BATCH} / ${PER_BATCH} | ${[...reminders(before), ...reminders(during)].reduce((a, b) => a + b, 0)} | 0 | answered ${status} | 2 of 2 |`,
      );
    },
    480_000,
  );
});
