/**
 * The reminder horizon: the earliest instant at which an incident could owe any SLA reminder, from
 * what an issue search returns alone (creation time, labels, open or closed) and the config. Pure.
 *
 * It is a sound lower bound over every hidden state the app's status comment could hold for those
 * labels: any classification time, any pauses, any resolution mark, any reminders already recorded.
 * While `now` is before it, the sweep need not read the incident at all: {@link owedReminders} would
 * return nothing whatever the comment says. Why each bound holds:
 *
 * - Investigation starts at creation. It can only owe reminders while unsatisfied, i.e. while the
 *   incident has no classification time; with labels that classify it fully, the planner takes the
 *   recorded classification time or else `now`, both not after `now`, so the window is satisfied.
 *   (A recorded instant is never in the future: the app records its own clock when it observes it.)
 * - Resolution needs a full classification from the labels (no window otherwise) and starts at the
 *   earliest at creation (`opened`, `classified`: the classification time is not before creation) or at
 *   the investigation deadline computed without pauses (`end-of-investigation`).
 * - A threshold instant only moves later when the window starts later (the calendar walk is monotone)
 *   or when pauses remove counted time; so each window's thresholds are computed from its earliest
 *   start with no pauses, with the same calendar arithmetic the planner uses ({@link nextReminderAt}).
 * - While the pause label is on an open incident, the planner sees an open pause that began at or
 *   before `now`; a window then has a deadline (and so any reminder) only if its whole duration was
 *   counted before that pause, i.e. its deadline is not after `now`. So a paused incident's window is
 *   quiet until its earliest possible deadline as well as its first threshold.
 * - Recorded reminders only ever suppress reminders, so "none recorded" is the earliest case.
 */
import { addCountedTime } from "./calendar.js";
import { readClassification } from "./classification.js";
import type { IncidentIssue } from "./incident.js";
import { reminderPolicyFor } from "./incident-reminders.js";
import { earliestInvestigationStart } from "./alert-group.js";
import { slaPolicyOf } from "./incident-plan.js";
import { configFor } from "./security.js";
import { nextReminderAt, type WindowClock, type WindowName } from "./reminders.js";
import { HOUR_MS, isFullyClassified, resolutionHoursFor, type SlaPolicy } from "./sla.js";
import type { IncidentKeeperConfig } from "../config/schema.js";
import { labelsInclude } from "./labels.js";

/** What the horizon needs from an incident: all of it is in an issue search result. */
export type HorizonIssue = Pick<IncidentIssue, "createdAt" | "labels" | "state"> & { body?: string };

/**
 * The earliest instant any reminder of this incident could be due, or null when none ever can while
 * its labels and state stay as they are (reminders off, closed, no window with any reminder).
 * Before that instant the incident owes nothing, whatever its status comment records.
 */
export function reminderHorizon(issue: HorizonIssue, repoConfig: IncidentKeeperConfig): Date | null {
  if (issue.state !== "open" || !repoConfig.reminders.enabled) return null;
  // A security incident's own windows (issue #14): it carries the security label.
  const config = configFor(repoConfig, issue.labels, null);
  const policy = slaPolicyOf(config);
  const classification = readClassification(issue.labels, config.labels);
  const paused = labelsInclude(issue.labels, config.labels.sla_paused);
  // An incident filed from an alert starts its clocks at the alert's start (hinted in its body).
  const openedAt = earliestInvestigationStart(issue);
  const investigation = clockOf(policy, "investigation", openedAt, policy.investigationHours);

  const clocks: WindowClock[] = [];
  if (!isFullyClassified(classification, policy)) clocks.push(investigation);
  const resolutionHours = resolutionHoursFor(classification, policy);
  if (resolutionHours !== null) {
    const start = policy.resolutionClockStart === "end-of-investigation" ? deadlineOf(investigation) : openedAt;
    clocks.push(clockOf(policy, "resolution", start, resolutionHours));
  }

  let horizonMs = Infinity;
  for (const clock of clocks) {
    const reminderPolicy = reminderPolicyFor(config, clock.window, classification.severity);
    // Every threshold lies after the window's start, so "the next one after just before the start" is the first.
    const first = nextReminderAt({
      clocks: [clock],
      policy: reminderPolicy,
      sent: new Set(),
      now: new Date(clock.startedAt.getTime() - 1),
    });
    if (first === null) continue;
    const earliestMs = paused ? Math.max(first.getTime(), deadlineOf(clock).getTime()) : first.getTime();
    horizonMs = Math.min(horizonMs, earliestMs);
  }
  return horizonMs === Infinity ? null : new Date(horizonMs);
}

function clockOf(policy: SlaPolicy, window: WindowName, startedAt: Date, hours: number): WindowClock {
  const calendar = policy.businessHoursWindows?.includes(window) ? (policy.calendar ?? null) : null;
  return { window, startedAt, durationMs: hours * HOUR_MS, calendar, pauses: [], satisfiedAt: null };
}

/** The window's deadline without pauses (never null: only an open pause stops the walk). */
function deadlineOf(clock: WindowClock): Date {
  return addCountedTime({
    start: clock.startedAt,
    durationMs: clock.durationMs,
    calendar: clock.calendar,
    pauses: [],
  })!;
}
