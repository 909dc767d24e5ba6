/**
 * The sweep's due incidents, sent their reminders in chunks of {@link DUE_CHUNK} (issue #12): each
 * incident still goes through `reconcile` with a tick, under its lock, and the arbiter's read after
 * the writes (src/sweep/arbiter.ts) is one batch query for the whole chunk instead of one REST read
 * per incident written to.
 *
 * The re-read under the lock: with a lock shared by every process (`IncidentLock.shared`, Redis),
 * the chunk's locks are taken together and its incidents' comments re-read in one batch query while
 * they are held: nothing can post on them meanwhile, so that read is as fresh as one right before
 * each post. With a lock of this process only, another sweep may post at any moment: each incident
 * is re-read right before its writes (one REST read each), which keeps the window for a duplicate as
 * narrow as before.
 */
import type { Logger } from "probot";
import type { Clock } from "../clock.js";
import type { OwnComment } from "../core/snapshot.js";
import type { GitHubGateway } from "../github/gateway.js";
import type { IncidentLock } from "../runtime/incident-lock.js";
import type { DashboardCache } from "../dashboard/cache.js";
import { afterMove, reconcile, reconcileHeld, type Reconciled } from "../reconcile/reconcile.js";
import { incidentKey } from "../reconcile/services.js";
import type { IncidentTarget } from "../reconcile/load-snapshot.js";
import type { IncidentTrigger } from "../core/trigger.js";
import { withdrawLaterDuplicates } from "./arbiter.js";

/**
 * Due incidents per chunk: the locks of a chunk are held until each one's turn (with a shared lock),
 * and a reminder costs about three throttled writes (about 3 s), so the last one waits about 30 s,
 * within the Redis lease (60 s) and the other holders' wait (30 s).
 */
export const DUE_CHUNK = 10;

/** One due incident, as the sweep's check found it. */
export interface DueIncident {
  /** The GraphQL node id, for the batch reads. */
  nodeId?: string;
  number: number;
  gateway: GitHubGateway;
  /** The reconciliation target (config, issue as the search saw it). */
  target: IncidentTarget;
  becameIncidentAt: Date | null | undefined;
  /** Writes the check expects (for the write budget). */
  writes: number;
  owed: number;
}

export interface DueChunkDeps {
  clock: Clock;
  lock: IncidentLock;
  /** The app's dashboard view, kept current by the applier (absent in the CLI). */
  dashboard?: DashboardCache;
  log: Logger;
  installationId: number;
  /** The app's comments of many incidents at once, by node id (empty: batch reads unavailable). */
  readBatch: (incidents: readonly DueIncident[]) => Promise<Map<string, OwnComment[]>>;
}

export interface DueChunkReport {
  posted: number;
  deferred: number;
  writes: number;
  errors: number;
}

/** Sends the reminders of `due` (most urgent first) within `budget` writes. */
export async function sendDueInChunks(
  due: readonly DueIncident[],
  budget: number,
  deps: DueChunkDeps,
): Promise<DueChunkReport> {
  const report: DueChunkReport = { posted: 0, deferred: 0, writes: 0, errors: 0 };
  let next = 0;
  while (next < due.length) {
    // The most urgent incident always goes, even when it alone costs more than the budget: a budget
    // below one reminder's writes (comment, labels, status) would otherwise defer every reminder forever.
    const chunk: DueIncident[] = [];
    let planned = report.writes;
    while (next < due.length && chunk.length < DUE_CHUNK) {
      const work = due[next]!;
      next += 1;
      if (planned > 0 && planned + work.writes > budget) {
        report.deferred += 1;
        continue;
      }
      planned += work.writes;
      chunk.push(work);
    }
    if (chunk.length > 0) await sendChunk(chunk, budget, deps, report);
  }
  return report;
}

const keyOf = (deps: DueChunkDeps, work: DueIncident): string => {
  const { owner, repo } = work.gateway.repo;
  return incidentKey(deps.installationId, owner, repo, work.number);
};

async function sendChunk(
  chunk: readonly DueIncident[],
  budget: number,
  deps: DueChunkDeps,
  report: DueChunkReport,
): Promise<void> {
  const shared = deps.lock.shared === true;
  const held = shared
    ? await holdLocks(
        deps.lock,
        chunk.map((w) => keyOf(deps, w)),
      )
    : new Map<string, () => void>();
  const created = new Map<DueIncident, number[]>();
  try {
    // Read while every lock of the chunk is held: as fresh as a read right before each incident's writes.
    const fresh = shared ? await deps.readBatch(chunk) : new Map<string, OwnComment[]>();
    for (const work of chunk) {
      const key = keyOf(deps, work);
      const before = work.gateway.writes;
      // Under a held lock: what follows a security move runs once the lock is released.
      let afterHeld: { result: Reconciled; target: IncidentTarget; trigger: IncidentTrigger } | null = null;
      try {
        if (report.writes > 0 && report.writes + work.writes > budget) {
          report.deferred += 1;
          continue;
        }
        const createdBefore = work.gateway.createdComments.length;
        const trigger = { kind: "tick" as const, becameIncidentAt: work.becameIncidentAt };
        const ownComments = work.nodeId ? fresh.get(work.nodeId) : undefined;
        const target = ownComments ? { ...work.target, ownComments } : work.target;
        if (held.has(key)) {
          const result = await reconcileHeld({ clock: deps.clock, dashboard: deps.dashboard }, target, trigger);
          if (result) afterHeld = { result, target, trigger };
        } else await reconcile({ clock: deps.clock, lock: deps.lock, dashboard: deps.dashboard }, target, trigger);
        created.set(work, work.gateway.createdComments.slice(createdBefore));
        report.posted += work.owed;
      } catch (error) {
        report.errors += 1;
        deps.log.error({ err: error, incident: key }, "sweep: could not send reminders");
      } finally {
        // Every write request counts (label creation and the write-up label too), not only the reminder's own.
        report.writes += work.gateway.writes - before;
        held.get(key)?.();
        held.delete(key);
      }
      if (afterHeld) {
        const { result, target, trigger } = afterHeld;
        await afterMove(
          { clock: deps.clock, lock: deps.lock, dashboard: deps.dashboard },
          target,
          result,
          trigger,
        ).catch((error: unknown) => {
          report.errors += 1;
          deps.log.error({ err: error, incident: key }, "sweep: could not send reminders");
        });
      }
    }
  } finally {
    for (const release of held.values()) release();
  }
  // The arbiter (a sweep in a process that shares no lock with this one may have posted the same
  // meanwhile): one batch read for every incident of the chunk that this sweep posted on.
  const wrote = chunk.filter((w) => (created.get(w)?.length ?? 0) > 0);
  if (wrote.length === 0) return;
  const after = await deps.readBatch(wrote);
  for (const work of wrote) {
    try {
      const comments = work.nodeId ? after.get(work.nodeId) : undefined;
      await withdrawLaterDuplicates(work.gateway, work.number, created.get(work) ?? [], deps.log, comments);
    } catch (error) {
      report.errors += 1;
      deps.log.error({ err: error, incident: keyOf(deps, work) }, "sweep: could not send reminders");
    }
  }
}

/**
 * Takes the locks of `keys` (in sorted order, so two holders of overlapping chunks cannot deadlock)
 * and keeps them until each one's release is called; resolves once all are held.
 */
async function holdLocks(lock: IncidentLock, keys: readonly string[]): Promise<Map<string, () => void>> {
  const held = new Map<string, () => void>();
  try {
    for (const key of [...new Set(keys)].sort()) {
      const release = await new Promise<() => void>((acquired, failed) => {
        lock.run(key, () => new Promise<void>((done) => acquired(done))).catch(failed);
      });
      held.set(key, release);
    }
  } catch (error) {
    for (const release of held.values()) release();
    throw error;
  }
  return held;
}
