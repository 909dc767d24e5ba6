/**
 * Runs a sweep over every installation of the app (server scheduler, CLI, HTTP trigger), and the
 * in-process scheduler with jitter.
 */
import type { Probot } from "probot";
import type { Clock } from "../clock.js";
import { identityOfInstallation, type AppIdentity, type IdentitySource } from "../github/identity.js";
import type { DashboardCache } from "../dashboard/cache.js";
import type { GitHubCaches } from "../github/prepare-octokit.js";
import type { IncidentLock } from "../runtime/incident-lock.js";
import { DueCache } from "./due-cache.js";
import type { RedeliveryReport } from "./redelivery.js";
import type { RepairLedger } from "./repair-ledger.js";
import { sweepInstallation, type InstallationSweepReport, type InstallationTarget } from "./sweep.js";

export interface SweepRunnerOptions {
  clock: Clock;
  identity: IdentitySource;
  lock: IncidentLock;
  cache?: DueCache;
  writeBudget?: number;
  incidentLabels?: string[];
  /** The redelivery pass run at the start of every sweep pass (app JWT); absent: none. */
  /** The repair pass's memory (one per process); absent: no repair pass. */
  repair?: RepairLedger;
  redelivery?: (appOctokit: Awaited<ReturnType<Probot["auth"]>>) => Promise<RedeliveryReport>;
  /** The app's caches (default: fresh ones per installation swept). */
  caches?: GitHubCaches;
  /** The server's dashboard view (absent: none). */
  dashboard?: DashboardCache;
  /**
   * Installations where this process failed to handle an event since their last pass (the app's
   * `onError`): their repair pass looks at closed incidents too, with or without redelivery.
   */
  failedInstallations?: Set<number>;
}

/** Installations whose repair pass should look for lost closes: redelivered to, or failed here. */
export function suspectedInstallations(
  redelivery: RedeliveryReport | undefined,
  options: SweepRunnerOptions,
): Set<number> {
  const suspected = new Set([...(redelivery?.installations ?? []), ...(options.failedInstallations ?? [])]);
  options.failedInstallations?.clear();
  return suspected;
}

export interface SweepReport {
  installations: InstallationSweepReport[];
  /** Failed webhook deliveries asked for again in this pass. */
  redelivery?: RedeliveryReport;
  startedAt: string;
  durationMs: number;
}

/**
 * Every installation of the app (app-authenticated, paginated); `learn` gets the app's identity from
 * the listing (each installation names its app), so a fresh process needs no `GET /app` for it.
 */
export async function listInstallations(
  app: Probot,
  learn?: (identity: AppIdentity) => void,
): Promise<InstallationTarget[]> {
  const octokit = await app.auth();
  const installations = await octokit.paginate(octokit.rest.apps.listInstallations, { per_page: 100 });
  const identity = installations[0] ? identityOfInstallation(installations[0]) : null;
  if (identity) learn?.(identity);
  return installations.flatMap((i) => {
    const account = i.account && "login" in i.account ? i.account : null;
    if (!account || i.suspended_at) return [];
    return [
      {
        id: i.id,
        account: account.login,
        accountType: account.type === "Organization" ? ("Organization" as const) : ("User" as const),
      },
    ];
  });
}

/** Sweeps one installation by id (used by the job queue, one job per installation). */
export async function sweepOne(
  app: Probot,
  target: InstallationTarget,
  options: SweepRunnerOptions,
  cache: DueCache,
  lossSuspected = false,
): Promise<InstallationSweepReport> {
  const octokit = await app.auth(target.id);
  return sweepInstallation(octokit, target, {
    clock: options.clock,
    identity: await options.identity(),
    lock: options.lock,
    log: app.log,
    cache,
    writeBudget: options.writeBudget,
    incidentLabels: options.incidentLabels,
    repair: options.repair,
    lossSuspected,
    // SWEEP_READER=rest: one REST comment read per incident instead of GraphQL batches (a GitHub without GraphQL).
    reader: process.env.SWEEP_READER === "rest" ? "rest" : "graphql",
    caches: options.caches,
    dashboard: options.dashboard,
  });
}

/** One pass over every installation, one after the other. */
export function sweepRunner(app: Probot, options: SweepRunnerOptions): () => Promise<SweepReport> {
  const cache = options.cache ?? new DueCache();
  let running: Promise<SweepReport> | null = null;
  return () => {
    // Overlapping triggers (timer + HTTP) share one pass instead of racing.
    running ??= (async () => {
      const started = options.clock.now();
      const installations: InstallationSweepReport[] = [];
      // Lost events first: their redeliveries arrive while the installations are swept.
      const redelivery = options.redelivery ? await options.redelivery(await app.auth()) : undefined;
      const suspected = suspectedInstallations(redelivery, options);
      for (const target of await listInstallations(app, options.identity.learn)) {
        try {
          installations.push(await sweepOne(app, target, options, cache, suspected.has(target.id)));
        } catch (error) {
          app.log.error({ err: error, installation: target.id }, "sweep: installation failed");
        }
      }
      return {
        installations,
        ...(redelivery ? { redelivery } : {}),
        startedAt: started.toISOString(),
        durationMs: options.clock.now().getTime() - started.getTime(),
      };
    })().finally(() => {
      running = null;
    });
    return running;
  };
}

/** Starts sweeping every `intervalMs` (±10 % jitter so many instances do not align). Returns a stop function. */
export function startScheduler(args: {
  run: () => Promise<unknown>;
  intervalMs: number;
  log: Probot["log"];
  random?: () => number;
}): () => void {
  const random = args.random ?? Math.random;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const schedule = (): void => {
    if (stopped) return;
    const jitter = 1 + (random() * 0.2 - 0.1);
    timer = setTimeout(
      () => {
        args
          .run()
          .catch((error: unknown) => args.log.error({ err: error }, "sweep failed"))
          .finally(schedule);
      },
      Math.round(args.intervalMs * jitter),
    );
    timer.unref();
  };
  schedule();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
