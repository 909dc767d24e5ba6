import type { IncidentLock } from "./incident-lock.js";

/**
 * An IncidentLock whose implementation arrives later (e.g. loaded only when Redis is configured);
 * `shared`: whether that implementation excludes other processes too.
 */
export function deferredLock(pending: Promise<IncidentLock>, options: { shared?: boolean } = {}): IncidentLock {
  return { run: async (key, work) => (await pending).run(key, work), shared: options.shared === true };
}
