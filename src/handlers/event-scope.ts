/** Builds what a handler needs from a Probot context: gateways, config, and the "is it us" check. */
import type { Context } from "probot";
import type { ConfigResult } from "../config/load.js";
import { readRepoConfig } from "../github/config-reader.js";
import { GitHubGateway } from "../github/gateway.js";
import type { AppIdentity } from "../github/identity.js";
import { prepareOctokit } from "../github/prepare-octokit.js";
import type { IncidentIssue } from "../core/incident.js";
import type { IncidentTarget } from "../reconcile/load-snapshot.js";
import type { Services } from "../reconcile/services.js";

type RepoEvent = "issues" | "issue_comment" | "pull_request";

export interface EventScope {
  gateway: GitHubGateway;
  identity: AppIdentity;
  installationId: number;
  owner: string;
  repo: string;
  /** Config of the event's repository, read at most once per delivery. */
  readConfig(): Promise<ConfigResult>;
  /** A gateway for another repository of the same installation. */
  gatewayFor(owner: string, repo: string): GitHubGateway;
  /** Config of another repository, read at most once per delivery. */
  configFor(owner: string, repo: string): Promise<ConfigResult>;
  /** The incident `issue` of `owner/repo` as a reconciliation target (the event's repository by default). */
  target(issue: IncidentIssue, owner?: string, repo?: string): IncidentTarget;
}

/** The scope of one delivery. */
export async function eventScope(context: Context<RepoEvent>, services: Services): Promise<EventScope> {
  const identity = await services.identity();
  const { owner, repo } = context.repo();
  const installationId = (context.payload as { installation?: { id: number } }).installation?.id ?? 0;
  prepareOctokit(context.octokit, { installationId, caches: services.caches });
  const gateways = new Map<string, GitHubGateway>();
  // One handler per event name, so one scope per delivery: each config is read at most once per delivery.
  const configs = new Map<string, Promise<ConfigResult>>();
  const gatewayFor = (o: string, r: string): GitHubGateway => {
    const key = `${o}/${r}`.toLowerCase();
    let gateway = gateways.get(key);
    if (!gateway) {
      const repoRef = { owner: o, repo: r };
      gateway = new GitHubGateway(context.octokit, repoRef, identity, context.log, installationId, services.caches);
      gateways.set(key, gateway);
    }
    return gateway;
  };
  const configFor = (o: string, r: string): Promise<ConfigResult> => {
    const key = `${o}/${r}`.toLowerCase();
    let config = configs.get(key);
    if (!config) {
      config = readRepoConfig(
        context.octokit,
        { owner: o, repo: r },
        { installationId, missing: services.caches.missingConfigFiles },
      );
      configs.set(key, config);
    }
    return config;
  };
  const target = (issue: IncidentIssue, o = owner, r = repo): IncidentTarget => ({
    gateway: gatewayFor(o, r),
    installationId,
    seen: issue,
    config: configFor(o, r),
    log: context.log,
  });
  return {
    gateway: gatewayFor(owner, repo),
    identity,
    installationId,
    owner,
    repo,
    readConfig: () => configFor(owner, repo),
    gatewayFor,
    configFor,
    target,
  };
}

/** True when the delivery was caused by this app itself (its own label, comment or edit). */
export function isOwnEvent(context: Context<RepoEvent>, identity: AppIdentity): boolean {
  return context.payload.sender?.login === identity.botLogin;
}
