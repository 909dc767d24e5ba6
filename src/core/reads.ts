/**
 * What a trigger needs read before it can be decided: pure rules the snapshot loader follows, so the
 * reads of every trigger are tested here like the decisions (and a trigger reads nothing it need not).
 */
import type { Command } from "./commands.js";
import { isIncident, type IncidentIssue } from "./incident.js";
import { hasPermission, type PermissionLevel } from "./permissions.js";
import { referenceRepo, type OwnComment, type RepoRef } from "./snapshot.js";
import type { StatusState } from "./status-state.js";
import { holdsDeliveredAction } from "./timeline-github.js";
import type { IncidentTrigger } from "./trigger.js";
import type { RemoteState } from "./writeup.js";
import type { PermissionPolicy } from "./policy.js";
import { sameLabel } from "./labels.js";

/** Which action states to read from GitHub (default: only those not cached). */
export type Refresh = "all" | "missing" | { keys: string[] };

/** The payload's issue predates the app's last write of the status comment (GitHub's times are whole seconds). */
export function isStale(issue: Pick<IncidentIssue, "updatedAt">, status: OwnComment | null): boolean {
  return (
    issue.updatedAt !== undefined &&
    status?.updatedAt !== undefined &&
    issue.updatedAt.getTime() < status.updatedAt.getTime()
  );
}

/** The event that makes an issue an incident: filed with the label, or the label just added. */
export function becameIncident(trigger: IncidentTrigger, incidentLabel: string): boolean {
  if (trigger.kind !== "issue") return false;
  return (
    trigger.action === "opened" ||
    (trigger.action === "labeled" && trigger.changedLabel !== null && sameLabel(trigger.changedLabel, incidentLabel))
  );
}

/** A `/incident` command: the issue need not carry the label yet. */
export function declaresIncident(trigger: IncidentTrigger): boolean {
  return trigger.kind === "command" && trigger.commands.some((c) => c.name === "incident");
}

/** Is the trigger about an incident at all (before the app's comments are read)? */
export function concernsIncident(trigger: IncidentTrigger, issue: IncidentIssue, incidentLabel: string): boolean {
  return isIncident(issue, incidentLabel) || declaresIncident(trigger);
}

/** The permission a set of commands needs: the strictest of them. */
export function requiredPermission(commands: Command[], permissions: PermissionPolicy): PermissionLevel {
  const base = permissions.commands;
  let required: PermissionLevel = base;
  const stricter = (level: PermissionLevel): void => {
    if (hasPermission(level, required)) required = level;
  };
  if (commands.some((c) => c.name === "close-force")) stricter(permissions.forceClose);
  if (commands.some((c) => c.name === "postmortem")) stricter(permissions.publish);
  return required;
}

/**
 * How far a command trigger goes: refused (a reply at most), errors only (a reply at most), or
 * applied (the incident's state is needed: current issue, action states).
 */
export function commandReach(
  trigger: Extract<IncidentTrigger, { kind: "command" }>,
  permissions: PermissionPolicy,
  actual: PermissionLevel,
): "refused" | "errors-only" | "apply" {
  if (!hasPermission(actual, requiredPermission(trigger.commands, permissions))) return "refused";
  return trigger.commands.length === 0 ? "errors-only" : "apply";
}

/**
 * An action-state trigger whose new state the status comment already records (written after its
 * checkbox was ticked, e.g. by the PR merge that closed it), and whose event the timeline holds (a
 * late copy of an earlier close, overtaken by a reopen and a second close, still has its entry to
 * add): nothing to read or do.
 */
export function alreadyRecorded(trigger: IncidentTrigger, previous: StatusState, hasStatus: boolean): boolean {
  if (
    trigger.kind !== "action-state" ||
    !hasStatus ||
    !sameState(previous.actions[trigger.actionKey], trigger.observed)
  )
    return false;
  return holdsDeliveredAction(previous.timeline, trigger);
}

/** Same state of an action as far as the incident shows it (titles may change without an event here). */
export function sameState(recorded: RemoteState | undefined, observed: RemoteState): boolean {
  if (!recorded?.found || !observed.found || recorded.kind !== observed.kind || recorded.state !== observed.state)
    return false;
  if (recorded.kind === "issue" && observed.kind === "issue") return recorded.stateReason === observed.stateReason;
  return recorded.kind === "pull" && observed.kind === "pull" && recorded.merged === observed.merged;
}

/**
 * Must GitHub's current issue be read instead of the trigger's copy? A delivery older than the app's
 * last status write (late, redelivered, overtaken) must not roll the incident back; with no status
 * comment yet only the event that made the issue an incident is trusted as is. A cross-reference
 * carries a snapshot, and a tick rewrites the body: action and pull request triggers read it.
 */
export function needsCurrentIssue(
  trigger: IncidentTrigger,
  seen: IncidentIssue,
  status: OwnComment | null,
  incidentLabel: string,
): boolean {
  switch (trigger.kind) {
    case "issue":
      return isStale(seen, status) || (status === null && !becameIncident(trigger, incidentLabel));
    case "command":
      return isStale(seen, status);
    case "timeline-note":
      return false;
    case "action-state":
    case "pull-request":
      return true;
    case "tick":
    case "repair":
      return false;
    case "alert":
      // The adapter read the issue just now (or filed it).
      return false;
    case "security-moved":
      // The issue moved: its copy is the old repository's.
      return true;
    case "security-not-moved":
      // Loaded moments before by the reconciliation whose transfer failed.
      return false;
  }
}

/**
 * The repository a bare `#N` in the body means for this trigger: the original repository of a
 * security incident moved to the private one (issue #14), including on the move's own trigger.
 */
export function referenceRepoFor(repo: RepoRef, previous: StatusState, trigger: IncidentTrigger): RepoRef {
  if (trigger.kind === "security-moved" && previous.security === undefined)
    return referenceRepo(repo, { security: { from: trigger.from, movedAt: trigger.movedAt } });
  return referenceRepo(repo, previous);
}

/** Which action states the trigger refreshes from GitHub. A person's close checks every action afresh. */
export function actionRefresh(trigger: IncidentTrigger, issue: IncidentIssue): Refresh {
  switch (trigger.kind) {
    case "issue":
      return trigger.action === "closed" && issue.state === "closed" ? "all" : "missing";
    case "action-state":
      return { keys: [trigger.actionKey] };
    case "pull-request":
      return { keys: [trigger.actionKey ?? trigger.prKey] };
    case "command":
    case "tick":
    case "repair":
    case "timeline-note":
    case "alert":
    case "security-moved":
    case "security-not-moved":
      return "missing";
  }
}
