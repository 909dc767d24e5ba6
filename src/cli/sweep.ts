/**
 * `incident-keeper sweep`: one reminder pass over every installation, then exit (for cron or a
 * Kubernetes CronJob). Same env vars as the server: APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH,
 * GHE_HOST/GHE_PROTOCOL, LOG_LEVEL; SWEEP_WRITE_BUDGET caps writes per installation.
 */
import { configureStateSigning } from "../runtime/state-key.js";
import { pino } from "pino";
import { createProbot } from "probot";
import { systemClock } from "../clock.js";
import { identityResolver } from "../github/identity.js";
import { KeyedLock } from "../runtime/keyed-lock.js";
import { recoverBottleneckAfterRedisDataLoss } from "../runtime/bottleneck-redis-recovery.js";
import { sweepRunner } from "../sweep/runner.js";
import { repairLedgerFor, type RepairLedger } from "../sweep/repair-ledger.js";
import { redeliveryMemory, redeliveryOptionsFromEnv, redeliveryPass } from "../sweep/redelivery.js";
import { IncidentKeeperOctokit } from "../github/octokit.js";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Runs one sweep; exit code 0 when every installation was swept without error. */
export async function runSweep(env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  if (!env.APP_ID || (!env.PRIVATE_KEY && !env.PRIVATE_KEY_PATH)) {
    io.stderr(
      "incident-keeper sweep: set APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH); " +
        "see README 'Running the reminder sweep'.\n",
    );
    return 2;
  }
  const budget = env.SWEEP_WRITE_BUDGET ? Number(env.SWEEP_WRITE_BUDGET) : undefined;
  if (budget !== undefined && !(Number.isInteger(budget) && budget > 0)) {
    io.stderr(
      `incident-keeper sweep: SWEEP_WRITE_BUDGET must be a positive integer, got "${env.SWEEP_WRITE_BUDGET ?? ""}".\n`,
    );
    return 2;
  }
  try {
    configureStateSigning(env);
  } catch (error) {
    io.stderr(`incident-keeper sweep: ${(error as Error).message}.\n`);
    return 2;
  }
  const json = env.SWEEP_REPORT_JSON === "1";
  // stdout carries the command's result only (the summary, or with SWEEP_REPORT_JSON=1 the JSON
  // alone, so `| jq` works); logs go to stderr as JSON lines.
  const log = pino({ name: "probot", level: env.LOG_LEVEL || "info" }, pino.destination(2));
  if (env.REDIS_URL) recoverBottleneckAfterRedisDataLoss();
  const probot = createProbot({ env, overrides: { log, Octokit: IncidentKeeperOctokit } });
  // With REDIS_URL the CLI takes the same cluster-wide incident locks as the servers and other CLIs.
  const redisLock = env.REDIS_URL
    ? (await import("../runtime/redis-lock.js")).RedisIncidentLock.fromUrl(env.REDIS_URL)
    : null;
  let redeliveryOptions;
  let repair: RepairLedger;
  try {
    redeliveryOptions = redeliveryOptionsFromEnv(env);
    // With REDIS_URL the ledger of the servers and earlier runs; without, GitHub's own times.
    repair = repairLedgerFor(env, env.REDIS_URL);
  } catch (error) {
    io.stderr(`incident-keeper sweep: ${(error as Error).message}.\n`);
    return 2;
  }
  // With REDIS_URL the redeliveries asked for are remembered across the CLI's runs and the servers.
  const memory = redeliveryMemory(env.REDIS_URL);
  const redelivery = redeliveryOptions
    ? redeliveryPass({ clock: systemClock, memory, log, options: redeliveryOptions })
    : undefined;
  const run = sweepRunner(probot, {
    clock: systemClock,
    identity: identityResolver(probot),
    lock: redisLock ?? new KeyedLock(),
    writeBudget: budget,
    redelivery,
    repair,
  });
  const report = await run().finally(() => Promise.all([redisLock?.close(), memory.close(), repair.close()]));
  const totals = report.installations.reduce(
    (acc, r) => ({
      found: acc.found + r.found,
      read: acc.read + r.read,
      posted: acc.posted + r.posted,
      deferred: acc.deferred + r.deferred,
      writes: acc.writes + r.writes,
      errors: acc.errors + r.errors,
    }),
    { found: 0, read: 0, posted: 0, deferred: 0, writes: 0, errors: 0 },
  );
  (json ? io.stderr : io.stdout)(
    `swept ${report.installations.length} installation(s) in ${report.durationMs} ms: ` +
      `${totals.found} open incident(s), ${totals.read} read, ${totals.posted} reminder(s) posted, ` +
      `${totals.deferred} deferred, ${totals.writes} write(s), ${totals.errors} error(s)\n`,
  );
  if (report.redelivery) {
    const r = report.redelivery;
    (json ? io.stderr : io.stdout)(
      `redelivered ${r.redelivered} of ${r.failed} failed webhook delivery(ies) ` +
        `(${r.listed} attempt(s) listed, ${r.errors} error(s))\n`,
    );
  }
  if (json) io.stdout(`${JSON.stringify(report)}\n`);
  return totals.errors > 0 ? 1 : 0;
}
