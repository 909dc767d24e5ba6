/**
 * Sweeps on many processes: with REDIS_URL set, the schedule lives in a BullMQ job scheduler on Redis
 * (one "sweep-all" job per interval across every instance), which fans out one job per installation;
 * any instance's worker takes them. A worker that dies mid-job loses its lock and the job is picked
 * up again by another instance (BullMQ's stalled-job recovery), so no installation is skipped.
 */
import { Queue, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import type { Probot } from "probot";
import { DueCache } from "./due-cache.js";
import { listInstallations, suspectedInstallations, sweepOne, type SweepRunnerOptions } from "./runner.js";
import type { InstallationTarget } from "./sweep.js";

export const SWEEP_QUEUE = "incident-keeper-sweeps";

export interface QueuedSweeps {
  /** Asks for one sweep now (HTTP trigger), on whichever instance is free. */
  trigger(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the scheduler and a worker on this instance. */
export async function startQueuedSweeps(args: {
  app: Probot;
  redisUrl: string;
  intervalMs: number;
  options: SweepRunnerOptions;
  /** How long a job's lock lives without renewal; a dead worker's job is retried after about this long. */
  lockDurationMs?: number;
  concurrency?: number;
}): Promise<QueuedSweeps> {
  const { app, redisUrl, options } = args;
  const queueConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const workerConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(SWEEP_QUEUE, { connection: queueConnection });
  const cache = options.cache ?? new DueCache();
  const jobOptions = { removeOnComplete: 500, removeOnFail: 500 };

  const fanOut = async (): Promise<{ installations: number; redelivered?: number }> => {
    // Once per scheduled sweep across every instance (this job runs on one of them).
    const redelivery = options.redelivery ? await options.redelivery(await app.auth()) : undefined;
    const installations = await listInstallations(app, options.identity.learn);
    const suspected = suspectedInstallations(redelivery, options);
    await queue.addBulk(
      installations.map((target) => ({
        name: "sweep-installation",
        data: { ...target, lossSuspected: suspected.has(target.id) },
        // At most one job per installation at a time: while one waits or runs, adding it again is a
        // no-op (same job id), so two instances never sweep the same installation together.
        opts: {
          jobId: `installation-${target.id}`,
          removeOnComplete: true,
          removeOnFail: true,
          attempts: 3,
          backoff: { type: "exponential", delay: 5_000 },
        },
      })),
    );
    return { installations: installations.length, ...(redelivery ? { redelivered: redelivery.redelivered } : {}) };
  };

  const worker = new Worker(
    SWEEP_QUEUE,
    async (job: Job) => {
      if (job.name === "sweep-all") return fanOut();
      if (job.name === "sweep-installation") {
        const { lossSuspected, ...target } = job.data as InstallationTarget & { lossSuspected?: boolean };
        return sweepOne(app, target, options, cache, lossSuspected === true);
      }
      throw new Error(`unknown sweep job ${job.name}`);
    },
    {
      connection: workerConnection,
      concurrency: args.concurrency ?? 1,
      lockDuration: args.lockDurationMs ?? 60_000,
      stalledInterval: Math.max(1_000, Math.round((args.lockDurationMs ?? 60_000) / 2)),
    },
  );
  worker.on("failed", (job, error) =>
    app.log.error({ err: error, job: job?.name, data: job?.data as unknown }, "sweep job failed"),
  );

  // The same scheduler id on every instance: Redis keeps one schedule, not one per process.
  const schedule = (): Promise<unknown> =>
    queue.upsertJobScheduler("sweep-all", { every: args.intervalMs }, { name: "sweep-all", opts: jobOptions });
  await schedule();
  // A Redis restarted without its data (no persistence) has lost the schedule: every reconnect
  // upserts it again (a no-op when it survived), so sweeps go on after Redis comes back. (The
  // connection is ready by now: every later "ready" is a reconnect.)
  queueConnection.on("ready", () => {
    schedule().catch((error: unknown) =>
      app.log.warn({ err: error }, "sweep: could not re-create the sweep schedule after Redis reconnected"),
    );
  });

  return {
    trigger: async () => {
      await queue.add("sweep-all", {}, jobOptions);
    },
    stop: async () => {
      await worker.close();
      await queue.close();
      queueConnection.disconnect();
      workerConnection.disconnect();
    },
  };
}
