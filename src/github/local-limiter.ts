/**
 * The request limiter of one process, given to `@octokit/plugin-throttling` through its documented
 * `throttle.Bottleneck` option in place of Bottleneck (see {@link IncidentKeeperOctokit}).
 *
 * Why: Bottleneck's local datastore yields to the event loop through `setTimeout(0)` several times
 * per `schedule()` (each at least 1 ms in Node), and a request passes two or three limiters one after
 * another, so Probot's pipeline spent ~25-35 ms of timer hops per delivery with nothing to wait for
 * (BENCHMARKS.md, issue #12). This limiter keeps the rules the throttling plugin configures (per key:
 * at most `maxConcurrent` jobs holding a slot, job starts at least `minTime` apart, priorities 0-9
 * with 0 first, a job of weight 0 takes no slot, retries decided by the `failed` event) and starts a
 * job that may start now in the same turn of the event loop; it waits only when the rules say so.
 *
 * It implements only what the plugin uses (`new Limiter()`, `Limiter.Group#key`, `schedule`, the
 * `failed` event, `Limiter.Events`) and holds its state in memory: with `REDIS_URL` Probot passes
 * Bottleneck with a Redis connection, which {@link IncidentKeeperOctokit} keeps, so the cluster-wide
 * limits are Bottleneck's.
 */

type Listener = (...args: unknown[]) => unknown;

/** Bottleneck's emitter: `on`/`once` on the target object, `trigger` resolves to the first non-null answer. */
export class LimiterEvents {
  private readonly listeners = new Map<string, { cb: Listener; once: boolean }[]>();

  constructor(target: object) {
    const holder = target as Record<string, unknown>;
    if (holder.on != null || holder.once != null || holder.removeAllListeners != null) {
      throw new Error("An emitter already exists for this object");
    }
    const add = (name: string, cb: Listener, once: boolean) => {
      const list = this.listeners.get(name) ?? [];
      list.push({ cb, once });
      this.listeners.set(name, list);
      return target;
    };
    holder.on = (name: string, cb: Listener) => add(name, cb, false);
    holder.once = (name: string, cb: Listener) => add(name, cb, true);
    holder.removeAllListeners = (name?: string) =>
      name == null ? this.listeners.clear() : this.listeners.delete(name);
  }

  listenerCount(name: string): number {
    return this.listeners.get(name)?.length ?? 0;
  }

  /** Calls every listener of `name`; a listener that throws is reported as `error` and answers null. */
  async trigger(name: string, ...args: unknown[]): Promise<unknown> {
    const list = this.listeners.get(name);
    if (!list || list.length === 0) return undefined;
    this.listeners.set(
      name,
      list.filter((l) => !l.once),
    );
    const answers = await Promise.all(
      list.map(async (listener) => {
        try {
          return await listener.cb(...args);
        } catch (error) {
          if (name !== "error") void this.trigger("error", error);
          return null;
        }
      }),
    );
    return answers.find((answer) => answer != null);
  }
}

export interface LimiterOptions {
  /** Jobs holding a slot at once (null: no limit). */
  maxConcurrent?: number | null;
  /** Least time between two job starts, ms. */
  minTime?: number;
  /** Group only: a key idle this long (ms) is forgotten (Bottleneck's default: 5 minutes). */
  timeout?: number;
  id?: string;
  /** Milliseconds on a monotonic clock (default `performance.now`: spacing unmoved by wall-clock jumps). */
  now?: () => number;
}

const monotonicNow = (): number => performance.now();

export interface JobOptions {
  /** 0 (first) to 9; default 5. */
  priority?: number;
  /** Slots the job holds; default 1 (0: none, as the throttling plugin's retries). */
  weight?: number;
  id?: string;
}

interface Job {
  options: JobOptions;
  task: (...args: unknown[]) => unknown;
  args: unknown[];
  weight: number;
  retryCount: number;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

const PRIORITIES = 10;
const DEFAULT_PRIORITY = 5;

/** One limiter (one key of a group, or the throttling plugin's retry limiter). */
export class LocalLimiter {
  static Events = LimiterEvents;
  // Assigned below (the class is declared after this one).
  static Group: typeof LocalLimiterGroup;

  private readonly maxConcurrent: number | null;
  private readonly minTime: number;
  private readonly queues: Job[][] = Array.from({ length: PRIORITIES }, () => []);
  private readonly events: LimiterEvents;
  private readonly now: () => number;
  private running = 0;
  private nextStart = 0;
  private lastActive: number;
  declare on: (name: string, cb: Listener) => this;
  declare once: (name: string, cb: Listener) => this;

  constructor(options: LimiterOptions = {}) {
    this.maxConcurrent = options.maxConcurrent ?? null;
    this.minTime = options.minTime ?? 0;
    this.now = options.now ?? monotonicNow;
    this.lastActive = this.now();
    this.events = new LimiterEvents(this);
  }

  /** `schedule(task, ...args)` or `schedule(options, task, ...args)`: resolves to the task's result. */
  schedule(...input: unknown[]): Promise<unknown> {
    const withOptions = typeof input[0] !== "function";
    const options = (withOptions ? (input[0] ?? {}) : {}) as JobOptions;
    const task = (withOptions ? input[1] : input[0]) as Job["task"];
    if (typeof task !== "function") return Promise.reject(new TypeError("schedule() needs a function to run"));
    const args = input.slice(withOptions ? 2 : 1);
    const priority = Math.min(PRIORITIES - 1, Math.max(0, Math.trunc(options.priority ?? DEFAULT_PRIORITY)));
    return new Promise((resolve, reject) => {
      this.queues[priority]!.push({ options, task, args, weight: options.weight ?? 1, retryCount: 0, resolve, reject });
      this.lastActive = this.now();
      this.drain();
    });
  }

  /** Jobs waiting for a slot. */
  queued(): number {
    return this.queues.reduce((n, q) => n + q.length, 0);
  }

  /** Nothing running, waiting, or spaced after a recent start: the group may forget this key. */
  idleSince(now: number, ms: number): boolean {
    return this.running === 0 && this.queued() === 0 && now >= this.nextStart && now - this.lastActive >= ms;
  }

  /** Starts every job the rules allow now, in priority order (a job that does not fit blocks the rest). */
  private drain(): void {
    for (;;) {
      const queue = this.queues.find((q) => q.length > 0);
      const job = queue?.[0];
      if (!queue || !job) return;
      if (this.maxConcurrent !== null && this.running + job.weight > this.maxConcurrent) return;
      queue.shift();
      const now = this.now();
      const wait = Math.max(0, this.nextStart - now);
      // The slot is taken now and the next start reserved, as Bottleneck registers a job before its wait.
      this.running += job.weight;
      this.nextStart = now + wait + this.minTime;
      if (wait === 0) this.execute(job);
      else setTimeout(() => this.execute(job), wait);
    }
  }

  private execute(job: Job): void {
    Promise.resolve()
      .then(() => job.task(...job.args))
      .then(
        (value) => {
          this.release(job);
          job.resolve(value);
        },
        async (error: unknown) => {
          const info = { args: job.args, options: job.options, retryCount: job.retryCount };
          const retryAfter = await this.events.trigger("failed", error, info);
          if (retryAfter != null) {
            // A retry keeps its slot and is not spaced again (Bottleneck's rule).
            void this.events.trigger("retry", `Retrying after ${Number(retryAfter)} ms`, info);
            job.retryCount += 1;
            setTimeout(() => this.execute(job), Math.max(0, Math.trunc(Number(retryAfter)) || 0));
            return;
          }
          this.release(job);
          job.reject(error);
        },
      );
  }

  private release(job: Job): void {
    this.running -= job.weight;
    this.lastActive = this.now();
    this.drain();
  }
}

/** One limiter per key (the throttling plugin keys by installation), forgotten after `timeout` idle. */
export class LocalLimiterGroup {
  private readonly limiters = new Map<string, LocalLimiter>();
  private readonly timeout: number;
  private readonly now: () => number;
  private lastCollect: number;

  constructor(private readonly options: LimiterOptions = {}) {
    this.timeout = options.timeout ?? 5 * 60_000;
    this.now = options.now ?? monotonicNow;
    this.lastCollect = this.now();
  }

  key(key = ""): LocalLimiter {
    this.collect();
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new LocalLimiter(this.options);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }

  keys(): string[] {
    return [...this.limiters.keys()];
  }

  deleteKey(key = ""): boolean {
    return this.limiters.delete(key);
  }

  /** At most every half timeout: drops the keys idle for a whole timeout. */
  private collect(): void {
    const now = this.now();
    if (now - this.lastCollect < this.timeout / 2) return;
    this.lastCollect = now;
    for (const [key, limiter] of this.limiters) if (limiter.idleSince(now, this.timeout)) this.limiters.delete(key);
  }
}

LocalLimiter.Group = LocalLimiterGroup;
