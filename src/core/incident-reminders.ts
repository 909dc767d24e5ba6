/**
 * Which reminders an incident is owed now, from its plan (SLA windows), the reminders already
 * recorded, and the reminder policy. Pure.
 *
 * Recorded keys carry the deadline they were sent for (`resolution:75@2026-11-25T08:00:00.000Z`).
 * A threshold is sent once per window (issue #10 item 3): a pause moves the deadline but not the
 * window, so a key recorded for the deadline the window had before a later pause still counts (the
 * window's deadlines with each prefix of its pauses are its own). Only a real change of the window
 * (another start or duration: a reclassification to another deadline) re-arms it, and the first
 * reminder of the new window says so ({@link OwedReminder.rearmedFrom}).
 */
import { addCountedTime } from "./calendar.js";
import {
  planReminders,
  supersededKeys,
  nextReminderAt,
  type DueReminder,
  type ReminderPolicy,
  type WindowClock,
  type WindowName,
} from "./reminders.js";
import type { IncidentPlan } from "./incident-plan.js";
import type { Severity } from "./classification.js";
import { HOUR_MS, type WindowStatus } from "./sla.js";
import type { RemindersPolicy, SlaPolicy } from "./policy.js";

const REMINDER_MARKER = /<!-- incident-keeper:reminder ([^ ]{1,150}) -->/;

/** The reminder policy for one window of an incident of a given severity (window overrides, then severity). */
export function reminderPolicyFor(
  base: RemindersPolicy,
  window: WindowName,
  severity: Severity | null,
): ReminderPolicy {
  const byWindow = base.byWindow[window] ?? {};
  const bySeverity = severity ? (base.bySeverity[`${severity}`] ?? {}) : {};
  return {
    approachingPercents: bySeverity.approachingPercents ?? byWindow.approachingPercents ?? base.approachingPercents,
    atDeadline: bySeverity.atDeadline ?? byWindow.atDeadline ?? base.atDeadline,
    repeatAfterBreachHours:
      bySeverity.repeatAfterBreachHours !== undefined
        ? bySeverity.repeatAfterBreachHours
        : byWindow.repeatAfterBreachHours !== undefined
          ? byWindow.repeatAfterBreachHours
          : base.repeatAfterBreachHours,
  };
}

/** The running SLA windows of an incident as reminder clocks. */
export function windowClocks(plan: IncidentPlan, policy: SlaPolicy): WindowClock[] {
  const pauses = plan.state.pauses.map((p) => ({ start: new Date(p.start), end: p.end ? new Date(p.end) : null }));
  const clockOf = (status: WindowStatus): WindowClock | null => {
    if (!status.startedAt || status.durationHours === null) return null;
    const calendar = policy.businessHoursWindows.includes(status.window) ? policy.calendar : null;
    return {
      window: status.window,
      startedAt: status.startedAt,
      durationMs: status.durationHours * HOUR_MS,
      calendar,
      pauses,
      satisfiedAt: status.satisfiedAt,
    };
  };
  return [clockOf(plan.sla.investigation), clockOf(plan.sla.resolution)].filter((c): c is WindowClock => c !== null);
}

/** `key@deadline` as recorded in state and in the reminder comment's marker. */
export function recordedKey(key: string, deadline: Date): string {
  return `${key}@${deadline.toISOString()}`;
}

/** The marker a reminder comment carries, so a reminder is never sent twice even if the state write was lost. */
export function reminderMarker(recorded: string): string {
  return `<!-- incident-keeper:reminder ${recorded} -->`;
}

/** Recorded keys found in a set of comment markers. */
export function recordedFromMarkers(markers: Iterable<string>): string[] {
  const keys: string[] = [];
  for (const marker of markers) {
    const match = REMINDER_MARKER.exec(marker);
    if (match?.[1]) keys.push(match[1]);
  }
  return keys;
}

export interface OwedReminder {
  reminder: DueReminder;
  /** Keys to record: this reminder's and the ones it supersedes, all with the deadline. */
  record: string[];
  /**
   * The deadline this window had when its last reminder was sent, when that was another window
   * (reclassified to another deadline) and nothing was sent for this one yet; absent otherwise.
   */
  rearmedFrom?: Date;
}

/**
 * Every deadline the window has had during this run: with none, the first, ... all of its pauses
 * (pauses only ever end or are added at the end, and no reminder goes out while one is open).
 */
export function deadlinesOfRun(clock: WindowClock): Set<string> {
  const deadlines = new Set<string>();
  for (let count = 0; count <= clock.pauses.length; count += 1) {
    const pauses = clock.pauses.slice(0, count);
    if (pauses.some((p) => p.end === null)) break;
    const deadline = addCountedTime({
      start: clock.startedAt,
      durationMs: clock.durationMs,
      calendar: clock.calendar,
      pauses,
    });
    if (deadline) deadlines.add(deadline.toISOString());
  }
  return deadlines;
}

/** Reminders owed now (at most one per window), most urgent first; and when the next one falls due. */
export function owedReminders(args: {
  plan: IncidentPlan;
  policies: { sla: SlaPolicy; reminders: RemindersPolicy };
  recorded: Iterable<string>;
  now: Date;
  open: boolean;
}): { owed: OwedReminder[]; nextAt: Date | null } {
  const { plan, policies, now } = args;
  if (!args.open || !policies.reminders.enabled) return { owed: [], nextAt: null };
  const clocks = windowClocks(plan, policies.sla);
  const severity = plan.classification.severity;
  const policy = (window: WindowName): ReminderPolicy => reminderPolicyFor(policies.reminders, window, severity);
  const recorded = new Set(args.recorded);
  const deadlines = new Map<WindowName, Date | null>();
  for (const status of [plan.sla.investigation, plan.sla.resolution]) deadlines.set(status.window, status.deadline);
  const runs = new Map<WindowName, Set<string>>();
  for (const clock of clocks) {
    const run = deadlinesOfRun(clock);
    const deadline = deadlines.get(clock.window);
    if (deadline) run.add(deadline.toISOString());
    runs.set(clock.window, run);
  }
  const sent = new Set<string>();
  /** Per window, the latest deadline recorded for another run of it. */
  const otherRun = new Map<WindowName, string>();
  for (const entry of recorded) {
    const at = entry.lastIndexOf("@");
    if (at < 0) continue;
    const key = entry.slice(0, at);
    const window = key.split(":")[0] as WindowName;
    const recordedFor = entry.slice(at + 1);
    if (runs.get(window)?.has(recordedFor)) sent.add(key);
    else if (runs.has(window) && !Number.isNaN(Date.parse(recordedFor)) && (otherRun.get(window) ?? "") < recordedFor)
      otherRun.set(window, recordedFor);
  }
  const due = planReminders({ clocks, policy, sent, now });
  const owed = due.map((reminder): OwedReminder => {
    const clock = clocks.find((c) => c.window === reminder.window);
    const keys = [reminder.key, ...(clock ? supersededKeys(reminder, clock, policy(reminder.window)) : [])];
    const sentInRun = [...sent].some((k) => k.startsWith(`${reminder.window}:`));
    const previous = otherRun.get(reminder.window);
    return {
      reminder,
      record: keys.map((k) => recordedKey(k, reminder.deadline)),
      ...(previous && !sentInRun ? { rearmedFrom: new Date(previous) } : {}),
    };
  });
  const afterPosting = new Set([
    ...sent,
    ...owed.flatMap((o) => [o.reminder.key, ...o.record.map((r) => r.slice(0, r.lastIndexOf("@")))]),
  ]);
  return { owed, nextAt: nextReminderAt({ clocks, policy, sent: afterPosting, now }) };
}
