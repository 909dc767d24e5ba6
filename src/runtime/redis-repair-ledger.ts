/**
 * The repair ledger in Redis (REDIS_URL): one hash per installation, `incident key -> updated_at` as
 * the app last brought each incident in line, plus the time of the last pass. Replaced whole at the
 * end of each pass (so it holds the incidents of that pass only: bounded), kept 7 days.
 */
import { Redis } from "ioredis";
import type { RepairStore } from "../sweep/repair-ledger.js";

const PASS_FIELD = "__pass__";
const KEEP_S = 7 * 24 * 3600;

export class RedisRepairStore implements RepairStore {
  constructor(private readonly redis: Redis) {}

  static fromUrl(url: string): RedisRepairStore {
    return new RedisRepairStore(new Redis(url, { maxRetriesPerRequest: 3 }));
  }

  async load(installationId: number): Promise<{ seen: Map<string, string>; lastPassMs: number | null }> {
    const all = await this.redis.hgetall(this.key(installationId));
    const seen = new Map<string, string>();
    let lastPassMs: number | null = null;
    for (const [field, value] of Object.entries(all)) {
      if (field === PASS_FIELD) {
        const ms = Number(value);
        lastPassMs = Number.isFinite(ms) ? ms : null;
      } else seen.set(field, value);
    }
    return { seen, lastPassMs };
  }

  async save(installationId: number, seen: Map<string, string>, passMs: number): Promise<void> {
    const key = this.key(installationId);
    const fields: string[] = [PASS_FIELD, String(passMs)];
    for (const [incident, updatedAt] of seen) fields.push(incident, updatedAt);
    await this.redis
      .multi()
      .del(key)
      .hset(key, ...fields)
      .expire(key, KEEP_S)
      .exec();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }

  private key(installationId: number): string {
    return `incident-keeper:repair:${installationId}`;
  }
}
