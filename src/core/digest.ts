/**
 * When the weekly digest is due, and which week it reports. Pure: "now" is a parameter.
 *
 * The digest is due from `weekday` at `time` (local, in the calendar's time zone, else UTC) of each
 * ISO week, and reports the previous ISO week (Monday to Sunday, as UTC days). One digest per
 * reported week: its marker names that week.
 */
import { isoWeek, isoWeekStart } from "./metrics.js";

const DAY_MS = 86_400_000;

export interface DigestSchedule {
  /** ISO weekday 1 = Monday ... 7 = Sunday. */
  weekday: number;
  /** "HH:MM", local. */
  time: string;
  /** IANA time zone; null = UTC. */
  timeZone: string | null;
}

export interface DueDigest {
  /** The reported ISO week, e.g. `2026-W09`. */
  week: string;
  /** First day reported (UTC midnight). */
  since: Date;
  /** First day not reported. */
  until: Date;
  /** When this digest became due. */
  dueAt: Date;
}

/** The digest due at `now`, or null before this week's scheduled time. */
export function dueDigest(schedule: DigestSchedule, now: Date): DueDigest | null {
  const offset = (utcMs: number): number => offsetMs(schedule.timeZone, utcMs);
  const localNow = now.getTime() + offset(now.getTime());
  const monday = isoWeekStart(new Date(localNow)).getTime(); // local Monday 00:00, as if it were UTC
  const [hours, minutes] = schedule.time.split(":").map(Number) as [number, number];
  const localDue = monday + (schedule.weekday - 1) * DAY_MS + (hours * 60 + minutes) * 60_000;
  // Local wall time to UTC: the offset at the guess, corrected once (daylight-saving edges).
  const guess = localDue - offset(localDue);
  const dueAt = new Date(localDue - offset(guess));
  if (now.getTime() < dueAt.getTime()) return null;
  const since = new Date(monday - 7 * DAY_MS);
  return { week: isoWeek(since), since, until: new Date(monday), dueAt };
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetMs(timeZone: string | null, utcMs: number): number {
  if (timeZone === null || timeZone === "UTC") return 0;
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(utcMs));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return local - Math.floor(utcMs / 1000) * 1000;
}

/** The hidden marker of the digest of one reported week. */
export function digestMarker(week: string): string {
  return `<!-- incident-keeper:digest ${week} -->`;
}
