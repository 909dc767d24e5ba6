/**
 * What a trigger adds to (or changes in) the incident's timeline, from the snapshot before and the
 * effects decided (issue #14). Pure: every entry carries GitHub's timestamp where GitHub gives one
 * (the comment's creation, the close, the label event's `updated_at`), the decision's `now` otherwise.
 */
import { CATEGORY_TITLES, type Classification } from "./classification.js";
import { parseCommands, type Command } from "./commands.js";
import type { IncidentEffects, Message } from "./effects.js";
import { isIncident } from "./incident.js";
import { sameState } from "./reads.js";
import type { IncidentSnapshot } from "./snapshot.js";
import { statusStateSchema, type StatusState } from "./status-state.js";
import {
  EMPTY_TIMELINE,
  addEntries,
  hasNote,
  noteInstant,
  replaceNote,
  tagsOf,
  timelineLines,
  type Timeline,
  type TimelineEntry,
} from "./timeline.js";
import type { IncidentTrigger } from "./trigger.js";
import type { IncidentKeeperConfig } from "../config/schema.js";

/** The calendar's time zone, when one is configured (times in the timeline are shown in it). */
export function timelineZone(config: IncidentKeeperConfig): string | null {
  return config.sla.calendar?.time_zone ?? null;
}

/** The notes a comment's `/timeline` commands make, and the lines whose time could not be read. */
export function notesOf(args: {
  commands: readonly Command[];
  commentId: number;
  commentAt: Date;
  login: string;
  timeZone: string | null;
}): { entries: TimelineEntry[]; badTimes: string[] } {
  const entries: TimelineEntry[] = [];
  const badTimes: string[] = [];
  for (const command of args.commands) {
    if (command.name !== "timeline") continue;
    const at = noteInstant(command.note, args.commentAt, args.timeZone);
    if (at === null) {
      const { time } = command.note;
      badTimes.push(`/timeline ${time ? `${time.date ? `${time.date} ` : ""}${time.clock} ` : ""}${command.note.text}`);
      continue;
    }
    entries.push({
      at: at.toISOString(),
      kind: "note",
      text: command.note.text,
      by: args.login,
      comment: args.commentId,
      ...(command.note.tag ? { tag: command.note.tag } : {}),
    });
  }
  return { entries, badTimes };
}

const DIMENSION_WORDS: Record<keyof Classification, (c: Classification) => string> = {
  category: (c) => `Category: ${c.category ? CATEGORY_TITLES[c.category] : "none"}`,
  severity: (c) => `Severity: ${c.severity ? `Sev ${c.severity}` : "none"}`,
  devops: (c) => `Remediation difficulty: ${c.devops ? `DevOps ${c.devops}` : "none"}`,
};

/**
 * The timeline after this trigger: the app's events (became an incident, classification changes,
 * resolution, closes and reopens, reminders and breaches, follow-up actions done) and the notes of a
 * `/timeline` comment, an edit or a deletion. Returns the effects with the status's state amended.
 */
export function withTimeline(
  snapshot: IncidentSnapshot,
  config: IncidentKeeperConfig,
  trigger: IncidentTrigger,
  effects: IncidentEffects,
  now: Date,
): IncidentEffects {
  const status = effects.status;
  if (!status) return effects;
  const before = snapshot.previous;
  const after = status.plan.state;
  const timeZone = timelineZone(config);
  let timeline: Timeline = after.timeline ?? before.timeline ?? EMPTY_TIMELINE;
  const events: TimelineEntry[] = [];
  const event = (at: Date | string | null | undefined, text: string, by?: string): void => {
    const instant = at instanceof Date ? at : typeof at === "string" ? new Date(at) : now;
    const iso = Number.isNaN(instant.getTime()) ? now.toISOString() : instant.toISOString();
    events.push({ at: iso, kind: "event", text: text.slice(0, 200), ...(by ? { by } : {}) });
  };
  const actor = trigger.kind === "command" ? trigger.login : undefined;
  const triggerAt =
    trigger.kind === "command"
      ? trigger.commentAt
      : trigger.kind === "issue"
        ? (snapshot.issue.updatedAt ?? now)
        : now;

  if (snapshot.thread.status === null && before.timeline === undefined) {
    // The app's first look: when it was filed and when it became an incident.
    event(snapshot.issue.createdAt, "Issue opened");
    if (after.incidentAt && Date.parse(after.incidentAt) !== snapshot.issue.createdAt.getTime())
      event(after.incidentAt, "Became an incident");
  } else if (!isIncident(snapshot.issue, config.incident_label) && trigger.kind === "command") {
    event(trigger.commentAt, "Declared an incident with /incident", actor);
  }

  // A classification change against what the timeline last recorded (not the delivery's labels: a
  // late delivery carries the labels of its moment).
  const is = status.plan.classification;
  for (const dimension of ["category", "severity", "devops"] as const) {
    const words = DIMENSION_WORDS[dimension](is);
    const prefix = words.slice(0, words.indexOf(":") + 1);
    const last = [...timeline.entries].reverse().find((e) => e.kind === "event" && e.text.startsWith(prefix));
    if (last ? last.text !== words : is[dimension] !== null) event(triggerAt, words, actor);
  }
  if (!before.resolvedAt && after.resolvedAt) event(after.resolvedAt, "Resolved", actor);
  if (!before.forcedClose && after.forcedClose)
    event(after.forcedClose.at, `Closed with /close --force: ${after.forcedClose.reason}`, after.forcedClose.by);
  if (trigger.kind === "issue" && trigger.action === "closed" && snapshot.issue.state === "closed") {
    event(snapshot.issue.closedAt, "Closed");
    if (effects.reopen) event(now, "Reopened by incident-keeper: the write-up or actions are not done");
  }
  if (trigger.kind === "issue" && trigger.action === "reopened" && snapshot.issue.state === "open")
    event(snapshot.issue.updatedAt, "Reopened");
  if (effects.close === "done") event(now, "Closed by incident-keeper: the write-up and every action are done");
  for (const message of effects.messages) reminderEvent(message, event);
  const isAction = trigger.kind === "action-state" && after.actions[trigger.actionKey] !== undefined;
  if (trigger.kind === "action-state" && isAction && trigger.observed.found && !sameState(before.actions[trigger.actionKey], trigger.observed)) {
    const observed = trigger.observed;
    const word =
      observed.kind === "pull"
        ? observed.merged
          ? "merged"
          : observed.state === "closed"
            ? "closed unmerged"
            : "reopened"
        : observed.state === "closed"
          ? observed.stateReason === "not_planned"
            ? "closed as not planned"
            : "closed"
          : "reopened";
    event(now, `Follow-up action ${trigger.actionKey} ${word}`);
  }
  timeline = addEntries(timeline, events.filter((e) => !timeline.entries.some((x) => sameEntry(x, e))));

  if (trigger.kind === "command") {
    const notes = notesOf({
      commands: trigger.commands,
      commentId: trigger.commentId,
      commentAt: Number.isNaN(Date.parse(trigger.commentAt)) ? now : new Date(trigger.commentAt),
      login: trigger.login,
      timeZone,
    });
    // A redelivered (or re-run) comment replaces its own notes: never twice.
    if (notes.entries.length > 0 || hasNote(timeline, trigger.commentId))
      timeline = replaceNote(timeline, trigger.commentId, notes.entries);
  }
  if (trigger.kind === "timeline-note") timeline = editedNote(timeline, trigger, timeZone, now);

  const tags = tagsOf(timeline);
  // Parsed so the keys keep the schema's order: the fingerprint hashes the state's JSON.
  const state: StatusState = statusStateSchema.parse({
    ...after,
    timeline,
    tags: Object.keys(tags).length > 0 ? tags : undefined,
  });
  const timelineWrite = effects.timelineWrite
    ? { ...effects.timelineWrite, lines: timelineLines(timeline, timeZone) }
    : undefined;
  return {
    ...effects,
    ...(timelineWrite ? { timelineWrite } : {}),
    status: { ...status, plan: { ...status.plan, state } },
  };
}

/** An edited or deleted note comment: its entries follow the comment's text (or go). */
function editedNote(
  timeline: Timeline,
  trigger: Extract<IncidentTrigger, { kind: "timeline-note" }>,
  timeZone: string | null,
  now: Date,
): Timeline {
  if (!hasNote(timeline, trigger.commentId)) return timeline;
  if (trigger.body === null) return replaceNote(timeline, trigger.commentId, []);
  const commentAt = Number.isNaN(Date.parse(trigger.commentAt)) ? now : new Date(trigger.commentAt);
  const { commands } = parseCommands(trigger.body);
  const { entries } = notesOf({ commands, commentId: trigger.commentId, commentAt, login: trigger.login, timeZone });
  return replaceNote(timeline, trigger.commentId, entries);
}

function reminderEvent(message: Message, event: (at: Date | null, text: string) => void): void {
  if (message.kind !== "reminder") return;
  const { reminder } = message.owed;
  const window = reminder.window === "investigation" ? "investigation" : "resolution";
  if (reminder.kind === "approaching") event(null, `Reminder: ${reminder.percent ?? ""} % of the ${window} window used`);
  else if (reminder.kind === "breach") event(reminder.deadline, `SLA breached: the ${window} deadline passed`);
  else event(null, `Reminder: the ${window} deadline is overdue`);
}

function sameEntry(a: TimelineEntry, b: TimelineEntry): boolean {
  return a.kind === b.kind && a.at === b.at && a.text === b.text;
}
