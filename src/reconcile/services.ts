/** What every trigger's reconciliation shares: the clock, the app's identity, the per-incident lock, caches. */
import type { Clock } from "../clock.js";
import type { DashboardCache } from "../dashboard/cache.js";
import type { AppIdentity } from "../github/identity.js";
import type { GitHubCaches } from "../github/prepare-octokit.js";
import type { IncidentLock } from "../runtime/incident-lock.js";
import type { ReplyLimiter } from "../runtime/reply-limiter.js";

export type { IncidentLock };

export interface Services {
  clock: Clock;
  identity: () => Promise<AppIdentity>;
  lock: IncidentLock;
  /** Caps replies to one person (refusals), against reply storms. */
  replies: ReplyLimiter;
  /**
   * The incident label last read from each repository's config (`installation:owner/repo`), a cache:
   * an issue carrying it has its config and the app's comments read at once (one round trip).
   */
  incidentLabels: IncidentLabelHints;
  /** What the app remembers about GitHub (labels known to exist, conditional reads): created with the app. */
  caches: GitHubCaches;
  /** The dashboard's view of the open incidents (memory, a cache): created with the app, kept by the applier. */
  dashboard: DashboardCache;
}

/** Incident labels per repository, as last read from config (memory only; a wrong hint costs one read). */
export class IncidentLabelHints {
  private readonly labels = new Map<string, string>();
  /** Repositories whose config was invalid when last read (a command's permission is then read after it). */
  private readonly invalid = new Set<string>();
  constructor(private readonly max = 10_000) {}

  get(repoKey: string): string {
    return this.labels.get(repoKey) ?? "incident";
  }

  set(repoKey: string, label: string): void {
    this.invalid.delete(repoKey);
    if (this.labels.get(repoKey) === label) return;
    if (this.labels.size >= this.max) this.labels.clear();
    this.labels.set(repoKey, label);
  }

  /** The repository's config was just read and is invalid. */
  setInvalid(repoKey: string): void {
    if (this.invalid.size >= this.max) this.invalid.clear();
    this.invalid.add(repoKey);
  }

  /** Was the repository's config invalid when last read? (Unknown: false.) */
  wasInvalid(repoKey: string): boolean {
    return this.invalid.has(repoKey);
  }
}

/** Lock key of one incident across repositories and installations. */
export function incidentKey(installationId: number, owner: string, repo: string, issueNumber: number): string {
  return `${installationId}:${owner}/${repo}#${issueNumber}`.toLowerCase();
}
