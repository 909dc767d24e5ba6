/** What every handler shares: the clock, the app's identity, the per-incident lock. */
import type { Clock } from "../clock.js";
import type { AppIdentity } from "../github/identity.js";
import type { ReplyLimiter } from "../runtime/reply-limiter.js";

/** Serialises work per incident (in this process; across processes too when Redis is configured). */
export interface IncidentLock {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

export interface Services {
  clock: Clock;
  identity: () => Promise<AppIdentity>;
  lock: IncidentLock;
  /** Caps replies to one person (refusals), against reply storms. */
  replies: ReplyLimiter;
}

/** Lock key of one incident across repositories and installations. */
export function incidentKey(installationId: number, owner: string, repo: string, issueNumber: number): string {
  return `${installationId}:${owner}/${repo}#${issueNumber}`.toLowerCase();
}
