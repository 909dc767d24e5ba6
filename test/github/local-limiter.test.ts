/**
 * The process-local limiter the app gives @octokit/plugin-throttling (src/github/local-limiter.ts):
 * Bottleneck's rules as the plugin uses them, on a fake clock, and no timer at all when nothing waits.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from "@jest/globals";
import { LimiterEvents, LocalLimiter, LocalLimiterGroup } from "../../src/github/local-limiter.js";

beforeEach(() => {
  jest.useFakeTimers({ now: new Date("2026-12-01T12:00:00Z") });
});
afterEach(() => {
  jest.useRealTimers();
});

/** Lets every pending promise callback run (no timer advances). */
const settle = async () => {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
};

/** A task that records when it started and finishes when `finish()` is called. */
function recorder() {
  const starts: number[] = [];
  const pending: (() => void)[] = [];
  const task = (value: string) =>
    new Promise<string>((resolve) => {
      starts.push(Date.now() - new Date("2026-12-01T12:00:00Z").getTime());
      pending.push(() => resolve(value));
    });
  return { starts, task, finishAll: () => pending.splice(0).forEach((f) => f()) };
}

describe("LocalLimiter", () => {
  it("starts a job that may start now in the same turn: no timer is set", async () => {
    const limiter = new LocalLimiter({ maxConcurrent: 10, minTime: 0 });
    const result = limiter.schedule({ priority: 5 }, (a: number, b: number) => Promise.resolve(a + b), 2, 3);
    expect(jest.getTimerCount()).toBe(0);
    await expect(result).resolves.toBe(5);
    expect(jest.getTimerCount()).toBe(0);
  });

  it("also takes the task first, without options", async () => {
    const limiter = new LocalLimiter();
    await expect(limiter.schedule((x: string) => Promise.resolve(`${x}!`), "go")).resolves.toBe("go!");
  });

  it.each([
    { name: "write spacing (1 s)", minTime: 1000, expected: [0, 1000, 2000] },
    { name: "notification spacing (3 s)", minTime: 3000, expected: [0, 3000, 6000] },
    { name: "search spacing (2 s)", minTime: 2000, expected: [0, 2000, 4000] },
  ])("starts jobs at least minTime apart: $name", async ({ minTime, expected }) => {
    const limiter = new LocalLimiter({ maxConcurrent: 1, minTime });
    const starts: number[] = [];
    const t0 = Date.now();
    const done = [1, 2, 3].map(() => limiter.schedule(() => Promise.resolve(void starts.push(Date.now() - t0))));
    await settle();
    expect(starts).toEqual([0]);
    await jest.advanceTimersByTimeAsync(minTime - 1);
    expect(starts).toEqual([0]);
    await jest.advanceTimersByTimeAsync(1);
    expect(starts).toEqual(expected.slice(0, 2));
    await jest.advanceTimersByTimeAsync(minTime);
    expect(starts).toEqual(expected);
    await Promise.all(done);
  });

  it("spaces from the last start, not from the job's end: a start long after the last waits for nothing", async () => {
    const limiter = new LocalLimiter({ maxConcurrent: 1, minTime: 1000 });
    await limiter.schedule(() => Promise.resolve(undefined));
    await jest.advanceTimersByTimeAsync(5000);
    const ran = jest.fn(() => Promise.resolve(undefined));
    const job = limiter.schedule(ran);
    await settle();
    expect(ran).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
    await job;
  });

  it("spaces on a monotonic clock: the wall clock jumping back an hour does not hold the next job", async () => {
    const limiter = new LocalLimiter({ maxConcurrent: 1, minTime: 1000 });
    const ran: string[] = [];
    await limiter.schedule(() => Promise.resolve(void ran.push("first")));
    jest.setSystemTime(Date.now() - 3_600_000);
    const second = limiter.schedule(() => Promise.resolve(void ran.push("second")));
    await jest.advanceTimersByTimeAsync(1000);
    expect(ran).toEqual(["first", "second"]);
    await second;
  });

  it("takes its clock from the options", async () => {
    let t = 0;
    const limiter = new LocalLimiter({ maxConcurrent: 1, minTime: 1000, now: () => t });
    await limiter.schedule(() => Promise.resolve());
    t = 1000;
    const ran = jest.fn(() => Promise.resolve());
    const job = limiter.schedule(ran);
    await settle();
    expect(ran).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
    await job;
  });

  it("holds at most maxConcurrent jobs; the next starts when one ends", async () => {
    const limiter = new LocalLimiter({ maxConcurrent: 2 });
    const { starts, task, finishAll } = recorder();
    const jobs = ["a", "b", "c", "d"].map((v) => limiter.schedule(task, v));
    await settle();
    expect(starts).toHaveLength(2);
    expect(limiter.queued()).toBe(2);
    finishAll();
    await settle();
    expect(starts).toHaveLength(4);
    finishAll();
    await expect(Promise.all(jobs)).resolves.toEqual(["a", "b", "c", "d"]);
  });

  it("runs the highest priority first (0 before 5), in order within one priority", async () => {
    const limiter = new LocalLimiter({ maxConcurrent: 1 });
    const order: string[] = [];
    const { task, finishAll } = recorder();
    const blocker = limiter.schedule(task, "blocker");
    const jobs = [
      limiter.schedule({ priority: 5 }, () => Promise.resolve(void order.push("p5-first"))),
      limiter.schedule({ priority: 9 }, () => Promise.resolve(void order.push("p9"))),
      limiter.schedule({ priority: 5 }, () => Promise.resolve(void order.push("p5-second"))),
      limiter.schedule({ priority: 0 }, () => Promise.resolve(void order.push("p0"))),
    ];
    await settle();
    expect(order).toEqual([]);
    finishAll();
    await blocker;
    await Promise.all(jobs);
    expect(order).toEqual(["p0", "p5-first", "p5-second", "p9"]);
  });

  it("lets a job of weight 0 (the plugin's retries) run while the slot is taken", async () => {
    const limiter = new LocalLimiter({ maxConcurrent: 1 });
    const { task, finishAll } = recorder();
    const blocker = limiter.schedule(task, "blocker");
    await settle();
    const free = jest.fn(() => Promise.resolve("free"));
    const heavy = jest.fn(() => Promise.resolve("heavy"));
    const a = limiter.schedule({ weight: 0, priority: 0 }, free);
    const b = limiter.schedule({ weight: 1 }, heavy);
    await settle();
    expect(free).toHaveBeenCalledTimes(1);
    expect(heavy).not.toHaveBeenCalled();
    finishAll();
    await Promise.all([blocker, a, b]);
    expect(heavy).toHaveBeenCalledTimes(1);
  });

  it("retries a failed job after the ms its `failed` listener answers, keeping its slot; no answer rejects", async () => {
    const limiter = new LocalLimiter({ maxConcurrent: 1 });
    const seen: { retryCount: number; args: unknown[] }[] = [];
    limiter.on("failed", (error: unknown, info: unknown) => {
      const i = info as { retryCount: number; args: unknown[] };
      seen.push({ retryCount: i.retryCount, args: i.args });
      return i.retryCount < 2 ? 500 : undefined;
    });
    let attempts = 0;
    const failing = limiter.schedule((x: string) => {
      attempts += 1;
      return Promise.reject(new Error(`no ${x} (${attempts})`));
    }, "luck");
    const failed = expect(failing).rejects.toThrow("no luck (3)");
    const other = jest.fn(() => Promise.resolve("other"));
    const waiting = limiter.schedule(other);
    await settle();
    expect(attempts).toBe(1);
    await jest.advanceTimersByTimeAsync(499);
    expect(attempts).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(attempts).toBe(2);
    expect(other).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(500);
    await failed;
    expect(seen).toEqual([
      { retryCount: 0, args: ["luck"] },
      { retryCount: 1, args: ["luck"] },
      { retryCount: 2, args: ["luck"] },
    ]);
    await expect(waiting).resolves.toBe("other");
  });

  it("rejects a job without a function", async () => {
    await expect(new LocalLimiter().schedule({ priority: 1 })).rejects.toThrow("needs a function");
  });
});

describe("LimiterEvents", () => {
  it("answers the first non-null answer; a throwing listener reports `error` and answers null; once runs once", async () => {
    const target: Record<string, unknown> = {};
    const events = new LimiterEvents(target);
    const on = target.on as (n: string, cb: (...a: unknown[]) => unknown) => unknown;
    const once = target.once as (n: string, cb: (...a: unknown[]) => unknown) => unknown;
    const errors: unknown[] = [];
    on("error", (e) => void errors.push((e as Error).message));
    on("ask", () => {
      throw new Error("broken listener");
    });
    on("ask", () => undefined);
    on("ask", (x) => Promise.resolve(`async ${String(x)}`));
    once("ask", () => "once");
    await expect(events.trigger("ask", 1)).resolves.toBe("async 1");
    expect(errors).toEqual(["broken listener"]);
    expect(events.listenerCount("ask")).toBe(3);
    await expect(events.trigger("nobody")).resolves.toBeUndefined();
  });

  it("refuses an object that already has an emitter", () => {
    const target = {};
    new LimiterEvents(target);
    expect(() => new LimiterEvents(target)).toThrow("already exists");
  });
});

describe("LocalLimiterGroup", () => {
  it("gives one limiter per key (the same one again), each with the group's rules", async () => {
    const group = new LocalLimiterGroup({ maxConcurrent: 1, minTime: 1000 });
    expect(group.key("1")).toBe(group.key("1"));
    expect(group.key("1")).not.toBe(group.key("2"));
    const starts: string[] = [];
    const jobs = ["1", "1", "2"].map((k, i) =>
      group.key(k).schedule(() => Promise.resolve(void starts.push(`${k}#${i}`))),
    );
    await settle();
    // Another installation is not spaced after the first one's write.
    expect(starts).toEqual(["1#0", "2#2"]);
    await jest.advanceTimersByTimeAsync(1000);
    expect(starts).toEqual(["1#0", "2#2", "1#1"]);
    await Promise.all(jobs);
  });

  it("forgets a key idle for the timeout, never one with a job waiting", async () => {
    const group = new LocalLimiterGroup({ maxConcurrent: 1, timeout: 60_000 });
    await group.key("idle").schedule(() => Promise.resolve(undefined));
    const { task, finishAll } = recorder();
    const busy = group.key("busy").schedule(task, "x");
    await settle();
    await jest.advanceTimersByTimeAsync(60_000);
    group.key("other");
    expect(group.keys().sort()).toEqual(["busy", "other"]);
    finishAll();
    await busy;
  });
});
