/**
 * The incident's own timeline (issue #14): entries kept in the status comment's hidden state, with
 * GitHub's timestamps where GitHub gives one. Responders add notes with `/timeline [time] text`
 * (`--start`, `--detected`, `--mitigated`, `--resolved` tag key moments, which feed the metrics'
 * time to detect / mitigate through the hidden state's `tags`); the app adds its own events
 * (labels, commands, closes, reminders). Bounded: old untagged entries are compacted into a
 * visible count, never dropped silently. Pure.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { utcToWallClockMs, wallClockToUtcMs } from "./calendar.js";

export const TIMELINE_TAGS = ["start", "detected", "mitigated", "resolved"] as const;
export type TimelineTag = (typeof TIMELINE_TAGS)[number];

/** Entries kept; older untagged ones are compacted (counted) beyond this. */
export const MAX_TIMELINE_ENTRIES = 50;
/** Keyed entries compacted away that are still recognised when delivered again. */
export const MAX_COMPACTED_KEYS = 500;
/** Longest entry text kept. */
export const MAX_ENTRY_CHARS = 200;
/** The status comment folds the timeline into `<details>` from this many entries on. */
export const TIMELINE_FOLD_AT = 8;

const isoInstant = z.iso.datetime({ offset: true });

export const timelineEntrySchema = z.object({
  /** When it happened (GitHub's timestamp, or the time a responder gave). */
  at: isoInstant,
  /** `note`: a responder's `/timeline`; `event`: recorded by the app. */
  kind: z.enum(["note", "event"]),
  text: z.string().max(MAX_ENTRY_CHARS),
  /** Who did it (a GitHub login), when known. */
  by: z.string().max(100).optional(),
  tag: z.enum(TIMELINE_TAGS).optional(),
  /** The comment that made a note: editing or deleting it edits or removes the entry. */
  comment: z.number().int().positive().optional(),
  /**
   * The event's identity on GitHub (`label:+:sev:2:<updated_at>`, `action:acme/api#3:closed:<closed_at>`,
   * `alert:<fp>:fired:<startsAt>`, `pr:acme/api#9:opened`, `action-opened:acme/api#3`, `incident:<at>`):
   * recording it again is a no-op (an earlier time wins), whatever order deliveries come in. Absent on
   * older events.
   */
  key: z.string().max(300).optional(),
});

export const timelineSchema = z.object({
  entries: z
    .array(timelineEntrySchema)
    .max(MAX_TIMELINE_ENTRIES + 20)
    .default([]),
  /** How many old entries were compacted away (shown). */
  compacted: z.number().int().min(0).default(0),
  /** Short hashes of the keyed entries compacted away: a late copy of one is not added (nor counted) again. */
  compactedKeys: z.array(z.string().max(16)).max(MAX_COMPACTED_KEYS).optional(),
  /**
   * The version of each note comment the notes follow: its `updated_at` (ISO), or `deleted`. An older
   * version delivered late (an earlier edit, the creation) changes nothing; after a deletion nothing does.
   */
  noteVersions: z
    .record(z.string().regex(/^\d{1,20}$/), z.string().max(30))
    .optional()
    .catch(undefined),
});

export type TimelineEntry = z.output<typeof timelineEntrySchema>;
export type Timeline = z.output<typeof timelineSchema>;
export type TimelineTags = Partial<Record<TimelineTag, string>>;

export const EMPTY_TIMELINE: Timeline = { entries: [], compacted: 0 };

/** A parsed `/timeline` command: its time as written (resolved later against the comment's time). */
export interface TimelineNote {
  /** `HH:MM`, `YYYY-MM-DD HH:MM` as written, or null (= the comment's time). */
  time: { date: string | null; clock: string } | null;
  tag: TimelineTag | null;
  text: string;
}

export type TimelineArgs = { write: true } | { write: false; note: TimelineNote };

const TIME = /^(?:(\d{4}-\d{2}-\d{2})[ T])?(\d{1,2}:\d{2})(?:\s*(?:UTC|Z))?(?=\s|$)\s*/i;

/** Parses the arguments of `/timeline`; an error message for a wrong one. */
export function parseTimelineArgs(args: string): TimelineArgs | { message: string } {
  let rest = args.trim();
  if (/^--write$/i.test(rest)) return { write: true };
  let tag: TimelineTag | null = null;
  const tagMatch = /^--([a-z]+)\s*/i.exec(rest);
  if (tagMatch) {
    const word = (tagMatch[1] ?? "").toLowerCase();
    if (!(TIMELINE_TAGS as readonly string[]).includes(word)) {
      return { message: "`/timeline` tags are `--start`, `--detected`, `--mitigated`, `--resolved` (or `--write`)" };
    }
    tag = word as TimelineTag;
    rest = rest.slice(tagMatch[0].length);
  }
  let time: TimelineNote["time"] = null;
  const timeMatch = TIME.exec(rest);
  if (timeMatch) {
    time = { date: timeMatch[1] ?? null, clock: timeMatch[2] ?? "" };
    rest = rest.slice(timeMatch[0].length);
  }
  const text = rest.trim().slice(0, MAX_ENTRY_CHARS);
  if (text === "") return { message: "`/timeline` needs a text, e.g. `/timeline 14:02 failover started`" };
  return { write: false, note: { time, tag, text } };
}

const MS_PER_DAY = 86_400_000;

/**
 * The instant of a note: its time of day (and date) in `timeZone` (UTC when null), on the comment's
 * local day by default; a time of day later than the comment means the day before (`/timeline 23:50`
 * said at 00:10). Null when the time is not a real time, or lies after the comment.
 */
export function noteInstant(note: TimelineNote, commentAt: Date, timeZone: string | null): Date | null {
  if (note.time === null) return commentAt;
  const clock = /^(\d{1,2}):(\d{2})$/.exec(note.time.clock);
  const hours = Number(clock?.[1]);
  const minutes = Number(clock?.[2]);
  if (!clock || hours > 23 || minutes > 59) return null;
  const toUtc = (localMs: number): number => (timeZone ? wallClockToUtcMs(timeZone, localMs) : localMs);
  const localNow = timeZone ? utcToWallClockMs(timeZone, commentAt.getTime()) : commentAt.getTime();
  const timeOfDayMs = (hours * 60 + minutes) * 60_000;
  let dayMs: number;
  if (note.time.date !== null) {
    const parsed = Date.parse(`${note.time.date}T00:00:00Z`);
    if (Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== note.time.date) return null;
    dayMs = parsed;
  } else {
    dayMs = Math.floor(localNow / MS_PER_DAY) * MS_PER_DAY;
    if (dayMs + timeOfDayMs > localNow + 60_000) dayMs -= MS_PER_DAY;
  }
  const at = toUtc(dayMs + timeOfDayMs);
  // A minute of slack: the comment's own minute is "now".
  if (at > commentAt.getTime() + 60_000) return null;
  return new Date(at);
}

/**
 * Adds entries (kept in time order, ties broken by content, never by arrival) and compacts beyond the
 * bound. A keyed entry already there (or compacted away) is not added again; the same key seen at an
 * earlier time moves the entry to that time (the earliest observation wins: commutative, idempotent).
 */
export function addEntries(timeline: Timeline, added: readonly TimelineEntry[]): Timeline {
  if (added.length === 0) return timeline;
  const entries = [...timeline.entries];
  const gone = new Set(timeline.compactedKeys ?? []);
  for (const entry of added) {
    if (entry.key === undefined) {
      entries.push(entry);
      continue;
    }
    if (gone.has(keyHash(entry.key))) continue;
    const index = entries.findIndex((e) => e.key === entry.key);
    if (index === -1) entries.push(entry);
    else if (earlier(entry, entries[index]!)) entries[index] = entry;
  }
  return compact({ ...timeline, entries: sortEntries(entries) });
}

/**
 * Does `a` win over `b` (same key)? The earlier time; at the same time the first in the timeline's
 * fixed order (a title renamed between two sightings of one event): never the order they came in.
 */
function earlier(a: TimelineEntry, b: TimelineEntry): boolean {
  const delta = Date.parse(a.at) - Date.parse(b.at);
  return delta < 0 || (delta === 0 && compareEntries(a, b) < 0);
}

/** Short, stable hash of an entry's key (what compaction remembers). */
export function keyHash(key: string): string {
  return createHash("sha256").update(key).digest("base64url").slice(0, 12);
}

/** The notes of `commentId` replaced by `entries` (edited, redelivered) or removed (none: deleted). */
export function replaceNote(timeline: Timeline, commentId: number, entries: readonly TimelineEntry[]): Timeline {
  const kept = timeline.entries.filter((e) => e.comment !== commentId);
  return compact({ ...timeline, entries: sortEntries([...kept, ...entries]) });
}

/** Notes versions kept (comments with notes, and deleted ones); beyond it the lowest comment ids go. */
export const MAX_NOTE_VERSIONS = 200;
const DELETED = "deleted";

/**
 * Would this version of a note comment (its `updated_at`, `deleted`, or null: unknown) change what
 * the timeline follows? Not after a deletion; not when a newer version is already followed.
 */
export function newerNoteVersion(timeline: Timeline, commentId: number, version: string | null): boolean {
  const recorded = timeline.noteVersions?.[String(commentId)];
  if (recorded === undefined || version === null) return recorded !== DELETED;
  if (recorded === DELETED) return false;
  if (version === DELETED) return true;
  return Date.parse(version) >= Date.parse(recorded);
}

/**
 * The notes of `commentId` as its version `version` says (its `updated_at`; `deleted`: none, for good;
 * null: a version not known, applied without being recorded), unless an equal or newer one is already
 * followed: late, shuffled or repeated edits of one comment end with its newest text, or its deletion.
 */
export function followNote(
  timeline: Timeline,
  commentId: number,
  version: string | null,
  entries: readonly TimelineEntry[],
): Timeline {
  if (!newerNoteVersion(timeline, commentId, version)) return timeline;
  const replaced = replaceNote(timeline, commentId, version === DELETED ? [] : entries);
  if (version === null) return replaced;
  const versions = { ...timeline.noteVersions, [String(commentId)]: version };
  const ids = Object.keys(versions).sort((a, b) => Number(a) - Number(b));
  for (const id of ids.slice(0, Math.max(0, ids.length - MAX_NOTE_VERSIONS))) delete versions[id];
  return { ...replaced, noteVersions: versions };
}

/** Does the timeline hold a note made by this comment? */
export function hasNote(timeline: Timeline, commentId: number): boolean {
  return timeline.entries.some((e) => e.comment === commentId);
}

/**
 * Where an entry stands among entries of the same second (GitHub's times are whole seconds): the
 * order things happen in (an alert fires, the issue becomes an incident, it is classified, people
 * note, the alert resolves, pull requests and actions open, actions close), then content. Never by arrival:
 * shuffled or repeated deliveries give the same timeline.
 */
function rank(entry: TimelineEntry): number {
  const key = entry.key ?? "";
  if (key.startsWith("alert:")) return key.includes(":fired:") ? 0 : 5;
  if (key.startsWith("incident:")) return 1;
  if (key.startsWith("label:")) return 2;
  if (key.startsWith("pr:") || key.startsWith("action-opened:")) return 6;
  if (key.startsWith("action:")) return 7;
  return entry.kind === "event" ? 3 : 4;
}

const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The timeline's one order: time, rank, then content. */
function compareEntries(a: TimelineEntry, b: TimelineEntry): number {
  return (
    Date.parse(a.at) - Date.parse(b.at) ||
    rank(a) - rank(b) ||
    text(a.kind, b.kind) ||
    (a.comment ?? 0) - (b.comment ?? 0) ||
    text(a.text, b.text) ||
    text(a.by ?? "", b.by ?? "") ||
    text(a.key ?? "", b.key ?? "") ||
    text(a.tag ?? "", b.tag ?? "")
  );
}

function sortEntries(entries: TimelineEntry[]): TimelineEntry[] {
  return [...entries].sort(compareEntries);
}

/**
 * Keeps at most {@link MAX_TIMELINE_ENTRIES}: the oldest of the app's own unkeyed events go first,
 * then the oldest GitHub events, then the oldest untagged notes, tagged entries last (they carry the
 * metrics). Each one dropped is counted; a dropped keyed entry's hash is remembered so a late copy
 * is neither added nor counted again. Always the lowest of one fixed order: the result does not
 * depend on the order entries were added in.
 */
export function compact(timeline: Timeline): Timeline {
  let entries = timeline.entries;
  let compacted = timeline.compacted;
  const keys = [...(timeline.compactedKeys ?? [])];
  const classes = [
    (e: TimelineEntry) => e.kind === "event" && !e.tag && e.key === undefined,
    (e: TimelineEntry) => e.kind === "event" && !e.tag,
    (e: TimelineEntry) => !e.tag,
    () => true,
  ];
  for (const removable of classes) {
    while (entries.length > MAX_TIMELINE_ENTRIES) {
      const index = entries.findIndex(removable);
      if (index === -1) break;
      const key = entries[index]!.key;
      if (key !== undefined) keys.push(keyHash(key));
      entries = [...entries.slice(0, index), ...entries.slice(index + 1)];
      compacted += 1;
    }
  }
  const compactedKeys = keys.slice(-MAX_COMPACTED_KEYS);
  return {
    entries,
    compacted,
    ...(compactedKeys.length > 0 ? { compactedKeys } : {}),
    ...(timeline.noteVersions ? { noteVersions: timeline.noteVersions } : {}),
  };
}

/** The key moments: the instant of the newest-made entry carrying each tag (by time, the latest). */
export function tagsOf(timeline: Timeline): TimelineTags {
  const tags: TimelineTags = {};
  for (const entry of timeline.entries) if (entry.tag) tags[entry.tag] = entry.at;
  return tags;
}

/** Local date and time of an instant: `2026-11-30 23:50 UTC`, or in the calendar's zone without a suffix. */
export function formatTimelineTime(at: Date, timeZone: string | null): string {
  const local = new Date(timeZone ? utcToWallClockMs(timeZone, at.getTime()) : at.getTime());
  return `${local.toISOString().slice(0, 10)} ${local.toISOString().slice(11, 16)}${timeZone ? "" : " UTC"}`;
}

export interface TimelineLine {
  time: string;
  tag: string | null;
  text: string;
  by: string | null;
}

/** The entries as lines for people (the status comment, `--write`, the write-up draft). */
export function timelineLines(timeline: Timeline, timeZone: string | null): TimelineLine[] {
  return timeline.entries.map((entry) => ({
    time: formatTimelineTime(new Date(entry.at), timeZone),
    tag: entry.tag ?? null,
    text: entry.text,
    by: entry.by ?? null,
  }));
}
