/** A session store that is still being loaded (the Redis module is imported only when REDIS_URL is set). */
import type { SessionStore, StoredSession } from "./sessions.js";

export function deferredSessions(loading: Promise<SessionStore>): SessionStore {
  return {
    get: async (id: string, nowMs: number): Promise<StoredSession | null> => (await loading).get(id, nowMs),
    set: async (id: string, session: StoredSession, nowMs: number): Promise<void> =>
      (await loading).set(id, session, nowMs),
    delete: async (id: string): Promise<void> => (await loading).delete(id),
  };
}
