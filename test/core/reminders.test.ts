import { describe, expect, test } from "@jest/globals";
import type { BusinessCalendar, Interval } from "../../src/core/calendar.js";
import {
  compareUrgency,
  DEFAULT_REMINDER_POLICY,
  nextReminderAt,
  planReminders,
  supersededKeys,
  thresholdsFor,
  type DueReminder,
  type ReminderPolicy,
  type WindowClock,
  type WindowName,
} from "../../src/core/reminders.js";

const HOUR_MS = 3_600_000;
const at = (iso: string): Date => new Date(iso);
/** Monday 2024-01-15 08:00Z: the start of the 24/7 investigation window used throughout. */
const T0 = at("2024-01-15T08:00:00Z");
/** `hours` after T0, plus `ms`. */
const h = (hours: number, ms = 0): Date => new Date(T0.getTime() + hours * HOUR_MS + ms);

const BERLIN: BusinessCalendar = {
  timeZone: "Europe/Berlin",
  workingDays: [1, 2, 3, 4, 5],
  startTime: "09:00",
  endTime: "17:00",
  holidays: ["2024-05-01"],
};
const NEW_YORK: BusinessCalendar = { ...BERLIN, timeZone: "America/New_York", holidays: [] };
const KOLKATA: BusinessCalendar = { ...BERLIN, timeZone: "Asia/Kolkata", holidays: [] };

/** 12 h investigation, 24/7, from T0: 50 % at +6 h, 75 % at +9 h, deadline at +12 h. */
const investigation = (overrides: Partial<WindowClock> = {}): WindowClock => ({
  window: "investigation",
  startedAt: T0,
  durationMs: 12 * HOUR_MS,
  calendar: null,
  pauses: [],
  satisfiedAt: null,
  ...overrides,
});
const resolution = (overrides: Partial<WindowClock> = {}): WindowClock => ({
  ...investigation(overrides),
  window: "resolution",
  ...overrides,
});
const policyWith = (overrides: Partial<ReminderPolicy> = {}): ReminderPolicy => ({
  ...DEFAULT_REMINDER_POLICY,
  ...overrides,
});
const pause = (start: Date, end: Date | null): Interval => ({ start, end });

function keysAt(args: { now: Date; sent?: string[]; clocks?: WindowClock[]; policy?: ReminderPolicy }): string[] {
  return planReminders({
    clocks: args.clocks ?? [investigation()],
    policy: args.policy ?? policyWith(),
    sent: new Set(args.sent ?? []),
    now: args.now,
  }).map((reminder) => reminder.key);
}

interface PlanCase {
  name: string;
  now: Date;
  sent?: string[];
  clocks?: WindowClock[];
  policy?: ReminderPolicy;
  keys: string[];
}

describe("planReminders: thresholds of a 12 h window (default policy)", () => {
  test.each<PlanCase>([
    { name: "nothing at the start", now: T0, keys: [] },
    { name: "nothing before the window started", now: h(-1), keys: [] },
    { name: "nothing 1 ms before 50 %", now: h(6, -1), keys: [] },
    { name: "50 % exactly at 50 %", now: h(6), keys: ["investigation:50"] },
    { name: "nothing once 50 % was sent", now: h(7), sent: ["investigation:50"], keys: [] },
    { name: "nothing 1 ms before 75 %", now: h(9, -1), sent: ["investigation:50"], keys: [] },
    { name: "75 % exactly at 75 %", now: h(9), sent: ["investigation:50"], keys: ["investigation:75"] },
    { name: "only 75 % when 50 % and 75 % both passed unsent (no stale burst)", now: h(9), keys: ["investigation:75"] },
    { name: "nothing once 75 % was sent", now: h(10), sent: ["investigation:75"], keys: [] },
    { name: "still 75 % 1 ms before the deadline", now: h(12, -1), keys: ["investigation:75"] },
    { name: "breach exactly at the deadline", now: h(12), keys: ["investigation:breach"] },
    {
      name: "breach after 50 % and 75 % were sent",
      now: h(12),
      sent: ["investigation:50", "investigation:75"],
      keys: ["investigation:breach"],
    },
    { name: "nothing once the breach was sent", now: h(13), sent: ["investigation:breach"], keys: [] },
    { name: "nothing 1 ms before the first repeat", now: h(36, -1), sent: ["investigation:breach"], keys: [] },
    {
      name: "overdue:1 24 h after the deadline",
      now: h(36),
      sent: ["investigation:breach"],
      keys: ["investigation:overdue:1"],
    },
    { name: "only overdue:2 at 48 h when nothing was ever sent", now: h(60), keys: ["investigation:overdue:2"] },
    {
      name: "overdue:2 at 48 h after overdue:1",
      now: h(60),
      sent: ["investigation:overdue:1"],
      keys: ["investigation:overdue:2"],
    },
    { name: "nothing 1 ms before 72 h", now: h(84, -1), sent: ["investigation:overdue:2"], keys: [] },
    { name: "overdue:3 at 72 h", now: h(84), sent: ["investigation:overdue:2"], keys: ["investigation:overdue:3"] },
    { name: "nothing once overdue:3 was sent", now: h(90), sent: ["investigation:overdue:3"], keys: [] },
    {
      name: "the latest repeat only, a week late",
      now: h(12 + 7 * 24 + 1),
      sent: ["investigation:breach"],
      keys: ["investigation:overdue:7"],
    },
    {
      name: "never a less severe one after a more severe one was sent",
      now: h(6),
      sent: ["investigation:breach"],
      keys: [],
    },
    {
      name: "a recorded percent the policy no longer has still counts",
      now: h(9),
      sent: ["investigation:80"],
      keys: [],
    },
    {
      name: "a recorded later repeat suppresses earlier ones",
      now: h(84),
      sent: ["investigation:overdue:5"],
      keys: [],
    },
    {
      name: "the other window's keys do not count",
      now: h(6),
      sent: ["resolution:breach", "resolution:overdue:9"],
      keys: ["investigation:50"],
    },
    {
      name: "foreign keys are ignored",
      now: h(6),
      sent: ["nudge", "investigation:", "investigation:soon", "investigation:overdue:x"],
      keys: ["investigation:50"],
    },
  ])("$name", (testCase) => {
    expect(keysAt(testCase)).toEqual(testCase.keys);
  });
});

describe("planReminders: policies", () => {
  test.each<PlanCase>([
    {
      name: "no repeats (null): nothing after the breach",
      now: h(84),
      sent: ["investigation:breach"],
      policy: policyWith({ repeatAfterBreachHours: null }),
      keys: [],
    },
    {
      name: "no repeats (null): the breach when it was never sent",
      now: h(84),
      policy: policyWith({ repeatAfterBreachHours: null }),
      keys: ["investigation:breach"],
    },
    {
      name: "a repeat of 0 h counts as never",
      now: h(84),
      sent: ["investigation:breach"],
      policy: policyWith({ repeatAfterBreachHours: 0 }),
      keys: [],
    },
    {
      name: "every 6 h: overdue:3 18 h after the deadline",
      now: h(30),
      policy: policyWith({ repeatAfterBreachHours: 6 }),
      keys: ["investigation:overdue:3"],
    },
    {
      name: "no reminder at the deadline: 75 % stays the latest",
      now: h(12),
      policy: policyWith({ atDeadline: false }),
      keys: ["investigation:75"],
    },
    {
      name: "no reminder at the deadline: nothing new after 75 %",
      now: h(20),
      sent: ["investigation:75"],
      policy: policyWith({ atDeadline: false }),
      keys: [],
    },
    {
      name: "no reminder at the deadline: repeats still come",
      now: h(36),
      sent: ["investigation:75"],
      policy: policyWith({ atDeadline: false }),
      keys: ["investigation:overdue:1"],
    },
    {
      name: "no approaching percents: nothing before the deadline",
      now: h(11),
      policy: policyWith({ approachingPercents: [] }),
      keys: [],
    },
    {
      name: "no approaching percents: the breach",
      now: h(12),
      policy: policyWith({ approachingPercents: [] }),
      keys: ["investigation:breach"],
    },
    {
      name: "percents unsorted, duplicated and out of range: 25 % at +3 h",
      now: h(3),
      policy: policyWith({ approachingPercents: [90, 25, 25, 0, 100, 150, -5] }),
      keys: ["investigation:25"],
    },
    {
      name: "percents unsorted: 90 % at +10.8 h",
      now: h(10.8),
      policy: policyWith({ approachingPercents: [90, 25] }),
      keys: ["investigation:90"],
    },
    {
      name: "a fractional percent keeps its decimals in the key",
      now: h(7.5),
      policy: policyWith({ approachingPercents: [62.5] }),
      keys: ["investigation:62.5"],
    },
    {
      name: "everything off: nothing ever",
      now: h(500),
      policy: { approachingPercents: [], atDeadline: false, repeatAfterBreachHours: null },
      keys: [],
    },
  ])("$name", (testCase) => {
    expect(keysAt(testCase)).toEqual(testCase.keys);
  });

  test("a policy per window", () => {
    const perWindow = (window: WindowName): ReminderPolicy =>
      window === "investigation"
        ? policyWith({ approachingPercents: [25] })
        : policyWith({ approachingPercents: [90] });
    const clocks = [investigation(), resolution({ durationMs: 4 * HOUR_MS })];
    const keys = planReminders({ clocks, policy: perWindow, sent: new Set(), now: h(3.6) }).map(
      (reminder) => reminder.key,
    );
    expect(keys).toEqual(["resolution:90", "investigation:25"]);
  });
});

describe("planReminders: satisfied and paused windows", () => {
  test.each<PlanCase>([
    { name: "satisfied before now: nothing", now: h(12), clocks: [investigation({ satisfiedAt: h(5) })], keys: [] },
    { name: "satisfied exactly now: nothing", now: h(12), clocks: [investigation({ satisfiedAt: h(12) })], keys: [] },
    {
      name: "satisfied 1 ms after now: still reminded",
      now: h(12),
      clocks: [investigation({ satisfiedAt: h(12, 1) })],
      keys: ["investigation:breach"],
    },
    {
      name: "satisfied before the deadline, long after it: nothing",
      now: h(200),
      clocks: [investigation({ satisfiedAt: h(11) })],
      keys: [],
    },
    {
      name: "an open pause before the deadline: none, even though 50 % was reached",
      now: h(7),
      clocks: [investigation({ pauses: [pause(h(6.5), null)] })],
      keys: [],
    },
    {
      name: "an open pause: none, however late",
      now: h(500),
      clocks: [investigation({ pauses: [pause(h(1), null)] })],
      keys: [],
    },
    {
      name: "a closed pause shifts 50 % (1 ms before)",
      now: h(9, -1),
      clocks: [investigation({ pauses: [pause(h(2), h(5))] })],
      keys: [],
    },
    {
      name: "a closed pause shifts 50 % (exactly)",
      now: h(9),
      clocks: [investigation({ pauses: [pause(h(2), h(5))] })],
      keys: ["investigation:50"],
    },
    {
      name: "a closed pause shifts the deadline",
      now: h(15),
      clocks: [investigation({ pauses: [pause(h(2), h(5))] })],
      keys: ["investigation:breach"],
    },
    {
      name: "a pause after the breach does not stop repeats (wall clock)",
      now: h(36),
      sent: ["investigation:breach"],
      clocks: [investigation({ pauses: [pause(h(13), null)] })],
      keys: ["investigation:overdue:1"],
    },
  ])("$name", (testCase) => {
    expect(keysAt(testCase)).toEqual(testCase.keys);
  });
});

describe("planReminders: the reminder's fields", () => {
  test.each<{ name: string; now: Date; sent?: string[]; expected: DueReminder }>([
    {
      name: "approaching",
      now: h(9.5),
      expected: {
        window: "investigation",
        key: "investigation:75",
        kind: "approaching",
        percent: 75,
        deadline: h(12),
        dueAt: h(9),
        overdueMs: 0,
        remainingMs: 2.5 * HOUR_MS,
      },
    },
    {
      name: "breach",
      now: h(12),
      expected: {
        window: "investigation",
        key: "investigation:breach",
        kind: "breach",
        percent: 100,
        deadline: h(12),
        dueAt: h(12),
        overdueMs: 0,
        remainingMs: 0,
      },
    },
    {
      name: "overdue",
      now: h(65),
      sent: ["investigation:overdue:1"],
      expected: {
        window: "investigation",
        key: "investigation:overdue:2",
        kind: "overdue",
        percent: null,
        deadline: h(12),
        dueAt: h(60),
        overdueMs: 53 * HOUR_MS,
        remainingMs: 0,
      },
    },
  ])("$name", ({ now, sent = [], expected }) => {
    expect(planReminders({ clocks: [investigation()], policy: policyWith(), sent: new Set(sent), now })).toEqual([
      expected,
    ]);
  });

  test("remaining time is counted time: Friday 16:00 Berlin with a Monday 10:00 deadline has 2 h left", () => {
    const clock = resolution({ startedAt: at("2024-01-19T08:00:00Z"), durationMs: 9 * HOUR_MS, calendar: BERLIN });
    const [reminder] = planReminders({
      clocks: [clock],
      policy: policyWith(),
      sent: new Set(),
      now: at("2024-01-19T15:00:00Z"),
    });
    expect(reminder?.key).toBe("resolution:75");
    expect(reminder?.deadline.toISOString()).toBe("2024-01-22T09:00:00.000Z");
    expect(reminder?.remainingMs).toBe(2 * HOUR_MS);
  });

  test("two clocks for the same window are rejected", () => {
    expect(() =>
      planReminders({ clocks: [investigation(), investigation()], policy: policyWith(), sent: new Set(), now: h(1) }),
    ).toThrow("two clocks for the investigation window");
  });
});

describe("thresholdsFor: business hours, holidays, daylight saving, half-hour offsets", () => {
  test.each<{ name: string; clock: WindowClock; now: Date; thresholds: Array<[string, string]> }>([
    {
      name: "24/7 with three repeats",
      clock: investigation(),
      now: h(84),
      thresholds: [
        ["investigation:50", "2024-01-15T14:00:00Z"],
        ["investigation:75", "2024-01-15T17:00:00Z"],
        ["investigation:breach", "2024-01-15T20:00:00Z"],
        ["investigation:overdue:1", "2024-01-16T20:00:00Z"],
        ["investigation:overdue:2", "2024-01-17T20:00:00Z"],
        ["investigation:overdue:3", "2024-01-18T20:00:00Z"],
      ],
    },
    {
      name: "16 business hours from Monday 09:00 Berlin: 50 % falls at 17:00, inside working time",
      clock: resolution({ startedAt: at("2024-01-15T08:00:00Z"), durationMs: 16 * HOUR_MS, calendar: BERLIN }),
      now: at("2024-01-17T16:00:00Z"),
      thresholds: [
        ["resolution:50", "2024-01-15T16:00:00Z"],
        ["resolution:75", "2024-01-16T12:00:00Z"],
        ["resolution:breach", "2024-01-16T16:00:00Z"],
        ["resolution:overdue:1", "2024-01-17T16:00:00Z"],
      ],
    },
    {
      name: "16 business hours from Friday: 75 % and the deadline move past the weekend",
      clock: resolution({ startedAt: at("2024-01-19T08:00:00Z"), durationMs: 16 * HOUR_MS, calendar: BERLIN }),
      now: at("2024-01-22T16:00:00Z"),
      thresholds: [
        ["resolution:50", "2024-01-19T16:00:00Z"],
        ["resolution:75", "2024-01-22T12:00:00Z"],
        ["resolution:breach", "2024-01-22T16:00:00Z"],
      ],
    },
    {
      name: "16 business hours over 1 May (a holiday); repeats run on wall-clock time through the weekend",
      clock: resolution({ startedAt: at("2024-04-30T07:00:00Z"), durationMs: 16 * HOUR_MS, calendar: BERLIN }),
      now: at("2024-05-04T15:00:00Z"),
      thresholds: [
        ["resolution:50", "2024-04-30T15:00:00Z"],
        ["resolution:75", "2024-05-02T11:00:00Z"],
        ["resolution:breach", "2024-05-02T15:00:00Z"],
        ["resolution:overdue:1", "2024-05-03T15:00:00Z"],
        ["resolution:overdue:2", "2024-05-04T15:00:00Z"],
      ],
    },
    {
      name: "12 business hours over Berlin's spring change (Friday 12:00 CET to Monday 16:00 CEST)",
      clock: investigation({ startedAt: at("2024-03-29T11:00:00Z"), calendar: BERLIN }),
      now: at("2024-04-01T14:00:00Z"),
      thresholds: [
        ["investigation:50", "2024-04-01T08:00:00Z"],
        ["investigation:75", "2024-04-01T11:00:00Z"],
        ["investigation:breach", "2024-04-01T14:00:00Z"],
      ],
    },
    {
      name: "16 business hours over Berlin's autumn change (Friday 09:00 CEST to Monday 17:00 CET)",
      clock: resolution({ startedAt: at("2024-10-25T07:00:00Z"), durationMs: 16 * HOUR_MS, calendar: BERLIN }),
      now: at("2024-10-28T16:00:00Z"),
      thresholds: [
        ["resolution:50", "2024-10-25T15:00:00Z"],
        ["resolution:75", "2024-10-28T12:00:00Z"],
        ["resolution:breach", "2024-10-28T16:00:00Z"],
      ],
    },
    {
      name: "16 business hours over New York's spring change; the repeat is 24 h later",
      clock: resolution({ startedAt: at("2024-03-08T14:00:00Z"), durationMs: 16 * HOUR_MS, calendar: NEW_YORK }),
      now: at("2024-03-12T21:00:00Z"),
      thresholds: [
        ["resolution:50", "2024-03-08T22:00:00Z"],
        ["resolution:75", "2024-03-11T17:00:00Z"],
        ["resolution:breach", "2024-03-11T21:00:00Z"],
        ["resolution:overdue:1", "2024-03-12T21:00:00Z"],
      ],
    },
    {
      name: "8 business hours in Kolkata (+05:30)",
      clock: resolution({ startedAt: at("2024-01-15T03:30:00Z"), durationMs: 8 * HOUR_MS, calendar: KOLKATA }),
      now: at("2024-01-15T11:30:00Z"),
      thresholds: [
        ["resolution:50", "2024-01-15T07:30:00Z"],
        ["resolution:75", "2024-01-15T09:30:00Z"],
        ["resolution:breach", "2024-01-15T11:30:00Z"],
      ],
    },
    {
      name: "a repeat is 24 elapsed hours even when the local day has 23 (24/7 over Berlin's change)",
      clock: investigation({ startedAt: at("2024-03-30T12:00:00Z") }),
      now: at("2024-04-01T00:00:00Z"),
      thresholds: [
        ["investigation:50", "2024-03-30T18:00:00Z"],
        ["investigation:75", "2024-03-30T21:00:00Z"],
        ["investigation:breach", "2024-03-31T00:00:00Z"],
        ["investigation:overdue:1", "2024-04-01T00:00:00Z"],
      ],
    },
    {
      name: "an open pause: only the thresholds reached before it",
      clock: investigation({ pauses: [pause(h(7), null)] }),
      now: h(100),
      thresholds: [["investigation:50", "2024-01-15T14:00:00Z"]],
    },
  ])("$name", ({ clock, now, thresholds }) => {
    const found = thresholdsFor(clock, policyWith(), now).map((threshold) => [
      threshold.key,
      threshold.dueAt.toISOString(),
    ]);
    expect(found).toEqual(thresholds.map(([key, iso]) => [key, at(iso).toISOString()]));
  });

  test("kinds and percents", () => {
    expect(thresholdsFor(investigation(), policyWith(), h(36)).map(({ kind, percent }) => [kind, percent])).toEqual([
      ["approaching", 50],
      ["approaching", 75],
      ["breach", 100],
      ["overdue", null],
    ]);
  });
});

describe("supersededKeys", () => {
  const reminderAt = (now: Date, policy: ReminderPolicy, sent: string[] = []): DueReminder => {
    const [reminder] = planReminders({ clocks: [investigation()], policy, sent: new Set(sent), now });
    if (reminder === undefined) throw new Error("expected a reminder");
    return reminder;
  };

  test.each<{ name: string; now: Date; policy?: ReminderPolicy; superseded: string[] }>([
    { name: "50 % supersedes nothing", now: h(6), superseded: [] },
    { name: "75 % supersedes 50 %", now: h(9), superseded: ["investigation:50"] },
    { name: "the breach supersedes both percents", now: h(12), superseded: ["investigation:50", "investigation:75"] },
    {
      name: "overdue:3 supersedes everything before it",
      now: h(84),
      superseded: [
        "investigation:50",
        "investigation:75",
        "investigation:breach",
        "investigation:overdue:1",
        "investigation:overdue:2",
      ],
    },
    {
      name: "without a deadline reminder, overdue:1 supersedes the percents",
      now: h(36),
      policy: policyWith({ atDeadline: false }),
      superseded: ["investigation:50", "investigation:75"],
    },
    {
      name: "three percents",
      now: h(9),
      policy: policyWith({ approachingPercents: [75, 25, 50] }),
      superseded: ["investigation:25", "investigation:50"],
    },
  ])("$name", ({ now, policy = policyWith(), superseded }) => {
    expect(supersededKeys(reminderAt(now, policy), investigation(), policy)).toEqual(superseded);
  });

  test("a reminder and a clock of different windows are rejected", () => {
    expect(() => supersededKeys(reminderAt(h(9), policyWith()), resolution(), policyWith())).toThrow(RangeError);
  });
});

describe("compareUrgency", () => {
  const reminder = (fields: Partial<DueReminder> & Pick<DueReminder, "key" | "deadline" | "dueAt">): DueReminder => ({
    window: "investigation",
    kind: "approaching",
    percent: 50,
    overdueMs: 0,
    remainingMs: 0,
    ...fields,
  });
  const now = at("2024-01-20T12:00:00Z");
  const breachedThreeDaysAgo = reminder({
    key: "resolution:overdue:3",
    window: "resolution",
    deadline: at("2024-01-17T12:00:00Z"),
    dueAt: at("2024-01-20T12:00:00Z"),
  });
  const breachedAnHourAgo = reminder({
    key: "investigation:breach",
    deadline: at("2024-01-20T11:00:00Z"),
    dueAt: at("2024-01-20T11:00:00Z"),
  });
  const dueInTwoHours = reminder({
    key: "investigation:75",
    deadline: at("2024-01-20T14:00:00Z"),
    dueAt: at("2024-01-20T11:00:00Z"),
  });
  const dueInTwoHoursLessSevere = reminder({
    key: "resolution:50",
    window: "resolution",
    deadline: at("2024-01-20T14:00:00Z"),
    dueAt: at("2024-01-20T08:00:00Z"),
  });
  const dueInFiveHours = reminder({
    key: "resolution:50",
    window: "resolution",
    deadline: at("2024-01-20T17:00:00Z"),
    dueAt: at("2024-01-20T11:00:00Z"),
  });
  const twinA = reminder({ key: "investigation:50", deadline: at("2024-01-20T18:00:00Z"), dueAt: now });
  const twinB = reminder({
    key: "resolution:50",
    window: "resolution",
    deadline: at("2024-01-20T18:00:00Z"),
    dueAt: now,
  });

  test("breached longest ago first, then closest to breach; same deadline: more severe first; then window", () => {
    const shuffled = [
      twinB,
      dueInFiveHours,
      breachedAnHourAgo,
      dueInTwoHoursLessSevere,
      twinA,
      breachedThreeDaysAgo,
      dueInTwoHours,
    ];
    expect([...shuffled].sort(compareUrgency)).toEqual([
      breachedThreeDaysAgo,
      breachedAnHourAgo,
      dueInTwoHours,
      dueInTwoHoursLessSevere,
      dueInFiveHours,
      twinA,
      twinB,
    ]);
  });

  test("planReminders returns the most urgent first", () => {
    const clocks = [investigation(), resolution({ startedAt: h(-48), durationMs: 24 * HOUR_MS })];
    expect(keysAt({ now: h(9), clocks })).toEqual(["resolution:overdue:1", "investigation:75"]);
  });
});

describe("nextReminderAt", () => {
  test.each<{
    name: string;
    now: Date;
    sent?: string[];
    clocks?: WindowClock[];
    policy?: ReminderPolicy;
    next: Date | null;
  }>([
    { name: "50 % from the start", now: T0, next: h(6) },
    { name: "strictly after now: 75 % while 50 % is due", now: h(6), next: h(9) },
    { name: "the deadline after 75 % was sent", now: h(9.5), sent: ["investigation:75"], next: h(12) },
    { name: "the first repeat after the breach", now: h(12), sent: ["investigation:breach"], next: h(36) },
    { name: "the second repeat", now: h(40), sent: ["investigation:overdue:1"], next: h(60) },
    {
      name: "nothing after the breach without repeats",
      now: h(13),
      sent: ["investigation:breach"],
      policy: policyWith({ repeatAfterBreachHours: null }),
      next: null,
    },
    {
      name: "no deadline reminder: the first repeat after 75 %",
      now: h(10),
      sent: ["investigation:75"],
      policy: policyWith({ atDeadline: false }),
      next: h(36),
    },
    {
      name: "thresholds no more severe than what was sent are skipped",
      now: h(1),
      sent: ["investigation:breach"],
      next: h(36),
    },
    {
      name: "the repeat after the latest recorded one, even if recorded early",
      now: h(13),
      sent: ["investigation:overdue:3"],
      next: h(108),
    },
    {
      name: "an absurd recorded repeat number: none",
      now: h(13),
      sent: ["investigation:overdue:99999999999999999999"],
      next: null,
    },
    { name: "satisfied: none", now: h(1), clocks: [investigation({ satisfiedAt: h(0.5) })], next: null },
    {
      name: "satisfied before the next threshold: none",
      now: h(7),
      sent: ["investigation:50"],
      clocks: [investigation({ satisfiedAt: h(8) })],
      next: null,
    },
    {
      name: "satisfied after the next threshold: that threshold",
      now: h(7),
      sent: ["investigation:50"],
      clocks: [investigation({ satisfiedAt: h(10) })],
      next: h(9),
    },
    { name: "paused: none", now: h(1), clocks: [investigation({ pauses: [pause(h(0.5), null)] })], next: null },
    {
      name: "the earliest across windows",
      now: T0,
      clocks: [investigation(), resolution({ durationMs: 48 * HOUR_MS })],
      next: h(6),
    },
    {
      name: "the other window when one is satisfied",
      now: T0,
      clocks: [investigation({ satisfiedAt: T0 }), resolution({ durationMs: 48 * HOUR_MS })],
      next: h(24),
    },
    { name: "no clocks: none", now: T0, clocks: [], next: null },
  ])("$name", ({ now, sent = [], clocks = [investigation()], policy = policyWith(), next }) => {
    expect(nextReminderAt({ clocks, policy, sent: new Set(sent), now })).toEqual(next);
  });

  test("a policy per window", () => {
    const perWindow = (window: WindowName): ReminderPolicy =>
      window === "investigation"
        ? policyWith({ approachingPercents: [90] })
        : policyWith({ approachingPercents: [10] });
    const clocks = [investigation(), resolution({ durationMs: 48 * HOUR_MS })];
    expect(nextReminderAt({ clocks, policy: perWindow, sent: new Set(), now: T0 })).toEqual(h(4.8));
  });
});
