/**
 * Collects what a report needs from one installation: the incidents in range (through the reader
 * module), each repository's config, and the number of API calls it took.
 */
import type { ProbotOctokit } from "probot";
import type { IncidentRecord } from "../core/metrics.js";
import { DEFAULT_CONFIG, type IncidentKeeperConfig } from "../config/schema.js";
import { policiesOf } from "../config/policies.js";
import { redactSecurityIncidents } from "../core/security.js";
import { readRepoConfig } from "../github/config-reader.js";
import { countRequests, startReadPass } from "../github/prepare-octokit.js";
import type { AppIdentity } from "../github/identity.js";
import { installationRepositories, readIncidents, type ReaderMode, type ReadScope } from "../github/incident-reader.js";

export interface Collected {
  /** The incidents in range; a security incident's title already withheld (`redactSecurityIncidents`). */
  records: IncidentRecord[];
  configs: Map<string, IncidentKeeperConfig>;
  /** Repositories whose config is invalid: the defaults were used for them (`owner/name` -> reason). */
  invalidConfigs: Map<string, string>;
  apiCalls: number;
}

/** Config reads in flight at once while finding the installation's incident labels. */
const CONFIG_READ_CONCURRENCY = 4;

/** Reads one installation's incidents and their repositories' configs. */
export async function collectIncidents(args: {
  octokit: ProbotOctokit;
  scope: ReadScope;
  since: Date;
  until: Date;
  identity: AppIdentity;
  mode: ReaderMode;
  incidentLabel?: string;
}): Promise<Collected> {
  const counter = countRequests(args.octokit);
  const before = counter.calls;
  startReadPass(args.octokit);
  const scopeRepo = args.scope.kind === "repository" ? args.scope.fullName : null;
  const configs = new Map<string, IncidentKeeperConfig>();
  const invalidConfigs = new Map<string, string>();
  const configOf = async (fullName: string): Promise<void> => {
    if (configs.has(fullName)) return;
    const [owner, repo] = fullName.split("/") as [string, string];
    const result = await readRepoConfig(args.octokit, { owner, repo });
    if (result.ok) configs.set(fullName, result.value);
    else {
      configs.set(fullName, DEFAULT_CONFIG);
      invalidConfigs.set(fullName, result.error.summary);
    }
  };
  // Incident labels are per repository: the scope's own, or every label the installation's
  // repositories configure (each repository's config is read once; the report needs most of them anyway).
  let labels: string[];
  if (args.incidentLabel !== undefined) labels = [args.incidentLabel];
  else if (scopeRepo) {
    await configOf(scopeRepo);
    labels = [configs.get(scopeRepo)!.incident_label];
  } else {
    const repos = await installationRepositories(args.octokit);
    for (let i = 0; i < repos.length; i += CONFIG_READ_CONCURRENCY) {
      await Promise.all(repos.slice(i, i + CONFIG_READ_CONCURRENCY).map(configOf));
    }
    labels = [...new Set([...configs.values()].map((c) => c.incident_label.toLowerCase()))];
    if (labels.length === 0) labels = [DEFAULT_CONFIG.incident_label];
  }
  const found = new Map<string, IncidentRecord>();
  for (const incidentLabel of labels.sort()) {
    const request = { scope: args.scope, incidentLabel, since: args.since, until: args.until, identity: args.identity };
    for (const record of await readIncidents(args.octokit, { ...request, mode: args.mode })) {
      found.set(`${record.repository}#${record.number}`.toLowerCase(), record);
    }
  }
  await Promise.all([...new Set([...found.values()].map((r) => r.repository))].map(configOf));
  // Every report is pasted somewhere (the weekly digest is an issue, `report` output goes into chats
  // and documents): a security incident keeps its figures but never its title (issue #14), one rule
  // for both, applied where the records are read.
  const records = redactSecurityIncidents([...found.values()], (name) =>
    policiesOf(configs.get(name) ?? DEFAULT_CONFIG),
  );
  return { records, configs, invalidConfigs, apiCalls: counter.calls - before };
}
