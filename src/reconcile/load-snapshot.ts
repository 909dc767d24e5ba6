/**
 * Loads the snapshot of one incident for one trigger: every read the decision needs, once, with
 * independent reads issued at once (the config and the app's own comments). Which reads a trigger needs is decided by the pure rules in core/reads.ts.
 */
import type { Logger } from "probot";
import { LOGIN, MAX_TRACKED_ACTIONS } from "../core/decide.js";
import { isIncident, type IncidentIssue } from "../core/incident.js";
import type { PermissionLevel } from "../core/permissions.js";
import {
  actionRefresh,
  alreadyRecorded,
  becameIncident,
  commandReach,
  concernsIncident,
  declaresIncident,
  needsCurrentIssue,
} from "../core/reads.js";
import { previousState, threadOf, type IncidentSnapshot, type OwnThread } from "../core/snapshot.js";
import type { IncidentKeeperConfig } from "../config/schema.js";
import { incidentStartFor } from "./incident-start.js";
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
  now: Date,
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
  const becameIncidentAt = await incidentStart(target, trigger, { config: config.value, thread, issue, now });
  const keys = actionKeys(issue.body, repo, config.value).slice(0, MAX_TRACKED_ACTIONS);
  const known = trigger.kind === "pull-request" ? trigger.known : undefined;
  const actions = await actionStates({
    gateway,
    keys,
    cached: previous.actions,
    refresh: actionRefresh(trigger, issue),
    known,
  });
  return { ...partial, issue, fresh, actions, becameIncidentAt };
}

/** When the issue became an incident, for a state that does not keep it yet (issue #10 item 4). */
async function incidentStart(
  target: IncidentTarget,
  trigger: IncidentTrigger,
  args: { config: IncidentKeeperConfig; thread: OwnThread; issue: IncidentIssue; now: Date },
): Promise<Date | null | undefined> {
  const { config, thread, issue, now } = args;
  const read = (at: Date | null): Promise<Date | null | undefined> =>
    incidentStartFor({ gateway: target.gateway, config, thread, issueNumber: issue.number, trigger: at });
  switch (trigger.kind) {
    case "issue": {
      if (!becameIncident(trigger, config.incident_label)) return read(null);
      return read(trigger.action === "opened" ? trigger.issue.createdAt : (trigger.issue.updatedAt ?? now));
    }
    case "command": {
      const becomes = declaresIncident(trigger) && !isIncident(issue, config.incident_label);
      return read(becomes && !Number.isNaN(Date.parse(trigger.commentAt)) ? new Date(trigger.commentAt) : null);
    }
    case "tick":
      // Read by the sweep's check; a state written meanwhile keeps it.
      return thread.status ? undefined : trigger.becameIncidentAt;
    case "action-state":
    case "pull-request":
      return undefined;
    case "repair":
      // No state yet: when it became an incident comes from the timeline (once).
      if (thread.status) return undefined;
      return trigger.becameIncidentAt !== undefined ? trigger.becameIncidentAt : read(null);
  }
}
