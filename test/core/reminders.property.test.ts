import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { addCountedTime, countedTimeBetween, type BusinessCalendar, type Interval } from "../../src/core/calendar.js";
import {
  nextReminderAt,
  planReminders,
  supersededKeys,
  thresholdsFor,
  type ReminderPolicy,
  type WindowClock,
  type WindowName,
} from "../../src/core/reminders.js";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Clocks start within ten days of this instant (Monday 2024-03-18, before both spring changes end). */
const BASE_MS = Date.UTC(2024, 2, 18);

const office = (timeZone: string, overrides: Partial<BusinessCalendar> = {}): BusinessCalendar => ({
  timeZone,
  workingDays: [1, 2, 3, 4, 5],
  startTime: "09:00",
  endTime: "17:00",
  holidays: [],
  ...overrides,
});
const CALENDARS: Array<BusinessCalendar | null> = [
  null,
  office("Europe/Berlin", { holidays: ["2024-03-29", "2024-04-01", "2024-05-01"] }),
  office("America/New_York", { startTime: "08:30", endTime: "18:00" }),
  office("Asia/Kolkata", { workingDays: [1, 2, 3, 4, 5, 6] }),
  office("Australia/Sydney", { workingDays: [2, 4], startTime: "10:15", endTime: "12:45" }),
  office("Europe/Berlin", { workingDays: [6, 7], startTime: "00:00", endTime: "24:00" }),
];

const calendarArb = fc.constantFrom(...CALENDARS);
const instantArb = (fromMs: number, spanMs: number): fc.Arbitrary<Date> =>
  fc.integer({ min: 0, max: spanMs }).map((offsetMs) => new Date(fromMs + offsetMs));
/** Up to three pauses around [startMs, startMs + 20 days], one in five left open. */
const pausesArb = (startMs: number): fc.Arbitrary<Interval[]> =>
  fc
    .array(
      fc.record({
        offsetMs: fc.integer({ min: -2 * DAY_MS, max: 20 * DAY_MS }),
        lengthMs: fc.option(fc.integer({ min: 0, max: 3 * DAY_MS }), { nil: null, freq: 4 }),
      }),
      { maxLength: 3 },
    )
    .map((pauses) =>
      pauses.map(({ offsetMs, lengthMs }) => ({
        start: new Date(startMs + offsetMs),
        end: lengthMs === null ? null : new Date(startMs + offsetMs + lengthMs),
      })),
    );

const clockArb = (window: WindowName): fc.Arbitrary<WindowClock> =>
  fc.integer({ min: 0, max: 10 * DAY_MS }).chain((startOffsetMs) => {
    const startMs = BASE_MS + startOffsetMs;
    return fc.record({
      window: fc.constant(window),
      startedAt: fc.constant(new Date(startMs)),
      durationMs: fc.integer({ min: 0, max: 120 * 60 }).map((minutes) => minutes * MINUTE_MS),
      calendar: calendarArb,
      pauses: pausesArb(startMs),
      satisfiedAt: fc.oneof(
        { arbitrary: fc.constant(null), weight: 3 },
        { arbitrary: instantArb(startMs - DAY_MS, 40 * DAY_MS), weight: 2 },
      ),
    });
  });

const clocksArb: fc.Arbitrary<WindowClock[]> = fc
  .record({ investigation: fc.option(clockArb("investigation")), resolution: fc.option(clockArb("resolution")) })
  .map(({ investigation, resolution }) =>
    [investigation, resolution].filter((clock): clock is WindowClock => clock !== null),
  );

const policyArb: fc.Arbitrary<ReminderPolicy> = fc.record({
  approachingPercents: fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { maxLength: 4 }),
  atDeadline: fc.boolean(),
  repeatAfterBreachHours: fc.option(fc.integer({ min: 1, max: 72 }), { nil: null }),
});

const sentArb: fc.Arbitrary<Set<string>> = fc
  .uniqueArray(
    fc
      .tuple(
        fc.constantFrom("investigation", "resolution"),
        fc.oneof(
          fc.constantFrom("50", "75", "breach", "unrelated"),
          fc.integer({ min: 1, max: 99 }).map(String),
          fc.integer({ min: 1, max: 40 }).map((repeat) => `overdue:${repeat}`),
        ),
      )
      .map(([window, rest]) => `${window}:${rest}`),
    { maxLength: 4 },
  )
  .map((keys) => new Set(keys));

const nowArb = instantArb(BASE_MS - DAY_MS, 60 * DAY_MS);

const scenarioArb = fc.record({ clocks: clocksArb, policy: policyArb, sent: sentArb, now: nowArb });

describe("planReminders properties", () => {
  test("never throws and returns at most one reminder per window, each reached, unsent and consistent (numRuns 1000)", () => {
    fc.assert(
      fc.property(scenarioArb, ({ clocks, policy, sent, now }) => {
        const reminders = planReminders({ clocks, policy, sent, now });
        const windows = reminders.map((reminder) => reminder.window);
        expect(new Set(windows).size).toBe(windows.length);
        for (const reminder of reminders) {
          const clock = clocks.find((candidate) => candidate.window === reminder.window)!;
          expect(sent.has(reminder.key)).toBe(false);
          expect(reminder.dueAt.getTime()).toBeLessThanOrEqual(now.getTime());
          expect(clock.satisfiedAt === null || clock.satisfiedAt.getTime() > now.getTime()).toBe(true);
          expect(reminder.overdueMs).toBe(Math.max(0, now.getTime() - reminder.deadline.getTime()));
          expect(reminder.remainingMs > 0).toBe(now.getTime() < reminder.deadline.getTime());
        }
      }),
      { numRuns: 1000 },
    );
  });

  test("posting what it returns and asking again at the same now returns nothing (numRuns 1000)", () => {
    fc.assert(
      fc.property(scenarioArb, ({ clocks, policy, sent, now }) => {
        const first = planReminders({ clocks, policy, sent, now });
        const posted = new Set([...sent, ...first.map((reminder) => reminder.key)]);
        expect(planReminders({ clocks, policy, sent: posted, now })).toEqual([]);
        // Recording the superseded keys too changes nothing either.
        for (const reminder of first) {
          const clock = clocks.find((candidate) => candidate.window === reminder.window)!;
          for (const key of supersededKeys(reminder, clock, policy)) posted.add(key);
        }
        expect(planReminders({ clocks, policy, sent: posted, now })).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  test("a series of sweeps never posts a key twice nor a less severe one after a more severe one (numRuns 300)", () => {
    fc.assert(
      fc.property(clocksArb, policyArb, fc.array(nowArb, { minLength: 1, maxLength: 8 }), (clocks, policy, times) => {
        const sweeps = [...times].sort((a, b) => a.getTime() - b.getTime());
        const lastNow = sweeps[sweeps.length - 1]!;
        const sent = new Set<string>();
        const posted: Array<{ window: WindowName; key: string }> = [];
        for (const now of sweeps) {
          for (const reminder of planReminders({ clocks, policy, sent, now })) {
            expect(sent.has(reminder.key)).toBe(false);
            posted.push(reminder);
            sent.add(reminder.key);
            const clock = clocks.find((candidate) => candidate.window === reminder.window)!;
            for (const key of supersededKeys(reminder, clock, policy)) sent.add(key);
          }
        }
        for (const clock of clocks) {
          // thresholdsFor lists a window's thresholds least severe first.
          const order = thresholdsFor(clock, policy, lastNow).map((threshold) => threshold.key);
          const ranks = posted
            .filter((reminder) => reminder.window === clock.window)
            .map((reminder) => order.indexOf(reminder.key));
          expect(ranks.every((rank) => rank >= 0)).toBe(true);
          expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
        }
      }),
      { numRuns: 300 },
    );
  });

  test("after posting what is due, nothing comes before nextReminderAt and something comes at it (numRuns 500)", () => {
    fc.assert(
      fc.property(scenarioArb, ({ clocks, policy, sent, now }) => {
        const posted = new Set([
          ...sent,
          ...planReminders({ clocks, policy, sent, now }).map((reminder) => reminder.key),
        ]);
        const next = nextReminderAt({ clocks, policy, sent: posted, now });
        if (next === null) {
          expect(planReminders({ clocks, policy, sent: posted, now: new Date(now.getTime() + 400 * DAY_MS) })).toEqual(
            [],
          );
          return;
        }
        expect(next.getTime()).toBeGreaterThan(now.getTime());
        expect(planReminders({ clocks, policy, sent: posted, now: new Date(next.getTime() - 1) })).toEqual([]);
        expect(planReminders({ clocks, policy, sent: posted, now: next }).length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});

describe("calendar properties", () => {
  const startArb = instantArb(BASE_MS, 10 * DAY_MS);
  const durationArb = fc.integer({ min: 0, max: 200 * HOUR_MS });

  test("addCountedTime then countedTimeBetween round-trips the duration, 24/7 and business hours (numRuns 1000)", () => {
    fc.assert(
      fc.property(startArb, durationArb, calendarArb, fc.boolean(), (start, durationMs, calendar, withPauses) => {
        const pauses = withPauses
          ? [{ start: new Date(start.getTime() + 5 * HOUR_MS), end: new Date(start.getTime() + 29 * HOUR_MS) }]
          : [];
        const deadline = addCountedTime({ start, durationMs, calendar, pauses });
        expect(deadline).not.toBeNull();
        expect(countedTimeBetween({ start, end: deadline!, calendar, pauses })).toBe(durationMs);
        if (durationMs > 0) {
          // The earliest such instant: 1 ms earlier the duration is not yet used up.
          expect(countedTimeBetween({ start, end: new Date(deadline!.getTime() - 1), calendar, pauses })).toBe(
            durationMs - 1,
          );
        }
      }),
      { numRuns: 1000 },
    );
  });

  test("the deadline is monotonic in durationMs, with a stopped clock (null) as the latest (numRuns 1000)", () => {
    fc.assert(
      fc.property(
        startArb,
        durationArb,
        durationArb,
        calendarArb,
        startArb.chain((start) => pausesArb(start.getTime())),
        (start, a, b, calendar, pauses) => {
          const [shorter, longer] = a <= b ? [a, b] : [b, a];
          const early = addCountedTime({ start, durationMs: shorter, calendar, pauses });
          const late = addCountedTime({ start, durationMs: longer, calendar, pauses });
          if (early === null) expect(late).toBeNull();
          else if (late !== null) expect(early.getTime()).toBeLessThanOrEqual(late.getTime());
        },
      ),
      { numRuns: 1000 },
    );
  });

  test("countedTimeBetween is additive over adjacent ranges (numRuns 500)", () => {
    fc.assert(
      fc.property(
        fc.array(instantArb(BASE_MS, 30 * DAY_MS), { minLength: 3, maxLength: 3 }),
        calendarArb,
        instantArb(BASE_MS, 10 * DAY_MS).chain((start) => pausesArb(start.getTime())),
        (instants, calendar, pauses) => {
          const [a, b, c] = [...instants].sort((x, y) => x.getTime() - y.getTime()) as [Date, Date, Date];
          const count = (start: Date, end: Date): number => countedTimeBetween({ start, end, calendar, pauses });
          expect(count(a, c)).toBe(count(a, b) + count(b, c));
        },
      ),
      { numRuns: 500 },
    );
  });

  /**
   * A slow, obviously correct oracle: step through 15-minute slots and ask Intl for each slot's
   * local weekday, date and time. Everything is aligned to 15 minutes, as are the zones' offsets and
   * changes. Working hours avoid 00:30-03:00, where a repeated hour would make the wall-clock
   * definition ambiguous (the examples in calendar.test.ts pin that case down).
   */
  test("countedTimeBetween agrees with a 15-minute wall-clock oracle in zones with DST and odd offsets (numRuns 150)", () => {
    const SLOT_MS = 15 * MINUTE_MS;
    const zones = [
      "UTC",
      "Europe/Berlin",
      "America/New_York",
      "Asia/Kolkata",
      "Asia/Kathmandu",
      "Australia/Sydney",
      "Australia/Lord_Howe",
    ];
    const weekdays: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
    const formatters = new Map<string, Intl.DateTimeFormat>();
    const localParts = (timeZone: string, ms: number): { weekday: number; date: string; minute: number } => {
      let formatter = formatters.get(timeZone);
      if (formatter === undefined) {
        formatter = new Intl.DateTimeFormat("en-US", {
          timeZone,
          hourCycle: "h23",
          weekday: "short",
          year: "numeric",
          month: "2-digit",
          day: "2-digit",
          hour: "2-digit",
          minute: "2-digit",
        });
        formatters.set(timeZone, formatter);
      }
      const parts = Object.fromEntries(formatter.formatToParts(ms).map((part) => [part.type, part.value]));
      return {
        weekday: weekdays[parts.weekday!]!,
        date: `${parts.year}-${parts.month}-${parts.day}`,
        minute: (Number(parts.hour) % 24) * 60 + Number(parts.minute),
      };
    };
    const toMinute = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));

    fc.assert(
      fc.property(
        fc.record({
          timeZone: fc.constantFrom(...zones),
          workingDays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
          startTime: fc.constantFrom("00:00", "06:00", "08:15", "09:00", "12:45"),
          endTime: fc.constantFrom("13:00", "17:00", "17:30", "20:45", "24:00"),
        }),
        // Slot-aligned start anywhere in 2000-2030, up to 8 days long (a DST change now and then).
        fc.integer({ min: Date.UTC(2000, 0, 1) / SLOT_MS, max: Date.UTC(2030, 0, 1) / SLOT_MS }),
        fc.integer({ min: 0, max: 8 * 96 }),
        fc.uniqueArray(fc.integer({ min: -1, max: 9 }), { maxLength: 3 }),
        fc.array(fc.tuple(fc.integer({ min: -96, max: 8 * 96 }), fc.integer({ min: 0, max: 3 * 96 })), {
          maxLength: 2,
        }),
        (hours, startSlot, lengthSlots, holidayOffsets, pauseSlots) => {
          const startMs = startSlot * SLOT_MS;
          const endMs = startMs + lengthSlots * SLOT_MS;
          const holidays = holidayOffsets.map((days) => new Date(startMs + days * DAY_MS).toISOString().slice(0, 10));
          const calendar: BusinessCalendar = { ...hours, holidays };
          const pauses = pauseSlots.map(([from, length]) => ({
            start: new Date(startMs + from * SLOT_MS),
            end: new Date(startMs + (from + length) * SLOT_MS),
          }));
          const [startMinute, endMinute] = [toMinute(hours.startTime), toMinute(hours.endTime)];
          let expectedMs = 0;
          for (let slotMs = startMs; slotMs < endMs; slotMs += SLOT_MS) {
            const local = localParts(hours.timeZone, slotMs);
            const working =
              hours.workingDays.includes(local.weekday) &&
              !holidays.includes(local.date) &&
              local.minute >= startMinute &&
              local.minute < endMinute;
            const paused = pauses.some((p) => p.start.getTime() <= slotMs && slotMs < p.end.getTime());
            if (working && !paused) expectedMs += SLOT_MS;
          }
          expect(countedTimeBetween({ start: new Date(startMs), end: new Date(endMs), calendar, pauses })).toBe(
            expectedMs,
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});
