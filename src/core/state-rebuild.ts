/**
 * The hidden state rebuilt from GitHub's own history (issue #10 item 6), for a status comment that is
 * missing (deleted) or whose state line does not verify (edited away or changed by someone else):
 * when the issue became an incident and when it was first fully classified (the label timeline), the
 * pauses (the paused label's spells), `/resolved` and `/close --force` (comments by people who held
 * the permission), `/action done` ticks (the same), the reminders already posted (the app's own markers),
 * a not-planned close and a removed incident label (the issue as GitHub shows it). Never the current
 * moment. What cannot unlock a close or silence a reminder (the timeline, its tags, the alert group,
 * fields added later) is carried over from the state that did not verify, so upgrading to signed
 * states, or one stray edit, loses no one's notes; everything else comes from history. Pure.
 */
import { parseCommands } from "./commands.js";
import { readClassification } from "./classification.js";
import { becameIncidentAt, type LabelEvent } from "./incident-start.js";
import { slaPolicyOf } from "./incident-plan.js";
import { recordedFromMarkers } from "./incident-reminders.js";
import { sameLabel } from "./labels.js";
import { hasPermission, type PermissionLevel } from "./permissions.js";
import { requiredPermission } from "./reads.js";
import { isFullyClassified } from "./sla.js";
import { EMPTY_STATE, type StatusState } from "./status-state.js";
import type { IncidentKeeperConfig } from "../config/schema.js";

/** A comment by a person, as the issue's comment listing gives it. */
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
  if (!/\/(?:resolved|close|action)/i.test(body)) return [];
  return parseCommands(body).commands.filter(
    (c) => c.name === "resolved" || c.name === "close-force" || c.name === "action-done",
  );
}

/**
 * Fields of a state that did not verify which are rebuilt from history or dropped (re-read), never
 * carried: each of them can unlock a close, stop a clock, silence a reminder or skip a read.
 */
const REBUILT_FIELDS = [
  "incidentAt",
  "classifiedAt",
  "resolvedAt",
  "pauses",
  "forcedClose",
  "reminders",
  "manualTicks",
  "notPlannedAt",
  "droppedAt",
  "actions",
  "reviews",
  "commandsAt",
  "fingerprint",
] as const satisfies readonly (keyof StatusState)[];

/** The untrusted state without the fields history decides. */
function carried(untrusted: StatusState | undefined): Partial<StatusState> {
  if (!untrusted) return {};
  const rest: Partial<StatusState> = { ...untrusted };
  for (const field of REBUILT_FIELDS) delete rest[field];
  return rest;
}

export function rebuildState(args: {
  events: readonly LabelEvent[];
  comments: readonly HistoryComment[];
  /** The permission of each author of {@link stateCommandAuthors}. */
  permissions: ReadonlyMap<string, PermissionLevel>;
  config: IncidentKeeperConfig;
  /** The app's own comments' markers (reminders posted). */
  markers: ReadonlySet<string>;
  /** The state line that did not verify (absent: edited away or the comment deleted). */
  untrusted?: StatusState;
  /** The issue as GitHub shows it now (a not-planned close, the incident label removed). */
  issue?: { state: string; stateReason: string | null; closedAt: Date | null; labels: readonly string[] };
}): StatusState {
  const { config } = args;
  const ordered = [...args.events]
    .filter((e) => !Number.isNaN(e.at.getTime()))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const policy = slaPolicyOf(config);
  const labels: string[] = [];
  let classifiedAt: string | null = null;
  const pauses: StatusState["pauses"] = [];
  for (const event of ordered) {
    const at = event.at.toISOString();
    const index = labels.findIndex((l) => sameLabel(l, event.label));
    if (event.event === "labeled" && index === -1) labels.push(event.label);
    if (event.event === "unlabeled" && index !== -1) labels.splice(index, 1);
    if (classifiedAt === null && isFullyClassified(readClassification(labels, config.labels), policy))
      classifiedAt = at;
    if (sameLabel(event.label, config.labels.sla_paused)) {
      const open = pauses.find((p) => p.end === null);
      if (event.event === "labeled" && !open) pauses.push({ start: at, end: null });
      if (event.event === "unlabeled" && open) open.end = at;
    }
  }
  let resolvedAt: string | null = null;
  let forcedClose: StatusState["forcedClose"] = null;
  const manualTicks: NonNullable<StatusState["manualTicks"]> = {};
  const byTime = [...args.comments].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  for (const comment of byTime) {
    const permission = args.permissions.get(comment.login) ?? "none";
    for (const command of statefulCommands(comment.body)) {
      if (!hasPermission(permission, requiredPermission([command], config))) continue;
      const at = comment.createdAt.toISOString();
      if (command.name === "action-done") {
        manualTicks[command.ref] ??= { by: comment.login, at };
        continue;
      }
      resolvedAt ??= at;
      if (command.name === "close-force") forcedClose = { by: comment.login, reason: command.reason, at };
    }
  }
  const issue = args.issue;
  const droppedAt =
    issue && !issue.labels.some((l) => sameLabel(l, config.incident_label))
      ? ordered.filter((e) => e.event === "unlabeled" && sameLabel(e.label, config.incident_label)).at(-1)?.at
      : undefined;
  const notPlannedAt =
    issue?.state === "closed" && issue.stateReason === "not_planned" && !config.writeup.required_when_not_planned
      ? issue.closedAt?.toISOString()
      : undefined;
  return {
    ...EMPTY_STATE,
    ...carried(args.untrusted),
    ...(Object.keys(manualTicks).length > 0 ? { manualTicks } : {}),
    ...(droppedAt ? { droppedAt: droppedAt.toISOString() } : {}),
    ...(notPlannedAt ? { notPlannedAt } : {}),
    incidentAt: becameIncidentAt(args.events, config.incident_label)?.toISOString() ?? null,
    classifiedAt,
    resolvedAt,
    pauses: pauses.slice(-200),
    forcedClose,
    reminders: recordedFromMarkers(args.markers).slice(-400),
  };
}
