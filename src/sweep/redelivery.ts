/**
 * Redelivery of failed webhook deliveries, once per sweep pass (server, CLI, queued sweeps): list the
 * app's recent delivery attempts, and ask GitHub again for each delivery that failed and was not
 * delivered since. What was asked for is remembered (`RedeliveryMemory`: memory, or Redis across
 * instances) so no delivery is asked for twice.
 */
import type { Logger, ProbotOctokit } from "probot";
import type { Clock } from "../clock.js";
import { planRedeliveries } from "../core/redelivery.js";
import { listDeliveryAttempts, redeliverAttempt } from "../github/hook-deliveries.js";

/**
 * GUIDs of deliveries already asked for; `claim` is atomic across instances (Redis `SET NX`). And the
 * GUIDs whose handling failed in the app (`noteFailed`), which GitHub may list as delivered: the app
 * answers 202 after 9 s while its handler still retries.
 */
export interface RedeliveryMemory {
  has(guid: string): Promise<boolean>;
  /** True when this caller is the first to claim `guid` (it then asks GitHub). */
  claim(guid: string): Promise<boolean>;
  /** Forgets a claim whose redelivery GitHub refused, so a later pass asks again. */
  release(guid: string): Promise<void>;
  /** Records that handling the delivery `guid` failed in this app (whatever GitHub recorded). */
  noteFailed(guid: string): Promise<void>;
  failedHere(guid: string): Promise<boolean>;
}

/** A bounded set of strings, oldest forgotten first. */
class BoundedSet {
  private readonly items = new Set<string>();
  constructor(private readonly maxEntries: number) {}
  has(item: string): boolean {
    return this.items.has(item);
  }
  add(item: string): void {
    if (this.items.size >= this.maxEntries && !this.items.has(item)) {
      const oldest = this.items.values().next().value;
      if (oldest !== undefined) this.items.delete(oldest);
    }
    this.items.add(item);
  }
  delete(item: string): void {
    this.items.delete(item);
  }
}

/** Process memory, bounded (oldest forgotten first); enough for one instance. */
export class InMemoryRedeliveries implements RedeliveryMemory {
  private readonly guids: BoundedSet;
  private readonly failed: BoundedSet;
  constructor(maxEntries = 50_000) {
    this.guids = new BoundedSet(maxEntries);
    this.failed = new BoundedSet(maxEntries);
  }
  has(guid: string): Promise<boolean> {
    return Promise.resolve(this.guids.has(guid));
  }
  claim(guid: string): Promise<boolean> {
    if (this.guids.has(guid)) return Promise.resolve(false);
    this.guids.add(guid);
    return Promise.resolve(true);
  }
  release(guid: string): Promise<void> {
    this.guids.delete(guid);
    return Promise.resolve();
  }
  noteFailed(guid: string): Promise<void> {
    this.failed.add(guid);
    return Promise.resolve();
  }
  failedHere(guid: string): Promise<boolean> {
    return Promise.resolve(this.failed.has(guid));
  }
}

/** With a Redis URL the memory is shared by every instance (loaded only then); else process memory. */
export function redeliveryMemory(redisUrl: string | undefined): RedeliveryMemory & { close(): Promise<void> } {
  if (!redisUrl) return Object.assign(new InMemoryRedeliveries(), { close: () => Promise.resolve() });
  const shared = import("../runtime/redis-redeliveries.js").then(({ RedisRedeliveries }) =>
    RedisRedeliveries.fromUrl(redisUrl),
  );
  return {
    has: async (guid) => (await shared).has(guid),
    claim: async (guid) => (await shared).claim(guid),
    release: async (guid) => (await shared).release(guid),
    noteFailed: async (guid) => (await shared).noteFailed(guid),
    failedHere: async (guid) => (await shared).failedHere(guid),
    close: async () => (await shared).close(),
  };
}

export interface RedeliveryOptions {
  /** Deliveries older than this are not looked at (GitHub redelivers up to 3 days back). */
  maxAgeHours: number;
  /** At most this many attempts are listed per pass (100 per page). */
  maxDeliveries: number;
}

export interface RedeliveryReport {
  /** Attempts listed and pages read. */
  listed: number;
  pages: number;
  /** Distinct deliveries in the window whose every attempt failed. */
  failed: number;
  /** Redeliveries asked for in this pass. */
  redelivered: number;
  errors: number;
  /** Installations with a delivery redelivered in this pass (not in the JSON report when empty). */
  installations?: number[];
}

/** Env: `REDELIVERY_MAX_AGE_HOURS` (default 72; 0 turns redelivery off), `REDELIVERY_MAX_DELIVERIES` (default 1000). */
export function redeliveryOptionsFromEnv(env: NodeJS.ProcessEnv): RedeliveryOptions | null {
  const hours =
    env.REDELIVERY_MAX_AGE_HOURS === undefined || env.REDELIVERY_MAX_AGE_HOURS === ""
      ? 72
      : Number(env.REDELIVERY_MAX_AGE_HOURS);
  const count = env.REDELIVERY_MAX_DELIVERIES ? Number(env.REDELIVERY_MAX_DELIVERIES) : 1000;
  if (!Number.isFinite(hours) || hours < 0)
    throw new Error(`REDELIVERY_MAX_AGE_HOURS must be a number of hours >= 0, got "${env.REDELIVERY_MAX_AGE_HOURS}"`);
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`REDELIVERY_MAX_DELIVERIES must be a positive integer, got "${env.REDELIVERY_MAX_DELIVERIES}"`);
  return hours === 0 ? null : { maxAgeHours: Math.min(hours, 72), maxDeliveries: count };
}

/** Margin before the previous pass: an attempt in flight then is recorded after it (GitHub waits 10 s). */
const IN_FLIGHT_MARGIN_MS = 10 * 60_000;

/** One redelivery pass; `appOctokit` is authenticated as the app (JWT). Never throws. */
export function redeliveryPass(deps: {
  clock: Clock;
  memory: RedeliveryMemory;
  log: Logger;
  options: RedeliveryOptions;
}): (appOctokit: ProbotOctokit) => Promise<RedeliveryReport> {
  let previousPassMs: number | null = null;
  return async (appOctokit) => {
    const now = deps.clock.now();
    const maxAgeMs = deps.options.maxAgeHours * 3_600_000;
    const sinceMs = Math.max(now.getTime() - maxAgeMs, (previousPassMs ?? -Infinity) - IN_FLIGHT_MARGIN_MS);
    const report: RedeliveryReport = { listed: 0, pages: 0, failed: 0, redelivered: 0, errors: 0 };
    try {
      const { attempts, pages } = await listDeliveryAttempts(appOctokit, {
        since: new Date(sinceMs),
        maxCount: deps.options.maxDeliveries,
      });
      report.listed = attempts.length;
      report.pages = pages;
      const asked = new Set<string>();
      const failedHere = new Set<string>();
      await Promise.all(
        [...new Set(attempts.map((a) => a.guid))].map(async (guid) => {
          const [claimed, failed] = await Promise.all([deps.memory.has(guid), deps.memory.failedHere(guid)]);
          if (claimed) asked.add(guid);
          if (failed) failedHere.add(guid);
        }),
      );
      const plan = planRedeliveries({ attempts, asked, failedHere, now, maxAgeMs });
      report.failed = plan.failed;
      if (plan.installations.length > 0) report.installations = plan.installations;
      for (const attempt of plan.redeliver) {
        // Claimed before asking: another instance's pass that lists the same failure skips it.
        if (!(await deps.memory.claim(attempt.guid))) continue;
        try {
          await redeliverAttempt(appOctokit, attempt.id);
          report.redelivered += 1;
        } catch (error) {
          // Not redelivered: the next pass asks again (GitHub may still be recovering).
          await deps.memory.release(attempt.guid).catch(() => undefined);
          report.errors += 1;
          deps.log.warn(
            { err: error, delivery: attempt.guid, event: attempt.event },
            "redelivery: GitHub refused to redeliver",
          );
        }
      }
      previousPassMs = now.getTime();
    } catch (error) {
      report.errors += 1;
      deps.log.warn({ err: error }, "redelivery: could not list the app's webhook deliveries");
    }
    if (report.redelivered > 0 || report.errors > 0) deps.log.info({ redelivery: report }, "redelivery: pass done");
    return report;
  };
}
