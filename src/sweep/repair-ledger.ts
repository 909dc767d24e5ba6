/**
 * What the repair pass remembers (losing it costs reads, never correctness): the `updated_at` each
 * incident had when the app last brought it in line, and when the app last swept each installation.
 * GitHub moves `updated_at` on every change to the issue (labels, body, comments, state, the app's own
 * writes), and the search result carries it, so "changed since the app last looked" costs no request.
 *
 * Kept in process memory, and with `REDIS_URL` in Redis too (a `RepairStore`, loaded at the start of
 * each installation's pass and saved at its end), so a restarted server, another instance or the next
 * CLI run knows what this one looked at.
 *
 * A ledger that has never seen an incident (a fresh process without Redis) asks GitHub instead: an
 * incident updated within `lookbackMs` before now is repaired unless the app's own status comment was
 * written at or after the issue's `updated_at` (nothing happened since the app's last write; the sweep
 * reads the status comments in GraphQL batches of 100). Older incidents are taken as they are.
 */

/** Where a ledger persists (Redis); absent: process memory only. */
export interface RepairStore {
  /** The installation's remembered `updated_at` per incident key, and the time of its last pass (ms). */
  load(installationId: number): Promise<{ seen: Map<string, string>; lastPassMs: number | null }>;
  /** Replaces the installation's entries and records its pass. */
  save(installationId: number, seen: Map<string, string>, passMs: number): Promise<void>;
  close?(): Promise<void>;
}

/** The prefix of an entry settled by the app's own write (`settleWritten`); kept as is in the store. */
const WRITTEN = "<=";

export class RepairLedger {
  private readonly seenAt = new Map<string, string>();
  private readonly passes = new Map<number, number>();

  constructor(
    readonly lookbackMs: number,
    private readonly maxEntries = 100_000,
    private readonly store?: RepairStore,
  ) {}

  /** Loads the installation's entries from the store (if any); call before a pass over it. */
  async begin(installationId: number): Promise<void> {
    if (!this.store) return;
    const { seen, lastPassMs } = await this.store.load(installationId);
    const prefix = `${installationId}:`;
    for (const key of [...this.seenAt.keys()]) if (key.startsWith(prefix)) this.seenAt.delete(key);
    for (const [key, updatedAt] of seen) this.settle(key, updatedAt);
    if (lastPassMs !== null) this.passes.set(installationId, lastPassMs);
  }

  /** Records the pass over the installation (and saves its entries to the store, if any). */
  async finish(installationId: number, passMs: number): Promise<void> {
    this.passes.set(installationId, passMs);
    if (!this.store) return;
    const prefix = `${installationId}:`;
    const entries = new Map([...this.seenAt].filter(([key]) => key.startsWith(prefix)));
    await this.store.save(installationId, entries, passMs);
  }

  /** Closes the store's connection (the CLI, before it exits). */
  async close(): Promise<void> {
    await this.store?.close?.();
  }

  /** When the app last swept the installation (ms), or null for a ledger that never did. */
  lastPassMs(installationId: number): number | null {
    return this.passes.get(installationId) ?? null;
  }

  /** True when the ledger remembers the incident (its answer then needs nothing from GitHub). */
  knows(key: string): boolean {
    return this.seenAt.has(key);
  }

  /**
   * True when the incident changed since the app last brought it in line (see the class comment).
   * `statusWrittenAt`: when the app's status comment was last written, for an incident the ledger does
   * not know (undefined: not read, taken as changed inside the lookback; null: no status comment).
   */
  changed(key: string, updatedAt: string, nowMs: number, statusWrittenAt?: Date | null): boolean {
    const seen = this.seenAt.get(key);
    if (seen?.startsWith(WRITTEN)) {
      // In line up to the app's own last write: an `updated_at` later than it is someone else's change.
      const updatedMs = Date.parse(updatedAt);
      return !(Number.isFinite(updatedMs) && updatedMs <= Date.parse(seen.slice(WRITTEN.length)));
    }
    if (seen !== undefined) return seen !== updatedAt;
    const updatedMs = Date.parse(updatedAt);
    if (!Number.isFinite(updatedMs) || nowMs - updatedMs > this.lookbackMs) return false;
    return !statusWrittenAt || updatedMs > statusWrittenAt.getTime();
  }

  /**
   * Records the incident as in line up to the app's own last write on it, at `writtenAt` (GitHub's
   * time in that write's answer): the `updated_at` the write produced is not a change to repair, a
   * later one is. The next sweep that sees it unchanged settles it at its exact `updated_at`.
   */
  settleWritten(key: string, writtenAt: string): void {
    this.settle(key, `${WRITTEN}${writtenAt}`);
  }

  /** Records the incident as in line at `updatedAt`. */
  settle(key: string, updatedAt: string): void {
    if (this.seenAt.size >= this.maxEntries && !this.seenAt.has(key)) {
      const oldest = this.seenAt.keys().next().value;
      if (oldest !== undefined) this.seenAt.delete(oldest);
    }
    this.seenAt.set(key, updatedAt);
  }
}

/** `REPAIR_LOOKBACK_MINUTES` (default `fallback`; 0: a fresh process repairs nothing it has not seen change). */
export function repairLookbackMs(env: NodeJS.ProcessEnv, fallbackMinutes: number): number {
  const raw = env.REPAIR_LOOKBACK_MINUTES;
  const minutes = raw === undefined || raw === "" ? fallbackMinutes : Number(raw);
  if (!Number.isFinite(minutes) || minutes < 0)
    throw new Error(`REPAIR_LOOKBACK_MINUTES must be a number of minutes >= 0, got "${raw}"`);
  return minutes * 60_000;
}

/** A ledger for `env` (REPAIR_LOOKBACK_MINUTES; with REDIS_URL kept in Redis, loaded only then). */
export function repairLedgerFor(env: NodeJS.ProcessEnv, redisUrl: string | undefined): RepairLedger {
  const lookbackMs = repairLookbackMs(env, 30);
  if (!redisUrl) return new RepairLedger(lookbackMs);
  const shared = import("../runtime/redis-repair-ledger.js").then(({ RedisRepairStore }) =>
    RedisRepairStore.fromUrl(redisUrl),
  );
  // Keep the import's failure for the first pass that needs it (not an unhandled rejection now).
  shared.catch(() => undefined);
  const store: RepairStore = {
    load: async (installationId) => (await shared).load(installationId),
    save: async (installationId, seen, passMs) => (await shared).save(installationId, seen, passMs),
    close: async () => (await shared).close(),
  };
  return new RepairLedger(lookbackMs, 100_000, store);
}
