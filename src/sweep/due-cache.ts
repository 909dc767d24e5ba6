/**
 * A cache (memory only; losing it costs reads, never correctness) of when each incident's next
 * reminder falls due, valid while the issue's `updated_at` is unchanged: any event on the incident
 * (label, comment, edit, the app's own writes) moves `updated_at` and so invalidates the entry.
 */
export interface DueEntry {
  updatedAt: string;
  nextDueMs: number | null;
}

export class DueCache {
  private readonly entries = new Map<string, DueEntry>();

  constructor(private readonly maxEntries = 100_000) {}

  /** True when the incident certainly owes nothing at `nowMs` (so the sweep need not read it). */
  isQuiet(key: string, updatedAt: string, nowMs: number): boolean {
    const entry = this.entries.get(key);
    if (!entry || entry.updatedAt !== updatedAt) return false;
    return entry.nextDueMs === null || entry.nextDueMs > nowMs;
  }

  set(key: string, entry: DueEntry): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, entry);
  }

  get size(): number {
    return this.entries.size;
  }
}
