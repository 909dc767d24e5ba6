/**
 * Collects what a report needs from one installation: the incidents in range (through the reader
 * module), each repository's config, and the number of API calls it took.
 */
import type { ProbotOctokit } from "probot";
import type { IncidentRecord } from "../core/metrics.js";
import { DEFAULT_CONFIG, type IncidentKeeperConfig } from "../config/schema.js";
import { readRepoConfig, shareOrgConfigReads } from "../github/config-reader.js";
import type { AppIdentity } from "../github/identity.js";
import { readIncidents, type ReaderMode, type ReadScope } from "../github/incident-reader.js";

export interface Collected {
  records: IncidentRecord[];
  configs: Map<string, IncidentKeeperConfig>;
  /** Repositories whose config is invalid: the defaults were used for them (`owner/name` -> reason). */
  invalidConfigs: Map<string, string>;
  apiCalls: number;
}

const counted = new WeakMap<object, { calls: number }>();

/** Counts every request an octokit sends from now on (once per octokit). */
export function countCalls(octokit: ProbotOctokit): { calls: number } {
  let counter = counted.get(octokit);
  if (!counter) {
    const fresh = { calls: 0 };
    counter = fresh;
    counted.set(octokit, fresh);
    octokit.hook.before("request", () => {
      fresh.calls += 1;
    });
  }
  return counter;
}

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
  const counter = countCalls(args.octokit);
  const before = counter.calls;
  shareOrgConfigReads(args.octokit);
  const scopeRepo = args.scope.kind === "repository" ? args.scope.fullName : null;
  // The incident label is per repository; the report searches the one of the scope's config (default `incident`).
  let label = args.incidentLabel;
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
  if (label === undefined && scopeRepo) {
    await configOf(scopeRepo);
    label = configs.get(scopeRepo)!.incident_label;
  }
  const records = await readIncidents(args.octokit, {
    scope: args.scope,
    incidentLabel: label ?? DEFAULT_CONFIG.incident_label,
    since: args.since,
    until: args.until,
    identity: args.identity,
    mode: args.mode,
  });
  await Promise.all([...new Set(records.map((r) => r.repository))].map(configOf));
  return { records, configs, invalidConfigs, apiCalls: counter.calls - before };
}
