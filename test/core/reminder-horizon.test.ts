import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { configSchema, type IncidentKeeperConfig } from "../../src/config/schema.js";
import type { IncidentIssue } from "../../src/core/incident.js";
import { reminderHorizon } from "../../src/core/reminder-horizon.js";
import { encodeState, EMPTY_STATE, STATUS_MARKER, type StatusState } from "../../src/core/status-state.js";
import { checkReminders, type ReminderCheck } from "../../src/core/reminder-check.js";
import { policiesOf } from "../../src/config/policies.js";
import { cpuNow } from "../support/cpu-time.js";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const config = (input: object = {}): IncidentKeeperConfig => configSchema.parse(input);

function issue(labels: string[], createdAt: string | Date, state: "open" | "closed" = "open"): IncidentIssue {
  return {
    number: 1,
    title: "Incident",
    body: "",
    state,
    stateReason: null,
    labels: ["incident", ...labels],
    assignees: [],
    author: "alice",
    createdAt: new Date(createdAt),
    closedAt: state === "closed" ? new Date(createdAt) : null,
    isPullRequest: false,
  };
}

/** What the sweep would find owed at `now` for this issue with this status comment (the real planner). */
function owedAt(args: {
  issue: IncidentIssue;
  config: IncidentKeeperConfig;
  state: Partial<StatusState> | null;
  now: Date;
}): ReminderCheck {
  const status =
    args.state === null ? null : { id: 1, body: `${STATUS_MARKER}\n${encodeState({ ...EMPTY_STATE, ...args.state })}` };
  return checkReminders({
    issue: args.issue,
    policies: policiesOf(args.config),
    thread: { comments: status ? [status] : [], status, markers: new Set() },
    now: args.now,
  });
}

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;
const CORE_SEV2_DEVOPS3 = ["category:core-bug", "sev:2", "devops:3"];

describe("reminderHorizon: table", () => {
  const created = "2026-11-23T00:00:00.000Z";
  const cases: Array<{
    name: string;
    labels: string[];
    config?: object;
    state?: "open" | "closed";
    created?: string;
    horizon: string | null;
  }> = [
    { name: "unclassified: 50 % of the 12 h investigation window", labels: [], horizon: "2026-11-23T06:00:00.000Z" },
    {
      name: "partly classified core bug: still investigating",
      labels: ["category:core-bug", "sev:2"],
      horizon: "2026-11-23T06:00:00.000Z",
    },
    {
      name: "sev 2 / devops 3 (48 h), clock from classification: no earlier than creation",
      labels: CORE_SEV2_DEVOPS3,
      horizon: "2026-11-24T00:00:00.000Z",
    },
    {
      name: "clock from opening",
      labels: CORE_SEV2_DEVOPS3,
      config: { sla: { resolution_clock_start: "opened" } },
      horizon: "2026-11-24T00:00:00.000Z",
    },
    {
      name: "clock from the end of investigation: 12 h + 24 h",
      labels: CORE_SEV2_DEVOPS3,
      config: { sla: { resolution_clock_start: "end-of-investigation" } },
      horizon: "2026-11-24T12:00:00.000Z",
    },
    {
      name: "sev 3 / devops 1: 336 h, first at 168 h",
      labels: ["category:core-bug", "sev:3", "devops:1"],
      horizon: "2026-11-30T00:00:00.000Z",
    },
    {
      name: "sev 5: no resolution window, investigation done",
      labels: ["category:core-bug", "sev:5", "devops:1"],
      horizon: null,
    },
    {
      name: "operator error: classified by category alone, no resolution window",
      labels: ["category:operator-error"],
      horizon: null,
    },
    {
      name: "feature request with a resolution window configured for it",
      labels: ["category:feature-request"],
      config: { sla: { resolution_categories: ["core-bug", "feature-request"] } },
      horizon: "2026-11-23T06:00:00.000Z",
    },
    { name: "reminders disabled", labels: [], config: { reminders: { enabled: false } }, horizon: null },
    { name: "closed", labels: [], state: "closed", horizon: null },
    {
      name: "paused: not before the deadline (12 h), although 50 % is at 6 h",
      labels: ["sla:paused"],
      horizon: "2026-11-23T12:00:00.000Z",
    },
    { name: "paused label matched case-insensitively", labels: ["SLA:Paused"], horizon: "2026-11-23T12:00:00.000Z" },
    {
      name: "paused, classified sev 2 / devops 1 (12 h)",
      labels: ["category:core-bug", "sev:2", "devops:1", "sla:paused"],
      horizon: "2026-11-23T12:00:00.000Z",
    },
    {
      name: "custom percents",
      labels: [],
      config: { reminders: { approaching_percents: [90, 25] } },
      horizon: "2026-11-23T03:00:00.000Z",
    },
    {
      name: "only repeats: deadline + 24 h",
      labels: [],
      config: { reminders: { approaching_percents: [], at_deadline: false } },
      horizon: "2026-11-24T12:00:00.000Z",
    },
    {
      name: "only repeats, paused: still deadline + 24 h",
      labels: ["sla:paused"],
      config: { reminders: { approaching_percents: [], at_deadline: false } },
      horizon: "2026-11-24T12:00:00.000Z",
    },
    {
      name: "nothing configured for the window",
      labels: [],
      config: { reminders: { approaching_percents: [], at_deadline: false, repeat_after_breach_hours: null } },
      horizon: null,
    },
    {
      name: "by-window override",
      labels: [],
      config: { reminders: { by_window: { investigation: { approaching_percents: [10] } } } },
      horizon: "2026-11-23T01:12:00.000Z",
    },
    {
      name: "by-severity override beats by-window",
      labels: CORE_SEV2_DEVOPS3,
      config: {
        reminders: {
          by_window: { resolution: { approaching_percents: [10] } },
          by_severity: { "2": { approaching_percents: [25] } },
        },
      },
      horizon: "2026-11-23T12:00:00.000Z",
    },
    {
      name: "two severity labels: the last one counts (sev 3: 336 h)",
      labels: ["category:core-bug", "sev:2", "devops:1", "sev:3"],
      horizon: "2026-11-30T00:00:00.000Z",
    },
    {
      name: "custom label names",
      labels: ["kind/bug", "p2", "d3"],
      config: { labels: { category: { "core-bug": "kind/bug" }, severity: { "2": "p2" }, devops: { "3": "d3" } } },
      horizon: "2026-11-24T00:00:00.000Z",
    },
    {
      name: "business hours: created Friday 16:00 UTC, 6 h counted = Friday 1 h + Monday 09:00-14:00",
      labels: [],
      created: "2026-11-20T16:00:00.000Z",
      config: { sla: { calendar: {}, business_hours_windows: ["investigation"] } },
      horizon: "2026-11-23T14:00:00.000Z",
    },
    {
      name: "business hours in Berlin, resolution only: investigation counts every hour",
      labels: [],
      created: "2026-11-20T16:00:00.000Z",
      config: { sla: { calendar: { time_zone: "Europe/Berlin" }, business_hours_windows: ["resolution"] } },
      horizon: "2026-11-20T22:00:00.000Z",
    },
    {
      name: "end of investigation in business hours, then a 24/7 resolution window",
      labels: ["category:core-bug", "sev:1", "devops:1"],
      created: "2026-11-20T16:00:00.000Z",
      // investigation 12 h counted: Fri 16-17, Mon 9-17, Tue 9-12 → Tue 12:00; then 6 h of 12 h.
      config: {
        sla: {
          resolution_clock_start: "end-of-investigation",
          calendar: {},
          business_hours_windows: ["investigation"],
        },
      },
      horizon: "2026-11-24T18:00:00.000Z",
    },
  ];

  test.each(cases)("$name", ({ labels, config: input, state, created: at, horizon }) => {
    expect(iso(reminderHorizon(issue(labels, at ?? created, state), policiesOf(config(input))))).toBe(horizon);
  });

  test("is exact: the earliest hidden state owes a reminder at the horizon, none 1 ms before", () => {
    for (const { labels, config: input, state, created: at, horizon } of cases) {
      if (horizon === null) continue;
      expectTight(issue(labels, at ?? created, state), config(input), new Date(horizon));
    }
  });
});

/**
 * The earliest hidden states: no status comment at all (investigation running; a full classification
 * taken as of `now`) or one that records the classification at creation, never paused. At least one
 * owes a reminder at the horizon, and neither owes one a millisecond earlier.
 */
function expectTight(subject: IncidentIssue, cfg: IncidentKeeperConfig, horizon: Date): void {
  const witnesses = [null, { classifiedAt: subject.createdAt.toISOString() }];
  const before = new Date(horizon.getTime() - 1);
  for (const state of witnesses) expect(owedAt({ issue: subject, config: cfg, state, now: before }).owed).toEqual([]);
  expect(witnesses.some((state) => owedAt({ issue: subject, config: cfg, state, now: horizon }).owed.length > 0)).toBe(
    true,
  );
}

// ---------------------------------------------------------------------------------------------
// Properties: the horizon against the real planner (checkReminders, the sweep's own decision).

/** Creation within ten days of Monday 2024-03-18: both spring daylight-saving changes fall in range. */
const BASE_MS = Date.UTC(2024, 2, 18);

const CALENDARS = [
  { time_zone: "UTC" },
  { time_zone: "Europe/Berlin", holidays: ["2024-03-29", "2024-04-01", "2024-05-01"] },
  { time_zone: "America/New_York", start_time: "08:30", end_time: "18:00" },
  { time_zone: "Asia/Kolkata", working_days: [1, 2, 3, 4, 5, 6] },
  { time_zone: "Australia/Sydney", working_days: [2, 4], start_time: "10:15", end_time: "12:45" },
  { time_zone: "Europe/Berlin", working_days: [6, 7], start_time: "00:00", end_time: "23:59" },
];

const hoursArb = fc.option(fc.constantFrom(1, 2.5, 6, 12, 30, 48, 168, 336), { nil: null, freq: 5 });
const overrideArb = fc.option(
  fc.record(
    {
      approaching_percents: fc.array(fc.integer({ min: 1, max: 99 }), { maxLength: 3 }),
      at_deadline: fc.boolean(),
      repeat_after_breach_hours: fc.option(fc.constantFrom(1, 6, 24), { nil: null }),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined, freq: 2 },
);
const row = () => fc.record({ "1": hoursArb, "2": hoursArb, "3": hoursArb, "4": hoursArb });

const configArb: fc.Arbitrary<IncidentKeeperConfig> = fc
  .record({
    investigation_hours: fc.constantFrom(1, 4, 12, 24, 50),
    resolution_clock_start: fc.constantFrom("opened", "classified", "end-of-investigation"),
    resolution_categories: fc.subarray(["core-bug", "feature-request", "operator-error", "act-of-god"]),
    resolution_hours: fc.record({ "1": row(), "2": row(), "3": row(), "4": row(), "5": row() }),
    calendar: fc.option(fc.constantFrom(...CALENDARS), { nil: null }),
    business_hours_windows: fc.subarray(["investigation", "resolution"]),
    approaching_percents: fc.array(fc.integer({ min: 1, max: 99 }), { maxLength: 3 }),
    at_deadline: fc.boolean(),
    repeat_after_breach_hours: fc.option(fc.constantFrom(1, 5, 24), { nil: null }),
    by_window: fc.record({ investigation: overrideArb, resolution: overrideArb }),
    by_severity: fc.record({ "1": overrideArb, "2": overrideArb, "3": overrideArb }),
  })
  .map((c) =>
    configSchema.parse({
      sla: {
        investigation_hours: c.investigation_hours,
        resolution_clock_start: c.resolution_clock_start,
        resolution_categories: c.resolution_categories,
        resolution_hours: c.resolution_hours,
        calendar: c.calendar,
        business_hours_windows: c.calendar ? c.business_hours_windows : [],
      },
      reminders: {
        approaching_percents: c.approaching_percents,
        at_deadline: c.at_deadline,
        repeat_after_breach_hours: c.repeat_after_breach_hours,
        by_window: dropUndefined(c.by_window),
        by_severity: dropUndefined(c.by_severity),
      },
    }),
  );

function dropUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

const CLASSIFICATION_LABELS = [
  "category:core-bug",
  "category:feature-request",
  "category:operator-error",
  "category:act-of-god",
  "sev:1",
  "sev:2",
  "sev:3",
  "sev:4",
  "sev:5",
  "devops:1",
  "devops:2",
  "devops:3",
  "devops:4",
];
/** Mostly one label per dimension (as the app keeps them), sometimes several, in any order. */
const labelsArb = fc
  .record({
    category: fc.option(fc.constantFrom(...CLASSIFICATION_LABELS.slice(0, 4)), { freq: 4 }),
    severity: fc.option(fc.constantFrom(...CLASSIFICATION_LABELS.slice(4, 9)), { freq: 4 }),
    devops: fc.option(fc.constantFrom(...CLASSIFICATION_LABELS.slice(9)), { freq: 4 }),
    extra: fc.subarray(CLASSIFICATION_LABELS, { maxLength: 2 }),
    paused: fc.boolean(),
  })
  .chain((l) => {
    const labels = [l.category, l.severity, l.devops, ...l.extra].filter((x): x is string => x !== null);
    return fc
      .shuffledSubarray([...new Set(labels)], { minLength: new Set(labels).size })
      .map((shuffled) => (l.paused ? [...shuffled, "sla:paused"] : shuffled));
  });

/** A fraction in [0, 1] to place a hidden instant between creation and now. */
const fraction = fc.double({ min: 0, max: 1, noNaN: true });
const hiddenArb = fc.record({
  classifiedAt: fc.option(fraction, { nil: null }),
  resolvedAt: fc.option(fraction, { nil: null, freq: 8 }),
  pauses: fc.array(
    fc.record({
      start: fraction,
      length: fc.option(fraction, { nil: null, freq: 4 }),
      before: fc.integer({ min: 0, max: 2 * DAY_MS }),
    }),
    { maxLength: 3 },
  ),
});

/** Where `now` falls: anywhere in 120 days, or within two hours either side of the horizon. */
const nowArb = fc.oneof(
  fc.record({ kind: fc.constant("anywhere" as const), offsetMs: fc.integer({ min: 0, max: 120 * DAY_MS }) }),
  fc.record({ kind: fc.constant("near" as const), offsetMs: fc.integer({ min: -2 * HOUR_MS, max: 2 * HOUR_MS }) }),
  fc.record({ kind: fc.constant("near" as const), offsetMs: fc.integer({ min: -2, max: 1 }) }),
);

function hiddenState(hidden: HiddenInput, createdMs: number, nowMs: number): Partial<StatusState> {
  const at = (f: number): string => new Date(createdMs + Math.floor(f * (nowMs - createdMs))).toISOString();
  let open = false;
  const pauses = hidden.pauses.map((p) => {
    const startMs = Math.max(createdMs - p.before, 0) + Math.floor(p.start * (nowMs - createdMs));
    const start = Math.min(startMs, nowMs);
    // At most one open pause (the app never records two), every instant at or before now.
    const end = p.length === null && !open ? null : start + Math.floor((p.length ?? 0.1) * (nowMs - start));
    if (end === null) open = true;
    return { start: new Date(start).toISOString(), end: end === null ? null : new Date(end).toISOString() };
  });
  return {
    classifiedAt: hidden.classifiedAt === null ? null : at(hidden.classifiedAt),
    resolvedAt: hidden.resolvedAt === null ? null : at(hidden.resolvedAt),
    pauses,
  };
}
interface HiddenInput {
  classifiedAt: number | null;
  resolvedAt: number | null;
  pauses: Array<{ start: number; length: number | null; before: number }>;
}

describe("reminderHorizon: properties against the real planner", () => {
  test("sound: whatever the status comment holds (classification time, pauses, resolution), nothing is owed before the horizon", () => {
    fc.assert(
      fc.property(
        configArb,
        labelsArb,
        fc.integer({ min: 0, max: 10 * DAY_MS }),
        nowArb,
        hiddenArb,
        (cfg, labels, createdOffsetMs, when, hidden) => {
          const createdMs = BASE_MS + createdOffsetMs;
          const subject = issue(labels, new Date(createdMs));
          const horizon = reminderHorizon(subject, policiesOf(cfg));
          const nowMs =
            when.kind === "near" && horizon !== null ? horizon.getTime() + when.offsetMs : createdMs + when.offsetMs;
          fc.pre(nowMs >= createdMs);
          const now = new Date(nowMs);
          const check = owedAt({ issue: subject, config: cfg, state: hiddenState(hidden, createdMs, nowMs), now });
          if (check.owed.length > 0) {
            expect(horizon).not.toBeNull();
            expect(nowMs).toBeGreaterThanOrEqual(horizon!.getTime());
            if (!labels.includes("sla:paused")) {
              for (const { reminder } of check.owed)
                expect(reminder.dueAt.getTime()).toBeGreaterThanOrEqual(horizon!.getTime());
            }
          }
          if (check.nextAt !== null) {
            expect(horizon).not.toBeNull();
            expect(check.nextAt.getTime()).toBeGreaterThanOrEqual(horizon!.getTime());
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  test("sound with no status comment at all (an incident the app never saw)", () => {
    fc.assert(
      fc.property(
        configArb,
        labelsArb,
        fc.integer({ min: 0, max: 10 * DAY_MS }),
        nowArb,
        (cfg, labels, createdOffsetMs, when) => {
          const createdMs = BASE_MS + createdOffsetMs;
          const subject = issue(labels, new Date(createdMs));
          const horizon = reminderHorizon(subject, policiesOf(cfg));
          const nowMs =
            when.kind === "near" && horizon !== null ? horizon.getTime() + when.offsetMs : createdMs + when.offsetMs;
          fc.pre(nowMs >= createdMs);
          const check = owedAt({ issue: subject, config: cfg, state: null, now: new Date(nowMs) });
          if (check.owed.length > 0) expect(nowMs).toBeGreaterThanOrEqual(horizon?.getTime() ?? Infinity);
        },
      ),
      { numRuns: 500 },
    );
  });

  test("tight: the earliest hidden state (classified at creation, never paused) owes a reminder at the horizon and none 1 ms before", () => {
    fc.assert(
      fc.property(configArb, labelsArb, fc.integer({ min: 0, max: 10 * DAY_MS }), (cfg, labels, createdOffsetMs) => {
        const createdMs = BASE_MS + createdOffsetMs;
        const subject = issue(labels, new Date(createdMs));
        const horizon = reminderHorizon(subject, policiesOf(cfg));
        fc.pre(horizon !== null);
        expectTight(subject, cfg, horizon);
      }),
      { numRuns: 800 },
    );
  });
});

describe("reminderHorizon: cost", () => {
  test("10,000 incidents in well under a second with a business-hours calendar", () => {
    const cfg = config({
      sla: { calendar: { time_zone: "Europe/Berlin" }, business_hours_windows: ["investigation", "resolution"] },
    });
    const started = cpuNow(); // CPU time, not wall time (a loaded machine must not count)
    for (let i = 0; i < 10_000; i += 1)
      reminderHorizon(issue(i % 2 ? CORE_SEV2_DEVOPS3 : [], new Date(BASE_MS + i * 7 * MINUTE_MS)), policiesOf(cfg));
    expect(cpuNow() - started).toBeLessThan(2_000);
  });
});
