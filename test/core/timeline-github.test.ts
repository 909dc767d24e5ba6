/**
 * The timeline's GitHub events (issue #14): classification labels (by whom, at GitHub's time), the
 * incident label added later, follow-up actions opened / closed / merged / reopened, pull requests, alerts
 * fired and resolved. Tables of cases through `decide` with a fixed clock; then the properties the
 * replay tests hold end to end: a delivery already reflected adds nothing, and any permutation or
 * duplication of the same deliveries gives the same timeline.
 */
import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import type { AlertGroupState } from "../../src/core/alert-group.js";
import { newInEdit, parseCommands } from "../../src/core/commands.js";
import { decide } from "../../src/core/decide.js";
import type { IncidentIssue } from "../../src/core/incident.js";
import { previousState, threadOf, type IncidentSnapshot, type OwnComment } from "../../src/core/snapshot.js";
import { EMPTY_STATE, encodeState, STATUS_MARKER, type StatusState } from "../../src/core/status-state.js";
import { alreadyRecorded } from "../../src/core/reads.js";
import {
  addEntries,
  keyHash,
  MAX_TIMELINE_ENTRIES,
  type Timeline,
  type TimelineEntry,
} from "../../src/core/timeline.js";
import { shownInStatus } from "../../src/core/timeline-github.js";
import type { IncidentTrigger } from "../../src/core/trigger.js";
import type { RemoteState } from "../../src/core/writeup.js";
import { configSchema } from "../../src/config/schema.js";
import { timelineView } from "../../src/render/timeline.js";
import { incidentIssue } from "../support/incident-fixtures.js";
import { policiesOf } from "../../src/config/policies.js";

const NOW = new Date("2026-11-23T08:00:00Z");
const CONFIG = configSchema.parse({});
const BODY = "### Actions\n\n- [ ] acme/web#12 circuit breaker\n- [ ] #9 alert on pool size\n";
const ISSUE = (overrides: Partial<IncidentIssue> = {}): IncidentIssue =>
  incidentIssue({ body: BODY, updatedAt: new Date("2026-11-23T07:30:00Z"), ...overrides });

const closedIssue: RemoteState = { found: true, kind: "issue", state: "closed", stateReason: "completed", title: "CB" };
const openIssue: RemoteState = { found: true, kind: "issue", state: "open", stateReason: null, title: "CB" };
const mergedPull: RemoteState = { found: true, kind: "pull", state: "closed", merged: true, title: "Pool alert" };

function snapshot(
  args: {
    issue?: IncidentIssue;
    state?: Partial<StatusState> | null;
    fresh?: boolean;
    actions?: Array<[string, RemoteState]>;
    actionTimes?: Array<[string, string]>;
    /** GitHub's created_at of the actions read during the load. */
    actionOpenedTimes?: Array<[string, string]>;
    statusAt?: Date;
  } = {},
): IncidentSnapshot {
  const comments: OwnComment[] =
    args.state === null
      ? []
      : [
          {
            id: 900,
            body: `${STATUS_MARKER}\n${encodeState({ ...EMPTY_STATE, ...(args.state ?? {}) })}`,
            ...(args.statusAt ? { updatedAt: args.statusAt } : {}),
          },
        ];
  const thread = threadOf(comments);
  return {
    repo: { owner: "acme", repo: "api" },
    issue: args.issue ?? ISSUE(),
    fresh: args.fresh ?? false,
    thread,
    previous: previousState(thread),
    config: { ok: true, policies: policiesOf(CONFIG) },
    actions: new Map(args.actions ?? []),
    ...(args.actionTimes ? { actionTimes: new Map(args.actionTimes) } : {}),
    ...(args.actionOpenedTimes ? { actionOpenedTimes: new Map(args.actionOpenedTimes) } : {}),
    permission: "write",
  };
}

const labelTrigger = (
  action: "labeled" | "unlabeled",
  label: string,
  at: string,
  labels: string[],
  actor = "bob",
): IncidentTrigger => ({
  kind: "issue",
  action,
  issue: ISSUE({ labels, updatedAt: new Date(at) }),
  changedLabel: label,
  actor,
});

/** The keyed entries after one decision (text, time, by). */
const keyed = (snap: IncidentSnapshot, trigger: IncidentTrigger): string[] =>
  (decide(snap, trigger, NOW).status?.plan.state.timeline?.entries ?? [])
    .filter((e) => e.key !== undefined)
    .map((e) => `${e.at.slice(11, 19)} ${e.text}${e.by ? ` (${e.by})` : ""}`);

const ALERT: AlertGroupState = {
  v: 1,
  source: "alertmanager",
  token: "tok",
  firing: false,
  investigationFrom: "2026-11-23T05:00:00.000Z",
  resolvedAt: "2026-11-23T07:55:00.000Z",
  resolvedIncident: false,
  alerts: [
    {
      fp: "f1",
      name: "CheckoutErrorRate",
      status: "resolved",
      startsAt: "2026-11-23T05:00:00.000Z",
      endsAt: "2026-11-23T07:55:00.000Z",
    },
    { fp: "f2", name: "LatencyHigh", status: "firing", startsAt: "2026-11-23T05:02:00.000Z", endsAt: null },
  ],
  untracked: 0,
  previousIncident: null,
};

describe("GitHub events on the timeline, per trigger", () => {
  const cases: Array<[string, IncidentSnapshot, IncidentTrigger, string[]]> = [
    [
      "a person adds a severity label: by them, at the payload's updated_at",
      snapshot({ issue: ISSUE({ labels: ["incident", "sev:2"] }) }),
      labelTrigger("labeled", "sev:2", "2026-11-23T07:30:00Z", ["incident", "sev:2"]),
      ["07:30:00 Severity set to Sev 2 (label sev:2) (bob)"],
    ],
    [
      "a category label removed",
      snapshot({ issue: ISSUE({ labels: ["incident"] }) }),
      labelTrigger("unlabeled", "category:core-bug", "2026-11-23T07:31:00Z", ["incident"], "carol"),
      ["07:31:00 Category Core product bug removed (label category:core-bug) (carol)"],
    ],
    [
      "a remediation label, in a replaced classification",
      snapshot({
        issue: ISSUE({ labels: ["incident", "devops:1", "devops:3"] }),
        state: {
          timeline: {
            entries: [
              {
                at: "2026-11-23T07:00:00.000Z",
                kind: "event",
                text: "Remediation difficulty set to DevOps 1 (label devops:1)",
                by: "alice",
                key: "label:+:devops:1:2026-11-23T07:00:00.000Z",
              },
            ],
            compacted: 0,
          },
        },
      }),
      labelTrigger("labeled", "devops:3", "2026-11-23T07:40:00Z", ["incident", "devops:1", "devops:3"]),
      [
        "07:00:00 Remediation difficulty set to DevOps 1 (label devops:1) (alice)",
        "07:40:00 Remediation difficulty set to DevOps 3 (label devops:3) (bob)",
      ],
    ],
    [
      "a label that is not a classification: nothing",
      snapshot({ issue: ISSUE({ labels: ["incident", "bug"] }) }),
      labelTrigger("labeled", "bug", "2026-11-23T07:30:00Z", ["incident", "bug"]),
      [],
    ],
    [
      "late (the current issue was read) and the current labels agree: recorded",
      snapshot({ issue: ISSUE({ labels: ["incident", "sev:2"] }), fresh: true }),
      labelTrigger("labeled", "sev:2", "2026-11-23T07:10:00Z", ["incident", "sev:2"]),
      ["07:10:00 Severity set to Sev 2 (label sev:2) (bob)"],
    ],
    [
      // Was "judged on the current issue, nothing" while late label deliveries were recorded only where
      // the current labels agreed: every signed label delivery is a real event on GitHub (the lead's
      // decision, issue #14), so the overtaken add is history at its own time.
      "late and overtaken (sev:3 was replaced since): recorded at its own time",
      snapshot({ issue: ISSUE({ labels: ["incident", "sev:1"] }), fresh: true }),
      labelTrigger("labeled", "sev:3", "2026-11-23T07:00:00Z", ["incident", "sev:3"]),
      ["07:00:00 Severity set to Sev 3 (label sev:3) (bob)"],
    ],
    [
      "late, a removal the current labels undid since (re-added): recorded at its own time",
      snapshot({ issue: ISSUE({ labels: ["incident", "sev:2"] }), fresh: true }),
      labelTrigger("unlabeled", "sev:2", "2026-11-23T07:05:00Z", ["incident"]),
      ["07:05:00 Severity Sev 2 removed (label sev:2) (bob)"],
    ],
    [
      "the incident label added hours after the opening: became an incident, by whom",
      snapshot({ state: null }),
      labelTrigger("labeled", "incident", "2026-11-23T07:20:00Z", ["incident"]),
      ["07:20:00 Became an incident (label incident) (bob)"],
    ],
    [
      "the incident label added with the filing: the opening says it (no second entry)",
      snapshot({ state: null }),
      labelTrigger("labeled", "incident", "2026-11-23T06:00:00Z", ["incident"], "alice"),
      [],
    ],
    [
      "a follow-up action closed: at the delivery's closed_at",
      snapshot({ actions: [["acme/web#12", closedIssue]], state: { actions: { "acme/web#12": openIssue } } }),
      { kind: "action-state", actionKey: "acme/web#12", observed: closedIssue, at: "2026-11-23T07:45:00Z" },
      ["07:45:00 Follow-up action acme/web#12 closed: CB"],
    ],
    [
      "a follow-up PR merged, read by another trigger: at GitHub's merged_at from that read",
      snapshot({ actions: [["acme/api#9", mergedPull]], actionTimes: [["acme/api#9", "2026-11-23T07:41:00Z"]] }),
      { kind: "repair" },
      ["07:41:00 Follow-up action #9 merged: Pool alert"],
    ],
    [
      "a cached action seen changed without a GitHub time: the app's time",
      snapshot({ actions: [["acme/web#12", closedIssue]], state: { actions: { "acme/web#12": openIssue } } }),
      { kind: "repair" },
      ["08:00:00 Follow-up action acme/web#12 closed: CB"],
    ],
    [
      "an action reopened",
      snapshot({ actions: [["acme/web#12", openIssue]], state: { actions: { "acme/web#12": closedIssue } } }),
      { kind: "action-state", actionKey: "acme/web#12", observed: openIssue, at: "2026-11-23T07:50:00Z" },
      ["07:50:00 Follow-up action acme/web#12 reopened: CB"],
    ],
    [
      "a late copy of an earlier close (reopened and closed again since): that close, and the current one read",
      snapshot({
        actions: [["acme/web#12", closedIssue]],
        actionTimes: [["acme/web#12", "2026-11-23T07:52:00Z"]],
        state: { actions: { "acme/web#12": closedIssue } },
      }),
      { kind: "action-state", actionKey: "acme/web#12", observed: closedIssue, at: "2026-11-23T07:45:00Z" },
      ["07:45:00 Follow-up action acme/web#12 closed: CB", "07:52:00 Follow-up action acme/web#12 closed: CB"],
    ],
    [
      "a reopen delivered after the action was closed again: the reopen at its own time, the close read",
      snapshot({
        actions: [["acme/web#12", closedIssue]],
        actionTimes: [["acme/web#12", "2026-11-23T07:52:00Z"]],
        state: { actions: { "acme/web#12": closedIssue } },
      }),
      { kind: "action-state", actionKey: "acme/web#12", observed: openIssue, at: "2026-11-23T07:50:00Z" },
      ["07:50:00 Follow-up action acme/web#12 reopened: CB", "07:52:00 Follow-up action acme/web#12 closed: CB"],
    ],
    [
      "a read finds a cached close undone: no GitHub time for the reopen, its own delivery records it",
      snapshot({ actions: [["acme/web#12", openIssue]], state: { actions: { "acme/web#12": closedIssue } } }),
      { kind: "repair" },
      [],
    ],
    [
      "a cached closed action, unchanged: nothing again",
      snapshot({ actions: [["acme/web#12", closedIssue]], state: { actions: { "acme/web#12": closedIssue } } }),
      { kind: "repair" },
      [],
    ],
    [
      "actions first seen in the Actions section (read, not cached): opened at GitHub's created_at",
      snapshot({
        actions: [
          ["acme/web#12", openIssue],
          ["acme/api#9", mergedPull],
        ],
        actionOpenedTimes: [
          ["acme/web#12", "2026-11-23T07:05:00Z"],
          ["acme/api#9", "2026-11-22T18:00:00Z"],
        ],
      }),
      { kind: "issue", action: "edited", issue: ISSUE(), changedLabel: null, actor: "bob" },
      ["18:00:00 Follow-up action #9 opened: Pool alert", "07:05:00 Follow-up action acme/web#12 opened: CB"],
    ],
    [
      "an action first seen already closed: opened and closed, each at GitHub's time",
      snapshot({
        actions: [["acme/web#12", closedIssue]],
        actionTimes: [["acme/web#12", "2026-11-23T07:40:00Z"]],
        actionOpenedTimes: [["acme/web#12", "2026-11-23T07:05:00Z"]],
      }),
      { kind: "repair" },
      ["07:05:00 Follow-up action acme/web#12 opened: CB", "07:40:00 Follow-up action acme/web#12 closed: CB"],
    ],
    [
      "an action seen again (cached, not read): no opened entry",
      snapshot({ actions: [["acme/web#12", openIssue]], state: { actions: { "acme/web#12": openIssue } } }),
      { kind: "repair" },
      [],
    ],
    [
      "an action GitHub does not show (no access): no opened entry",
      snapshot({ actions: [["acme/web#12", { found: false }]] }),
      { kind: "repair" },
      [],
    ],
    [
      "a pull request for an action opened: at its created_at",
      snapshot(),
      {
        kind: "pull-request",
        prKey: "acme/api#20",
        actionKey: "acme/web#12",
        open: true,
        known: new Map(),
        at: "2026-11-23T07:35:00Z",
        merged: false,
      },
      ["07:35:00 Pull request #20 for follow-up action acme/web#12 opened"],
    ],
    [
      "an alert notification: each alert fired at its startsAt, resolved at its endsAt",
      snapshot({ state: null }),
      { kind: "alert", notification: { alerts: [] } as never, token: "tok", filed: ALERT },
      [
        "05:00:00 Alert CheckoutErrorRate fired",
        "05:02:00 Alert LatencyHigh fired",
        "07:55:00 Alert CheckoutErrorRate resolved",
      ],
    ],
  ];
  test.each(cases)("%s", (_name, snap, trigger, expected) => {
    expect(keyed(snap, trigger)).toEqual(expected);
  });
});

describe("a delivery already reflected adds nothing", () => {
  const first = labelTrigger("labeled", "sev:2", "2026-11-23T07:30:00Z", ["incident", "sev:2"]);
  const after = (snap: IncidentSnapshot, trigger: IncidentTrigger): StatusState =>
    decide(snap, trigger, NOW).status!.plan.state;
  const recorded = after(snapshot({ issue: ISSUE({ labels: ["incident", "sev:2"] }) }), first);

  test.each<[string, IncidentTrigger, boolean]>([
    ["the same delivery again", first, false],
    ["the same delivery again, late (current issue read)", first, true],
    // "The same label sent again with a newer updated_at (no removal between: a repeat)" was here: GitHub
    // sends `labeled` only when the label is added, so a newer one is a re-add whose removal is delivered
    // later (or lost): a new entry now (the lead's decision, issue #14; "label histories, delivery by
    // delivery" below).
  ])("%s", (_name, trigger, fresh) => {
    const again = after(snapshot({ issue: ISSUE({ labels: ["incident", "sev:2"] }), state: recorded, fresh }), trigger);
    expect(again.timeline).toEqual(recorded.timeline);
    expect(again.fingerprint).toBe(recorded.fingerprint);
  });
});

/**
 * A label's history delivered in any order, late (the current issue read) or in time: every signed
 * `labeled` / `unlabeled` from a person is a real change on GitHub, recorded once at its `updated_at`;
 * a redelivery (the same payload, the same `updated_at`) adds nothing.
 */
describe("label histories, delivery by delivery", () => {
  /** A delivery, and whether it arrives late (older than the status comment: the current issue is read). */
  type Step = [IncidentTrigger, "late" | "in time"];
  const SEV1 = labelTrigger("labeled", "sev:1", "2026-11-23T07:20:00Z", ["incident", "sev:1"], "carol");
  const ADD3 = labelTrigger("labeled", "sev:3", "2026-11-23T07:00:00Z", ["incident", "sev:3"]);
  const DROP3 = labelTrigger("unlabeled", "sev:3", "2026-11-23T07:05:00Z", ["incident"]);
  const ADD2 = labelTrigger("labeled", "sev:2", "2026-11-23T07:00:00Z", ["incident", "sev:2"]);
  const DROP2 = labelTrigger("unlabeled", "sev:2", "2026-11-23T07:05:00Z", ["incident"]);
  const READD2 = labelTrigger("labeled", "sev:2", "2026-11-23T07:10:00Z", ["incident", "sev:2"]);
  const sev3Story = [
    "07:00:00 Severity set to Sev 3 (label sev:3) (bob)",
    "07:05:00 Severity Sev 3 removed (label sev:3) (bob)",
    "07:20:00 Severity set to Sev 1 (label sev:1) (carol)",
  ];
  const sev2Story = [
    "07:00:00 Severity set to Sev 2 (label sev:2) (bob)",
    "07:05:00 Severity Sev 2 removed (label sev:2) (bob)",
    "07:10:00 Severity set to Sev 2 (label sev:2) (bob)",
  ];
  const cases: Array<[string, string[], Step[], string[]]> = [
    [
      "(a) sev:3 added then removed, both delivered late (after sev:1 was added): each at its own time",
      ["incident", "sev:1"],
      [
        [SEV1, "in time"],
        [ADD3, "late"],
        [DROP3, "late"],
      ],
      sev3Story,
    ],
    [
      "(a) the same, the removal delivered before the add",
      ["incident", "sev:1"],
      [
        [SEV1, "in time"],
        [DROP3, "late"],
        [ADD3, "late"],
      ],
      sev3Story,
    ],
    [
      "(b) sev:2 re-added, the removal delivered after the re-add: the re-add is no repeat",
      ["incident", "sev:2"],
      [
        [ADD2, "in time"],
        [READD2, "in time"],
        [DROP2, "late"],
      ],
      sev2Story,
    ],
    [
      "(b) the re-add delivered before the first add and the removal",
      ["incident", "sev:2"],
      [
        [READD2, "in time"],
        [ADD2, "late"],
        [DROP2, "late"],
      ],
      sev2Story,
    ],
    [
      "every delivery redelivered (the same payload, late and in time): each change once",
      ["incident", "sev:2"],
      [
        [ADD2, "in time"],
        [ADD2, "late"],
        [DROP2, "in time"],
        [READD2, "in time"],
        [DROP2, "late"],
        [READD2, "late"],
        [ADD2, "late"],
      ],
      sev2Story,
    ],
    [
      "redelivered late after the re-add (the first add, the re-add, the removal twice): each change once",
      ["incident", "sev:2"],
      [
        [ADD2, "in time"],
        [READD2, "in time"],
        [ADD2, "late"],
        [READD2, "late"],
        [DROP2, "late"],
        [DROP2, "late"],
      ],
      sev2Story,
    ],
  ];
  test.each(cases)("%s", (_name, labels, steps, expected) => {
    let state: StatusState | null = null;
    for (const [trigger, when] of steps) {
      const late = when === "late";
      const issue = late ? ISSUE({ labels }) : (trigger as Extract<IncidentTrigger, { kind: "issue" }>).issue;
      const effects = decide(snapshot({ issue, state, fresh: late }), trigger, NOW);
      if (effects.status) state = effects.status.plan.state;
    }
    expect(
      (state?.timeline?.entries ?? [])
        .filter((e) => e.key?.startsWith("label:") === true)
        .map((e) => `${e.at.slice(11, 19)} ${e.text}${e.by ? ` (${e.by})` : ""}`),
    ).toEqual(expected);
  });

  test("a payload without updated_at (never GitHub's: no time to key it by): the rules from before", () => {
    const untimed = (action: "labeled" | "unlabeled", labels: string[]): IncidentTrigger => ({
      kind: "issue",
      action,
      issue: incidentIssue({ body: BODY, labels }),
      changedLabel: "sev:2",
      actor: "bob",
    });
    let state: StatusState | null = null;
    for (const [trigger, fresh] of [
      [ADD2, false],
      [untimed("labeled", ["incident", "sev:2"]), false],
      [untimed("unlabeled", ["incident"]), true],
    ] as Array<[IncidentTrigger, boolean]>) {
      const issue = ISSUE({ labels: ["incident", "sev:2"] });
      state = decide(snapshot({ issue, state, fresh }), trigger, NOW).status?.plan.state ?? state;
    }
    // A repeat of the label shown added (not at the app's time), and a late removal the current labels undo.
    expect(state?.timeline?.entries.filter((e) => e.key?.startsWith("label:") === true).map((e) => e.key)).toEqual([
      "label:+:sev:2:2026-11-23T07:00:00.000Z",
    ]);
  });

  test("a timeline recorded before (the same keys): a redelivery of each entry adds nothing", () => {
    const entry = (op: "+" | "-", at: string, text: string): TimelineEntry => ({
      at,
      kind: "event",
      text,
      by: "bob",
      key: `label:${op}:sev:2:${at}`,
    });
    const recorded: StatusState = {
      ...EMPTY_STATE,
      timeline: {
        entries: [
          entry("+", "2026-11-23T07:00:00.000Z", "Severity set to Sev 2 (label sev:2)"),
          entry("-", "2026-11-23T07:05:00.000Z", "Severity Sev 2 removed (label sev:2)"),
        ],
        compacted: 0,
      },
    };
    const base = decide(snapshot({ issue: ISSUE({ labels: ["incident"] }), state: recorded }), { kind: "repair" }, NOW)
      .status!.plan.state;
    for (const trigger of [ADD2, DROP2])
      for (const fresh of [true, false]) {
        const again = decide(snapshot({ issue: ISSUE({ labels: ["incident"] }), state: base, fresh }), trigger, NOW);
        expect(again.status?.plan.state.timeline).toEqual(base.timeline);
      }
  });
});

describe("an action's delivery is dropped unread only when the timeline holds its event", () => {
  const close = (at: string): Extract<IncidentTrigger, { kind: "action-state" }> => ({
    kind: "action-state",
    actionKey: "acme/web#12",
    observed: closedIssue,
    at,
  });
  const entry = (key: string, at: string): TimelineEntry => ({ at, kind: "event", text: "closed", key });
  const state = (entries: TimelineEntry[], compactedKeys?: string[]): StatusState => ({
    ...EMPTY_STATE,
    actions: { "acme/web#12": closedIssue },
    timeline: { entries, compacted: 0, ...(compactedKeys ? { compactedKeys } : {}) },
  });
  const T1 = "2026-11-23T07:45:00.000Z";
  const T2 = "2026-11-23T07:52:00.000Z";
  test.each<[string, StatusState, IncidentTrigger, boolean]>([
    ["the same close again: dropped", state([entry(`action:acme/web#12:closed:${T1}`, T1)]), close(T1), true],
    [
      "an earlier close, overtaken by a reopen and a second close: read and recorded",
      state([entry(`action:acme/web#12:closed:${T2}`, T2)]),
      close(T1),
      false,
    ],
    ["a close compacted away: dropped", state([], [keyHash(`action:acme/web#12:closed:${T1}`)]), close(T1), true],
    [
      "recorded before closes carried their time (same time): dropped",
      state([entry("action:acme/web#12:closed", T1)]),
      close(T1),
      true,
    ],
    [
      "a delivery without a time: dropped (nothing to add)",
      state([]),
      { kind: "action-state", actionKey: "acme/web#12", observed: closedIssue },
      true,
    ],
    ["another state than the recorded one: read", state([]), { ...close(T1), observed: openIssue }, false],
    [
      "a close the state recorded before the timeline kept actions (no entry of the action): dropped",
      state([]),
      close(T1),
      true,
    ],
    [
      "a reopen already seen (open cached) without its entry: read (its delivery is its only time)",
      { ...state([entry(`action:acme/web#12:closed:${T1}`, T1)]), actions: { "acme/web#12": openIssue } },
      { ...close(T2), observed: openIssue },
      false,
    ],
  ])("%s", (_name, previous, trigger, dropped) => {
    expect(alreadyRecorded(trigger, previous, true)).toBe(dropped);
  });
});

describe("an action's opening recorded again adds nothing", () => {
  const read = {
    actions: [["acme/web#12", openIssue]] as Array<[string, RemoteState]>,
    actionOpenedTimes: [["acme/web#12", "2026-11-23T07:05:00Z"]] as Array<[string, string]>,
  };
  const first = decide(snapshot(read), { kind: "repair" }, NOW).status!.plan.state;

  test("first sight records one entry", () => {
    expect(first.timeline?.entries.filter((e) => e.key === "action-opened:acme/web#12")).toEqual([
      {
        at: "2026-11-23T07:05:00.000Z",
        kind: "event",
        text: "Follow-up action acme/web#12 opened: CB",
        key: "action-opened:acme/web#12",
      },
    ]);
  });

  test.each<[string, Parameters<typeof snapshot>[0]]>([
    ["second sight (cached, not read)", { actions: read.actions }],
    ["read again (a forced refresh): same key, same time", read],
    [
      "read again with a later time than recorded: the earliest wins",
      { ...read, actionOpenedTimes: [["acme/web#12", "2026-11-23T07:50:00Z"]] },
    ],
  ])("%s: the timeline is unchanged", (_name, args) => {
    const again = decide(snapshot({ ...args, state: first }), { kind: "repair" }, NOW);
    const state = again.status?.plan.state ?? first;
    expect(state.timeline).toEqual(first.timeline);
  });
});

describe("the status comment shows notes and GitHub's events, not the app's bookkeeping", () => {
  test("opening, commands and closes stay in the hidden state (and go into --write)", () => {
    const entries: TimelineEntry[] = [
      { at: "2026-11-23T06:00:00.000Z", kind: "event", text: "Issue opened" },
      { at: "2026-11-23T06:30:00.000Z", kind: "event", text: "Became an incident", key: "incident:x" },
      { at: "2026-11-23T06:40:00.000Z", kind: "event", text: "Severity: Sev 2", by: "bob" },
      { at: "2026-11-23T06:41:00.000Z", kind: "event", text: "Severity set to Sev 1 (label sev:1)", key: "label:+:x" },
      { at: "2026-11-23T06:42:00.000Z", kind: "note", text: "rolled back", by: "bob", comment: 5 },
      { at: "2026-11-23T06:43:00.000Z", kind: "event", text: "Alert X resolved", key: "alert:f:resolved:x" },
      { at: "2026-11-23T06:44:00.000Z", kind: "event", text: "Follow-up action #9 closed", key: "action:x" },
    ];
    expect(entries.filter(shownInStatus).map((e) => e.text)).toEqual([
      "Severity set to Sev 1 (label sev:1)",
      "rolled back",
      "Alert X resolved",
      "Follow-up action #9 closed",
    ]);
    expect(timelineView({ entries, compacted: 2 }, null)).toMatchObject({ count: 4, compacted: 2 });
  });

  test("an action's opening is shown", () => {
    const opened: TimelineEntry = {
      at: "2026-11-23T06:45:00.000Z",
      kind: "event",
      text: "Follow-up action #9 opened: Pool",
      key: "action-opened:acme/api#9",
    };
    expect(shownInStatus(opened)).toBe(true);
  });
});

describe("ordering and compaction of keyed entries", () => {
  const ev = (minute: number, key: string): TimelineEntry => ({
    at: new Date(Date.UTC(2026, 10, 23, 0, minute)).toISOString(),
    kind: "event",
    text: key,
    key,
  });
  test("within one second: an action opens with the pull requests, after the notes, before actions close", () => {
    const at = "2026-11-23T07:00:00.000Z";
    const same = (key: string): TimelineEntry => ({ at, kind: "event", text: key, key });
    const shuffled = [same("action:a:closed"), same("action-opened:a"), { at, kind: "note" as const, text: "note" }];
    expect(addEntries({ entries: [], compacted: 0 }, shuffled).entries.map((e) => e.text)).toEqual([
      "note",
      "action-opened:a",
      "action:a:closed",
    ]);
  });
  test("within one second: the alert fires, it becomes an incident, labels, notes, the alert resolves, actions", () => {
    const at = "2026-11-23T07:00:00.000Z";
    const same = (key: string, kind: "event" | "note" = "event"): TimelineEntry => ({ at, kind, text: key, key });
    const shuffled = [
      same("action:a"),
      { at, kind: "note" as const, text: "note" },
      same("alert:f:resolved:x"),
      same("label:+:sev:1:x"),
      same("pr:p"),
      same("incident:x"),
      same("alert:f:fired:x"),
    ];
    expect(addEntries({ entries: [], compacted: 0 }, shuffled).entries.map((e) => e.text)).toEqual([
      "alert:f:fired:x",
      "incident:x",
      "label:+:sev:1:x",
      "note",
      "alert:f:resolved:x",
      "pr:p",
      "action:a",
    ]);
  });

  test("the earliest time seen for one key wins", () => {
    const late = { ...ev(30, "action:acme/web#12:closed") };
    const early = { ...ev(10, "action:acme/web#12:closed") };
    const a = addEntries(addEntries({ entries: [], compacted: 0 }, [late]), [early]);
    const b = addEntries(addEntries({ entries: [], compacted: 0 }, [early]), [late]);
    expect(a).toEqual(b);
    expect(a.entries).toEqual([early]);
  });

  test("a keyed entry compacted away is neither added nor counted again when delivered late", () => {
    const many = Array.from({ length: MAX_TIMELINE_ENTRIES + 1 }, (_, i) => ev(i, `label:+:l${i}:x`));
    const full = addEntries({ entries: [], compacted: 0 }, many);
    expect(full.entries).toHaveLength(MAX_TIMELINE_ENTRIES);
    expect(full.compacted).toBe(1);
    const again = addEntries(full, [many[0]!]);
    expect(again).toEqual(full);
    // Bounded, and the count shown in the status comment.
    expect(timelineView(full, null)?.compacted).toBe(1);
  });
});

/**
 * A model of one incident's deliveries arriving late (GitHub's state is already final, as in
 * test/reliability/replay.test.ts): label changes by people, a follow-up action closed, a pull
 * request opened, notes, an alert. Each delivery is decided against the state the previous one left
 * (the status comment's hidden state), with the current issue read as the loader reads it.
 */
describe("any permutation or duplication of the same deliveries gives the same timeline", () => {
  const LABELS = ["sev:1", "sev:2", "devops:3", "category:core-bug", "category:operator-error"] as const;
  const historyArb = fc.record({
    labels: fc.uniqueArray(
      fc.record({
        label: fc.constantFrom(...LABELS),
        addedMinute: fc.integer({ min: 0, max: 12 }),
        removedAfter: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
        readdedAfter: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
        /** After the re-add: removed once more (minutes later). */
        removedAgainAfter: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
        by: fc.constantFrom("alice", "bob"),
      }),
      { selector: (l) => l.label, maxLength: 5 },
    ),
    actionClosedMinute: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
    /** After the close: reopened (minutes later), and maybe closed again (minutes after that). */
    actionReopened: fc.option(
      fc.record({
        after: fc.integer({ min: 0, max: 10 }),
        closedAgainAfter: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
      }),
      { nil: null },
    ),
    actionsCreatedMinute: fc.integer({ min: 0, max: 30 }),
    prOpenedMinute: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
    notes: fc.array(
      fc.record({
        minute: fc.integer({ min: 0, max: 30 }),
        text: fc.constantFrom("a", "b", "c"),
        /** Later texts of the comment (each edit a minute after the one before). */
        edits: fc.array(fc.constantFrom("a", "d", "e"), { maxLength: 2 }),
        deleted: fc.boolean(),
      }),
      { maxLength: 4 },
    ),
    alert: fc.boolean(),
  });
  type History = typeof historyArb extends fc.Arbitrary<infer T> ? T : never;
  const at = (minute: number): Date => new Date(Date.UTC(2026, 10, 23, 6, minute));

  interface World {
    current: IncidentIssue;
    actions: Map<string, RemoteState>;
    /** GitHub's closed_at of the closed actions (what a read of them answers). */
    doneAt: Map<string, string>;
    /** GitHub's created_at of the actions (what a read of them answers). */
    createdAt: Map<string, string>;
    deliveries: IncidentTrigger[];
    /** What happened to acme/web#12, in order: `closed 06:05:00` (each close and reopen once). */
    actionHistory: string[];
    /** The notes left: each comment's newest text, none for a deleted one (`06:05 a`, sorted). */
    notesShown: string[];
    /** Every change of a classification label, once each (`06:03:00 - sev:1`, sorted). */
    labelHistory: string[];
  }

  function worldOf(history: History): World {
    const deliveries: IncidentTrigger[] = [];
    const labels = new Set<string>(["incident"]);
    const labelHistory: string[] = [];
    const change = (action: "labeled" | "unlabeled", label: string, minute: number, by: string): void => {
      const on = action === "labeled" ? ["incident", label] : ["incident"];
      deliveries.push(labelTrigger(action, label, at(minute).toISOString(), on, by));
      labelHistory.push(`${at(minute).toISOString().slice(11, 19)} ${action === "labeled" ? "+" : "-"} ${label}`);
    };
    for (const l of history.labels) {
      change("labeled", l.label, l.addedMinute, l.by);
      if (l.removedAfter === null) {
        labels.add(l.label);
        continue;
      }
      const removedAt = l.addedMinute + l.removedAfter + 1;
      change("unlabeled", l.label, removedAt, l.by);
      if (l.readdedAfter === null) continue;
      // Added again later: GitHub's labeled, unlabeled, labeled (and maybe unlabeled) for one label.
      const readdedAt = removedAt + l.readdedAfter + 1;
      change("labeled", l.label, readdedAt, l.by);
      if (l.removedAgainAfter === null) labels.add(l.label);
      else change("unlabeled", l.label, readdedAt + l.removedAgainAfter + 1, l.by);
    }
    const current = ISSUE({ labels: [...labels], updatedAt: at(200) });
    // The action's closes and reopen, each delivered with its own time; GitHub's current state is the last.
    const actionEvents: Array<[RemoteState, number]> = [];
    if (history.actionClosedMinute !== null) {
      actionEvents.push([closedIssue, history.actionClosedMinute]);
      const reopen = history.actionReopened;
      if (reopen !== null) {
        const reopenedAt = history.actionClosedMinute + reopen.after + 1;
        actionEvents.push([openIssue, reopenedAt]);
        if (reopen.closedAgainAfter !== null)
          actionEvents.push([closedIssue, reopenedAt + reopen.closedAgainAfter + 1]);
      }
    }
    const last = actionEvents.at(-1);
    const actions = new Map<string, RemoteState>([
      ["acme/web#12", last?.[0] ?? openIssue],
      ["acme/api#9", { found: true, kind: "issue", state: "open", stateReason: null, title: "Pool" }],
    ]);
    const doneAt = new Map<string, string>();
    if (last !== undefined && last[0] === closedIssue) doneAt.set("acme/web#12", at(last[1]).toISOString());
    for (const [observed, minute] of actionEvents)
      deliveries.push({ kind: "action-state", actionKey: "acme/web#12", observed, at: at(minute).toISOString() });
    if (history.prOpenedMinute !== null)
      deliveries.push({
        kind: "pull-request",
        prKey: "acme/api#20",
        actionKey: "acme/web#12",
        open: true,
        known: new Map(),
        at: at(history.prOpenedMinute).toISOString(),
        merged: false,
      });
    const notesShown: string[] = [];
    history.notes.forEach((note, i) => {
      const parsed = parseCommands(`/timeline ${note.text}`);
      const commentId = 100 + i;
      const createdAt = at(note.minute).toISOString();
      deliveries.push({
        kind: "command",
        issue: current,
        commands: parsed.commands,
        errors: parsed.errors,
        login: "carol",
        commentId,
        commentAt: createdAt,
      });
      // Each edit as the handlers deliver it: its new commands (if any), and its whole text.
      let text: string = note.text;
      note.edits.forEach((next, k) => {
        const updatedAt = at(note.minute + k + 1).toISOString();
        const added = newInEdit(`/timeline ${text}`, `/timeline ${next}`);
        if (added.commands.length > 0)
          deliveries.push({
            kind: "command",
            issue: current,
            commands: added.commands,
            errors: added.errors,
            login: "carol",
            commentId,
            commentAt: updatedAt,
            edit: { createdAt },
          });
        deliveries.push({
          kind: "timeline-note",
          commentId,
          body: `/timeline ${next}`,
          login: "carol",
          commentAt: createdAt,
          updatedAt,
        });
        text = next;
      });
      if (note.deleted) {
        const updatedAt = at(note.minute + note.edits.length).toISOString();
        deliveries.push({
          kind: "timeline-note",
          commentId,
          body: null,
          login: "carol",
          commentAt: createdAt,
          updatedAt,
        });
      } else notesShown.push(`${createdAt.slice(11, 16)} ${text}`);
    });
    if (history.alert)
      deliveries.push({ kind: "alert", notification: { alerts: [] } as never, token: "tok", filed: ALERT });
    const createdAt = new Map<string, string>([
      ["acme/web#12", at(history.actionsCreatedMinute).toISOString()],
      ["acme/api#9", at(history.actionsCreatedMinute + 1).toISOString()],
    ]);
    const actionHistory = actionEvents.map(
      ([observed, minute]) =>
        `${observed.found && observed.state === "open" ? "reopened" : "closed"} ${at(minute).toISOString().slice(11, 19)}`,
    );
    return {
      current,
      actions,
      doneAt,
      createdAt,
      deliveries,
      actionHistory,
      notesShown: notesShown.sort(),
      labelHistory: labelHistory.sort(),
    };
  }

  /** Plays deliveries late, one after another; returns the final timeline. */
  function play(world: World, order: IncidentTrigger[]): Timeline | undefined {
    let state: StatusState | null = null;
    let clock = at(300).getTime();
    for (const trigger of order) {
      clock += 1000;
      const cached = state?.actions ?? {};
      // The loader: an action-state already recorded is dropped; others read the actions it lacks
      // and the action a delivery is about (GitHub's closed_at with them); every delivery is older
      // than the status write: current issue.
      if (state && alreadyRecorded(trigger, state, true)) continue;
      const about = (key: string): boolean => trigger.kind === "action-state" && trigger.actionKey === key;
      const actionTimes = [...world.doneAt].filter(([key]) => cached[key] === undefined || about(key));
      const actionOpenedTimes = [...world.createdAt].filter(([key]) => cached[key] === undefined);
      const snap = snapshot({
        issue: world.current,
        state,
        fresh: true,
        actions: [...world.actions],
        actionTimes,
        actionOpenedTimes,
        statusAt: new Date(clock - 500),
      });
      const effects = decide(snap, trigger, new Date(clock));
      if (effects.status) state = effects.status.plan.state;
    }
    return state?.timeline;
  }

  test("late deliveries, shuffled and repeated, converge to the in-order timeline", () => {
    fc.assert(
      fc.property(
        historyArb,
        fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
        fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
        (history, randoms, repeat) => {
          const world = worldOf(history);
          const reference = play(world, world.deliveries);
          const copies = world.deliveries.flatMap((d, i) => (repeat[i] ? [d, d] : [d]));
          const shuffled = copies
            .map((d, i) => ({ d, r: randoms[i % randoms.length]! + i / 1000 }))
            .sort((a, b) => a.r - b.r)
            .map((x) => x.d);
          expect(play(world, shuffled)).toEqual(reference);
          // Every close and reopen of the action once, at GitHub's times.
          const shown = (reference?.entries ?? [])
            .filter((e) => e.key?.startsWith("action:acme/web#12:") === true)
            .map((e) => `${/ (closed|reopened)/.exec(e.text)?.[1] ?? "?"} ${e.at.slice(11, 19)}`);
          expect(shown).toEqual(world.actionHistory);
          // Every note comment's newest text (by its updated_at), none of a deleted one.
          const notes = (reference?.entries ?? [])
            .filter((e) => e.kind === "note")
            .map((e) => `${e.at.slice(11, 16)} ${e.text}`);
          expect(notes.sort()).toEqual(world.notesShown);
          // Every label change once, at GitHub's time, however late (overtaken or not) and however often.
          const labelChanges = (reference?.entries ?? [])
            .filter((e) => e.key?.startsWith("label:") === true)
            .map((e) => `${e.at.slice(11, 19)} ${e.key!.slice(6, 7)} ${/\(label (.+)\)$/.exec(e.text)?.[1] ?? "?"}`);
          expect(labelChanges.sort()).toEqual(world.labelHistory);
        },
      ),
      { numRuns: 60, seed: 1414 },
    );
  });
});
