/**
 * One alert notification, end to end: route it to a repository (routes from the repository named by
 * ALERTS_CONFIG_REPO), find that repository's installation, find the group's incident on GitHub (never
 * from memory), let the core decide, then file the incident or update its status comment through the
 * same sync as every other trigger. Serialised per group by the incident lock (cluster-wide with Redis).
 *
 * Updating an incident is an `alert` trigger through the reconciler (decided in core/decide.ts); filing
 * one happens here, before there is an incident to reconcile.
 */
import type { Logger } from "probot";
import { decideAlert, routeAlertGroup, type AlertGroupState, type GroupIncident } from "../core/alert-group.js";
import { groupToken, type AlertNotification } from "../core/alert-payload.js";
import { writeupRequired } from "../core/writeup.js";
import type { ConfigResult } from "../config/load.js";
import { readRepoConfig } from "../github/config-reader.js";
import { GitHubGateway, type IssueSnapshot, type RepoRef } from "../github/gateway.js";
import type { InstallationFinder } from "../github/installations.js";
import { prepareOctokit } from "../github/prepare-octokit.js";
import { alertGroupMarker, alertIssueBody, alertIssueTitle } from "../render/alert-views.js";
import type { Services } from "./services.js";
import { previousState, threadOf } from "../core/snapshot.js";
import { reconcile } from "./reconcile.js";

export interface AlertWorkDeps {
  services: Services;
  finder: InstallationFinder;
  /** The repository whose config holds `alerts.routes` (env ALERTS_CONFIG_REPO), or null. */
  configRepo: RepoRef | null;
  log: Logger;
  /** Group -> its open incident's number, for this process (a cache: GitHub stays the truth). */
  groups?: Map<string, number>;
}

export type AlertOutcome =
  | { kind: "unrouted"; reason: string }
  | { kind: "config-error"; repo: string }
  | { kind: "nothing"; repo: string; reason: string }
  | { kind: "filed"; repo: string; number: number }
  | { kind: "updated"; repo: string; number: number };

/** `owner/name` -> RepoRef, or null. */
export function parseRepo(value: string | null | undefined): RepoRef | null {
  const match = /^([A-Za-z0-9_.-]{1,100})\/([A-Za-z0-9_.-]{1,100})$/.exec(value?.trim() ?? "");
  return match?.[1] && match[2] ? { owner: match[1], repo: match[2] } : null;
}

async function configOf(
  deps: AlertWorkDeps,
  repo: RepoRef,
): Promise<{
  installationId: number;
  result: ConfigResult;
  octokit: Awaited<ReturnType<InstallationFinder["octokit"]>>;
} | null> {
  const installationId = await deps.finder.find(repo.owner, repo.repo);
  if (installationId === null) return null;
  const octokit = await deps.finder.octokit(installationId);
  prepareOctokit(octokit, { installationId, caches: deps.services.caches });
  return {
    installationId,
    octokit,
    result: await readRepoConfig(octokit, repo, { installationId, missing: deps.services.caches.missingConfigFiles }),
  };
}

/** Bounded: the cache never holds more than 10,000 groups (it starts over; GitHub stays the truth). */
function remember(groups: Map<string, number> | undefined, key: string, number: number): void {
  if (!groups) return;
  if (groups.size >= 10_000 && !groups.has(key)) groups.clear();
  groups.set(key, number);
}

function firstLine(body: string): string {
  return body.split("\n", 1)[0]?.trim() ?? "";
}

/** Handles one notification; throws on GitHub trouble (the queue retries). */
export async function handleAlertNotification(
  notification: AlertNotification,
  deps: AlertWorkDeps,
): Promise<AlertOutcome> {
  const { log } = deps;
  const fields = {
    source: notification.source,
    receiver: notification.receiver.slice(0, 100),
    alerts: notification.alerts.length,
  };
  if (!deps.configRepo) {
    log.warn(fields, "alert notification not routed: ALERTS_CONFIG_REPO is not set");
    return { kind: "unrouted", reason: "ALERTS_CONFIG_REPO is not set" };
  }
  const routing = await configOf(deps, deps.configRepo);
  if (!routing) {
    log.error(
      { ...fields, repo: `${deps.configRepo.owner}/${deps.configRepo.repo}` },
      "alert notification not routed: the app is not installed on ALERTS_CONFIG_REPO",
    );
    return { kind: "unrouted", reason: "the app is not installed on ALERTS_CONFIG_REPO" };
  }
  if (!routing.result.ok) {
    log.error(
      { ...fields, issues: routing.result.error.issues },
      "alert notification not routed: the config of ALERTS_CONFIG_REPO is invalid",
    );
    return { kind: "config-error", repo: `${deps.configRepo.owner}/${deps.configRepo.repo}` };
  }
  const targetName = routeAlertGroup(
    { ...notification.groupLabels, ...notification.commonLabels },
    routing.result.policies.alerts,
  );
  const target = parseRepo(targetName);
  if (!target) {
    log.warn(
      { ...fields, groupLabels: Object.keys(notification.groupLabels).slice(0, 20) },
      "alert notification matches no route and there is no alerts.default_repo: nothing filed",
    );
    return { kind: "unrouted", reason: "no route matches and there is no default" };
  }
  const sameRepo =
    target.owner.toLowerCase() === deps.configRepo.owner.toLowerCase() &&
    target.repo.toLowerCase() === deps.configRepo.repo.toLowerCase();
  const scope = sameRepo ? routing : await configOf(deps, target);
  const repoName = `${target.owner}/${target.repo}`;
  if (!scope) {
    log.error(
      { ...fields, repo: repoName },
      "alert notification routed to a repository the app is not installed on: nothing filed",
    );
    return { kind: "unrouted", reason: `the app is not installed on ${repoName}` };
  }
  if (!scope.result.ok) {
    log.error(
      { ...fields, repo: repoName, issues: scope.result.error.issues },
      "alert notification not filed: the repository's config is invalid",
    );
    return { kind: "config-error", repo: repoName };
  }
  const token = groupToken(notification.source, notification.groupKey);
  const identity = await deps.services.identity();
  const gateway = new GitHubGateway(scope.octokit, target, identity, log, scope.installationId, deps.services.caches);
  const key = `alert:${scope.installationId}:${repoName}:${token}`.toLowerCase();
  const configResult = scope.result;
  return deps.services.lock.run(key, () =>
    applyNotification({
      notification,
      token,
      config: configResult,
      gateway,
      installationId: scope.installationId,
      deps,
      repoName,
    }),
  );
}

async function applyNotification(args: {
  notification: AlertNotification;
  token: string;
  config: ConfigResult & { ok: true };
  gateway: GitHubGateway;
  installationId: number;
  deps: AlertWorkDeps;
  repoName: string;
}): Promise<AlertOutcome> {
  const { notification, token, gateway, repoName, deps } = args;
  const config = args.config.value;
  const policies = args.config.policies;
  const marker = alertGroupMarker(token);
  const now = deps.services.clock.now();
  const groups = deps.groups;
  const cacheKey = `${repoName}:${token}`.toLowerCase();
  const reconcileAlert = (issue: IssueSnapshot, filed: AlertGroupState | null) =>
    // The app's services whole (the dashboard view among them): the filed incident is on it at once.
    reconcile(
      deps.services,
      {
        gateway,
        installationId: args.installationId,
        seen: issue,
        config: Promise.resolve(args.config),
        log: deps.log,
      },
      { kind: "alert", notification, token, filed },
    );
  // An open incident remembered for the group is its newest (a new one is filed only once it is closed).
  const cached = groups?.get(cacheKey);
  let found: IssueSnapshot | null = cached !== undefined ? await gateway.getIssue(cached) : null;
  if (found && (found.state !== "open" || firstLine(found.body) !== marker)) found = null;
  if (!found) {
    const [newest] = await gateway.ownIssuesMarked({ token, marker });
    // The search may lag behind the issue: read it.
    if (newest) found = await gateway.getIssue(newest.number);
  }
  if (found?.state === "open") {
    remember(groups, cacheKey, found.number);
    const reconciled = await reconcileAlert(found, null);
    return reconciled?.effects.status
      ? { kind: "updated", repo: repoName, number: found.number }
      : { kind: "nothing", repo: repoName, reason: "repeat" };
  }
  // No incident, or a closed one: does the group fire anew? (Only then is a new incident filed.)
  let incident: GroupIncident | null = null;
  if (found) {
    const alert = previousState(threadOf(await gateway.ownComments(found.number))).alert;
    incident = { number: found.number, state: found.state, alert: alert?.token === token ? alert : null };
  }
  const decision = decideAlert({ notification, token, incident, policy: policies.alerts, now });
  if (decision.kind === "nothing") return { kind: "nothing", repo: repoName, reason: decision.reason };
  if (decision.kind === "update" && found) {
    await reconcileAlert(found, null);
    return { kind: "updated", repo: repoName, number: found.number };
  }
  if (decision.kind !== "file") throw new Error("an update decision without an incident");

  // The body's write-up sections are placeholders: the write-up label goes on with the filing (one write less).
  const needsWriteup = writeupRequired(policies.writeup, { category: null, severity: decision.severity, devops: null });
  const labels = [
    policies.labels.incident,
    ...(decision.severity !== null ? [policies.labels.severity[String(decision.severity) as "1"]] : []),
    ...(needsWriteup ? [policies.labels.needsWriteup] : []),
  ];
  const catalog = policies.labels.catalog;
  await gateway.ensureLabels(labels.flatMap((name) => catalog.get(name.toLowerCase()) ?? []));
  // The repository's own section names where it set them, else headings the built-in lexicon knows.
  const { timeline, rca, actions } = config.writeup.sections;
  const headings = {
    timeline: timeline?.[0] ?? "Timeline",
    rca: rca?.[0] ?? "RCA",
    actions: actions?.[0] ?? "Actions",
  };
  const issue = await gateway.fileIssue({
    title: alertIssueTitle(notification),
    body: alertIssueBody({
      notification,
      state: decision.state,
      severity: decision.severity,
      severityLabel: policies.alerts.severityLabel,
      headings,
    }),
    labels,
    landed: async () =>
      (await gateway.ownIssuesMarked({ token, marker })).find((i) => i.number > (found?.number ?? 0)) ?? null,
  });
  remember(groups, cacheKey, issue.number);
  await reconcileAlert(issue, decision.state);
  return { kind: "filed", repo: repoName, number: issue.number };
}
