/**
 * The dashboard's sign-in sessions in Redis (REDIS_URL): every instance knows every session, and
 * sign-out ends it everywhere. Each session is one key with the session's own expiry; the user token
 * in it is sealed (AES-256-GCM, key derived from the app's OAuth client secret), never stored in clear.
 */
import { Redis } from "ioredis";
import { z } from "zod";
import { derivedKey, openToken, sealToken, type SessionStore, type StoredSession } from "../http/sessions.js";

const stored = z.object({
  token: z.string(),
  expiresAt: z.number(),
  access: z.array(z.string()),
  accessReadAt: z.number(),
});

export class RedisSessionStore implements SessionStore {
  readonly #key: Buffer;
  constructor(
    private readonly redis: Redis,
    clientSecret: string,
  ) {
    this.#key = derivedKey(clientSecret, "session token at rest");
  }

  static fromUrl(url: string, clientSecret: string): RedisSessionStore {
    return new RedisSessionStore(new Redis(url, { maxRetriesPerRequest: 3 }), clientSecret);
  }

  async get(id: string, nowMs: number): Promise<StoredSession | null> {
    const raw = await this.redis.get(this.key(id));
    if (!raw) return null;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return null;
    }
    const parsed = stored.safeParse(json);
    const token = parsed.success ? openToken(this.#key, parsed.data.token) : null;
    if (!parsed.success || token === null || parsed.data.expiresAt <= nowMs) return null;
    return { ...parsed.data, token };
  }

  async set(id: string, session: StoredSession, nowMs: number): Promise<void> {
    const ttlMs = Math.max(1, session.expiresAt - nowMs);
    const value = JSON.stringify({ ...session, token: sealToken(this.#key, session.token) });
    await this.redis.set(this.key(id), value, "PX", ttlMs);
  }

  async delete(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }

  private key(id: string): string {
    return `incident-keeper:dashboard-session:${id}`;
  }
}
