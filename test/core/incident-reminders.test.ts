import { describe, expect, test } from "@jest/globals";
import type { IncidentIssue } from "../../src/core/incident.js";
import { planIncident, type IncidentPlan } from "../../src/core/incident-plan.js";
import {
  owedReminders,
  recordedFromMarkers,
  recordedKey,
  reminderMarker,
  reminderPolicyFor,
  windowClocks,
} from "../../src/core/incident-reminders.js";
import { EMPTY_STATE, encodeState, STATUS_MARKER, type StatusState } from "../../src/core/status-state.js";
import { configSchema, DEFAULT_CONFIG, type IncidentKeeperConfig } from "../../src/config/schema.js";
import type { LabelSpec } from "../../src/core/label-catalog.js";
import type { GitHubGateway } from "../../src/github/gateway.js";
import { checkReminders } from "../../src/core/reminder-check.js";
import { sendReminders } from "../../src/reconcile/send-reminders.js";
import type { OwnThread } from "../../src/core/snapshot.js";
import { policiesOf } from "../../src/config/policies.js";

const HOUR_MS = 3_600_000;
const at = (iso: string): Date => new Date(iso);
/** Opened 06:00Z: investigation 50 % at 12:00, 75 % at 15:00, deadline 18:00, repeats every 24 h after. */
const OPENED = at("2026-11-23T06:00:00.000Z");
const h = (hours: number, ms = 0): Date => new Date(OPENED.getTime() + hours * HOUR_MS + ms);
const INV_DEADLINE = "2026-11-23T18:00:00.000Z";
const inv = (key: string): string => `investigation:${key}@${INV_DEADLINE}`;

const issue = (overrides: Partial<IncidentIssue> = {}): IncidentIssue => ({
  number: 7,
  title: "Login returns 503",
  body: "Users cannot log in.",
  state: "open",
  stateReason: null,
  labels: ["incident", "incident:needs-writeup"],
  assignees: [],
  author: "alice",
  createdAt: OPENED,
  closedAt: null,
  isPullRequest: false,
  ...overrides,
});

function planAt(
  now: Date,
  args: {
    labels?: string[];
    previous?: Partial<StatusState>;
    config?: IncidentKeeperConfig;
    issue?: Partial<IncidentIssue>;
  } = {},
): IncidentPlan {
  return planIncident({
    issue: issue({ labels: args.labels ?? ["incident"], ...args.issue }),
    policies: policiesOf(args.config ?? DEFAULT_CONFIG),
    previous: { ...EMPTY_STATE, ...args.previous },
    postedMarkers: new Set(),
    now,
  });
}

function owed(
  now: Date,
  args: {
    labels?: string[];
    previous?: Partial<StatusState>;
    config?: IncidentKeeperConfig;
    recorded?: string[];
    open?: boolean;
  } = {},
) {
  const config = args.config ?? DEFAULT_CONFIG;
  const result = owedReminders({
    plan: planAt(now, args),
    policies: policiesOf(config),
    recorded: args.recorded ?? [],
    now,
    open: args.open ?? true,
  });
  return {
    owed: result.owed.map((o) => ({ key: o.reminder.key, kind: o.reminder.kind, record: o.record })),
    nextAt: result.nextAt?.toISOString() ?? null,
  };
}

describe("reminderPolicyFor: severity overrides, then window overrides, then the base", () => {
  const config = configSchema.parse({
    reminders: {
      approaching_percents: [50, 75],
      repeat_after_breach_hours: 24,
      by_window: { resolution: { approaching_percents: [90], at_deadline: false, repeat_after_breach_hours: null } },
      by_severity: {
        "1": { approaching_percents: [25, 50, 75], repeat_after_breach_hours: 4 },
        "2": { at_deadline: true },
      },
    },
  });
  test.each<{
    name: string;
    window: "investigation" | "resolution";
    severity: 1 | 2 | 3 | null;
    expected: ReturnType<typeof reminderPolicyFor>;
  }>([
    {
      name: "investigation, no severity: the base",
      window: "investigation",
      severity: null,
      expected: { approachingPercents: [50, 75], atDeadline: true, repeatAfterBreachHours: 24 },
    },
    {
      name: "resolution, no severity: the window's override, null repeat kept",
      window: "resolution",
      severity: null,
      expected: { approachingPercents: [90], atDeadline: false, repeatAfterBreachHours: null },
    },
    {
      name: "resolution, Sev 3 (no override): the window's",
      window: "resolution",
      severity: 3,
      expected: { approachingPercents: [90], atDeadline: false, repeatAfterBreachHours: null },
    },
    {
      name: "resolution, Sev 1: severity beats window",
      window: "resolution",
      severity: 1,
      expected: { approachingPercents: [25, 50, 75], atDeadline: false, repeatAfterBreachHours: 4 },
    },
    {
      name: "resolution, Sev 2: only at_deadline from severity",
      window: "resolution",
      severity: 2,
      expected: { approachingPercents: [90], atDeadline: true, repeatAfterBreachHours: null },
    },
    {
      name: "investigation, Sev 1",
      window: "investigation",
      severity: 1,
      expected: { approachingPercents: [25, 50, 75], atDeadline: true, repeatAfterBreachHours: 4 },
    },
  ])("$name", ({ window, severity, expected }) => {
    expect(reminderPolicyFor(policiesOf(config).reminders, window, severity)).toEqual(expected);
  });

  test("a severity's explicit null repeat beats the base's 24 h", () => {
    const nullRepeat = configSchema.parse({ reminders: { by_severity: { "4": { repeat_after_breach_hours: null } } } });
    expect(reminderPolicyFor(policiesOf(nullRepeat).reminders, "investigation", 4).repeatAfterBreachHours).toBeNull();
    expect(reminderPolicyFor(policiesOf(nullRepeat).reminders, "investigation", 3).repeatAfterBreachHours).toBe(24);
  });
});

describe("windowClocks", () => {
  test("unclassified: only the investigation clock runs", () => {
    expect(windowClocks(planAt(h(1)), policiesOf(DEFAULT_CONFIG).sla)).toEqual([
      {
        window: "investigation",
        startedAt: OPENED,
        durationMs: 12 * HOUR_MS,
        calendar: null,
        pauses: [],
        satisfiedAt: null,
      },
    ]);
  });

  test("fully classified Sev 1 / DevOps 1: both clocks, investigation satisfied at classification", () => {
    const plan = planAt(h(2), {
      labels: ["incident", "category:core-bug", "sev:1", "devops:1"],
      previous: { pauses: [{ start: h(1).toISOString(), end: h(1.5).toISOString() }] },
    });
    const pauses = [{ start: h(1), end: h(1.5) }];
    expect(windowClocks(plan, policiesOf(DEFAULT_CONFIG).sla)).toEqual([
      {
        window: "investigation",
        startedAt: OPENED,
        durationMs: 12 * HOUR_MS,
        calendar: null,
        pauses,
        satisfiedAt: h(2),
      },
      { window: "resolution", startedAt: h(2), durationMs: 12 * HOUR_MS, calendar: null, pauses, satisfiedAt: null },
    ]);
  });

  test("the calendar applies only to the windows configured for business hours", () => {
    const config = configSchema.parse({
      sla: { calendar: { time_zone: "Europe/Berlin" }, business_hours_windows: ["resolution"] },
    });
    const clocks = windowClocks(
      planAt(h(2), { config, labels: ["incident", "category:core-bug", "sev:3", "devops:1"] }),
      policiesOf(config).sla,
    );
    expect(clocks.map((c) => [c.window, c.calendar?.timeZone ?? null])).toEqual([
      ["investigation", null],
      ["resolution", "Europe/Berlin"],
    ]);
  });

  test("a feature request has no resolution clock", () => {
    expect(
      windowClocks(
        planAt(h(2), { labels: ["incident", "category:feature-request"] }),
        policiesOf(DEFAULT_CONFIG).sla,
      ).map((c) => c.window),
    ).toEqual(["investigation"]);
  });
});

describe("recorded keys and markers", () => {
  test("recordedKey and reminderMarker", () => {
    expect(recordedKey("investigation:50", at(INV_DEADLINE))).toBe(inv("50"));
    expect(reminderMarker(inv("50"))).toBe(`<!-- incident-keeper:reminder ${inv("50")} -->`);
  });

  test("recordedFromMarkers keeps reminder markers only", () => {
    expect(
      recordedFromMarkers([
        reminderMarker(inv("50")),
        "<!-- incident-keeper:status -->",
        "<!-- incident-keeper:notice memo:operator-error -->",
        reminderMarker(inv("breach")),
        "<!-- incident-keeper:reminder has spaces in it -->",
      ]),
    ).toEqual([inv("50"), inv("breach")]);
  });
});

describe("owedReminders: one incident, unclassified, investigation window 06:00-18:00Z", () => {
  test.each<{
    name: string;
    now: Date;
    recorded?: string[];
    owed: Array<{ key: string; kind: string; record: string[] }>;
    nextAt: string | null;
  }>([
    { name: "1 ms before 50 %: nothing yet", now: h(6, -1), owed: [], nextAt: "2026-11-23T12:00:00.000Z" },
    {
      name: "exactly at 50 %",
      now: h(6),
      owed: [{ key: "investigation:50", kind: "approaching", record: [inv("50")] }],
      nextAt: "2026-11-23T15:00:00.000Z",
    },
    {
      name: "50 % already recorded: nothing, next at 75 %",
      now: h(7),
      recorded: [inv("50")],
      owed: [],
      nextAt: "2026-11-23T15:00:00.000Z",
    },
    {
      name: "past 50 % and 75 %, neither sent: only 75 %, recording 50 % too",
      now: h(9, 1),
      owed: [{ key: "investigation:75", kind: "approaching", record: [inv("75"), inv("50")] }],
      nextAt: INV_DEADLINE,
    },
    {
      name: "50 % sent, now past 75 %",
      now: h(10),
      recorded: [inv("50")],
      owed: [{ key: "investigation:75", kind: "approaching", record: [inv("75"), inv("50")] }],
      nextAt: INV_DEADLINE,
    },
    {
      name: "75 % recorded: 50 % is never sent later",
      now: h(10),
      recorded: [inv("75")],
      owed: [],
      nextAt: INV_DEADLINE,
    },
    {
      name: "1 ms before the deadline, 75 % sent: nothing",
      now: h(12, -1),
      recorded: [inv("75"), inv("50")],
      owed: [],
      nextAt: INV_DEADLINE,
    },
    {
      name: "at the deadline: the breach",
      now: h(12),
      recorded: [inv("75"), inv("50")],
      owed: [{ key: "investigation:breach", kind: "breach", record: [inv("breach"), inv("50"), inv("75")] }],
      nextAt: "2026-11-24T18:00:00.000Z",
    },
    {
      name: "nothing sent, straight past the deadline: only the breach",
      now: h(13),
      owed: [{ key: "investigation:breach", kind: "breach", record: [inv("breach"), inv("50"), inv("75")] }],
      nextAt: "2026-11-24T18:00:00.000Z",
    },
    {
      name: "breach recorded: nothing until 24 h later",
      now: h(35),
      recorded: [inv("breach")],
      owed: [],
      nextAt: "2026-11-24T18:00:00.000Z",
    },
    {
      name: "24 h after the deadline: first repeat",
      now: h(36),
      recorded: [inv("breach")],
      owed: [
        {
          key: "investigation:overdue:1",
          kind: "overdue",
          record: [inv("overdue:1"), inv("50"), inv("75"), inv("breach")],
        },
      ],
      nextAt: "2026-11-25T18:00:00.000Z",
    },
    {
      name: "50 h after the deadline, nothing sent: only the latest repeat",
      now: h(62),
      owed: [
        {
          key: "investigation:overdue:2",
          kind: "overdue",
          record: [inv("overdue:2"), inv("50"), inv("75"), inv("breach"), inv("overdue:1")],
        },
      ],
      nextAt: "2026-11-26T18:00:00.000Z",
    },
    {
      name: "a key recorded for another deadline does not count",
      now: h(7),
      recorded: ["investigation:50@2026-11-22T18:00:00.000Z"],
      owed: [{ key: "investigation:50", kind: "approaching", record: [inv("50")] }],
      nextAt: "2026-11-23T15:00:00.000Z",
    },
    {
      name: "a key recorded without a deadline does not count",
      now: h(7),
      recorded: ["investigation:50"],
      owed: [{ key: "investigation:50", kind: "approaching", record: [inv("50")] }],
      nextAt: "2026-11-23T15:00:00.000Z",
    },
    {
      name: "another window's key does not count",
      now: h(7),
      recorded: [`resolution:75@${INV_DEADLINE}`],
      owed: [{ key: "investigation:50", kind: "approaching", record: [inv("50")] }],
      nextAt: "2026-11-23T15:00:00.000Z",
    },
  ])("$name", ({ now, recorded, owed: expected, nextAt }) => {
    expect(owed(now, { recorded })).toEqual({ owed: expected, nextAt });
  });

  test("recording exactly what was owed leaves nothing owed at the same instant (never re-sent)", () => {
    for (const hours of [6, 9.5, 12, 40, 62, 100]) {
      const first = owed(h(hours));
      expect(first.owed).toHaveLength(1);
      expect(owed(h(hours), { recorded: first.owed[0]!.record }).owed).toEqual([]);
    }
  });
});

describe("owedReminders: nothing for incidents that no longer need one", () => {
  const FULL = ["incident", "category:core-bug", "sev:1", "devops:1"];
  test.each<{
    name: string;
    now: Date;
    labels?: string[];
    previous?: Partial<StatusState>;
    config?: IncidentKeeperConfig;
    open?: boolean;
    nextAt: string | null;
  }>([
    { name: "closed incident, past every threshold", now: h(40), open: false, nextAt: null },
    {
      name: "reminders disabled in config",
      now: h(40),
      config: configSchema.parse({ reminders: { enabled: false } }),
      nextAt: null,
    },
    // Classified at 13:00 (after the 50 % threshold, before 75 %): investigation satisfied; the 12 h
    // resolution window from 13:00 reaches 50 % at 19:00.
    {
      name: "classified between 50 % and 75 %, looked at 16:00",
      now: h(10),
      labels: FULL,
      previous: { classifiedAt: h(7).toISOString() },
      nextAt: "2026-11-23T19:00:00.000Z",
    },
    // Classified at 19:00 (now): resolution 19:00 -> 07:00, its 50 % at 01:00.
    {
      name: "classified after the investigation deadline, looked at right then",
      now: h(13),
      labels: FULL,
      nextAt: "2026-11-24T01:00:00.000Z",
    },
    {
      name: "resolved with /resolved before any threshold",
      now: h(30),
      labels: FULL,
      previous: { classifiedAt: h(1).toISOString(), resolvedAt: h(2).toISOString() },
      nextAt: null,
    },
    {
      name: "feature request (no resolution window), classified",
      now: h(40),
      labels: ["incident", "category:feature-request"],
      previous: { classifiedAt: h(1).toISOString() },
      nextAt: null,
    },
    {
      name: "Sev 5 core bug (no resolution window), classified",
      now: h(40),
      labels: ["incident", "category:core-bug", "sev:5", "devops:1"],
      previous: { classifiedAt: h(1).toISOString() },
      nextAt: null,
    },
    {
      name: "paused since before 50 %: no deadline, nothing due",
      now: h(40),
      labels: ["incident", "sla:paused"],
      previous: { pauses: [{ start: h(1).toISOString(), end: null }] },
      nextAt: null,
    },
  ])("$name", ({ now, labels, previous, config, open, nextAt }) => {
    expect(owed(now, { labels, previous, config, open })).toEqual({ owed: [], nextAt });
  });

  test("classified after 50 % was sent: the resolution window starts its own reminders", () => {
    const FULL_ = ["incident", "category:core-bug", "sev:1", "devops:1"];
    // Resolution from 07:00 (classified), 12 h: 50 % at 13:00, 75 % at 16:00, deadline 19:00.
    const result = owed(h(10.5), {
      labels: FULL_,
      previous: { classifiedAt: h(1).toISOString() },
      recorded: [inv("50")],
    });
    expect(result).toEqual({
      owed: [
        {
          key: "resolution:75",
          kind: "approaching",
          record: ["resolution:75@2026-11-23T19:00:00.000Z", "resolution:50@2026-11-23T19:00:00.000Z"],
        },
      ],
      nextAt: "2026-11-23T19:00:00.000Z",
    });
  });

  test("a reclassification that moves the deadline starts reminders afresh", () => {
    const base = {
      labels: ["incident", "category:core-bug", "sev:1", "devops:1"],
      previous: { classifiedAt: h(1).toISOString() },
    };
    // Sev 1 / DevOps 1 from 07:00: deadline 19:00; its 75 % was recorded. As DevOps 3 (48 h) the deadline is 2026-11-25T07:00.
    const recorded = ["resolution:75@2026-11-23T19:00:00.000Z", "resolution:50@2026-11-23T19:00:00.000Z"];
    expect(
      owed(h(26), { ...base, labels: ["incident", "category:core-bug", "sev:1", "devops:3"], recorded }).owed,
    ).toEqual([{ key: "resolution:50", kind: "approaching", record: ["resolution:50@2026-11-25T07:00:00.000Z"] }]);
  });
});

describe("owedReminders: policy per severity", () => {
  const SEV1 = ["incident", "category:core-bug", "sev:1", "devops:1"];
  const previous = { classifiedAt: h(1).toISOString() }; // resolution 07:00 -> 19:00
  const res = (key: string): string => `resolution:${key}@2026-11-23T19:00:00.000Z`;

  test("a Sev 1 override adds a 25 % reminder; other severities keep 50/75", () => {
    const config = configSchema.parse({ reminders: { by_severity: { "1": { approaching_percents: [25] } } } });
    expect(owed(h(4), { config, labels: SEV1, previous }).owed).toEqual([
      { key: "resolution:25", kind: "approaching", record: [res("25")] },
    ]);
    expect(
      owed(h(4), { config, labels: ["incident", "category:core-bug", "sev:2", "devops:1"], previous }).owed,
    ).toEqual([]);
  });

  test("no repeats after the breach when the severity says null", () => {
    const config = configSchema.parse({ reminders: { by_severity: { "1": { repeat_after_breach_hours: null } } } });
    expect(owed(h(100), { config, labels: SEV1, previous, recorded: [res("breach")] })).toEqual({
      owed: [],
      nextAt: null,
    });
  });

  test("no reminder at the deadline when at_deadline is false: the first repeat comes 24 h later", () => {
    const config = configSchema.parse({ reminders: { at_deadline: false } });
    expect(owed(h(14), { config, labels: SEV1, previous, recorded: [res("75")] })).toEqual({
      owed: [],
      nextAt: "2026-11-24T19:00:00.000Z",
    });
    expect(owed(h(37), { config, labels: SEV1, previous, recorded: [res("75")] }).owed.map((o) => o.key)).toEqual([
      "resolution:overdue:1",
    ]);
  });
});

describe("checkReminders and sendReminders: breach label and escalation per severity", () => {
  const CONFIG = configSchema.parse({
    teams: { responders: "@acme/oncall", escalation: { "1": "@acme/sev1-leads", "2": "@acme/leads" } },
  });
  const emptyThread = (): OwnThread => ({ comments: [], status: null, markers: new Set() });

  /** A gateway that records the writes sendReminders makes (no network). */
  function fakeGateway(): {
    gateway: GitHubGateway;
    calls: { comments: string[]; labelsAdded: string[][]; ensured: LabelSpec[][]; statusWrites: number };
  } {
    const calls = {
      comments: [] as string[],
      labelsAdded: [] as string[][],
      ensured: [] as LabelSpec[][],
      statusWrites: 0,
    };
    let nextId = 100;
    const gateway = {
      repo: { owner: "acme", repo: "api" },
      createComment: (_n: number, body: string) => {
        if (body.startsWith("<!-- incident-keeper:status -->")) calls.statusWrites += 1;
        else calls.comments.push(body);
        return Promise.resolve({ id: (nextId += 1), body });
      },
      updateComment: () => {
        calls.statusWrites += 1;
        return Promise.resolve();
      },
      ensureLabels: (specs: LabelSpec[]) => {
        if (specs.length > 0) calls.ensured.push(specs);
        return Promise.resolve();
      },
      addLabels: (_n: number, labels: string[]) => {
        if (labels.length > 0) calls.labelsAdded.push(labels);
        return Promise.resolve();
      },
      removeLabel: () => Promise.reject(new Error("unexpected removeLabel")),
      updateIssue: () => Promise.reject(new Error("unexpected updateIssue")),
      getIssue: () => Promise.reject(new Error("unexpected getIssue")),
      remoteState: () => Promise.reject(new Error("unexpected remoteState")),
    } as unknown as GitHubGateway;
    return { gateway, calls };
  }

  test.each<{
    name: string;
    labels: string[];
    assignees?: string[];
    now: Date;
    writes: number;
    breachLabel: boolean;
    heading: string;
    mentions: string;
  }>([
    {
      name: "Sev 1 breach: label added, Sev 1 leads escalated, responders mentioned",
      labels: ["incident", "incident:needs-writeup", "sev:1"],
      now: h(13),
      writes: 3,
      breachLabel: true,
      heading: "### 🔥 SLA breached: investigation & classification deadline passed",
      mentions: "@acme/oncall · escalating to @acme/sev1-leads",
    },
    {
      name: "Sev 2 breach: its own escalation team",
      labels: ["incident", "incident:needs-writeup", "sev:2"],
      now: h(13),
      writes: 3,
      breachLabel: true,
      heading: "### 🔥 SLA breached: investigation & classification deadline passed",
      mentions: "@acme/oncall · escalating to @acme/leads",
    },
    {
      name: "Sev 3 breach: no escalation configured",
      labels: ["incident", "incident:needs-writeup", "sev:3"],
      now: h(13),
      writes: 3,
      breachLabel: true,
      heading: "### 🔥 SLA breached: investigation & classification deadline passed",
      mentions: "@acme/oncall",
    },
    {
      name: "severity unknown: nobody to escalate to",
      labels: ["incident", "incident:needs-writeup"],
      now: h(13),
      writes: 3,
      breachLabel: true,
      heading: "### 🔥 SLA breached: investigation & classification deadline passed",
      mentions: "@acme/oncall",
    },
    {
      name: "breach label already there: not added again",
      labels: ["incident", "incident:needs-writeup", "sev:1", "SLA:Breached"],
      now: h(13),
      writes: 2,
      breachLabel: false,
      heading: "### 🔥 SLA breached: investigation & classification deadline passed",
      mentions: "@acme/oncall · escalating to @acme/sev1-leads",
    },
    {
      name: "overdue repeat escalates too",
      labels: ["incident", "incident:needs-writeup", "sev:1", "sla:breached"],
      now: h(37),
      writes: 2,
      breachLabel: false,
      heading: "### 🔥 Still overdue: investigation & classification, 25 hours past the deadline",
      mentions: "@acme/oncall · escalating to @acme/sev1-leads",
    },
    {
      name: "approaching: no label, no escalation, assignees instead of responders",
      labels: ["incident", "incident:needs-writeup", "sev:1"],
      assignees: ["bob", "carol"],
      now: h(7),
      writes: 2,
      breachLabel: false,
      heading: "### ⏰ SLA reminder: investigation & classification due in 5 hours",
      mentions: "@bob @carol",
    },
  ])("$name", async ({ labels, assignees, now, writes, breachLabel, heading, mentions }) => {
    const incident = issue({ labels, assignees: assignees ?? [] });
    const thread = emptyThread();
    const check = checkReminders({ issue: incident, policies: policiesOf(CONFIG), thread, now });
    expect(check.owed).toHaveLength(1);
    expect(check.writes).toBe(writes);
    const { gateway, calls: fake } = fakeGateway();
    expect(await sendReminders({ gateway, issue: incident, config: CONFIG, thread, now, check })).toBe(writes);
    expect(fake.comments).toHaveLength(1);
    const comment = fake.comments[0]!;
    expect(comment.split("\n")[0]).toBe(reminderMarker(check.owed[0]!.record[0]!));
    expect(comment).toContain(heading);
    expect(comment.trimEnd().split("\n").at(-1)).toBe(mentions);
    expect(fake.labelsAdded).toEqual(breachLabel ? [["sla:breached"]] : []);
    expect(fake.ensured).toEqual(
      breachLabel
        ? [[{ name: "sla:breached", color: "b60205", description: "An incident SLA deadline was breached" }]]
        : [],
    );
    expect(fake.statusWrites).toBe(1);
  });

  test("a reminder whose marker is already in the thread is not sent again, even if the state lost it", () => {
    const incident = issue({ labels: ["incident", "incident:needs-writeup", "sev:1"] });
    const thread = emptyThread();
    thread.markers.add(reminderMarker(inv("breach")));
    expect(checkReminders({ issue: incident, policies: policiesOf(CONFIG), thread, now: h(13) })).toEqual({
      owed: [],
      nextAt: at("2026-11-24T18:00:00.000Z"),
      writes: 0,
    });
  });

  test("a re-armed window's first reminder says the deadline moved (issue #10 item 3)", async () => {
    const labels = ["incident", "incident:needs-writeup", "category:core-bug", "sev:1", "devops:3"];
    const incident = issue({ labels });
    const state = {
      ...EMPTY_STATE,
      classifiedAt: h(1).toISOString(),
      reminders: ["resolution:75@2026-11-23T19:00:00.000Z", "resolution:50@2026-11-23T19:00:00.000Z"],
    };
    const status = { id: 555, body: `${STATUS_MARKER}\n${encodeState(state)}` };
    const thread: OwnThread = { comments: [status], status, markers: new Set() };
    const check = checkReminders({ issue: incident, policies: policiesOf(CONFIG), thread, now: h(26) });
    const { gateway, calls: fake } = fakeGateway();
    await sendReminders({ gateway, issue: incident, config: CONFIG, thread, now: h(26), check });
    expect(fake.comments).toHaveLength(1);
    expect(fake.comments[0]).toContain(
      "The deadline moved from 2026-11-23 19:00 UTC to 2026-11-25 07:00 UTC because the classification changed",
    );
  });

  test("a closed incident owes nothing and costs no writes", () => {
    const incident = issue({ labels: ["incident", "sev:1"], state: "closed", closedAt: h(20) });
    expect(
      checkReminders({ issue: incident, policies: policiesOf(CONFIG), thread: emptyThread(), now: h(40) }),
    ).toEqual({
      owed: [],
      nextAt: null,
      writes: 0,
    });
  });
});

describe("owedReminders: a pause does not re-send a reminder (issue #10 item 3)", () => {
  // Investigation 06:00-18:00Z; 50 % sent at 12:00 for the 18:00 deadline.
  const paused = (pauses: Array<[number, number | null]>) => ({
    pauses: pauses.map(([start, end]) => ({
      start: h(start).toISOString(),
      end: end === null ? null : h(end).toISOString(),
    })),
  });
  test.each<{
    name: string;
    now: Date;
    pauses: Array<[number, number | null]>;
    recorded: string[];
    owed: Array<{ key: string; kind: string; record: string[] }>;
    nextAt: string | null;
  }>([
    // Paused 12:30-14:30: the deadline moves to 20:00, 75 % to 17:00. The 50 % is not sent again.
    {
      name: "50 % sent, paused 2 h, resumed: nothing, 75 % at the shifted time",
      now: h(8.7),
      pauses: [[6.5, 8.5]],
      recorded: [inv("50")],
      owed: [],
      nextAt: "2026-11-23T17:00:00.000Z",
    },
    {
      name: "then 75 % is sent for the shifted deadline, once",
      now: h(11),
      pauses: [[6.5, 8.5]],
      recorded: [inv("50")],
      owed: [
        {
          key: "investigation:75",
          kind: "approaching",
          record: ["investigation:75@2026-11-23T20:00:00.000Z", "investigation:50@2026-11-23T20:00:00.000Z"],
        },
      ],
      nextAt: "2026-11-23T20:00:00.000Z",
    },
    // Two pauses: 50 % recorded before both, 75 % recorded between them: neither comes back.
    {
      name: "two pauses, each reminder recorded for the deadline of its time",
      now: h(14.2),
      pauses: [
        [6.5, 8.5],
        [11.5, 13.5],
      ],
      recorded: [inv("50"), "investigation:75@2026-11-23T20:00:00.000Z"],
      owed: [],
      nextAt: "2026-11-23T22:00:00.000Z",
    },
    {
      name: "the breach after two pauses, once",
      now: h(16),
      pauses: [
        [6.5, 8.5],
        [11.5, 13.5],
      ],
      recorded: [inv("50"), "investigation:75@2026-11-23T20:00:00.000Z"],
      owed: [
        {
          key: "investigation:breach",
          kind: "breach",
          record: [
            "investigation:breach@2026-11-23T22:00:00.000Z",
            "investigation:50@2026-11-23T22:00:00.000Z",
            "investigation:75@2026-11-23T22:00:00.000Z",
          ],
        },
      ],
      nextAt: "2026-11-24T22:00:00.000Z",
    },
  ])("$name", ({ now, pauses, recorded, owed: expected, nextAt }) => {
    expect(owed(now, { previous: paused(pauses), recorded })).toEqual({ owed: expected, nextAt });
  });

  test("a reclassification to another deadline re-arms the window, and the reminder says so", () => {
    const previous = { classifiedAt: h(1).toISOString() };
    const recorded = ["resolution:75@2026-11-23T19:00:00.000Z", "resolution:50@2026-11-23T19:00:00.000Z"];
    const plan = planAt(h(26), { labels: ["incident", "category:core-bug", "sev:1", "devops:3"], previous });
    const result = owedReminders({ plan, policies: policiesOf(DEFAULT_CONFIG), recorded, now: h(26), open: true });
    expect(
      result.owed.map((o) => ({ key: o.reminder.key, rearmedFrom: o.rearmedFrom?.toISOString() ?? null })),
    ).toEqual([{ key: "resolution:50", rearmedFrom: "2026-11-23T19:00:00.000Z" }]);
    // Once a reminder of the new window was recorded, later ones no longer say so.
    const later = owedReminders({
      plan: planAt(h(37), { labels: ["incident", "category:core-bug", "sev:1", "devops:3"], previous }),
      policies: policiesOf(DEFAULT_CONFIG),
      recorded: [...recorded, "resolution:50@2026-11-25T07:00:00.000Z"],
      now: h(37),
      open: true,
    });
    expect(later.owed.map((o) => ({ key: o.reminder.key, rearmedFrom: o.rearmedFrom ?? null }))).toEqual([
      { key: "resolution:75", rearmedFrom: null },
    ]);
  });

  test("the first reminder of a window never says it was re-armed", () => {
    expect(
      owedReminders({
        plan: planAt(h(7)),
        policies: policiesOf(DEFAULT_CONFIG),
        recorded: [],
        now: h(7),
        open: true,
      }).owed.map((o) => o.rearmedFrom ?? null),
    ).toEqual([null]);
  });
});
