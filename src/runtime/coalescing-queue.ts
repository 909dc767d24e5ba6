/**
 * Runs work per key one at a time, keeping only the newest waiting item per key: every alert
 * notification carries its group's whole state, so a newer one supersedes an older one still
 * waiting. A failed run is retried with backoff unless a newer item arrived meanwhile.
 */
export interface CoalescingQueueOptions {
  /** Tries per item, the first included. */
  attempts: number;
  /** Delay before retry n (1-based). */
  backoffMs: (retry: number) => number;
  /** Called when an item fails for good (after its last attempt). */
  onFailure: (error: unknown, key: string) => void;
}

export class CoalescingQueue<T> {
  private readonly running = new Map<string, { pending: T | null }>();
  private readonly idle = new Set<() => void>();

  constructor(
    private readonly run: (item: T) => Promise<void>,
    private readonly options: CoalescingQueueOptions,
  ) {}

  /** Queues `item` for `key`; returns at once. */
  push(key: string, item: T): void {
    const slot = this.running.get(key);
    if (slot) {
      slot.pending = item;
      return;
    }
    const fresh = { pending: null as T | null };
    this.running.set(key, fresh);
    void this.drain(key, item, fresh);
  }

  /** Keys with work running or waiting. */
  get size(): number {
    return this.running.size;
  }

  /** Resolves once nothing runs or waits (tests, shutdown). */
  whenIdle(): Promise<void> {
    if (this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.add(resolve));
  }

  private async drain(key: string, first: T, slot: { pending: T | null }): Promise<void> {
    let item: T | null = first;
    while (item !== null) {
      await this.attempt(key, item, slot);
      item = slot.pending;
      slot.pending = null;
    }
    this.running.delete(key);
    if (this.running.size === 0) {
      for (const resolve of this.idle) resolve();
      this.idle.clear();
    }
  }

  private async attempt(key: string, item: T, slot: { pending: T | null }): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.run(item);
        return;
      } catch (error) {
        // A newer item supersedes this one: run that instead of retrying.
        if (slot.pending !== null) return;
        if (attempt >= this.options.attempts) {
          this.options.onFailure(error, key);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, this.options.backoffMs(attempt)).unref());
      }
    }
  }
}
