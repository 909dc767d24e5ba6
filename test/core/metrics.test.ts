import { describe, expect, test } from "@jest/globals";
import {
  computeMetrics,
  durationFigure,
  factsOf,
  isoWeek,
  isoWeekStart,
  type IncidentRecord,
} from "../../src/core/metrics.js";
import { statusStateSchema, type StatusState } from "../../src/core/status-state.js";
import { configSchema, DEFAULT_CONFIG, type IncidentKeeperConfig } from "../../src/config/schema.js";
import { policiesOf } from "../../src/config/policies.js";

const at = (iso: string): Date => new Date(iso);
const state = (fields: Partial<StatusState>): StatusState => statusStateSchema.parse({ v: 1, ...fields });
const SEV1 = ["incident", "category:core-bug", "sev:1", "devops:1"];

function record(fields: Partial<IncidentRecord> & { createdAt: Date }): IncidentRecord {
  return {
    repository: "acme/web",
    number: 1,
    title: "t",
    url: "https://github.com/acme/web/issues/1",
    state: "open",
    closedAt: null,
    labels: SEV1,
    status: null,
    reopens: 0,
    ...fields,
  };
}

// Monday 2026-03-02 09:00Z opened; the fake clock is a parameter.
const OPENED = at("2026-03-02T09:00:00Z");

describe("one incident's facts (default policy: 12 h investigation, Sev 1 / DevOps 1 resolves in 12 h from classification)", () => {
  test.each<{
    name: string;
    record: IncidentRecord;
    now: string;
    expected: Record<string, unknown>;
    config?: IncidentKeeperConfig;
  }>([
    {
      name: "classified after 2 h, resolved after 6 h: both windows met",
      record: record({
        createdAt: OPENED,
        state: "closed",
        closedAt: at("2026-03-02T15:00:00Z"),
        status: state({ classifiedAt: "2026-03-02T11:00:00Z", resolvedAt: "2026-03-02T15:00:00Z" }),
      }),
      now: "2026-03-03T00:00:00Z",
      expected: {
        classifyHours: 2,
        resolveHours: 6,
        restoreHours: 6,
        detectHours: null,
        mitigateHours: null,
        sla: { investigation: "met", resolution: "met" },
        breachHours: { investigation: null, resolution: null },
      },
    },
    {
      name: "never classified, 20 h old: investigation breached by 8 h and still open, resolution pending",
      record: record({ createdAt: OPENED, labels: ["incident"], status: state({}) }),
      now: "2026-03-03T05:00:00Z",
      expected: {
        classifyHours: null,
        resolveHours: null,
        severity: null,
        category: null,
        sla: { investigation: "breached", resolution: "pending" },
        breachHours: { investigation: 8, resolution: null },
      },
    },
    {
      name: "a 3 h pause moves the resolution deadline: resolved 14 h after classification is still met",
      record: record({
        createdAt: OPENED,
        state: "closed",
        closedAt: at("2026-03-03T01:00:00Z"),
        status: state({
          classifiedAt: "2026-03-02T11:00:00Z",
          resolvedAt: "2026-03-03T01:00:00Z",
          pauses: [{ start: "2026-03-02T12:00:00Z", end: "2026-03-02T15:00:00Z" }],
        }),
      }),
      now: "2026-03-04T00:00:00Z",
      expected: { resolveHours: 16, sla: { investigation: "met", resolution: "met" } },
    },
    {
      name: "without the pause the same incident breaches the resolution window by 2 h",
      record: record({
        createdAt: OPENED,
        state: "closed",
        closedAt: at("2026-03-03T01:00:00Z"),
        status: state({ classifiedAt: "2026-03-02T11:00:00Z", resolvedAt: "2026-03-03T01:00:00Z" }),
      }),
      now: "2026-03-04T00:00:00Z",
      expected: {
        sla: { investigation: "met", resolution: "breached" },
        breachHours: { investigation: null, resolution: 2 },
      },
    },
    {
      name: "business-hours investigation (Mon-Fri 09-17 UTC): opened Friday 16:00, classified Monday 10:00 = 2 working hours, met",
      record: record({
        createdAt: at("2026-03-06T16:00:00Z"),
        labels: ["incident", "category:operator-error"],
        status: state({ classifiedAt: "2026-03-09T10:00:00Z" }),
      }),
      config: configSchema.parse({
        sla: { calendar: { time_zone: "UTC" }, business_hours_windows: ["investigation"] },
      }),
      now: "2026-03-09T12:00:00Z",
      expected: { classifyHours: 66, sla: { investigation: "met", resolution: "not-applicable" } },
    },
    {
      name: "the same incident on the 24-hour clock breaches investigation by 54 h",
      record: record({
        createdAt: at("2026-03-06T16:00:00Z"),
        labels: ["incident", "category:operator-error"],
        status: state({ classifiedAt: "2026-03-09T10:00:00Z" }),
      }),
      now: "2026-03-09T12:00:00Z",
      expected: {
        sla: { investigation: "breached", resolution: "not-applicable" },
        breachHours: { investigation: 54, resolution: null },
      },
    },
    {
      name: "reopened twice for a premature close, then forced closed: counted, resolution from the forced close",
      record: record({
        createdAt: OPENED,
        state: "closed",
        closedAt: at("2026-03-02T20:00:00Z"),
        reopens: 2,
        status: state({
          classifiedAt: "2026-03-02T10:00:00Z",
          resolvedAt: "2026-03-02T20:00:00Z",
          forcedClose: { by: "alice", reason: "vendor fix", at: "2026-03-02T20:00:00Z" },
        }),
      }),
      now: "2026-03-03T00:00:00Z",
      expected: { reopens: 2, forcedClose: true, resolveHours: 11, sla: { investigation: "met", resolution: "met" } },
    },
    {
      name: "timeline tags: detected 30 min and mitigated 3 h after impact start; restore uses them",
      record: record({
        createdAt: at("2026-03-02T09:10:00Z"),
        state: "closed",
        closedAt: at("2026-03-02T18:00:00Z"),
        status: state({
          classifiedAt: "2026-03-02T09:40:00Z",
          resolvedAt: "2026-03-02T18:00:00Z",
          tags: { start: "2026-03-02T08:30:00Z", detected: "2026-03-02T09:00:00Z", mitigated: "2026-03-02T11:30:00Z" },
        }),
      }),
      now: "2026-03-03T00:00:00Z",
      expected: { detectHours: 0.5, mitigateHours: 3, restoreHours: 3, resolveHours: 8.8333 },
    },
    {
      name: "only a start tag: detect and mitigate have no data; restore runs from the start to the resolution",
      record: record({
        createdAt: OPENED,
        state: "closed",
        closedAt: at("2026-03-02T12:00:00Z"),
        status: state({ resolvedAt: "2026-03-02T12:00:00Z", tags: { start: "2026-03-02T08:00:00Z" } }),
      }),
      now: "2026-03-03T00:00:00Z",
      expected: { detectHours: null, mitigateHours: null, restoreHours: 4, resolveHours: 3 },
    },
    {
      name: "closed with no status comment at all: GitHub's close time is the resolution",
      record: record({ createdAt: OPENED, state: "closed", closedAt: at("2026-03-02T13:00:00Z"), status: null }),
      now: "2026-03-03T00:00:00Z",
      expected: { resolveHours: 4, classifyHours: null, sla: { investigation: "breached", resolution: "pending" } },
    },
    {
      name: "follow-up actions: open past the 28-day Sev 1 SLO, done (closed, merged), not planned, not found",
      record: record({
        createdAt: OPENED,
        state: "closed",
        closedAt: at("2026-03-02T12:00:00Z"),
        status: state({
          resolvedAt: "2026-03-02T12:00:00Z",
          actions: {
            "acme/web#2": { found: true, kind: "issue", state: "open", stateReason: null, title: "a" },
            "acme/web#3": { found: true, kind: "issue", state: "closed", stateReason: "completed", title: "b" },
            "acme/web#4": { found: true, kind: "pull", state: "closed", merged: true, title: "c" },
            "acme/web#5": { found: true, kind: "issue", state: "closed", stateReason: "not_planned", title: "d" },
            "acme/api#6": { found: false },
          },
        }),
      }),
      now: "2026-03-31T12:00:01Z",
      expected: { actions: { open: 1, done: 2, overdue: 1, other: 2 } },
    },
    {
      name: "the same open action 27 days after resolution is not overdue yet",
      record: record({
        createdAt: OPENED,
        state: "closed",
        closedAt: at("2026-03-02T12:00:00Z"),
        status: state({
          resolvedAt: "2026-03-02T12:00:00Z",
          actions: { "acme/web#2": { found: true, kind: "issue", state: "open", stateReason: null, title: "a" } },
        }),
      }),
      now: "2026-03-29T12:00:00Z",
      expected: { actions: { open: 1, done: 0, overdue: 0, other: 0 } },
    },
    {
      name: "a configured 3-day SLO for Sev 1 makes it overdue",
      record: record({
        createdAt: OPENED,
        state: "closed",
        closedAt: at("2026-03-02T12:00:00Z"),
        status: state({
          resolvedAt: "2026-03-02T12:00:00Z",
          actions: { "acme/web#2": { found: true, kind: "issue", state: "open", stateReason: null, title: "a" } },
        }),
      }),
      config: configSchema.parse({ report: { action_slo_days: { "1": 3 } } }),
      now: "2026-03-06T12:00:00Z",
      expected: { actions: { open: 1, done: 0, overdue: 1, other: 0 } },
    },
    {
      name: "an issue opened 3 days before it became an incident, classified 2 h after: investigation met (as the status comment says)",
      record: record({
        createdAt: at("2026-02-27T09:00:00Z"),
        status: state({ incidentAt: "2026-03-02T09:00:00Z", classifiedAt: "2026-03-02T11:00:00Z" }),
      }),
      now: "2026-03-02T12:00:00Z",
      expected: { sla: { investigation: "met", resolution: "on-track" } },
    },
  ])("$name", ({ record: input, now, expected, config }) => {
    expect(factsOf(input, policiesOf(config ?? DEFAULT_CONFIG), at(now))).toMatchObject(expected);
  });
});

describe("durations: median and p90 by linear interpolation, with the count", () => {
  test.each<{ hours: number[]; expected: ReturnType<typeof durationFigure> }>([
    { hours: [], expected: { incidents: 0, medianHours: null, p90Hours: null, meanHours: null } },
    { hours: [5], expected: { incidents: 1, medianHours: 5, p90Hours: 5, meanHours: 5 } },
    { hours: [1, 3], expected: { incidents: 2, medianHours: 2, p90Hours: 2.8, meanHours: 2 } },
    {
      hours: [10, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      expected: { incidents: 10, medianHours: 5.5, p90Hours: 9.1, meanHours: 5.5 },
    },
  ])("$hours", ({ hours, expected }) => {
    expect(durationFigure(hours)).toEqual(expected);
  });
});

describe("ISO weeks (UTC)", () => {
  test.each([
    ["2026-03-02T00:00:00Z", "2026-W10", "2026-03-02"],
    ["2026-03-08T23:59:59Z", "2026-W10", "2026-03-02"],
    ["2026-01-01T12:00:00Z", "2026-W01", "2025-12-29"],
    ["2027-01-01T12:00:00Z", "2026-W53", "2026-12-28"],
    ["2024-12-30T00:00:00Z", "2025-W01", "2024-12-30"],
  ])("%s is %s (starts %s)", (when, week, monday) => {
    expect(isoWeek(at(when))).toBe(week);
    expect(isoWeekStart(at(when)).toISOString().slice(0, 10)).toBe(monday);
  });
});

describe("the report over a cohort", () => {
  const records: IncidentRecord[] = [
    record({
      number: 1,
      createdAt: at("2026-03-02T09:00:00Z"),
      state: "closed",
      closedAt: at("2026-03-02T15:00:00Z"),
      status: state({ classifiedAt: "2026-03-02T11:00:00Z", resolvedAt: "2026-03-02T15:00:00Z" }),
    }),
    record({
      number: 2,
      createdAt: at("2026-03-03T09:00:00Z"),
      state: "closed",
      closedAt: at("2026-03-04T09:00:00Z"),
      reopens: 1,
      status: state({ classifiedAt: "2026-03-03T10:00:00Z", resolvedAt: "2026-03-04T09:00:00Z" }),
    }),
    record({
      number: 3,
      createdAt: at("2026-03-10T09:00:00Z"),
      labels: ["incident", "category:core-bug", "sev:3", "devops:2"],
      status: state({ classifiedAt: "2026-03-10T13:00:00Z" }),
    }),
    record({ number: 4, createdAt: at("2026-03-11T09:00:00Z"), labels: ["incident"], status: null }),
    // Opened before the range, closed inside it: counts as closed only.
    record({
      number: 5,
      createdAt: at("2026-02-20T09:00:00Z"),
      state: "closed",
      closedAt: at("2026-03-05T09:00:00Z"),
      status: state({ classifiedAt: "2026-02-20T10:00:00Z", resolvedAt: "2026-03-05T09:00:00Z" }),
    }),
  ];
  const report = computeMetrics({
    records,
    policiesOf: () => policiesOf(DEFAULT_CONFIG),
    range: { since: at("2026-03-01T00:00:00Z"), until: at("2026-03-15T00:00:00Z") },
    now: at("2026-03-12T09:00:00Z"),
  });

  test("overall figures, each with the number of incidents behind it", () => {
    expect(report.overall.opened).toEqual({ incidents: 4 });
    expect(report.overall.closed).toEqual({ incidents: 3 });
    expect(report.overall.timeToClassify).toEqual({ incidents: 3, medianHours: 2, p90Hours: 3.6, meanHours: 2.33 });
    expect(report.overall.timeToResolve).toEqual({ incidents: 2, medianHours: 15, p90Hours: 22.2, meanHours: 15 });
    expect(report.overall.timeToDetect).toEqual({ incidents: 0, medianHours: null, p90Hours: null, meanHours: null });
    expect(report.overall.sla.investigation).toMatchObject({
      incidents: 4,
      met: 3,
      breached: 1,
      open: 0,
      metRatio: 0.75,
    });
    // #1 met (4 h of 12), #2 breached (23 h of 12, by 11 h), #3 on track (2 weeks), #4 pending.
    expect(report.overall.sla.resolution).toMatchObject({
      incidents: 4,
      met: 1,
      breached: 1,
      open: 2,
      metRatio: 0.5,
      breachHours: { incidents: 1, medianHours: 11 },
    });
    expect(report.overall.reopened).toEqual({ incidents: 1, reopens: 1 });
  });

  test("by severity, category and week", () => {
    expect(report.bySeverity["1"].opened.incidents).toBe(2);
    expect(report.bySeverity["3"].opened.incidents).toBe(1);
    expect(report.bySeverity.none.opened.incidents).toBe(1);
    expect(report.byCategory["core-bug"].opened.incidents).toBe(3);
    expect(report.byCategory.none.opened.incidents).toBe(1);
    expect(Object.keys(report.byWeek)).toEqual(["2026-W10", "2026-W11"]);
    expect(report.byWeek["2026-W10"]!.opened.incidents).toBe(2);
    expect(report.byWeek["2026-W10"]!.closed.incidents).toBe(3);
    expect(report.byWeek["2026-W11"]!.opened.incidents).toBe(2);
    expect(report.incidents.map((i) => i.number)).toEqual([1, 2, 3, 4]);
  });
});
