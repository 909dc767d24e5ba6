/**
 * The hidden state rebuilt from GitHub's own history (issue #10 item 6), for a status comment that is
 * missing (deleted) or whose state line does not verify (edited away or changed by someone else):
 * when the issue became an incident and when it was first fully classified (the label timeline), the
 * pauses (the paused label's spells), `/resolved` and `/close --force` (comments by people who held
 * the permission), the reminders already posted (the app's own markers). Never the current moment. Pure.
 */
import { parseCommands } from "./commands.js";
import { readClassification } from "./classification.js";
import { becameIncidentAt, type LabelEvent } from "./incident-start.js";
import { recordedFromMarkers } from "./incident-reminders.js";
import { sameLabel } from "./labels.js";
import { hasPermission, type PermissionLevel } from "./permissions.js";
import { requiredPermission } from "./reads.js";
import { isFullyClassified } from "./sla.js";
import { EMPTY_STATE, type StatusState } from "./status-state.js";
import type { Policies } from "./policy.js";

/** A comment by a person, as the comment listing gives it. */
export interface HistoryComment {
  login: string;
  body: string;
  createdAt: Date;
}

/** The comments that may say `/resolved` or `/close --force` (whose authors' permission must be read). */
export function stateCommandAuthors(comments: readonly HistoryComment[]): string[] {
  return [...new Set(comments.filter((c) => statefulCommands(c.body).length > 0).map((c) => c.login))];
}

function statefulCommands(body: string): ReturnType<typeof parseCommands>["commands"] {
  if (!/\/(?:resolved|close)/i.test(body)) return [];
  return parseCommands(body).commands.filter((c) => c.name === "resolved" || c.name === "close-force");
}

export function rebuildState(args: {
  events: readonly LabelEvent[];
  comments: readonly HistoryComment[];
  /** The permission of each author of {@link stateCommandAuthors}. */
  permissions: ReadonlyMap<string, PermissionLevel>;
  policies: Policies;
  /** The app's own comments' markers (reminders posted). */
  markers: ReadonlySet<string>;
}): StatusState {
  const { policies } = args;
  const ordered = [...args.events]
    .filter((e) => !Number.isNaN(e.at.getTime()))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const policy = policies.sla;
  const labels: string[] = [];
  let classifiedAt: string | null = null;
  const pauses: StatusState["pauses"] = [];
  for (const event of ordered) {
    const at = event.at.toISOString();
    const index = labels.findIndex((l) => sameLabel(l, event.label));
    if (event.event === "labeled" && index === -1) labels.push(event.label);
    if (event.event === "unlabeled" && index !== -1) labels.splice(index, 1);
    if (classifiedAt === null && isFullyClassified(readClassification(labels, policies.labels), policy))
      classifiedAt = at;
    if (sameLabel(event.label, policies.labels.slaPaused)) {
      const open = pauses.find((p) => p.end === null);
      if (event.event === "labeled" && !open) pauses.push({ start: at, end: null });
      if (event.event === "unlabeled" && open) open.end = at;
    }
  }
  let resolvedAt: string | null = null;
  let forcedClose: StatusState["forcedClose"] = null;
  const byTime = [...args.comments].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  for (const comment of byTime) {
    const permission = args.permissions.get(comment.login) ?? "none";
    for (const command of statefulCommands(comment.body)) {
      if (!hasPermission(permission, requiredPermission([command], policies.permissions))) continue;
      const at = comment.createdAt.toISOString();
      resolvedAt ??= at;
      if (command.name === "close-force") forcedClose = { by: comment.login, reason: command.reason, at };
    }
  }
  return {
    ...EMPTY_STATE,
    incidentAt: becameIncidentAt(args.events, policies.labels.incident)?.toISOString() ?? null,
    classifiedAt,
    resolvedAt,
    pauses: pauses.slice(-200),
    forcedClose,
    reminders: recordedFromMarkers(args.markers).slice(-400),
  };
}
