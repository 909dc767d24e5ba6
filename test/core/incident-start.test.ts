/** When the investigation clock starts (issue #10 item 4). */
import { describe, expect, test } from "@jest/globals";
import { planIncident } from "../../src/core/incident-plan.js";
import { becameIncidentAt, investigationStart, type LabelEvent } from "../../src/core/incident-start.js";
import type { IncidentIssue } from "../../src/core/incident.js";
import { EMPTY_STATE } from "../../src/core/status-state.js";
import { configSchema, DEFAULT_CONFIG } from "../../src/config/schema.js";
import { policiesOf } from "../../src/config/policies.js";

const at = (iso: string): Date => new Date(iso);
const ev = (event: LabelEvent["event"], label: string, iso: string): LabelEvent => ({ event, label, at: at(iso) });

describe("becameIncidentAt: the current spell as an incident, from the label history", () => {
  const cases = [
    { name: "no events", events: [], want: null },
    {
      name: "labelled once",
      events: [ev("labeled", "bug", "2026-11-20T08:00:00Z"), ev("labeled", "incident", "2026-11-23T09:00:00Z")],
      want: "2026-11-23T09:00:00.000Z",
    },
    {
      name: "label names ignore case",
      events: [ev("labeled", "Outage", "2026-11-23T09:00:00Z")],
      label: "outage",
      want: "2026-11-23T09:00:00.000Z",
    },
    {
      name: "labelled, removed, labelled again: the last spell",
      events: [
        ev("labeled", "incident", "2026-11-21T09:00:00Z"),
        ev("unlabeled", "incident", "2026-11-21T10:00:00Z"),
        ev("labeled", "incident", "2026-11-23T09:00:00Z"),
      ],
      want: "2026-11-23T09:00:00.000Z",
    },
    {
      name: "labelled twice without removal: the first",
      events: [ev("labeled", "incident", "2026-11-21T09:00:00Z"), ev("labeled", "incident", "2026-11-23T09:00:00Z")],
      want: "2026-11-21T09:00:00.000Z",
    },
    {
      name: "removed last: not an incident by its history",
      events: [ev("labeled", "incident", "2026-11-21T09:00:00Z"), ev("unlabeled", "incident", "2026-11-21T10:00:00Z")],
      want: null,
    },
    {
      name: "out of order in the list",
      events: [
        ev("labeled", "incident", "2026-11-23T09:00:00Z"),
        ev("unlabeled", "incident", "2026-11-21T10:00:00Z"),
        ev("labeled", "incident", "2026-11-21T09:00:00Z"),
      ],
      want: "2026-11-23T09:00:00.000Z",
    },
  ];
  test.each(cases)("$name", ({ events, label, want }) => {
    expect(becameIncidentAt(events, label ?? "incident")?.toISOString() ?? null).toBe(want);
  });
});

describe("investigationStart", () => {
  const opened = at("2026-11-20T08:00:00Z");
  test.each([
    {
      name: "became-incident later",
      clockStart: "became-incident" as const,
      incidentAt: at("2026-11-23T09:00:00Z"),
      want: "2026-11-23T09:00:00.000Z",
    },
    {
      name: "opened: the opening whatever the label says",
      clockStart: "opened" as const,
      incidentAt: at("2026-11-23T09:00:00Z"),
      want: "2026-11-20T08:00:00.000Z",
    },
    {
      name: "unknown: the opening",
      clockStart: "became-incident" as const,
      incidentAt: null,
      want: "2026-11-20T08:00:00.000Z",
    },
    {
      name: "never before the opening",
      clockStart: "became-incident" as const,
      incidentAt: at("2026-11-19T09:00:00Z"),
      want: "2026-11-20T08:00:00.000Z",
    },
  ])("$name", ({ clockStart, incidentAt, want }) => {
    expect(investigationStart({ clockStart, openedAt: opened, incidentAt }).toISOString()).toBe(want);
  });
});

describe("planIncident: a three-day-old issue promoted to an incident is not breached at once", () => {
  const issue: IncidentIssue = {
    number: 7,
    title: "Old",
    body: "",
    state: "open",
    stateReason: null,
    labels: ["incident"],
    assignees: [],
    author: "alice",
    createdAt: at("2026-11-20T08:00:00Z"),
    closedAt: null,
    isPullRequest: false,
  };
  const now = at("2026-11-23T09:00:00Z");
  const cases = [
    {
      name: "became an incident now: 12 h from now",
      config: DEFAULT_CONFIG,
      previous: EMPTY_STATE,
      becameIncidentAt: now,
      state: "on-track",
      deadline: "2026-11-23T21:00:00.000Z",
      incidentAt: "2026-11-23T09:00:00.000Z",
    },
    {
      name: "the state's time wins over a later trigger (a redelivery)",
      config: DEFAULT_CONFIG,
      previous: { ...EMPTY_STATE, incidentAt: "2026-11-23T08:00:00.000Z" },
      becameIncidentAt: now,
      state: "on-track",
      deadline: "2026-11-23T20:00:00.000Z",
      incidentAt: "2026-11-23T08:00:00.000Z",
    },
    {
      name: "investigation_clock_start: opened keeps the old rule",
      config: configSchema.parse({ sla: { investigation_clock_start: "opened" } }),
      previous: EMPTY_STATE,
      becameIncidentAt: now,
      state: "breached",
      deadline: "2026-11-20T20:00:00.000Z",
      incidentAt: "2026-11-23T09:00:00.000Z",
    },
    {
      name: "no time known (an old state): the opening",
      config: DEFAULT_CONFIG,
      previous: EMPTY_STATE,
      becameIncidentAt: null,
      state: "breached",
      deadline: "2026-11-20T20:00:00.000Z",
      incidentAt: null,
    },
  ];
  test.each(cases)("$name", ({ config, previous, becameIncidentAt: trigger, state, deadline, incidentAt }) => {
    const plan = planIncident({
      issue,
      policies: policiesOf(config),
      previous,
      postedMarkers: new Set(),
      becameIncidentAt: trigger,
      now,
    });
    expect({
      state: plan.sla.investigation.state,
      deadline: plan.sla.investigation.deadline?.toISOString(),
      incidentAt: plan.state.incidentAt,
    }).toEqual({ state, deadline, incidentAt });
  });
});
