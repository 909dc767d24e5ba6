/**
 * What a trigger adds to (or changes in) the incident's timeline, from the snapshot before and the
 * effects decided (issue #14). Pure: every entry carries GitHub's timestamp where GitHub gives one
 * (the comment's creation, the close, the label event's `updated_at`), the decision's `now` otherwise.
 */
import { CATEGORY_TITLES } from "./classification.js";
import { parseCommands, type Command } from "./commands.js";
import type { IncidentEffects, Message } from "./effects.js";
import type { IncidentSnapshot } from "./snapshot.js";
import { statusStateSchema, type StatusState } from "./status-state.js";
import {
  EMPTY_TIMELINE,
  addEntries,
  followNote,
  hasNote,
  newerNoteVersion,
  noteInstant,
  tagsOf,
  timelineLines,
  type Timeline,
  type TimelineEntry,
} from "./timeline.js";
import { githubEntries } from "./timeline-github.js";
import type { IncidentTrigger } from "./trigger.js";
import type { PermissionPolicy, Policies } from "./policy.js";
import { hasPermission, type PermissionLevel } from "./permissions.js";
import { requiredPermission } from "./reads.js";

/** The calendar's time zone, when one is configured (times in the timeline are shown in it). */
export function timelineZone(policies: Pick<Policies, "sla">): string | null {
  return policies.sla.calendar?.timeZone ?? null;
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

/** Each command of a comment, at the comment's time, by its author (applied or overtaken: it was said). */
function commandEvents(
  trigger: Extract<IncidentTrigger, { kind: "command" }>,
  event: (at: string, text: string, by?: string) => void,
): void {
  for (const command of trigger.commands) {
    const text =
      command.name === "sev"
        ? `Severity: Sev ${command.severity}`
        : command.name === "devops"
          ? `Remediation difficulty: DevOps ${command.devops}`
          : command.name === "category"
            ? `Category: ${CATEGORY_TITLES[command.category]}`
            : command.name === "incident"
              ? "Declared an incident"
              : command.name === "resolved"
                ? "Resolved"
                : command.name === "close-force"
                  ? `Closed with /close --force: ${command.reason}`
                  : null;
    if (text !== null) event(trigger.commentAt, text, trigger.login);
  }
}

/**
 * The timeline after this trigger: the app's events (became an incident, classification changes,
 * resolution, closes and reopens, reminders and breaches, follow-up actions done) and the notes of a
 * `/timeline` comment, an edit or a deletion. Returns the effects with the status's state amended.
 */
export function withTimeline(
  snapshot: IncidentSnapshot,
  policies: Policies,
  trigger: IncidentTrigger,
  effects: IncidentEffects,
  now: Date,
): IncidentEffects {
  const status = effects.status;
  if (!status) return effects;
  const before = snapshot.previous;
  const after = status.plan.state;
  const timeZone = timelineZone(policies);
  let timeline: Timeline = after.timeline ?? before.timeline ?? EMPTY_TIMELINE;
  const events: TimelineEntry[] = [];
  const event = (at: Date | string | null | undefined, text: string, by?: string): void => {
    const instant = at instanceof Date ? at : typeof at === "string" ? new Date(at) : now;
    const iso = Number.isNaN(instant.getTime()) ? now.toISOString() : instant.toISOString();
    events.push({ at: iso, kind: "event", text: text.slice(0, 200), ...(by ? { by } : {}) });
  };
  // Only facts of the delivery itself (its times, its sender), never the order deliveries came in:
  // late, repeated or shuffled deliveries give the same timeline (dedupe by time and text).
  if (snapshot.thread.status === null && before.timeline === undefined) {
    // The app's first look: when it was filed (it became an incident by a label or `/incident`,
    // recorded from their own deliveries).
    event(snapshot.issue.createdAt, "Issue opened");
  }
  if (trigger.kind === "command") commandEvents(trigger, event);
  if (trigger.kind === "issue") {
    // Label changes are keyed GitHub events (timeline-github.ts).
    const at = trigger.issue.updatedAt;
    if (trigger.action === "closed" && trigger.issue.closedAt) {
      event(trigger.issue.closedAt, "Closed", trigger.actor);
      if (effects.reopen)
        event(trigger.issue.closedAt, "Reopened by incident-keeper: the write-up or actions are not done");
    }
    if (trigger.action === "reopened") event(at, "Reopened", trigger.actor);
  }
  // A security incident's move (issue #14): the original address is not repeated in the text.
  if (trigger.kind === "security-moved") event(trigger.movedAt, "Moved to the private security repository");
  for (const message of effects.messages) reminderEvent(message, event);
  timeline = addEntries(
    timeline,
    events.filter((e) => !timeline.entries.some((x) => sameEntry(x, e))),
  );
  // GitHub's own events (labels, follow-up actions, pull requests, alerts), keyed by their identity
  // on GitHub: idempotent and independent of the order deliveries arrive in (timeline-github.ts).
  timeline = addEntries(timeline, githubEntries({ snapshot, policies, trigger, after, timeline, now }));

  if (trigger.kind === "command") {
    const createdAt = trigger.edit?.createdAt ?? trigger.commentAt;
    const notes = notesOf({
      commands: trigger.commands,
      commentId: trigger.commentId,
      commentAt: Number.isNaN(Date.parse(createdAt)) ? now : new Date(createdAt),
      login: trigger.login,
      timeZone,
    });
    const has = hasNote(timeline, trigger.commentId);
    // A redelivered (or re-run) comment replaces its own notes: never twice. An edit of a comment that
    // holds notes is the `timeline-note` trigger's (the whole text); the edit that adds a comment's
    // first note comes here (its permission checked). A late creation after an edit or a deletion: nothing.
    if ((notes.entries.length > 0 || has) && !(trigger.edit && has))
      timeline = followNote(timeline, trigger.commentId, validTime(trigger.commentAt), notes.entries);
  }
  if (trigger.kind === "timeline-note")
    timeline = editedNote(timeline, trigger, {
      timeZone,
      now,
      permission: snapshot.permission,
      permissions: policies.permissions,
    });

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

/** An edited or deleted note comment: its entries follow the comment's newest text (or go, for good). */
function editedNote(
  timeline: Timeline,
  trigger: Extract<IncidentTrigger, { kind: "timeline-note" }>,
  args: { timeZone: string | null; now: Date; permission: PermissionLevel | null; permissions: PermissionPolicy },
): Timeline {
  const { timeZone, now, permission, permissions } = args;
  const version = trigger.body === null ? "deleted" : validTime(trigger.updatedAt);
  if (trigger.body === null) return followNote(timeline, trigger.commentId, version, []);
  const { commands } = parseCommands(trigger.body);
  // A comment without notes yet (its creation delivered later, or its first note added by this edit):
  // its notes only with the author's permission, read for it as for a command; else nothing.
  if (!hasNote(timeline, trigger.commentId)) {
    const required = requiredPermission(commands, permissions);
    if (version === null || permission === null || !hasPermission(permission, required)) return timeline;
  }
  const commentAt = Number.isNaN(Date.parse(trigger.commentAt)) ? now : new Date(trigger.commentAt);
  const { entries } = notesOf({ commands, commentId: trigger.commentId, commentAt, login: trigger.login, timeZone });
  return followNote(timeline, trigger.commentId, version, entries);
}

/**
 * Must the loader read the author's permission for this `timeline-note` trigger? Its text holds a
 * note, and its comment holds none on the timeline yet and has no newer version followed: the edit
 * may bring the comment's first notes (its creation not delivered yet). Rare: costs that one read.
 */
export function notePermissionNeeded(
  timeline: Timeline | undefined,
  trigger: Extract<IncidentTrigger, { kind: "timeline-note" }>,
): boolean {
  const version = validTime(trigger.updatedAt);
  if (trigger.body === null || version === null) return false;
  const now = timeline ?? EMPTY_TIMELINE;
  if (hasNote(now, trigger.commentId) || !newerNoteVersion(now, trigger.commentId, version)) return false;
  return parseCommands(trigger.body).commands.some((c) => c.name === "timeline");
}

/**
 * Does a `timeline-note` trigger of a comment bring a version (a newer edit, its deletion) the
 * timeline does not follow yet? Then it is recorded even for a comment without notes: its creation
 * or an older edit delivered later changes nothing.
 */
export function noteVersionNews(
  timeline: Timeline,
  trigger: Extract<IncidentTrigger, { kind: "timeline-note" }>,
): boolean {
  const version = trigger.body === null ? "deleted" : validTime(trigger.updatedAt);
  if (version === null) return false;
  return (
    newerNoteVersion(timeline, trigger.commentId, version) &&
    timeline.noteVersions?.[String(trigger.commentId)] !== version
  );
}

/** An ISO instant as given, or null when absent or not a time. */
function validTime(at: string | undefined): string | null {
  return at !== undefined && !Number.isNaN(Date.parse(at)) ? new Date(at).toISOString() : null;
}

function reminderEvent(message: Message, event: (at: Date | null, text: string) => void): void {
  if (message.kind !== "reminder") return;
  const { reminder } = message.owed;
  // A security incident's investigation window is its acknowledge window (windowWords).
  const window =
    reminder.window === "resolution" ? "resolution" : message.security ? "acknowledgement" : "investigation";
  if (reminder.kind === "approaching")
    event(null, `Reminder: ${reminder.percent ?? ""} % of the ${window} window used`);
  else if (reminder.kind === "breach") event(reminder.deadline, `SLA breached: the ${window} deadline passed`);
  else event(null, `Reminder: the ${window} deadline is overdue`);
}

function sameEntry(a: TimelineEntry, b: TimelineEntry): boolean {
  return a.kind === b.kind && a.at === b.at && a.text === b.text;
}
