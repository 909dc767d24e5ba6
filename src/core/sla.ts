/**
 * SLA clocks: the investigation window and the Sev x DevOps resolution window.
 * Pure: all instants are UTC `Date`s handed in; "now" is a parameter.
 */
import { addCountedTime, type Interval } from "./calendar.js";
import type { Classification } from "./classification.js";
import type { SlaPolicy } from "./policy.js";

export type { SlaPolicy };

export const HOUR_MS = 3_600_000;

export type ResolutionClockStart = "opened" | "classified" | "end-of-investigation";
export type SlaWindowName = "investigation" | "resolution";

/** The real timestamps an incident's clocks are measured from. */
export interface IncidentTimes {
  openedAt: Date;
  /** When the investigation window starts (default: `openedAt`). */
  investigationStartedAt?: Date;
  /** When the incident first became fully classified, or null. */
  classifiedAt: Date | null;
  /** When the incident was resolved (closed, or marked resolved), or null. */
  resolvedAt: Date | null;
  /** Intervals during which the clocks were paused (end null = still paused). */
  pauses?: Interval[];
}

/**
 * - `pending`: the window cannot start yet (e.g. resolution before classification);
 * - `not-applicable`: no window for this incident (feature request, Sev 5...);
 * - `paused`: running but stopped by an open pause, so there is no deadline now;
 * - `on-track`: running, deadline not passed (at the exact deadline instant it is still on track);
 * - `met`: satisfied at or before the deadline;
 * - `breached`: deadline passed unsatisfied, or satisfied after it.
 */
export type WindowState = "pending" | "not-applicable" | "paused" | "on-track" | "met" | "breached";

export interface WindowStatus {
  window: SlaWindowName;
  state: WindowState;
  startedAt: Date | null;
  deadline: Date | null;
  durationHours: number | null;
  satisfiedAt: Date | null;
}

export interface SlaStatus {
  investigation: WindowStatus;
  resolution: WindowStatus;
}

/** True when the classification is complete enough to stop the investigation clock. */
export function isFullyClassified(classification: Classification, policy: SlaPolicy): boolean {
  if (classification.category === null) return false;
  if (!policy.resolutionCategories.includes(classification.category)) return true;
  return classification.severity !== null && classification.devops !== null;
}

/** Resolution hours for a classification, or null when it gets no resolution window. */
export function resolutionHoursFor(classification: Classification, policy: SlaPolicy): number | null {
  const { category, severity, devops } = classification;
  if (category === null || !policy.resolutionCategories.includes(category)) return null;
  if (severity === null || devops === null) return null;
  return policy.resolutionHours[`${severity}`][`${devops}`];
}

function stateOf(deadline: Date, satisfiedAt: Date | null, now: Date): WindowState {
  if (satisfiedAt !== null) return satisfiedAt.getTime() <= deadline.getTime() ? "met" : "breached";
  return now.getTime() > deadline.getTime() ? "breached" : "on-track";
}

function windowOf(args: {
  window: SlaWindowName;
  startedAt: Date;
  hours: number;
  satisfiedAt: Date | null;
  now: Date;
  policy: SlaPolicy;
  pauses: Interval[];
}): WindowStatus {
  const calendar = args.policy.businessHoursWindows.includes(args.window) ? args.policy.calendar : null;
  const deadline =
    calendar === null && args.pauses.length === 0
      ? new Date(args.startedAt.getTime() + args.hours * HOUR_MS)
      : addCountedTime({ start: args.startedAt, durationMs: args.hours * HOUR_MS, calendar, pauses: args.pauses });
  if (deadline === null) {
    return {
      window: args.window,
      state: args.satisfiedAt ? "met" : "paused",
      startedAt: args.startedAt,
      deadline: null,
      durationHours: args.hours,
      satisfiedAt: args.satisfiedAt,
    };
  }
  return {
    window: args.window,
    state: stateOf(deadline, args.satisfiedAt, args.now),
    startedAt: args.startedAt,
    deadline,
    durationHours: args.hours,
    satisfiedAt: args.satisfiedAt,
  };
}

function idle(
  window: SlaWindowName,
  state: "pending" | "not-applicable",
  durationHours: number | null = null,
): WindowStatus {
  return { window, state, startedAt: null, deadline: null, durationHours, satisfiedAt: null };
}

/** Evaluates both SLA windows of an incident at `now`. */
export function evaluateSla(args: {
  times: IncidentTimes;
  classification: Classification;
  policy: SlaPolicy;
  now: Date;
}): SlaStatus {
  const { times, classification, policy, now } = args;
  const investigation = windowOf({
    window: "investigation",
    startedAt: times.investigationStartedAt ?? times.openedAt,
    hours: policy.investigationHours,
    satisfiedAt: times.classifiedAt,
    now,
    policy,
    pauses: times.pauses ?? [],
  });
  return { investigation, resolution: resolutionWindow({ times, classification, policy, now, investigation }) };
}

function resolutionWindow(args: {
  times: IncidentTimes;
  classification: Classification;
  policy: SlaPolicy;
  now: Date;
  investigation: WindowStatus;
}): WindowStatus {
  const { times, classification, policy, now, investigation } = args;
  const { category, severity, devops } = classification;
  if (category !== null && !policy.resolutionCategories.includes(category)) return idle("resolution", "not-applicable");
  // The matrix cell alone decides: with the category still unknown the incident may yet be a core bug.
  if (severity !== null && devops !== null && policy.resolutionHours[`${severity}`][`${devops}`] === null) {
    return idle("resolution", "not-applicable");
  }
  if (severity !== null && devops === null) {
    // A severity whose whole row has no window needs no DevOps level to know that.
    const row = policy.resolutionHours[`${severity}`];
    if (Object.values(row).every((hours) => hours === null)) return idle("resolution", "not-applicable");
  }
  const hours = resolutionHoursFor(classification, policy);
  const startedAt = resolutionStart(times, policy, investigation);
  if (hours === null || startedAt === null) return idle("resolution", "pending", hours);
  return windowOf({
    window: "resolution",
    startedAt,
    hours,
    satisfiedAt: times.resolvedAt,
    now,
    policy,
    pauses: times.pauses ?? [],
  });
}

function resolutionStart(times: IncidentTimes, policy: SlaPolicy, investigation: WindowStatus): Date | null {
  switch (policy.resolutionClockStart) {
    case "opened":
      return times.openedAt;
    case "classified":
      return times.classifiedAt;
    case "end-of-investigation":
      return investigation.deadline;
  }
}
