/**
 * The sweep's part in keeping the dashboard current: incidents of the installation that the search
 * no longer finds open leave the view, and open incidents the view does not know yet (a fresh
 * process) are read once. Known ones stay as the app's last write of their status left them.
 */
import type { IncidentIssue } from "../core/incident.js";
import type { StatusState } from "../core/status-state.js";
import type { IncidentKeeperConfig } from "../config/schema.js";
import type { DashboardCache } from "./cache.js";

export interface SweepCandidate {
  owner: string;
  repo: string;
  issue: IncidentIssue;
}

/** Returns how many incidents it read. Never throws: the dashboard must not break a sweep. */
export async function refreshDashboardFromSweep(args: {
  installationId: number;
  candidates: readonly SweepCandidate[];
  configOf: (owner: string, repo: string) => Promise<IncidentKeeperConfig | null>;
  readState: (owner: string, repo: string, issueNumber: number) => Promise<StatusState | null>;
  now: Date;
  onError: (error: unknown) => void;
  /** The app's dashboard view. */
  cache: DashboardCache;
}): Promise<number> {
  const { cache } = args;
  if (!cache.enabled) return 0;
  let reads = 0;
  const open: { repository: string; number: number }[] = [];
  for (const candidate of args.candidates) {
    const repository = `${candidate.owner}/${candidate.repo}`;
    try {
      const config = await args.configOf(candidate.owner, candidate.repo);
      if (!config || !candidate.issue.labels.some((l) => l.toLowerCase() === config.incident_label.toLowerCase()))
        continue;
      open.push({ repository, number: candidate.issue.number });
      if (cache.has(repository, candidate.issue.number)) continue;
      const state = await args.readState(candidate.owner, candidate.repo, candidate.issue.number);
      reads += 1;
      cache.record({
        installationId: args.installationId,
        repository,
        issue: candidate.issue,
        config,
        state,
        now: args.now,
      });
    } catch (error) {
      open.push({ repository, number: candidate.issue.number }); // keep what it shows; the next sweep tries again
      args.onError(error);
    }
  }
  cache.retainOpen(args.installationId, open, args.now);
  return reads;
}
