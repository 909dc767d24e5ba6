/** Builds what a handler needs from a Probot context: gateways, config, and the "is it us" check. */
import type { Context } from "probot";
import type { ConfigResult } from "../config/load.js";
import { conditionalContentReads } from "../github/conditional-reads.js";
import { readRepoConfig } from "../github/config-reader.js";
import { GitHubGateway } from "../github/gateway.js";
import type { AppIdentity } from "../github/identity.js";
import type { Services } from "../workflow/services.js";

type RepoEvent = "issues" | "issue_comment" | "pull_request";

export interface EventScope {
  gateway: GitHubGateway;
  identity: AppIdentity;
  installationId: number;
  owner: string;
  repo: string;
  /** Config of the event's repository, read at most once per delivery (across handlers). */
  readConfig(): Promise<ConfigResult>;
  /** A gateway for another repository of the same installation. */
  gatewayFor(owner: string, repo: string): GitHubGateway;
  /** Config of another repository, read at most once per delivery. */
  configFor(owner: string, repo: string): Promise<ConfigResult>;
}

/**
 * Config reads shared by every handler of one delivery. @octokit/webhooks runs Probot's transform once
 * per handler (each gets its own Context and octokit) but hands them all the same payload object and
 * delivery id; the entry goes away with the payload. A redelivery is a new id: it reads afresh.
 */
const deliveryConfigs = new WeakMap<object, { deliveryId: string; configs: Map<string, Promise<ConfigResult>> }>();

/** The scope of one delivery. */
export async function eventScope(context: Context<RepoEvent>, services: Services): Promise<EventScope> {
  const identity = await services.identity();
  const { owner, repo } = context.repo();
  const installationId = (context.payload as { installation?: { id: number } }).installation?.id ?? 0;
  conditionalContentReads(context.octokit, installationId);
  const gateways = new Map<string, GitHubGateway>();
  let shared = deliveryConfigs.get(context.payload);
  if (shared?.deliveryId !== context.id) {
    shared = { deliveryId: context.id, configs: new Map<string, Promise<ConfigResult>>() };
    deliveryConfigs.set(context.payload, shared);
  }
  const configs = shared.configs;
  const gatewayFor = (o: string, r: string): GitHubGateway => {
    const key = `${o}/${r}`.toLowerCase();
    let gateway = gateways.get(key);
    if (!gateway) {
      gateway = new GitHubGateway(context.octokit, { owner: o, repo: r }, identity, context.log, installationId);
      gateways.set(key, gateway);
    }
    return gateway;
  };
  const configFor = (o: string, r: string): Promise<ConfigResult> => {
    const key = `${o}/${r}`.toLowerCase();
    let config = configs.get(key);
    if (!config) {
      config = readRepoConfig(context.octokit, { owner: o, repo: r });
      configs.set(key, config);
    }
    return config;
  };
  return { gateway: gatewayFor(owner, repo), identity, installationId, owner, repo, readConfig: () => configFor(owner, repo), gatewayFor, configFor };
}

/** True when the delivery was caused by this app itself (its own label, comment or edit). */
export function isOwnEvent(context: Context<RepoEvent>, identity: AppIdentity): boolean {
  return context.payload.sender?.login === identity.botLogin;
}
