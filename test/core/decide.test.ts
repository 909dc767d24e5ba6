/**
 * The decision per trigger, as tables of cases with a fixed clock: what the app does when X. The
 * benchmark scenarios (bench/scenarios.mjs) are asserted here as effects, each case named by its id.
 */
import { describe, expect, test } from "@jest/globals";
import { decideAlert, type AlertGroupState } from "../../src/core/alert-group.js";
import { groupToken, parseAlertNotification, type AlertNotification } from "../../src/core/alert-payload.js";
import { decide } from "../../src/core/decide.js";
import type { IncidentEffects } from "../../src/core/effects.js";
import type { IncidentIssue } from "../../src/core/incident.js";
import { previousState, threadOf, type IncidentSnapshot, type OwnComment } from "../../src/core/snapshot.js";
import { EMPTY_STATE, encodeState, STATUS_MARKER, type StatusState } from "../../src/core/status-state.js";
import type { IncidentTrigger } from "../../src/core/trigger.js";
import type { RemoteState } from "../../src/core/writeup.js";
import { validateConfig } from "../../src/config/load.js";
import { configSchema } from "../../src/config/schema.js";
import { incidentFormBody } from "../../simulator/src/index.js";
import { incidentIssue } from "../support/incident-fixtures.js";
import { policiesOf } from "../../src/config/policies.js";

const NOW = new Date("2026-11-23T08:00:00Z");
const CONFIG = configSchema.parse({ teams: { responders: "@acme/oncall" } });
const REPO = { owner: "acme", repo: "api" };
const FORM = incidentFormBody({
  summary: "Checkout fails for EU customers.",
  impact: "About 30 % of orders fail.",
  category: "Core product bug",
  severity: "Sev 2 - major functionality broken, revenue affected",
  devops: "DevOps 3 - CI/CD or code change, 1-2 developers",
});
const WRITEUP = (actions: string[]): string =>
  ["## Timeline", "- 09:12 alert", "## RCA", "A bad config push.", "## Actions", ...actions].join("\n");

const issue = incidentIssue;

function status(state: Partial<StatusState> = {}, updatedAt?: Date): OwnComment {
  return {
    id: 900,
    body: `${STATUS_MARKER}\n(old)\n${encodeState({ ...EMPTY_STATE, ...state })}`,
    ...(updatedAt ? { updatedAt } : {}),
  };
}

function snapshot(
  args: {
    issue?: IncidentIssue;
    comments?: OwnComment[];
    actions?: Array<[string, RemoteState]>;
    permission?: IncidentSnapshot["permission"];
    fresh?: boolean;
    config?: IncidentSnapshot["config"];
  } = {},
): IncidentSnapshot {
  const thread = threadOf(args.comments ?? []);
  return {
    repo: REPO,
    issue: args.issue ?? issue(),
    fresh: args.fresh ?? false,
    thread,
    previous: previousState(thread),
    config: args.config ?? { ok: true, policies: policiesOf(CONFIG) },
    actions: new Map(args.actions ?? []),
    permission: args.permission ?? null,
  };
}

/** The effects in a form a table can state: which writes, which messages. */
function summary(effects: IncidentEffects): object {
  return {
    add: [...effects.leadLabels, ...effects.addLabels],
    remove: effects.removeLabels,
    checks: effects.checks?.changes.map((c) => `${c.key}=${c.done ? "done" : "open"}`) ?? [],
    reopen: effects.reopen,
    close: effects.close,
    messages: effects.messages.map((m) => m.kind),
    status: effects.status !== null,
  };
}

const NONE = { add: [], remove: [], checks: [], reopen: false, close: null, messages: [], status: false };
const STATUS_ONLY = { ...NONE, status: true };
const issueTrigger = (
  action: Extract<IncidentTrigger, { kind: "issue" }>["action"],
  i: IncidentIssue,
  changedLabel: string | null = null,
): IncidentTrigger => ({ kind: "issue", action, issue: i, changedLabel });

describe("decide: the benchmark scenarios (bench/scenarios.mjs)", () => {
  const classified = ["incident", "category:core-bug", "sev:2", "devops:1", "incident:needs-writeup"];
  const actionClosed: RemoteState = {
    found: true,
    kind: "issue",
    state: "closed",
    stateReason: "completed",
    title: "Alert on login error rate",
  };
  const withActions = issue({
    labels: ["incident", "category:core-bug", "sev:2", "devops:1"],
    body: WRITEUP(["- [ ] #3 alert on login error rate", "- [ ] #4 runbook"]),
  });
  const open4: RemoteState = { found: true, kind: "issue", state: "open", stateReason: null, title: "Runbook" };
  test.each<{ id: string; snap: IncidentSnapshot; trigger: IncidentTrigger; expected: object }>([
    {
      id: "filed: opened from the form: three classification labels and the write-up label in one write, the status comment created",
      snap: snapshot({ issue: issue({ body: FORM }) }),
      trigger: issueTrigger("opened", issue({ body: FORM })),
      expected: { ...STATUS_ONLY, add: ["category:core-bug", "sev:2", "devops:3", "incident:needs-writeup"] },
    },
    {
      id: "filed: the echo of the form's `incident` label after the app wrote: nothing changes (the status is re-rendered, unchanged)",
      snap: snapshot({
        issue: issue({
          body: FORM,
          labels: ["incident", "category:core-bug", "sev:2", "devops:3", "incident:needs-writeup"],
        }),
        comments: [status({ classifiedAt: NOW.toISOString() })],
      }),
      trigger: issueTrigger("labeled", issue({ body: FORM, labels: ["incident"] }), "incident"),
      expected: STATUS_ONLY,
    },
    {
      id: "label: `sev:2` completes the classification: only the status comment",
      snap: snapshot({
        issue: issue({ labels: ["incident", "category:core-bug", "devops:3", "sev:2", "incident:needs-writeup"] }),
        comments: [status()],
      }),
      trigger: issueTrigger(
        "labeled",
        issue({ labels: ["incident", "category:core-bug", "devops:3", "sev:2", "incident:needs-writeup"] }),
        "sev:2",
      ),
      expected: STATUS_ONLY,
    },
    {
      id: "command: `/sev 2` from a triager: add `sev:2`, the status comment",
      snap: snapshot({
        issue: issue({ labels: ["incident", "category:core-bug", "devops:3", "incident:needs-writeup"] }),
        comments: [status()],
        permission: "triage",
      }),
      trigger: {
        kind: "command",
        issue: issue(),
        commands: [{ name: "sev", severity: 2 }],
        errors: [],
        login: "bob",
        commentId: 1,
        commentAt: NOW.toISOString(),
      },
      expected: { ...STATUS_ONLY, add: ["sev:2"] },
    },
    {
      id: "premature-close: write-up missing: reopen, say what is missing, the status comment",
      snap: snapshot({ issue: issue({ labels: classified, state: "closed", closedAt: NOW }), comments: [status()] }),
      trigger: issueTrigger("closed", issue({ labels: classified, state: "closed", closedAt: NOW })),
      expected: { ...STATUS_ONLY, reopen: true, messages: ["reopened"] },
    },
    {
      id: "action-closed: the action's checkbox ticked, the status comment (1 of 2 done)",
      snap: snapshot({
        issue: withActions,
        comments: [status()],
        actions: [
          ["acme/api#3", actionClosed],
          ["acme/api#4", open4],
        ],
        fresh: true,
      }),
      trigger: { kind: "action-state", actionKey: "acme/api#3", observed: actionClosed },
      expected: { ...STATUS_ONLY, checks: ["acme/api#3=done", "acme/api#4=open"] },
    },
    {
      id: "pr-merged: the merge's pull-request trigger: the action ticked, no longer in review, the status comment",
      snap: snapshot({
        issue: withActions,
        comments: [status({ reviews: { "acme/api#3": ["acme/api#9"] } })],
        actions: [
          ["acme/api#3", actionClosed],
          ["acme/api#4", open4],
        ],
        fresh: true,
      }),
      trigger: { kind: "pull-request", prKey: "acme/api#9", actionKey: "acme/api#3", open: false, known: new Map() },
      expected: { ...STATUS_ONLY, checks: ["acme/api#3=done", "acme/api#4=open"] },
    },
    {
      id: "config-error: one comment naming each invalid key, nothing else",
      snap: snapshot({
        config: (() => {
          const r = validateConfig({ sla: { investigation_hours: -4 }, severity_labels: true });
          if (r.ok) throw new Error("valid");
          return r;
        })(),
      }),
      trigger: issueTrigger("opened", issue()),
      expected: { ...NONE, messages: ["config-error"] },
    },
  ])("$id", ({ snap, trigger, expected }) => {
    expect(summary(decide(snap, trigger, NOW))).toEqual(expected);
  });

  test("pr-merged: the merge took the PR out of review in the new hidden state", () => {
    const snap = snapshot({
      issue: withActions,
      comments: [status({ reviews: { "acme/api#3": ["acme/api#9"] } })],
      actions: [["acme/api#3", actionClosed]],
      fresh: true,
    });
    const effects = decide(
      snap,
      { kind: "pull-request", prKey: "acme/api#9", actionKey: "acme/api#3", open: false, known: new Map() },
      NOW,
    );
    expect(effects.status?.plan.state.reviews).toEqual({});
    expect(effects.checks?.bodyFresh).toBe(true);
  });
});

describe("decide: issue events", () => {
  test.each<{ name: string; snap: IncidentSnapshot; trigger: IncidentTrigger; expected: object }>([
    {
      name: "not an incident (label gone on the current issue): nothing",
      snap: snapshot({ issue: issue({ labels: [] }) }),
      trigger: issueTrigger("edited", issue({ labels: [] })),
      expected: NONE,
    },
    {
      name: "a second severity label: the newest wins, the older one is removed",
      snap: snapshot({
        issue: issue({ labels: ["incident", "sev:2", "sev:3", "incident:needs-writeup"] }),
        comments: [status()],
      }),
      trigger: issueTrigger("labeled", issue(), "sev:3"),
      expected: { ...STATUS_ONLY, remove: ["sev:2"] },
    },
    {
      name: "a stale labeled delivery does not pick a winner",
      snap: snapshot({
        issue: issue({ labels: ["incident", "sev:2", "incident:needs-writeup"] }),
        comments: [status({}, new Date("2026-11-23T07:00:00Z"))],
        fresh: true,
      }),
      trigger: issueTrigger("labeled", issue({ updatedAt: new Date("2026-11-23T06:30:00Z") }), "sev:3"),
      expected: STATUS_ONLY,
    },
    {
      name: "feature request: product label and the hand-off notice",
      snap: snapshot({
        issue: issue({ labels: ["incident", "category:feature-request", "incident:needs-writeup"] }),
        comments: [status()],
      }),
      trigger: issueTrigger("labeled", issue(), "category:feature-request"),
      expected: { ...STATUS_ONLY, add: ["product"], messages: ["notice"] },
    },
    {
      name: "closed with the write-up done and no action: no reopen",
      snap: snapshot({
        issue: issue({
          labels: ["incident", "category:core-bug", "sev:2", "devops:1"],
          body: WRITEUP(["- none"]),
          state: "closed",
          closedAt: NOW,
        }),
        comments: [status()],
      }),
      trigger: issueTrigger("closed", issue({ state: "closed", closedAt: NOW })),
      expected: STATUS_ONLY,
    },
    {
      name: "closed after a forced close: no reopen",
      snap: snapshot({
        issue: issue({ labels: ["incident", "incident:needs-writeup"], state: "closed", closedAt: NOW }),
        comments: [status({ forcedClose: { by: "carol", reason: "dup", at: NOW.toISOString() } })],
      }),
      trigger: issueTrigger("closed", issue({ state: "closed", closedAt: NOW })),
      expected: STATUS_ONLY,
    },
    {
      name: "the write-up and every action done: said once (complete)",
      snap: snapshot({
        issue: issue({
          labels: ["incident", "category:core-bug", "sev:2", "devops:1"],
          body: WRITEUP(["- [x] #3 alert"]),
        }),
        comments: [status()],
        actions: [
          ["acme/api#3", { found: true, kind: "issue", state: "closed", stateReason: "completed", title: "a" }],
        ],
      }),
      trigger: issueTrigger("edited", issue()),
      expected: { ...STATUS_ONLY, messages: ["writeup-complete"] },
    },
  ])("$name", ({ snap, trigger, expected }) => {
    expect(summary(decide(snap, trigger, NOW))).toEqual(expected);
  });

  test.each([
    {
      name: "a resolution recorded from this close (a late trigger saw it closed) goes with the reopen",
      resolvedAt: "2026-11-23T07:00:00.000Z",
      expected: null,
    },
    {
      name: "a resolution recorded before the close (/resolved) stays",
      resolvedAt: "2026-11-23T06:00:00.000Z",
      expected: "2026-11-23T06:00:00.000Z",
    },
    { name: "no resolution: none", resolvedAt: null, expected: null },
  ])("premature close reopened: $name", ({ resolvedAt, expected }) => {
    const classified = ["incident", "category:core-bug", "sev:2", "devops:1", "incident:needs-writeup"];
    const closedAt = new Date("2026-11-23T07:00:00Z");
    const closed = issue({ labels: classified, state: "closed", closedAt });
    const snap = snapshot({
      issue: closed,
      comments: [status({ classifiedAt: "2026-11-23T05:00:00.000Z", resolvedAt })],
    });
    for (const trigger of [issueTrigger("closed", closed), { kind: "repair" } as const]) {
      const effects = decide(snap, trigger, NOW);
      expect(effects.reopen).toBe(true);
      expect(effects.status?.plan.state.resolvedAt).toBe(expected);
      // The status comment's resolution row follows: met only when a resolution stays.
      expect(effects.status?.plan.sla.resolution.satisfiedAt?.toISOString() ?? null).toBe(expected);
    }
  });

  test("reopened by a person: a later close is guarded again (forced close cleared)", () => {
    const snap = snapshot({
      issue: issue({ labels: ["incident", "incident:needs-writeup"] }),
      comments: [status({ forcedClose: { by: "carol", reason: "dup", at: NOW.toISOString() } })],
    });
    expect(decide(snap, issueTrigger("reopened", issue()), NOW).status?.plan.state.forcedClose).toBeNull();
  });
});

describe("decide: commands", () => {
  const command = (
    commands: Extract<IncidentTrigger, { kind: "command" }>["commands"],
    extra: Partial<Extract<IncidentTrigger, { kind: "command" }>> = {},
  ): IncidentTrigger => ({
    kind: "command",
    issue: issue(),
    commands,
    errors: [],
    login: "bob",
    commentId: 5,
    commentAt: NOW.toISOString(),
    ...extra,
  });
  const labelled = issue({ labels: ["incident", "incident:needs-writeup"] });
  test.each<{ name: string; snap: IncidentSnapshot; trigger: IncidentTrigger; expected: object }>([
    {
      name: "no permission: one refusal, nothing changes",
      snap: snapshot({ issue: labelled, permission: "read" }),
      trigger: command([{ name: "sev", severity: 2 }]),
      expected: { ...NONE, messages: ["command-refused"] },
    },
    {
      name: "/close --force needs maintain even from a triager",
      snap: snapshot({ issue: labelled, permission: "triage" }),
      trigger: command([{ name: "close-force", reason: "dup" }]),
      expected: { ...NONE, messages: ["command-refused"] },
    },
    {
      name: "/close --force by a maintainer: closed, then the status",
      snap: snapshot({ issue: labelled, permission: "maintain", comments: [status()] }),
      trigger: command([{ name: "close-force", reason: "dup" }]),
      expected: { ...STATUS_ONLY, close: "forced" },
    },
    {
      name: "only junk: the errors reply",
      snap: snapshot({ issue: labelled, permission: "admin" }),
      trigger: command([], { errors: [{ line: "/sev 9", message: "1 to 5" }] }),
      expected: { ...NONE, messages: ["command-errors"] },
    },
    {
      name: "/incident on a plain issue: the incident label added",
      snap: snapshot({ issue: issue({ labels: [] }), permission: "triage" }),
      trigger: command([{ name: "incident" }]),
      expected: { ...STATUS_ONLY, add: ["incident", "incident:needs-writeup"] },
    },
    {
      name: "a command older than the newest applied for its dimension does not override it",
      snap: snapshot({
        issue: issue({ labels: ["incident", "sev:3", "incident:needs-writeup"] }),
        permission: "triage",
        comments: [status({ commandsAt: { severity: "2026-11-23T07:59:00.000Z" } })],
      }),
      trigger: command([{ name: "sev", severity: 2 }], { commentAt: "2026-11-23T07:00:00Z" }),
      expected: STATUS_ONLY,
    },
  ])("$name", ({ snap, trigger, expected }) => {
    expect(summary(decide(snap, trigger, NOW))).toEqual(expected);
  });
});

describe("decide: ticks", () => {
  const at = (hours: number): Date => new Date(new Date("2026-11-23T06:00:00Z").getTime() + hours * 3_600_000);
  test.each<{ name: string; now: Date; labels: string[]; expected: object }>([
    {
      name: "nothing owed yet: no effects at all",
      now: at(1),
      labels: ["incident", "incident:needs-writeup"],
      expected: NONE,
    },
    {
      name: "50 % of the investigation window: one reminder, recorded in the status",
      now: at(7),
      labels: ["incident", "incident:needs-writeup"],
      expected: { ...STATUS_ONLY, messages: ["reminder"] },
    },
    {
      name: "breach: the reminder and the breach label",
      now: at(13),
      labels: ["incident", "incident:needs-writeup"],
      expected: { ...STATUS_ONLY, add: ["sla:breached"], messages: ["reminder"] },
    },
    {
      name: "breach with the label already there: no label write",
      now: at(13),
      labels: ["incident", "incident:needs-writeup", "SLA:Breached"],
      expected: { ...STATUS_ONLY, messages: ["reminder"] },
    },
  ])("$name", ({ now, labels, expected }) => {
    const effects = decide(snapshot({ issue: issue({ labels }), comments: [status()] }), { kind: "tick" }, now);
    expect(summary(effects)).toEqual(expected);
    if (effects.status) expect(effects.status.plan.state.reminders.length).toBeGreaterThan(0);
  });
});

describe("decide: not-planned closes and the incident label removed (issue #10 item 10)", () => {
  const missing = issue({
    labels: ["incident", "category:core-bug", "sev:2", "devops:1", "incident:needs-writeup"],
    body: "Duplicate of #3.",
    state: "closed",
    stateReason: "not_planned",
    closedAt: NOW,
  });
  test("a not-planned close is accepted (no reopen, no write-up asked) and recorded", () => {
    const snap = snapshot({ issue: missing, comments: [status()] });
    const effects = decide(snap, issueTrigger("closed", missing), NOW);
    expect(summary(effects)).toEqual({ ...STATUS_ONLY, remove: ["incident:needs-writeup"] });
    expect(effects.status?.plan.state.notPlannedAt).toBe(NOW.toISOString());
  });
  test("with writeup.required_when_not_planned: true it is guarded like any close", () => {
    const config = configSchema.parse({ writeup: { required_when_not_planned: true } });
    const snap = snapshot({ issue: missing, comments: [status()], config: { ok: true, policies: policiesOf(config) } });
    const effects = decide(snap, issueTrigger("closed", missing), NOW);
    expect(effects.reopen).toBe(true);
    expect(effects.messages.map((m) => m.kind)).toEqual(["reopened"]);
  });

  const dropped = issue({
    labels: ["category:core-bug", "sev:2", "devops:1", "incident:needs-writeup", "sla:breached"],
  });
  test("the incident label removed: the app's own labels go, the status says it is no longer an incident", () => {
    const snap = snapshot({ issue: dropped, comments: [status({ classifiedAt: "2026-11-22T06:00:00.000Z" })] });
    const effects = decide(snap, issueTrigger("unlabeled", dropped, "incident"), NOW);
    expect(summary(effects)).toEqual({ ...STATUS_ONLY, remove: ["incident:needs-writeup", "sla:breached"] });
    expect(effects.status?.plan.state.droppedAt).toBe(NOW.toISOString());
  });
  test("without a status comment, removing the label does nothing", () => {
    const snap = snapshot({ issue: dropped });
    expect(summary(decide(snap, issueTrigger("unlabeled", dropped, "incident"), NOW))).toEqual(NONE);
  });
  test("the label back: the labels and the status are restored", () => {
    const back = issue({ labels: ["incident", "category:core-bug", "sev:2", "devops:1"] });
    const snap = snapshot({
      issue: back,
      comments: [status({ classifiedAt: "2026-11-22T06:00:00.000Z", droppedAt: "2026-11-23T07:00:00.000Z" })],
    });
    const effects = decide(snap, issueTrigger("labeled", back, "incident"), NOW);
    expect(summary(effects)).toEqual({ ...STATUS_ONLY, add: ["sla:breached", "incident:needs-writeup"] });
    expect(effects.status?.plan.state.droppedAt).toBeUndefined();
  });
});

describe("status comment: not planned, no longer an incident (issue #10 item 10)", () => {
  test("the words say so, and no live breach is shown", async () => {
    const { renderStatusComment } = await import("../../src/render/status-comment.js");
    const dropped = issue({ labels: ["category:core-bug", "sev:2", "devops:1", "sla:breached"] });
    const snap = snapshot({ issue: dropped, comments: [status({ classifiedAt: "2026-11-22T06:00:00.000Z" })] });
    const effects = decide(snap, issueTrigger("unlabeled", dropped, "incident"), NOW);
    const body = renderStatusComment({ plan: effects.status!.plan, policies: policiesOf(CONFIG), now: NOW }).body;
    expect(body).toContain("**No longer an incident** since 2026-11-23 08:00 UTC");
    expect(body).not.toContain("breached");
    const closed = issue({
      ...dropped,
      labels: ["incident"],
      state: "closed",
      stateReason: "not_planned",
      closedAt: NOW,
    });
    const closing = decide(snapshot({ issue: closed, comments: [status()] }), issueTrigger("closed", closed), NOW);
    expect(renderStatusComment({ plan: closing.status!.plan, policies: policiesOf(CONFIG), now: NOW }).body).toContain(
      "**Closed as not planned** on 2026-11-23 08:00 UTC",
    );
  });
});

describe("more than 100 actions (issue #10 item 8)", () => {
  const refs = Array.from({ length: 103 }, (_, i) => `- [x] #${i + 1} step ${i + 1}`);
  const closedState = (n: number): [string, RemoteState] => [
    `acme/api#${n}`,
    { found: true, kind: "issue", state: "closed", stateReason: "completed", title: `step ${n}` },
  ];
  const many = issue({
    labels: ["incident", "category:core-bug", "sev:2", "devops:1"],
    body: WRITEUP(refs),
    state: "closed",
    closedAt: NOW,
  });
  test("actions beyond the first 100 do not block a close, and the status says the limit", async () => {
    const snap = snapshot({
      issue: many,
      comments: [status()],
      actions: Array.from({ length: 100 }, (_, i) => closedState(i + 1)),
    });
    const effects = decide(snap, issueTrigger("closed", many), NOW);
    expect(effects.reopen).toBe(false);
    const untracked = effects.status!.writeup.actions.filter((a) => a.state === "untracked").map((a) => a.key);
    expect(untracked).toEqual(["acme/api#101", "acme/api#102", "acme/api#103"]);
    const { renderStatusComment } = await import("../../src/render/status-comment.js");
    const { statusExtras } = await import("../../src/render/messages.js");
    const body = renderStatusComment({
      plan: effects.status!.plan,
      policies: policiesOf(CONFIG),
      extras: statusExtras(effects.status!.writeup, REPO),
      now: NOW,
    }).body;
    expect(body).toContain("only the first 100 referenced actions are followed");
  });
  test("an open action within the first 100 still blocks", () => {
    const actions = Array.from({ length: 100 }, (_, i) => closedState(i + 1));
    actions[4] = ["acme/api#5", { found: true, kind: "issue", state: "open", stateReason: null, title: "step 5" }];
    const effects = decide(snapshot({ issue: many, comments: [status()], actions }), issueTrigger("closed", many), NOW);
    expect(effects.reopen).toBe(true);
  });
});

describe("actions the app cannot see, ticked by a person (issue #10 item 9)", () => {
  const body = WRITEUP(["- [ ] other/secret#4 rotate keys"]);
  const unseen: [string, RemoteState] = ["other/secret#4", { found: false }];
  const base = issue({ labels: ["incident", "category:core-bug", "sev:2", "devops:1"], body });
  const trigger = (login: string): IncidentTrigger => ({
    kind: "command",
    issue: base,
    commands: [{ name: "action-done", ref: "other/secret#4" }],
    errors: [],
    login,
    commentId: 5,
    commentAt: NOW.toISOString(),
  });
  test("/action done by a triager: recorded as ticked by them, its box ticked, the incident complete", () => {
    const snap = snapshot({ issue: base, permission: "triage", comments: [status()], actions: [unseen] });
    const effects = decide(snap, trigger("bob"), NOW);
    expect(summary(effects)).toEqual({
      ...STATUS_ONLY,
      checks: ["other/secret#4=done"],
      messages: ["writeup-complete"],
    });
    expect(effects.status?.plan.state.manualTicks).toEqual({ "other/secret#4": { by: "bob", at: NOW.toISOString() } });
    const action = effects.status?.writeup.actions[0];
    expect([action?.state, action?.done, action?.by]).toEqual(["ticked-by-hand", true, "bob"]);
  });
  test("without the commands permission: refused", () => {
    const snap = snapshot({ issue: base, permission: "read", comments: [status()], actions: [unseen] });
    expect(summary(decide(snap, trigger("eve"), NOW))).toEqual({ ...NONE, messages: ["command-refused"] });
  });
  test("a recorded hand tick keeps the action done on later events; the status shows who", async () => {
    const ticked = issue({ ...base, body: WRITEUP(["- [x] other/secret#4 rotate keys"]) });
    const snap = snapshot({
      issue: ticked,
      comments: [status({ manualTicks: { "other/secret#4": { by: "bob", at: NOW.toISOString() } } })],
      actions: [unseen],
    });
    const effects = decide(snap, issueTrigger("edited", ticked), NOW);
    const { statusExtras } = await import("../../src/render/messages.js");
    expect(statusExtras(effects.status!.writeup, REPO).actions?.[0]?.state).toBe("done (ticked by @bob)");
  });
});

describe("decide: alert notifications", () => {
  const raw = (
    status: "firing" | "resolved",
    instances: string[],
    startsAt = "2026-11-23T07:50:00Z",
  ): AlertNotification => {
    const parsed = parseAlertNotification("alertmanager", {
      version: "4",
      groupKey: "g",
      status,
      receiver: "r",
      groupLabels: {},
      commonLabels: { alertname: "HighErrorRate" },
      commonAnnotations: {},
      externalURL: "",
      alerts: instances.map((instance) => ({
        status,
        labels: { alertname: "HighErrorRate", instance },
        annotations: {},
        startsAt,
        endsAt: status === "resolved" ? "2026-11-23T07:59:00Z" : "0001-01-01T00:00:00Z",
        fingerprint: `fp${instance}`.padEnd(16, "0"),
      })),
    });
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.value;
  };
  const token = groupToken("alertmanager", "g");
  const trigger = (notification: AlertNotification, filed: AlertGroupState | null = null): IncidentTrigger => ({
    kind: "alert",
    notification,
    token,
    filed,
  });
  const filedState = (notification: AlertNotification, resolve = false): AlertGroupState => {
    const d = decideAlert({
      notification,
      token,
      incident: null,
      policy: { ...policiesOf(CONFIG).alerts, resolveIncident: resolve },
      now: NOW,
    });
    if (d.kind !== "file") throw new Error("expected file");
    return d.state;
  };
  const firing = raw("firing", ["a"]);
  const alertConfig = (resolve: boolean): IncidentSnapshot["config"] => ({
    ok: true,
    policies: policiesOf({ ...CONFIG, alerts: { ...CONFIG.alerts, resolve_incident: resolve } }),
  });

  test.each([
    {
      name: "just filed: the status comment with the group's state",
      comments: [] as OwnComment[],
      n: firing,
      filed: filedState(firing),
      expected: STATUS_ONLY,
    },
    {
      name: "a repeat: nothing at all",
      comments: [status({ alert: filedState(firing) })],
      n: firing,
      filed: null,
      expected: NONE,
    },
    {
      name: "a second alert joins: the status comment",
      comments: [status({ alert: filedState(firing) })],
      n: raw("firing", ["a", "b"]),
      filed: null,
      expected: STATUS_ONLY,
    },
    {
      name: "the group resolves: the status comment",
      comments: [status({ alert: filedState(firing) })],
      n: raw("resolved", ["a"]),
      filed: null,
      expected: STATUS_ONLY,
    },
  ])("$name", ({ comments, n, filed, expected }) => {
    // Filed with the incident and write-up labels (its sections are placeholders).
    const filedIssue = issue({ labels: ["incident", "incident:needs-writeup"] });
    expect(summary(decide(snapshot({ issue: filedIssue, comments }), trigger(n, filed), NOW))).toEqual(expected);
  });

  test("the investigation window starts at the alert; a resolution is recorded, a re-fire undoes it", () => {
    const filed = decide(snapshot(), trigger(firing, filedState(firing)), NOW);
    expect(filed.status?.plan.sla.investigation.deadline?.toISOString()).toBe("2026-11-23T19:50:00.000Z");
    const resolved = decide(
      snapshot({ comments: [status({ alert: filedState(firing) })], config: alertConfig(true) }),
      trigger(raw("resolved", ["a"])),
      NOW,
    );
    expect(resolved.status?.plan.state).toMatchObject({
      resolvedAt: NOW.toISOString(),
      alert: { firing: false, resolvedIncident: true },
    });
    const refire = decide(
      snapshot({ comments: [status(resolved.status!.plan.state)], config: alertConfig(true) }),
      trigger(raw("firing", ["a"], "2026-11-23T07:59:30Z")),
      NOW,
    );
    expect(refire.status?.plan.state).toMatchObject({
      resolvedAt: null,
      alert: { firing: true, resolvedIncident: false },
    });
  });
});
