/** The redeliveries asked for, shared by every instance through Redis (`SET NX` with a 3-day expiry). */
import { Redis } from "ioredis";
import type { RedeliveryMemory } from "../sweep/redelivery.js";

/** GitHub redelivers deliveries of the last 3 days: a GUID need not be remembered longer. */
const REMEMBER_S = 3 * 24 * 3600;

export class RedisRedeliveries implements RedeliveryMemory {
  constructor(private readonly redis: Redis) {}

  static fromUrl(url: string): RedisRedeliveries {
    return new RedisRedeliveries(new Redis(url, { maxRetriesPerRequest: 3 }));
  }

  async has(guid: string): Promise<boolean> {
    return (await this.redis.exists(this.key(guid))) === 1;
  }

  async claim(guid: string): Promise<boolean> {
    return (await this.redis.set(this.key(guid), "1", "EX", REMEMBER_S, "NX")) === "OK";
  }

  async release(guid: string): Promise<void> {
    await this.redis.del(this.key(guid));
  }

  async noteFailed(guid: string): Promise<void> {
    await this.redis.set(`incident-keeper:failed-delivery:${guid}`, "1", "EX", REMEMBER_S);
  }

  async failedHere(guid: string): Promise<boolean> {
    return (await this.redis.exists(`incident-keeper:failed-delivery:${guid}`)) === 1;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }

  private key(guid: string): string {
    return `incident-keeper:redelivered:${guid}`;
  }
}
