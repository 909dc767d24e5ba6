import { describe, expect, test } from "@jest/globals";
import type { Category, Classification } from "../../src/core/classification.js";
import type { IncidentIssue } from "../../src/core/incident.js";
import { noticeMarker, planIncident, type IncidentPlan, type Notice } from "../../src/core/incident-plan.js";
import { EMPTY_STATE, type StatusState } from "../../src/core/status-state.js";
import { configSchema, DEFAULT_CONFIG, type IncidentKeeperConfig } from "../../src/config/schema.js";
import { policiesOf } from "../../src/config/policies.js";

const at = (iso: string): Date => new Date(iso);
const OPENED = "2026-11-23T06:00:00.000Z";
const NOW = at("2026-11-23T08:00:00.000Z");
const NOW_ISO = NOW.toISOString();

const issue = (overrides: Partial<IncidentIssue> = {}): IncidentIssue => ({
  number: 7,
  title: "Login returns 503",
  body: "Users cannot log in.",
  state: "open",
  stateReason: null,
  labels: ["incident"],
  assignees: [],
  author: "alice",
  createdAt: at(OPENED),
  closedAt: null,
  isPullRequest: false,
  ...overrides,
});

function plan(
  args: {
    issue?: Partial<IncidentIssue>;
    config?: IncidentKeeperConfig;
    previous?: Partial<StatusState>;
    posted?: string[];
    wanted?: Partial<Classification>;
    newestLabel?: string;
    markResolved?: boolean;
    now?: Date;
  } = {},
): IncidentPlan {
  return planIncident({
    issue: issue(args.issue),
    policies: policiesOf(args.config ?? DEFAULT_CONFIG),
    previous: { ...EMPTY_STATE, ...args.previous },
    postedMarkers: new Set(args.posted ?? []),
    wanted: args.wanted,
    newestLabel: args.newestLabel,
    markResolved: args.markResolved,
    now: args.now ?? NOW,
  });
}

describe("the SLA policy (policiesOf(config).sla)", () => {
  test("maps the default config", () => {
    expect(policiesOf(DEFAULT_CONFIG).sla).toEqual({
      investigationHours: 12,
      investigationClockStart: "became-incident",
      resolutionClockStart: "classified",
      resolutionHours: {
        "1": { "1": 12, "2": 12, "3": 48, "4": 168 },
        "2": { "1": 12, "2": 12, "3": 48, "4": 168 },
        "3": { "1": 336, "2": 336, "3": 2160, "4": 2160 },
        "4": { "1": 336, "2": 336, "3": 2160, "4": 2160 },
        "5": { "1": null, "2": null, "3": null, "4": null },
      },
      resolutionCategories: ["core-bug"],
      calendar: null,
      businessHoursWindows: [],
    });
  });

  test("maps a calendar field by field", () => {
    const config = configSchema.parse({
      sla: {
        calendar: {
          time_zone: "Europe/Berlin",
          working_days: [1, 2, 3],
          start_time: "08:30",
          end_time: "18:00",
          holidays: ["2026-12-24"],
        },
        business_hours_windows: ["resolution"],
      },
    });
    const policy = policiesOf(config).sla;
    expect(policy.calendar).toEqual({
      timeZone: "Europe/Berlin",
      workingDays: [1, 2, 3],
      startTime: "08:30",
      endTime: "18:00",
      holidays: ["2026-12-24"],
    });
    expect(policy.businessHoursWindows).toEqual(["resolution"]);
  });
});

describe("noticeMarker", () => {
  test.each<{ kind: Notice["kind"]; category: Category; marker: string }>([
    { kind: "memo", category: "operator-error", marker: "<!-- incident-keeper:notice memo:operator-error -->" },
    { kind: "memo", category: "act-of-god", marker: "<!-- incident-keeper:notice memo:act-of-god -->" },
    { kind: "handoff", category: "feature-request", marker: "<!-- incident-keeper:notice handoff:feature-request -->" },
  ])("$kind / $category", ({ kind, category, marker }) => {
    expect(noticeMarker(kind, category)).toBe(marker);
  });
});

describe("classification labels and the product hand-off label", () => {
  test.each<{
    name: string;
    labels: string[];
    wanted?: Partial<Classification>;
    newestLabel?: string;
    classification: Classification;
    add: string[];
    remove: string[];
    fully: boolean;
  }>([
    {
      name: "nothing classified",
      labels: ["incident"],
      classification: { category: null, severity: null, devops: null },
      add: [],
      remove: [],
      fully: false,
    },
    {
      name: "fully classified core bug by labels",
      labels: ["incident", "category:core-bug", "sev:2", "devops:3"],
      classification: { category: "core-bug", severity: 2, devops: 3 },
      add: [],
      remove: [],
      fully: true,
    },
    {
      name: "core bug without DevOps is not fully classified",
      labels: ["incident", "category:core-bug", "sev:2"],
      classification: { category: "core-bug", severity: 2, devops: null },
      add: [],
      remove: [],
      fully: false,
    },
    {
      name: "the form's answers are applied as labels",
      labels: ["incident"],
      wanted: { category: "core-bug", severity: 1, devops: 1 },
      classification: { category: "core-bug", severity: 1, devops: 1 },
      add: ["category:core-bug", "sev:1", "devops:1"],
      remove: [],
      fully: true,
    },
    {
      name: "a command replaces a severity label",
      labels: ["incident", "sev:3"],
      wanted: { severity: 1 },
      classification: { category: null, severity: 1, devops: null },
      add: ["sev:1"],
      remove: ["sev:3"],
      fully: false,
    },
    {
      name: "the newest of two severity labels wins",
      labels: ["incident", "sev:1", "sev:4"],
      newestLabel: "sev:1",
      classification: { category: null, severity: 1, devops: null },
      add: [],
      remove: ["sev:4"],
      fully: false,
    },
    {
      name: "without a newest label the last one wins",
      labels: ["incident", "sev:1", "sev:4"],
      classification: { category: null, severity: 4, devops: null },
      add: [],
      remove: ["sev:1"],
      fully: false,
    },
    {
      name: "a feature request gets the product label",
      labels: ["incident", "category:feature-request"],
      classification: { category: "feature-request", severity: null, devops: null },
      add: ["product"],
      remove: [],
      fully: true,
    },
    {
      name: "a feature request already labelled product (any case) gets nothing",
      labels: ["incident", "category:feature-request", "Product"],
      classification: { category: "feature-request", severity: null, devops: null },
      add: [],
      remove: [],
      fully: true,
    },
    {
      name: "a feature request from the form gets both labels",
      labels: ["incident"],
      wanted: { category: "feature-request" },
      classification: { category: "feature-request", severity: null, devops: null },
      add: ["category:feature-request", "product"],
      remove: [],
      fully: true,
    },
    {
      name: "an operator error is fully classified alone",
      labels: ["incident", "category:operator-error"],
      classification: { category: "operator-error", severity: null, devops: null },
      add: [],
      remove: [],
      fully: true,
    },
  ])("$name", ({ labels, wanted, newestLabel, classification, add, remove, fully }) => {
    const result = plan({ issue: { labels }, wanted, newestLabel });
    expect(result.classification).toEqual(classification);
    expect(result.labels).toEqual({ add, remove });
    expect(result.fullyClassified).toBe(fully);
  });

  test("a configured product label name is used", () => {
    const config = configSchema.parse({ labels: { product: "team:product" } });
    expect(plan({ config, issue: { labels: ["incident", "category:feature-request"] } }).labels.add).toEqual([
      "team:product",
    ]);
  });
});

describe("hidden state: classification and resolution instants", () => {
  const FULL = ["incident", "category:core-bug", "sev:2", "devops:3"];
  test.each<{
    name: string;
    labels: string[];
    previous?: Partial<StatusState>;
    issue?: Partial<IncidentIssue>;
    markResolved?: boolean;
    classifiedAt: string | null;
    resolvedAt: string | null;
  }>([
    { name: "not classified: no instant", labels: ["incident"], classifiedAt: null, resolvedAt: null },
    { name: "becomes fully classified now", labels: FULL, classifiedAt: NOW_ISO, resolvedAt: null },
    {
      name: "an earlier classification instant is kept",
      labels: FULL,
      previous: { classifiedAt: "2026-11-23T07:00:00.000Z" },
      classifiedAt: "2026-11-23T07:00:00.000Z",
      resolvedAt: null,
    },
    {
      name: "kept even after a label was removed",
      labels: ["incident", "sev:2"],
      previous: { classifiedAt: "2026-11-23T07:00:00.000Z" },
      classifiedAt: "2026-11-23T07:00:00.000Z",
      resolvedAt: null,
    },
    { name: "/resolved records now", labels: FULL, markResolved: true, classifiedAt: NOW_ISO, resolvedAt: NOW_ISO },
    {
      name: "a close records the close instant",
      labels: FULL,
      issue: { state: "closed", closedAt: at("2026-11-23T07:45:00.000Z") },
      classifiedAt: NOW_ISO,
      resolvedAt: "2026-11-23T07:45:00.000Z",
    },
    {
      name: "an earlier resolution wins over a later close",
      labels: FULL,
      previous: { resolvedAt: "2026-11-23T07:10:00.000Z" },
      issue: { state: "closed", closedAt: at("2026-11-23T07:45:00.000Z") },
      classifiedAt: NOW_ISO,
      resolvedAt: "2026-11-23T07:10:00.000Z",
    },
    {
      name: "an earlier resolution wins over /resolved",
      labels: FULL,
      previous: { resolvedAt: "2026-11-23T07:10:00.000Z" },
      markResolved: true,
      classifiedAt: NOW_ISO,
      resolvedAt: "2026-11-23T07:10:00.000Z",
    },
    {
      name: "/resolved wins over the close instant",
      labels: FULL,
      markResolved: true,
      issue: { state: "closed", closedAt: at("2026-11-23T07:45:00.000Z") },
      classifiedAt: NOW_ISO,
      resolvedAt: NOW_ISO,
    },
    {
      name: "an open issue with a stale closed_at is not resolved",
      labels: FULL,
      issue: { state: "open", closedAt: at("2026-11-23T07:45:00.000Z") },
      classifiedAt: NOW_ISO,
      resolvedAt: null,
    },
    {
      name: "a closed issue without closed_at is not resolved",
      labels: FULL,
      issue: { state: "closed", closedAt: null },
      classifiedAt: NOW_ISO,
      resolvedAt: null,
    },
  ])("$name", ({ labels, previous, issue: shape, markResolved, classifiedAt, resolvedAt }) => {
    const result = plan({ issue: { labels, ...shape }, previous, markResolved });
    expect(result.state.classifiedAt).toBe(classifiedAt);
    expect(result.state.resolvedAt).toBe(resolvedAt);
  });

  test("the rest of the previous state is carried over untouched", () => {
    const previous: Partial<StatusState> = {
      reminders: ["investigation:50@2026-11-23T18:00:00.000Z"],
      forcedClose: { by: "maria", reason: "dup", at: "2026-11-23T07:00:00.000Z" },
      actions: { "acme/api#12": { found: false } },
      reviews: { "acme/api#12": ["acme/api#40"] },
      fingerprint: "abc",
    };
    const result = plan({ previous });
    expect(result.state).toEqual({ ...EMPTY_STATE, ...previous });
  });
});

describe("pauses (the sla:paused label)", () => {
  const START = "2026-11-23T07:00:00.000Z";
  test.each<{
    name: string;
    labels: string[];
    state?: "open" | "closed";
    pauses: StatusState["pauses"];
    expected: StatusState["pauses"];
  }>([
    {
      name: "label added: a pause opens now",
      labels: ["incident", "sla:paused"],
      pauses: [],
      expected: [{ start: NOW_ISO, end: null }],
    },
    {
      name: "label in another case counts",
      labels: ["incident", "SLA:Paused"],
      pauses: [],
      expected: [{ start: NOW_ISO, end: null }],
    },
    {
      name: "still labelled: the open pause stays as it is",
      labels: ["incident", "sla:paused"],
      pauses: [{ start: START, end: null }],
      expected: [{ start: START, end: null }],
    },
    {
      name: "label removed: the open pause ends now",
      labels: ["incident"],
      pauses: [{ start: START, end: null }],
      expected: [{ start: START, end: NOW_ISO }],
    },
    {
      name: "closed while labelled: the pause ends",
      labels: ["incident", "sla:paused"],
      state: "closed",
      pauses: [{ start: START, end: null }],
      expected: [{ start: START, end: NOW_ISO }],
    },
    {
      name: "closed while labelled, no pause: none opens",
      labels: ["incident", "sla:paused"],
      state: "closed",
      pauses: [],
      expected: [],
    },
    {
      name: "not labelled, only ended pauses: unchanged",
      labels: ["incident"],
      pauses: [{ start: START, end: "2026-11-23T07:30:00.000Z" }],
      expected: [{ start: START, end: "2026-11-23T07:30:00.000Z" }],
    },
    {
      name: "labelled again after an ended pause: a second pause opens",
      labels: ["incident", "sla:paused"],
      pauses: [{ start: START, end: "2026-11-23T07:30:00.000Z" }],
      expected: [
        { start: START, end: "2026-11-23T07:30:00.000Z" },
        { start: NOW_ISO, end: null },
      ],
    },
  ])("$name", ({ labels, state, pauses, expected }) => {
    expect(
      plan({
        issue: { labels, state: state ?? "open", closedAt: state === "closed" ? NOW : null },
        previous: { pauses },
      }).state.pauses,
    ).toEqual(expected);
  });

  test("an open pause stops the investigation clock: no deadline while paused", () => {
    const result = plan({
      issue: { labels: ["incident", "sla:paused"] },
      previous: { pauses: [{ start: "2026-11-23T07:00:00.000Z", end: null }] },
    });
    expect(result.sla.investigation.state).toBe("paused");
    expect(result.sla.investigation.deadline).toBeNull();
  });

  test("an ended pause of an hour moves the deadline by an hour", () => {
    const result = plan({
      previous: { pauses: [{ start: "2026-11-23T07:00:00.000Z", end: "2026-11-23T08:00:00.000Z" }] },
    });
    expect(result.sla.investigation.deadline).toEqual(at("2026-11-23T19:00:00.000Z"));
  });
});

describe("SLA from the recorded instants", () => {
  test("unclassified: investigation 12 h from opening, on track; resolution pending", () => {
    const { sla } = plan();
    expect(sla.investigation).toEqual({
      window: "investigation",
      state: "on-track",
      startedAt: at(OPENED),
      deadline: at("2026-11-23T18:00:00.000Z"),
      durationHours: 12,
      satisfiedAt: null,
    });
    expect(sla.resolution.state).toBe("pending");
  });

  test("classified now as Sev 1 / DevOps 1: investigation met, resolution due in 12 h", () => {
    const { sla } = plan({ issue: { labels: ["incident", "category:core-bug", "sev:1", "devops:1"] } });
    expect(sla.investigation.state).toBe("met");
    expect(sla.investigation.satisfiedAt).toEqual(NOW);
    expect(sla.resolution).toEqual({
      window: "resolution",
      state: "on-track",
      startedAt: NOW,
      deadline: at("2026-11-23T20:00:00.000Z"),
      durationHours: 12,
      satisfiedAt: null,
    });
  });

  test("classified earlier and resolved late: resolution breached", () => {
    const { sla } = plan({
      issue: {
        labels: ["incident", "category:core-bug", "sev:1", "devops:1"],
        state: "closed",
        closedAt: at("2026-11-24T09:00:00.000Z"),
      },
      previous: { classifiedAt: "2026-11-23T07:00:00.000Z" },
      now: at("2026-11-24T09:00:00.000Z"),
    });
    expect(sla.resolution.state).toBe("breached");
    expect(sla.resolution.deadline).toEqual(at("2026-11-23T19:00:00.000Z"));
    expect(sla.resolution.satisfiedAt).toEqual(at("2026-11-24T09:00:00.000Z"));
  });
});

describe("one-off notices", () => {
  test.each<{ name: string; labels: string[]; posted?: string[]; notices: Notice[] }>([
    { name: "unclassified: none", labels: ["incident"], notices: [] },
    { name: "core bug: none", labels: ["incident", "category:core-bug"], notices: [] },
    {
      name: "operator error: a memo",
      labels: ["incident", "category:operator-error"],
      notices: [
        { kind: "memo", category: "operator-error", marker: "<!-- incident-keeper:notice memo:operator-error -->" },
      ],
    },
    {
      name: "act of God: a memo",
      labels: ["incident", "category:act-of-god"],
      notices: [{ kind: "memo", category: "act-of-god", marker: "<!-- incident-keeper:notice memo:act-of-god -->" }],
    },
    {
      name: "feature request: a hand-off",
      labels: ["incident", "category:feature-request"],
      notices: [
        {
          kind: "handoff",
          category: "feature-request",
          marker: "<!-- incident-keeper:notice handoff:feature-request -->",
        },
      ],
    },
    {
      name: "memo already posted: none",
      labels: ["incident", "category:operator-error"],
      posted: ["<!-- incident-keeper:notice memo:operator-error -->"],
      notices: [],
    },
    {
      name: "recategorised from operator error to act of God: the new memo is owed",
      labels: ["incident", "category:act-of-god"],
      posted: ["<!-- incident-keeper:notice memo:operator-error -->"],
      notices: [{ kind: "memo", category: "act-of-god", marker: "<!-- incident-keeper:notice memo:act-of-god -->" }],
    },
    {
      name: "hand-off already posted: none",
      labels: ["incident", "category:feature-request"],
      posted: ["<!-- incident-keeper:notice handoff:feature-request -->"],
      notices: [],
    },
  ])("$name", ({ labels, posted, notices }) => {
    expect(plan({ issue: { labels }, posted }).notices).toEqual(notices);
  });
});
