import type { IncidentLock } from "./incident-lock.js";

/** An IncidentLock whose implementation arrives later (e.g. loaded only when Redis is configured). */
export function deferredLock(pending: Promise<IncidentLock>): IncidentLock {
  return { run: async (key, work) => (await pending).run(key, work) };
}
