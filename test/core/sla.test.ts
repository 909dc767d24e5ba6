import { describe, expect, test } from "@jest/globals";
import type { Category, Classification, DevopsLevel, Severity } from "../../src/core/classification.js";
import {
  evaluateSla,
  HOUR_MS,
  isFullyClassified,
  resolutionHoursFor,
  type IncidentTimes,
  type ResolutionClockStart,
  type SlaPolicy,
} from "../../src/core/sla.js";
import { configSchema, DEFAULT_CONFIG } from "../../src/config/schema.js";
import { policiesOf } from "../../src/config/policies.js";

const at = (iso: string): Date => new Date(iso);
const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());
const plus = (date: Date, ms: number): Date => new Date(date.getTime() + ms);

const DEFAULTS: SlaPolicy = policiesOf(DEFAULT_CONFIG).sla;
const policyWith = (sla: Record<string, unknown>): SlaPolicy => policiesOf(configSchema.parse({ sla })).sla;
const classified = (
  category: Category | null,
  severity: Severity | null,
  devops: DevopsLevel | null,
): Classification => ({ category, severity, devops });

const OPENED = at("2026-03-02T09:00:00Z");
const CLASSIFIED = at("2026-03-02T10:30:00Z");
const NOW = at("2026-03-02T11:00:00Z");
const times = (overrides: Partial<IncidentTimes> = {}): IncidentTimes => ({
  openedAt: OPENED,
  classifiedAt: CLASSIFIED,
  resolvedAt: null,
  ...overrides,
});

describe("the default Sev x DevOps matrix (resolution clock starts at classification, 10:30Z)", () => {
  // Every cell, with its deadline written out by hand (UTC has no DST; 2,160 h = 90 days).
  test.each<{ severity: Severity; devops: DevopsLevel; hours: number | null; deadline: string | null }>([
    { severity: 1, devops: 1, hours: 12, deadline: "2026-03-02T22:30:00.000Z" },
    { severity: 1, devops: 2, hours: 12, deadline: "2026-03-02T22:30:00.000Z" },
    { severity: 1, devops: 3, hours: 48, deadline: "2026-03-04T10:30:00.000Z" },
    { severity: 1, devops: 4, hours: 168, deadline: "2026-03-09T10:30:00.000Z" },
    { severity: 2, devops: 1, hours: 12, deadline: "2026-03-02T22:30:00.000Z" },
    { severity: 2, devops: 2, hours: 12, deadline: "2026-03-02T22:30:00.000Z" },
    { severity: 2, devops: 3, hours: 48, deadline: "2026-03-04T10:30:00.000Z" },
    { severity: 2, devops: 4, hours: 168, deadline: "2026-03-09T10:30:00.000Z" },
    { severity: 3, devops: 1, hours: 336, deadline: "2026-03-16T10:30:00.000Z" },
    { severity: 3, devops: 2, hours: 336, deadline: "2026-03-16T10:30:00.000Z" },
    { severity: 3, devops: 3, hours: 2160, deadline: "2026-05-31T10:30:00.000Z" },
    { severity: 3, devops: 4, hours: 2160, deadline: "2026-05-31T10:30:00.000Z" },
    { severity: 4, devops: 1, hours: 336, deadline: "2026-03-16T10:30:00.000Z" },
    { severity: 4, devops: 2, hours: 336, deadline: "2026-03-16T10:30:00.000Z" },
    { severity: 4, devops: 3, hours: 2160, deadline: "2026-05-31T10:30:00.000Z" },
    { severity: 4, devops: 4, hours: 2160, deadline: "2026-05-31T10:30:00.000Z" },
    { severity: 5, devops: 1, hours: null, deadline: null },
    { severity: 5, devops: 2, hours: null, deadline: null },
    { severity: 5, devops: 3, hours: null, deadline: null },
    { severity: 5, devops: 4, hours: null, deadline: null },
  ])("Sev $severity / DevOps $devops: $hours h, due $deadline", ({ severity, devops, hours, deadline }) => {
    const classification = classified("core-bug", severity, devops);
    expect(resolutionHoursFor(classification, DEFAULTS)).toBe(hours);
    const { resolution } = evaluateSla({ times: times(), classification, policy: DEFAULTS, now: NOW });
    expect(iso(resolution.deadline)).toBe(deadline);
    expect(resolution.durationHours).toBe(hours);
    expect(resolution.state).toBe(hours === null ? "not-applicable" : "on-track");
    expect(iso(resolution.startedAt)).toBe(hours === null ? null : CLASSIFIED.toISOString());
  });

  test("the investigation window is 12 h from opening whatever the classification", () => {
    for (const classification of [
      classified(null, null, null),
      classified("core-bug", 5, 4),
      classified("feature-request", null, null),
    ]) {
      const { investigation } = evaluateSla({ times: times(), classification, policy: DEFAULTS, now: NOW });
      expect(investigation).toEqual({
        window: "investigation",
        state: "met",
        startedAt: OPENED,
        deadline: at("2026-03-02T21:00:00Z"),
        durationHours: 12,
        satisfiedAt: CLASSIFIED,
      });
    }
  });
});

describe("resolution clock start modes", () => {
  const sev2devops3 = classified("core-bug", 2, 3); // 48 h
  test.each<{
    mode: ResolutionClockStart;
    classifiedAt: string | null;
    startedAt: string | null;
    deadline: string | null;
    state: string;
  }>([
    {
      mode: "opened",
      classifiedAt: "2026-03-02T10:30:00Z",
      startedAt: "2026-03-02T09:00:00.000Z",
      deadline: "2026-03-04T09:00:00.000Z",
      state: "on-track",
    },
    {
      mode: "classified",
      classifiedAt: "2026-03-02T10:30:00Z",
      startedAt: "2026-03-02T10:30:00.000Z",
      deadline: "2026-03-04T10:30:00.000Z",
      state: "on-track",
    },
    // The investigation window ends at 21:00Z whenever the incident was classified within it.
    {
      mode: "end-of-investigation",
      classifiedAt: "2026-03-02T10:30:00Z",
      startedAt: "2026-03-02T21:00:00.000Z",
      deadline: "2026-03-04T21:00:00.000Z",
      state: "on-track",
    },
    {
      mode: "end-of-investigation",
      classifiedAt: "2026-03-03T08:00:00Z",
      startedAt: "2026-03-02T21:00:00.000Z",
      deadline: "2026-03-04T21:00:00.000Z",
      state: "on-track",
    },
    // Opened mode runs even before anyone recorded the classification instant.
    {
      mode: "opened",
      classifiedAt: null,
      startedAt: "2026-03-02T09:00:00.000Z",
      deadline: "2026-03-04T09:00:00.000Z",
      state: "on-track",
    },
    { mode: "classified", classifiedAt: null, startedAt: null, deadline: null, state: "pending" },
  ])(
    "$mode, classified at $classifiedAt: starts $startedAt, due $deadline",
    ({ mode, classifiedAt, startedAt, deadline, state }) => {
      const policy = { ...DEFAULTS, resolutionClockStart: mode };
      const { resolution } = evaluateSla({
        times: times({ classifiedAt: classifiedAt === null ? null : at(classifiedAt) }),
        classification: sev2devops3,
        policy,
        now: NOW,
      });
      expect({
        startedAt: iso(resolution.startedAt),
        deadline: iso(resolution.deadline),
        state: resolution.state,
        hours: resolution.durationHours,
      }).toEqual({
        startedAt,
        deadline,
        state,
        hours: 48,
      });
    },
  );

  test.each<ResolutionClockStart>(["opened", "classified", "end-of-investigation"])(
    "%s: an incompletely classified core bug stays pending",
    (mode) => {
      const policy = { ...DEFAULTS, resolutionClockStart: mode };
      const { resolution } = evaluateSla({
        times: times({ classifiedAt: null }),
        classification: classified("core-bug", 2, null),
        policy,
        now: NOW,
      });
      expect(resolution).toEqual({
        window: "resolution",
        state: "pending",
        startedAt: null,
        deadline: null,
        durationHours: null,
        satisfiedAt: null,
      });
    },
  );
});

describe("deadline boundaries", () => {
  const investigationDeadline = at("2026-03-02T21:00:00Z");
  const sev1devops1 = classified("core-bug", 1, 1); // 12 h from 10:30Z
  const resolutionDeadline = at("2026-03-02T22:30:00Z");

  test.each<{ name: string; classifiedAt: Date | null; now: Date; state: string }>([
    {
      name: "1 ms before the deadline, unclassified",
      classifiedAt: null,
      now: plus(investigationDeadline, -1),
      state: "on-track",
    },
    {
      name: "exactly at the deadline, unclassified",
      classifiedAt: null,
      now: investigationDeadline,
      state: "on-track",
    },
    {
      name: "1 ms after the deadline, unclassified",
      classifiedAt: null,
      now: plus(investigationDeadline, 1),
      state: "breached",
    },
    {
      name: "classified exactly at the deadline",
      classifiedAt: investigationDeadline,
      now: plus(investigationDeadline, 5 * HOUR_MS),
      state: "met",
    },
    {
      name: "classified 1 ms after the deadline",
      classifiedAt: plus(investigationDeadline, 1),
      now: plus(investigationDeadline, 5 * HOUR_MS),
      state: "breached",
    },
    {
      name: "classified at opening",
      classifiedAt: OPENED,
      now: plus(investigationDeadline, 5 * HOUR_MS),
      state: "met",
    },
    {
      name: "classified 1 ms late, looked at the same instant",
      classifiedAt: plus(investigationDeadline, 1),
      now: plus(investigationDeadline, 1),
      state: "breached",
    },
  ])("investigation: $name -> $state", ({ classifiedAt, now, state }) => {
    const { investigation } = evaluateSla({
      times: times({ classifiedAt }),
      classification: classified(null, null, null),
      policy: DEFAULTS,
      now,
    });
    expect(investigation.state).toBe(state);
    expect(investigation.deadline).toEqual(investigationDeadline);
    expect(investigation.satisfiedAt).toEqual(classifiedAt);
  });

  test.each<{ name: string; resolvedAt: Date | null; now: Date; state: string }>([
    { name: "exactly at the deadline, unresolved", resolvedAt: null, now: resolutionDeadline, state: "on-track" },
    {
      name: "1 ms after the deadline, unresolved",
      resolvedAt: null,
      now: plus(resolutionDeadline, 1),
      state: "breached",
    },
    {
      name: "resolved exactly at the deadline",
      resolvedAt: resolutionDeadline,
      now: plus(resolutionDeadline, HOUR_MS),
      state: "met",
    },
    {
      name: "resolved 1 ms after the deadline",
      resolvedAt: plus(resolutionDeadline, 1),
      now: plus(resolutionDeadline, HOUR_MS),
      state: "breached",
    },
    {
      name: "resolved early, looked at long after",
      resolvedAt: at("2026-03-02T12:00:00Z"),
      now: at("2027-01-01T00:00:00Z"),
      state: "met",
    },
  ])("resolution: $name -> $state", ({ resolvedAt, now, state }) => {
    const { resolution } = evaluateSla({
      times: times({ resolvedAt }),
      classification: sev1devops1,
      policy: DEFAULTS,
      now,
    });
    expect(resolution.state).toBe(state);
    expect(resolution.deadline).toEqual(resolutionDeadline);
    expect(resolution.satisfiedAt).toEqual(resolvedAt);
  });
});

describe("pending versus not applicable", () => {
  test.each<{
    name: string;
    classification: Classification;
    classifiedAt: Date | null;
    state: string;
    hours: number | null;
  }>([
    {
      name: "nothing classified yet",
      classification: classified(null, null, null),
      classifiedAt: null,
      state: "pending",
      hours: null,
    },
    {
      name: "core bug, severity and DevOps missing",
      classification: classified("core-bug", null, null),
      classifiedAt: null,
      state: "pending",
      hours: null,
    },
    {
      name: "core bug Sev 2, DevOps missing",
      classification: classified("core-bug", 2, null),
      classifiedAt: null,
      state: "pending",
      hours: null,
    },
    {
      name: "core bug DevOps 3, severity missing",
      classification: classified("core-bug", null, 3),
      classifiedAt: null,
      state: "pending",
      hours: null,
    },
    {
      name: "category missing, Sev 2 / DevOps 3 (may still become a core bug)",
      classification: classified(null, 2, 3),
      classifiedAt: null,
      state: "pending",
      hours: null,
    },
    {
      name: "category missing, Sev 2 only",
      classification: classified(null, 2, null),
      classifiedAt: null,
      state: "pending",
      hours: null,
    },
    {
      name: "fully classified core bug, classification instant not recorded yet",
      classification: classified("core-bug", 2, 3),
      classifiedAt: null,
      state: "pending",
      hours: 48,
    },
    {
      name: "core bug Sev 5, DevOps missing (the whole row has no window)",
      classification: classified("core-bug", 5, null),
      classifiedAt: null,
      state: "not-applicable",
      hours: null,
    },
    {
      name: "category missing, Sev 5",
      classification: classified(null, 5, null),
      classifiedAt: null,
      state: "not-applicable",
      hours: null,
    },
    {
      name: "core bug Sev 5 / DevOps 1",
      classification: classified("core-bug", 5, 1),
      classifiedAt: CLASSIFIED,
      state: "not-applicable",
      hours: null,
    },
    {
      name: "feature request",
      classification: classified("feature-request", null, null),
      classifiedAt: CLASSIFIED,
      state: "not-applicable",
      hours: null,
    },
    {
      name: "feature request with Sev 1 / DevOps 1",
      classification: classified("feature-request", 1, 1),
      classifiedAt: CLASSIFIED,
      state: "not-applicable",
      hours: null,
    },
    {
      name: "operator error",
      classification: classified("operator-error", null, null),
      classifiedAt: CLASSIFIED,
      state: "not-applicable",
      hours: null,
    },
    {
      name: "operator error with Sev 2 / DevOps 3",
      classification: classified("operator-error", 2, 3),
      classifiedAt: CLASSIFIED,
      state: "not-applicable",
      hours: null,
    },
    {
      name: "act of God",
      classification: classified("act-of-god", 1, null),
      classifiedAt: CLASSIFIED,
      state: "not-applicable",
      hours: null,
    },
  ])("$name -> $state", ({ classification, classifiedAt, state, hours }) => {
    const { resolution } = evaluateSla({ times: times({ classifiedAt }), classification, policy: DEFAULTS, now: NOW });
    expect(resolution).toEqual({
      window: "resolution",
      state,
      startedAt: null,
      deadline: null,
      durationHours: hours,
      satisfiedAt: null,
    });
  });
});

describe("isFullyClassified", () => {
  test.each<{ name: string; classification: Classification; policy?: SlaPolicy; expected: boolean }>([
    { name: "nothing", classification: classified(null, null, null), expected: false },
    { name: "severity and DevOps without a category", classification: classified(null, 2, 3), expected: false },
    { name: "core bug alone", classification: classified("core-bug", null, null), expected: false },
    { name: "core bug + severity", classification: classified("core-bug", 2, null), expected: false },
    { name: "core bug + DevOps", classification: classified("core-bug", null, 2), expected: false },
    { name: "core bug + severity + DevOps", classification: classified("core-bug", 2, 2), expected: true },
    { name: "core bug Sev 5 / DevOps 4", classification: classified("core-bug", 5, 4), expected: true },
    { name: "feature request alone", classification: classified("feature-request", null, null), expected: true },
    { name: "operator error alone", classification: classified("operator-error", null, null), expected: true },
    { name: "act of God alone", classification: classified("act-of-god", null, null), expected: true },
    {
      name: "core bug alone when no category gets a resolution window",
      classification: classified("core-bug", null, null),
      policy: policyWith({ resolution_categories: [] }),
      expected: true,
    },
    {
      name: "operator error alone when operator errors get a resolution window",
      classification: classified("operator-error", null, null),
      policy: policyWith({ resolution_categories: ["core-bug", "operator-error"] }),
      expected: false,
    },
  ])("$name -> $expected", ({ classification, policy = DEFAULTS, expected }) => {
    expect(isFullyClassified(classification, policy)).toBe(expected);
  });
});

describe("config overrides of the matrix", () => {
  test.each<{
    name: string;
    sla: Record<string, unknown>;
    classification: Classification;
    state: string;
    deadline: string | null;
  }>([
    {
      name: "a cell set to null has no window",
      sla: { resolution_hours: { "2": { "3": null } } },
      classification: classified("core-bug", 2, 3),
      state: "not-applicable",
      deadline: null,
    },
    {
      name: "a neighbouring cell keeps its default",
      sla: { resolution_hours: { "2": { "3": null } } },
      classification: classified("core-bug", 2, 4),
      state: "on-track",
      deadline: "2026-03-09T10:30:00.000Z",
    },
    {
      name: "a shorter cell",
      sla: { resolution_hours: { "3": { "1": 24 } } },
      classification: classified("core-bug", 3, 1),
      state: "on-track",
      deadline: "2026-03-03T10:30:00.000Z",
    },
    {
      name: "a fractional cell",
      sla: { resolution_hours: { "1": { "1": 0.5 } } },
      classification: classified("core-bug", 1, 1),
      state: "on-track",
      deadline: "2026-03-02T11:00:00.000Z",
    },
    {
      name: "Sev 5 given a window",
      sla: { resolution_hours: { "5": { "4": 720 } } },
      classification: classified("core-bug", 5, 4),
      state: "on-track",
      deadline: "2026-04-01T10:30:00.000Z",
    },
    {
      name: "feature requests given resolution windows",
      sla: { resolution_categories: ["core-bug", "feature-request"] },
      classification: classified("feature-request", 3, 3),
      state: "on-track",
      deadline: "2026-05-31T10:30:00.000Z",
    },
    {
      name: "a longer investigation moves end-of-investigation starts",
      sla: { investigation_hours: 24, resolution_clock_start: "end-of-investigation" },
      classification: classified("core-bug", 1, 1),
      state: "on-track",
      deadline: "2026-03-03T21:00:00.000Z",
    },
  ])("$name", ({ sla, classification, state, deadline }) => {
    // "now" is 11:00Z: the half-hour window ends exactly now, so it is still on track.
    const { resolution } = evaluateSla({ times: times(), classification, policy: policyWith(sla), now: NOW });
    expect(resolution.state).toBe(state);
    expect(iso(resolution.deadline)).toBe(deadline);
  });

  test("a whole row of nulls makes the severity not applicable before DevOps is known", () => {
    const policy = policyWith({ resolution_hours: { "4": { "1": null, "2": null, "3": null, "4": null } } });
    const { resolution } = evaluateSla({
      times: times({ classifiedAt: null }),
      classification: classified("core-bug", 4, null),
      policy,
      now: NOW,
    });
    expect(resolution.state).toBe("not-applicable");
  });

  test("a row with one window left stays pending until DevOps is known", () => {
    const policy = policyWith({ resolution_hours: { "4": { "1": null, "2": null, "3": null } } });
    const { resolution } = evaluateSla({
      times: times({ classifiedAt: null }),
      classification: classified("core-bug", 4, null),
      policy,
      now: NOW,
    });
    expect(resolution.state).toBe("pending");
  });
});
