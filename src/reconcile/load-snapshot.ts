/**
 * Loads the snapshot of one incident for one trigger: every read the decision needs, once, with
 * independent reads issued at once (the config and the app's own comments). Which reads a trigger needs is decided by the pure rules in core/reads.ts.
 */
import type { Logger } from "probot";
import { LOGIN, MAX_TRACKED_ACTIONS } from "../core/decide.js";
import { isIncident, type IncidentIssue } from "../core/incident.js";
import type { PermissionLevel } from "../core/permissions.js";
import { actionRefresh, alreadyRecorded, commandReach, concernsIncident, needsCurrentIssue } from "../core/reads.js";
import { previousState, threadOf, type IncidentSnapshot } from "../core/snapshot.js";
import type { IncidentTrigger } from "../core/trigger.js";
import { actionKeys } from "../core/writeup.js";
import type { ConfigResult } from "../config/load.js";
import { fallbackIncidentLabel } from "../config/load.js";
import type { GitHubGateway } from "../github/gateway.js";
import { actionStates } from "./action-states.js";
import type { IncidentLabelHints } from "./services.js";

/** The incident a trigger is about, as the adapter found it. */
export interface IncidentTarget {
  /** The gateway of the incident's repository. */
  gateway: GitHubGateway;
  installationId: number;
  /** The issue as the trigger saw it (payload, cross-reference or search result). */
  seen: IncidentIssue;
  /** The repository's config, read at most once per delivery (started by the adapter). */
  config: Promise<ConfigResult>;
  log: Logger;
}

/** The snapshot, or null when the trigger turns out to concern no incident (or has nothing to do). */
export async function loadSnapshot(
  target: IncidentTarget,
  trigger: IncidentTrigger,
  hints: IncidentLabelHints,
): Promise<IncidentSnapshot | null> {
  const { gateway, seen } = target;
  const repo = gateway.repo;
  const number = seen.number;
  const repoKey = `${target.installationId}:${repo.owner}/${repo.repo}`.toLowerCase();
  const login = trigger.kind === "command" && LOGIN.test(trigger.login) ? trigger.login : null;
  // An issue carrying the repository's (last seen) incident label: its comments are read with the
  // config, not after it. A wrong hint costs one wasted read, never a wrong decision.
  // A command reads the commenter's permission first (after the config: an invalid one needs none).
  const speculate =
    trigger.kind === "command"
      ? false
      : trigger.kind !== "issue" || concernsIncident(trigger, seen, hints.get(repoKey));
  const [config, early] = await Promise.all([target.config, speculate ? gateway.ownComments(number) : null]);
  if (!config.ok) {
    if (!isIncident(seen, fallbackIncidentLabel(config.error))) return null;
    const thread = threadOf(early ?? (await gateway.ownComments(number)));
    return {
      repo,
      issue: seen,
      fresh: false,
      thread,
      previous: previousState(thread),
      config,
      actions: new Map(),
      permission: null,
    };
  }
  const incidentLabel = config.value.incident_label;
  hints.set(repoKey, incidentLabel);
  if (!concernsIncident(trigger, seen, incidentLabel) && (trigger.kind === "issue" || trigger.kind === "command"))
    return null;
  const permission: PermissionLevel | null =
    trigger.kind !== "command" ? null : login ? await gateway.permissionOf(login) : "none";
  const thread = threadOf(early ?? (await gateway.ownComments(number)));
  const previous = previousState(thread);
  const partial: IncidentSnapshot = {
    repo,
    issue: seen,
    fresh: false,
    thread,
    previous,
    config,
    actions: new Map(),
    permission,
  };
  // Refused, or only errors to report: the incident's own state is not needed.
  if (trigger.kind === "command" && commandReach(trigger, config.value, permission ?? "none") !== "apply")
    return partial;
  if (alreadyRecorded(trigger, previous, thread.status !== null)) {
    target.log.debug({ incident: `${repo.owner}/${repo.repo}#${number}` }, "action state already recorded");
    return null;
  }
  const fresh = needsCurrentIssue(trigger, seen, thread.status, incidentLabel);
  const issue = fresh ? await gateway.getIssue(number) : seen;
  if (fresh && trigger.kind === "issue" && !isIncident(issue, incidentLabel)) return null;
  const keys = actionKeys(issue.body, repo, config.value).slice(0, MAX_TRACKED_ACTIONS);
  const known = trigger.kind === "pull-request" ? trigger.known : undefined;
  const actions = await actionStates({
    gateway,
    keys,
    cached: previous.actions,
    refresh: actionRefresh(trigger, issue),
    known,
  });
  return { ...partial, issue, fresh, actions };
}
