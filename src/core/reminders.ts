/**
 * Reminder planning for SLA windows. GitHub sends no event when a deadline passes, so a periodic
 * sweep asks {@link planReminders} what to post for each open incident, posts it, and records the
 * keys it posted (plus {@link supersededKeys}) in the incident's hidden state.
 *
 * Thresholds of one window, from least to most severe:
 * - `approaching` at each policy percent of the window's COUNTED time (business hours and pauses
 *   respected), key `<window>:<percent>`, e.g. "investigation:50";
 * - `breach` at the deadline (100 %), key `<window>:breach`, when `atDeadline`;
 * - `overdue` repeats, key `<window>:overdue:<n>`, due at deadline + n x `repeatAfterBreachHours`
 *   of WALL-CLOCK time. Wall clock on purpose: once breached the incident is late in everybody's eyes,
 *   and 24 business hours would mean a reminder only every third calendar day. Pauses do not delay or
 *   suppress repeats once the deadline has passed (a pause cannot un-breach a window).
 *
 * Keys identify a threshold within one run of a window. A caller that restarts a window (a new
 * `startedAt`, e.g. after reopening) must forget that window's recorded keys.
 */
import { addCountedTimes, countedTimeBetween, type BusinessCalendar, type Interval } from "./calendar.js";

export type WindowName = "investigation" | "resolution";

/** When to remind about one window. */
export interface ReminderPolicy {
  /** Percents of counted time at which to warn; values outside (0, 100) are ignored. Default [50, 75]. */
  approachingPercents: number[];
  /** Remind at the deadline itself. Default true. */
  atDeadline: boolean;
  /** Repeat every this many wall-clock hours after the deadline; null (or <= 0) = never. Default 24. */
  repeatAfterBreachHours: number | null;
}

/** The reminder policy the app uses when the repository configures none. */
export const DEFAULT_REMINDER_POLICY: Readonly<ReminderPolicy> = Object.freeze({
  approachingPercents: [50, 75],
  atDeadline: true,
  repeatAfterBreachHours: 24,
});

/** One SLA window of one incident. */
export interface WindowClock {
  window: WindowName;
  startedAt: Date;
  /** Counted time allowed, e.g. 12 h for investigation. */
  durationMs: number;
  /** Business calendar, or null for 24/7. */
  calendar: BusinessCalendar | null;
  pauses: Interval[];
  /** When the window's goal was met (classified / resolved): no reminders from then on. */
  satisfiedAt: Date | null;
}

export type ReminderKind = "approaching" | "breach" | "overdue";

/** One threshold of a window and the instant it falls due. */
export interface Threshold {
  key: string;
  kind: ReminderKind;
  /** The percent for `approaching`, 100 for `breach`, null for `overdue`. */
  percent: number | null;
  dueAt: Date;
}

/** A reminder to post now. */
export interface DueReminder {
  window: WindowName;
  /** Stable id: "investigation:50", "investigation:breach", "investigation:overdue:2" (2nd repeat). */
  key: string;
  kind: ReminderKind;
  /** The percent for `approaching`, 100 for `breach`, null for `overdue`. */
  percent: number | null;
  deadline: Date;
  /** When this threshold was reached. */
  dueAt: Date;
  /** Wall-clock time since the deadline; 0 before it. */
  overdueMs: number;
  /** Counted time left until the deadline; 0 from the deadline on. */
  remainingMs: number;
}

type PolicyInput = ReminderPolicy | ((window: WindowName) => ReminderPolicy);

const MS_PER_HOUR = 3_600_000;

/**
 * Thresholds for one window: their keys and the instant each falls due (percent of counted time,
 * deadline, repeats after breach up to `now`), least severe first, which is also due-time order.
 * Satisfaction is not considered here. When an open pause stops the clock, only the thresholds
 * reached before the pause are listed (no breach, no repeats). Every repeat up to `now` is listed.
 */
export function thresholdsFor(clock: WindowClock, policy: ReminderPolicy, now: Date): Threshold[] {
  const schedule = scheduleFor(clock, policy);
  const thresholds = [...schedule.approaching];
  if (schedule.breach !== null) thresholds.push(schedule.breach);
  for (let repeat = 1; repeat <= lastRepeatBy(schedule, now.getTime()); repeat += 1) {
    thresholds.push(overdueThreshold(schedule, repeat));
  }
  return thresholds;
}

/**
 * The reminders to post now: for each window not satisfied (satisfiedAt null or after now) whose most
 * severe threshold reached by `now` is not in `sent`, exactly one reminder — the most severe reached
 * (breach/overdue beats 75 beats 50; the latest overdue repeat beats earlier ones). Never a burst of
 * stale ones: if 50 and 75 were both passed and neither sent, only 75 is returned; once a more severe
 * one was sent (any recorded key of the window at least as severe), a less severe one is never
 * returned later. Windows whose deadline is null (paused) get none.
 *
 * Sorted by {@link compareUrgency}, most urgent first.
 *
 * @throws RangeError when two clocks share a window name, or for invalid clocks (see addCountedTime).
 */
export function planReminders(args: {
  clocks: WindowClock[];
  policy: PolicyInput;
  sent: ReadonlySet<string>;
  now: Date;
}): DueReminder[] {
  const nowMs = args.now.getTime();
  const reminders: DueReminder[] = [];
  for (const clock of activeClocks(args.clocks, nowMs)) {
    const schedule = scheduleFor(clock, resolvePolicy(args.policy, clock.window));
    if (schedule.deadline === null) continue;
    const reached = mostSevereReached(schedule, nowMs);
    if (reached === null) continue;
    const sentSeverity = mostSevereSent(clock.window, args.sent);
    if (sentSeverity !== null && compareSeverity(sentSeverity, severityOfKey(clock.window, reached.key)!) >= 0) {
      continue;
    }
    const deadlineMs = schedule.deadline.getTime();
    reminders.push({
      window: clock.window,
      key: reached.key,
      kind: reached.kind,
      percent: reached.percent,
      deadline: schedule.deadline,
      dueAt: reached.dueAt,
      overdueMs: Math.max(0, nowMs - deadlineMs),
      remainingMs:
        nowMs < deadlineMs
          ? countedTimeBetween({
              start: args.now,
              end: schedule.deadline,
              calendar: clock.calendar,
              pauses: clock.pauses,
            })
          : 0,
    });
  }
  return reminders.sort(compareUrgency);
}

/**
 * Keys that `planReminders` supersedes, so the caller can record them as handled together with the
 * one it posts (e.g. posting "75" also marks "50"; posting "overdue:3" marks 50, 75, breach,
 * overdue:1 and overdue:2). Least severe first.
 */
export function supersededKeys(reminder: DueReminder, clock: WindowClock, policy: ReminderPolicy): string[] {
  if (reminder.window !== clock.window) {
    throw new RangeError(`reminder ${reminder.key} belongs to ${reminder.window}, not to the ${clock.window} clock`);
  }
  const severity = severityOfKey(reminder.window, reminder.key);
  if (severity === null) throw new RangeError(`not a reminder key: ${reminder.key}`);
  return thresholdsFor(clock, policy, reminder.dueAt)
    .filter((threshold) => compareSeverity(severityOfKey(clock.window, threshold.key)!, severity) < 0)
    .map((threshold) => threshold.key);
}

/**
 * Urgency for ordering when a sweep's write budget is limited: most urgent first. Earlier deadline
 * first (breached longest ago, then closest to breach in wall-clock time); for the same deadline the
 * more severe threshold (the later `dueAt`) first; then window and key so the order is total.
 */
export function compareUrgency(a: DueReminder, b: DueReminder): number {
  return (
    a.deadline.getTime() - b.deadline.getTime() ||
    b.dueAt.getTime() - a.dueAt.getTime() ||
    compareText(a.window, b.window) ||
    compareText(a.key, b.key)
  );
}

/**
 * When the next threshold falls due after `now` (strictly) among windows not yet satisfied, skipping
 * thresholds that are no more severe than what was already sent (they would never be posted), or null
 * when there is none (all satisfied, paused, or nothing left and no repeats).
 */
export function nextReminderAt(args: {
  clocks: WindowClock[];
  policy: PolicyInput;
  sent: ReadonlySet<string>;
  now: Date;
}): Date | null {
  const nowMs = args.now.getTime();
  let nextMs = Infinity;
  for (const clock of activeClocks(args.clocks, nowMs)) {
    const schedule = scheduleFor(clock, resolvePolicy(args.policy, clock.window));
    if (schedule.deadline === null) continue;
    const sentSeverity = mostSevereSent(clock.window, args.sent);
    const candidates = [...schedule.approaching];
    if (schedule.breach !== null) candidates.push(schedule.breach);
    if (schedule.repeatMs !== null) {
      // The first repeat both after `now` and beyond any repeat already recorded.
      const lastSentRepeat = sentSeverity !== null && sentSeverity[0] === OVERDUE_TIER ? sentSeverity[1] : 0;
      candidates.push(overdueThreshold(schedule, Math.max(lastRepeatBy(schedule, nowMs), lastSentRepeat) + 1));
    }
    const satisfiedMs = clock.satisfiedAt?.getTime() ?? Infinity;
    for (const candidate of candidates) {
      const dueMs = candidate.dueAt.getTime();
      // NaN when a recorded repeat number is absurdly large: such a repeat never falls due.
      if (Number.isNaN(dueMs) || dueMs <= nowMs || dueMs >= satisfiedMs || dueMs >= nextMs) continue;
      if (sentSeverity !== null && compareSeverity(sentSeverity, severityOfKey(clock.window, candidate.key)!) >= 0) {
        continue;
      }
      nextMs = dueMs;
    }
  }
  return nextMs === Infinity ? null : new Date(nextMs);
}

// ---------------------------------------------------------------------------------------------

interface Schedule {
  window: WindowName;
  deadline: Date | null;
  /** Reachable approaching thresholds, ascending. */
  approaching: Threshold[];
  breach: Threshold | null;
  repeatMs: number | null;
}

function scheduleFor(clock: WindowClock, policy: ReminderPolicy): Schedule {
  const { window, startedAt: start, durationMs, calendar, pauses } = clock;
  const percents = [...new Set(policy.approachingPercents)]
    .filter((percent) => Number.isFinite(percent) && percent > 0 && percent < 100)
    .sort((a, b) => a - b);
  // Rounded up so that a threshold is never reported before its percent is really used.
  const durationsMs = [...percents.map((percent) => Math.ceil((durationMs * percent) / 100)), durationMs];
  const instants = addCountedTimes({ start, durationsMs, calendar, pauses });
  const deadline = instants[percents.length]!;
  const approaching: Threshold[] = [];
  percents.forEach((percent, index) => {
    const dueAt = instants[index]!;
    if (dueAt !== null) approaching.push({ key: `${window}:${percent}`, kind: "approaching", percent, dueAt });
  });
  const breach: Threshold | null =
    policy.atDeadline && deadline !== null
      ? { key: `${window}:breach`, kind: "breach", percent: 100, dueAt: deadline }
      : null;
  const hours = policy.repeatAfterBreachHours;
  const repeatMs = hours !== null && Number.isFinite(hours) && hours > 0 ? Math.round(hours * MS_PER_HOUR) : null;
  return { window, deadline, approaching, breach, repeatMs: repeatMs === 0 ? null : repeatMs };
}

/** The number of the last overdue repeat due by `nowMs` (0 when none). */
function lastRepeatBy(schedule: Schedule, nowMs: number): number {
  if (schedule.deadline === null || schedule.repeatMs === null) return 0;
  const overdueMs = nowMs - schedule.deadline.getTime();
  return overdueMs < 0 ? 0 : Math.floor(overdueMs / schedule.repeatMs);
}

function overdueThreshold(schedule: Schedule, repeat: number): Threshold {
  return {
    key: `${schedule.window}:overdue:${repeat}`,
    kind: "overdue",
    percent: null,
    dueAt: new Date(schedule.deadline!.getTime() + repeat * schedule.repeatMs!),
  };
}

function mostSevereReached(schedule: Schedule, nowMs: number): Threshold | null {
  const repeat = lastRepeatBy(schedule, nowMs);
  if (repeat > 0) return overdueThreshold(schedule, repeat);
  if (schedule.breach !== null && schedule.breach.dueAt.getTime() <= nowMs) return schedule.breach;
  const reached = schedule.approaching.filter((threshold) => threshold.dueAt.getTime() <= nowMs);
  return reached[reached.length - 1] ?? null;
}

function* activeClocks(clocks: WindowClock[], nowMs: number): Generator<WindowClock> {
  const seen = new Set<WindowName>();
  for (const clock of clocks) {
    if (seen.has(clock.window)) throw new RangeError(`two clocks for the ${clock.window} window`);
    seen.add(clock.window);
    if (clock.satisfiedAt !== null && clock.satisfiedAt.getTime() <= nowMs) continue;
    yield clock;
  }
}

function resolvePolicy(policy: PolicyInput, window: WindowName): ReminderPolicy {
  return typeof policy === "function" ? policy(window) : policy;
}

/** [tier, order]: approaching = [0, percent], breach = [1, 0], overdue n = [2, n]. */
type Severity = readonly [number, number];
const APPROACHING_TIER = 0;
const BREACH_TIER = 1;
const OVERDUE_TIER = 2;

function compareSeverity(a: Severity, b: Severity): number {
  return a[0] - b[0] || a[1] - b[1];
}

/** The severity a key denotes within `window`, or null for another window's or a foreign key. */
function severityOfKey(window: WindowName, key: string): Severity | null {
  const prefix = `${window}:`;
  if (!key.startsWith(prefix)) return null;
  const rest = key.slice(prefix.length);
  if (rest === "breach") return [BREACH_TIER, 0];
  const overdue = /^overdue:(\d+)$/.exec(rest);
  if (overdue !== null) return [OVERDUE_TIER, Number(overdue[1])];
  const percent = rest === "" ? NaN : Number(rest);
  return Number.isFinite(percent) ? [APPROACHING_TIER, percent] : null;
}

function mostSevereSent(window: WindowName, sent: ReadonlySet<string>): Severity | null {
  let most: Severity | null = null;
  for (const key of sent) {
    const severity = severityOfKey(window, key);
    if (severity !== null && (most === null || compareSeverity(severity, most) > 0)) most = severity;
  }
  return most;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
