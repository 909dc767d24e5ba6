/**
 * Which incident labels a sweep searches for (issue #10 item 1): every label a repository of the
 * installation configures as `incident_label` (its own file, else the organisation's `.github` one),
 * not only the default `incident`. GitHub cannot search by config, so the sweep lists the
 * installation's repositories (100 per page) and reads the config of each one that has open issues;
 * those reads are the ones the sweep needs for its incidents anyway (cached per sweep), conditional
 * in a running server (GitHub answers 304 while a file is unchanged), and the organisation's file is
 * read once per sweep.
 */
import type { ProbotOctokit } from "probot";
import type { ConfigResult } from "../config/load.js";

/** The default incident label, searched for whenever a repository's config cannot be read. */
export const DEFAULT_INCIDENT_LABEL = "incident";
/** Config reads in flight at once while discovering labels. */
const READ_CONCURRENCY = 4;

export type ConfigOf = (owner: string, repo: string) => Promise<ConfigResult>;

/** A repository worth a look: issues on, not archived, something open (issues and PRs count). */
export function mayHoldOpenIncidents(repo: {
  archived?: boolean;
  has_issues?: boolean;
  open_issues_count?: number;
}): boolean {
  return repo.archived !== true && repo.has_issues !== false && (repo.open_issues_count ?? 1) > 0;
}

/** The installation's repositories (`owner/name`) that may hold open incidents. */
export async function sweepableRepositories(octokit: ProbotOctokit): Promise<string[]> {
  const repos = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
  return repos.filter(mayHoldOpenIncidents).map((r) => r.full_name);
}

/**
 * The distinct incident labels (lower case) of `repositories`, from their configs. A repository whose
 * config is invalid or unreadable adds the default label (its incidents still get the config-error
 * report from the event handlers; the sweep takes no SLA action there).
 */
export async function incidentLabelsOf(repositories: readonly string[], configOf: ConfigOf): Promise<string[]> {
  const labels = new Set<string>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < repositories.length) {
      const [owner = "", repo = ""] = (repositories[next++] ?? "").split("/");
      try {
        const config = await configOf(owner, repo);
        labels.add((config.ok ? config.value.incident_label : DEFAULT_INCIDENT_LABEL).toLowerCase());
      } catch {
        labels.add(DEFAULT_INCIDENT_LABEL);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, repositories.length) }, worker));
  return [...labels].sort();
}
