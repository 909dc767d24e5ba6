/**
 * What the repair pass remembers (memory only; losing it costs reads, never correctness): the
 * `updated_at` each open incident had when the app last brought it in line. GitHub moves `updated_at`
 * on every change to the issue (labels, body, comments, state, the app's own writes), and the search
 * result carries it, so "changed since the app last looked" costs no request.
 *
 * A process that has never seen an incident (fresh start) cannot tell: it repairs the incidents
 * updated within `lookbackMs` before now (the window in which a restart may have lost their events)
 * and takes the others as they are.
 */
export class RepairLedger {
  private readonly seenAt = new Map<string, string>();

  constructor(
    readonly lookbackMs: number,
    private readonly maxEntries = 100_000,
  ) {}

  /** True when the incident changed since the app last brought it in line (see the class comment). */
  changed(key: string, updatedAt: string, nowMs: number): boolean {
    const seen = this.seenAt.get(key);
    if (seen !== undefined) return seen !== updatedAt;
    const updatedMs = Date.parse(updatedAt);
    return Number.isFinite(updatedMs) && nowMs - updatedMs <= this.lookbackMs;
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
