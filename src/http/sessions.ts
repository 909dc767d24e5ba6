/**
 * Where the dashboard's sign-in sessions live: server memory (a cache with a TTL, bounded), or Redis
 * with REDIS_URL (`src/runtime/redis-sessions.ts`) so every instance behind a load balancer knows
 * them. A session holds the person's user token (server-side only) and what they can read.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

export interface StoredSession {
  /** The user-to-server token (never sent to the browser). */
  token: string;
  /** When the session ends (ms). */
  expiresAt: number;
  /** `installationId:owner/name`, lower case. */
  access: string[];
  /** When `access` was read (ms). */
  accessReadAt: number;
}

export interface SessionStore {
  get(id: string, nowMs: number): Promise<StoredSession | null>;
  set(id: string, session: StoredSession, nowMs: number): Promise<void>;
  delete(id: string): Promise<void>;
}

/** Sessions in this process's memory: at most `max`, each until it expires (the oldest leave first). */
export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, StoredSession>();
  constructor(private readonly max = 10_000) {}

  get(id: string, nowMs: number): Promise<StoredSession | null> {
    const session = this.#sessions.get(id);
    if (session && session.expiresAt <= nowMs) this.#sessions.delete(id);
    return Promise.resolve(session && session.expiresAt > nowMs ? session : null);
  }

  set(id: string, session: StoredSession, nowMs: number): Promise<void> {
    for (const [key, value] of this.#sessions) if (value.expiresAt <= nowMs) this.#sessions.delete(key);
    while (this.#sessions.size >= this.max && !this.#sessions.has(id)) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
    this.#sessions.set(id, session);
    return Promise.resolve();
  }

  delete(id: string): Promise<void> {
    this.#sessions.delete(id);
    return Promise.resolve();
  }

  get size(): number {
    return this.#sessions.size;
  }
}

/** A key for one purpose, derived from the app's OAuth client secret (every instance derives the same). */
export function derivedKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "incident-keeper dashboard sign-in", purpose, 32));
}

/** AES-256-GCM, for a token stored outside the process (Redis): `iv.tag.ciphertext`, base64url. */
export function sealToken(key: Buffer, token: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const sealed = Buffer.concat([cipher.update(token, "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), sealed].map((b) => b.toString("base64url")).join(".");
}

/** The token `sealToken` sealed, or null when it does not open with this key. */
export function openToken(key: Buffer, value: string): string | null {
  const [iv, tag, sealed] = value.split(".").map((part) => Buffer.from(part, "base64url"));
  if (!iv || !tag || !sealed) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
