/**
 * Per-incident mutual exclusion across processes (REDIS_URL set): a Redis lease per incident
 * (`SET key token NX PX ttl`, released only by its holder), taken inside the in-process KeyedLock so
 * one process never races itself for the lease.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { KeyedLock } from "./keyed-lock.js";
import type { IncidentLock } from "./incident-lock.js";

const RELEASE_SCRIPT =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export interface RedisLockOptions {
  /** How long a lease lives if its holder dies (ms). */
  leaseMs?: number;
  /** How long to wait for a lease before working without it (ms): events are never dropped. */
  waitMs?: number;
  /** Called when the wait gave up (for a log line). */
  onContention?: (key: string) => void;
  /** Called when Redis could not be asked for the lease (for a log line). */
  onUnavailable?: (key: string, error: unknown) => void;
}

export class RedisIncidentLock implements IncidentLock {
  /** Cluster-wide: every process with the same Redis takes the same leases. */
  readonly shared = true;
  private readonly local = new KeyedLock();
  private readonly leaseMs: number;
  private readonly waitMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisLockOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.waitMs = options.waitMs ?? 30_000;
  }

  static fromUrl(url: string, options: RedisLockOptions = {}): RedisIncidentLock {
    return new RedisIncidentLock(new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: false }), options);
  }

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.local.run(key, async () => {
      const redisKey = `incident-keeper:lock:${key}`;
      const token = randomUUID();
      const started = performance.now();
      let held = false;
      let backoffMs = 20;
      while (!held) {
        try {
          held = (await this.redis.set(redisKey, token, "PX", this.leaseMs, "NX")) === "OK";
        } catch (error) {
          // Redis unreachable (restarting): work under the in-process lock alone, as after a long
          // wait; an event is never dropped for want of a lease.
          this.options.onUnavailable?.(key, error);
          break;
        }
        if (held) break;
        if (performance.now() - started > this.waitMs) {
          this.options.onContention?.(key);
          break;
        }
        await sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 250);
      }
      try {
        return await work();
      } finally {
        if (held) await this.redis.eval(RELEASE_SCRIPT, 1, redisKey, token).catch(() => undefined);
      }
    });
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}
