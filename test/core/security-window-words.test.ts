/**
 * A security incident's investigation window is its acknowledge window, and reads so wherever it is
 * named (issue #14): the status comment's row, the reminders, the dashboard. However the incident
 * became one: moved, filed or labelled in `security.repository`, labelled where the move was refused.
 */
import { describe, expect, test } from "@jest/globals";
import { decide } from "../../src/core/decide.js";
import type { IncidentIssue } from "../../src/core/incident.js";
import { windowWords } from "../../src/core/security.js";
import { previousState, threadOf, type IncidentSnapshot, type OwnComment } from "../../src/core/snapshot.js";
import { EMPTY_STATE, encodeState, STATUS_MARKER, type StatusState } from "../../src/core/status-state.js";
import type { IncidentTrigger } from "../../src/core/trigger.js";
import { policiesOf } from "../../src/config/policies.js";
import { configSchema } from "../../src/config/schema.js";
import { dashboardEntry } from "../../src/dashboard/entry.js";
import { dashboardView } from "../../src/http/dashboard.js";
import { renderMessage } from "../../src/render/messages.js";
import { renderStatusComment } from "../../src/render/status-comment.js";
import { incidentIssue } from "../support/incident-fixtures.js";

const NOW = new Date("2026-11-23T08:00:00Z");
const API = { owner: "acme", repo: "api" };
const VAULT = { owner: "acme", repo: "security" };
const POLICIES = policiesOf(
  configSchema.parse({ security: { repository: "acme/security" }, teams: { security: "@acme/security-team" } }),
);
const SECURE = ["incident", "incident:security"];
const MOVED = { security: { from: "acme/api#7", movedAt: "2026-11-23T07:20:00Z" } };

function status(state: Partial<StatusState>): OwnComment {
  return { id: 900, body: `${STATUS_MARKER}\n(old)\n${encodeState({ ...EMPTY_STATE, ...state })}` };
}

function snapshot(repo: typeof API, issue: IncidentIssue, comments: OwnComment[]): IncidentSnapshot {
  const thread = threadOf(comments);
  return {
    repo,
    issue,
    fresh: false,
    thread,
    previous: previousState(thread),
    config: { ok: true, policies: POLICIES },
    actions: new Map(),
    permission: "triage",
  };
}

/** The status comment's SLA rows, as the applier renders them. */
function rows(effects: ReturnType<typeof decide>): string[] {
  const plan = effects.status?.plan;
  if (!plan) return [];
  const { body } = renderStatusComment({ plan, policies: POLICIES, now: NOW });
  return body.split("\n").flatMap((line) => (/^\| (Investigate|Acknowledge|Resolve)/.test(line) ? [line] : []));
}

describe("windowWords", () => {
  test.each([
    {
      window: "investigation" as const,
      security: false,
      title: "Investigate & classify",
      noun: "investigation & classification",
    },
    {
      window: "investigation" as const,
      security: true,
      title: "Acknowledge & classify",
      noun: "acknowledgement & classification",
    },
    { window: "resolution" as const, security: false, title: "Resolve", noun: "resolution" },
    { window: "resolution" as const, security: true, title: "Resolve", noun: "resolution" },
  ])("$window, security $security: $title", ({ window, security, title, noun }) => {
    expect(windowWords(window, security)).toEqual({ title, noun });
  });
});

describe("the status comment's row: one wording for every security incident", () => {
  const opened = (labels: string[]): IncidentTrigger => ({
    kind: "issue",
    action: "opened",
    issue: incidentIssue({ labels }),
    changedLabel: null,
  });
  const edited = (labels: string[]): IncidentTrigger => ({
    kind: "issue",
    action: "edited",
    issue: incidentIssue({ labels }),
    changedLabel: null,
  });
  const cases: Array<{ name: string; snapshot: IncidentSnapshot; trigger: IncidentTrigger; row: string }> = [
    {
      name: "filed in the security repository with the label (no move, no security state)",
      snapshot: snapshot(VAULT, incidentIssue({ labels: SECURE }), []),
      trigger: opened(SECURE),
      row: "Acknowledge & classify (1 hour)",
    },
    {
      name: "labelled there later (an edit event)",
      snapshot: snapshot(VAULT, incidentIssue({ labels: SECURE }), [status({ incidentAt: "2026-11-23T07:30:00Z" })]),
      trigger: edited(SECURE),
      row: "Acknowledge & classify (1 hour)",
    },
    {
      name: "moved there (the security-moved trigger)",
      snapshot: snapshot(VAULT, incidentIssue({ labels: ["incident"] }), [
        status({ incidentAt: "2026-11-23T07:30:00Z" }),
      ]),
      trigger: { kind: "security-moved", from: "acme/api#7", movedAt: MOVED.security.movedAt, mentions: [] },
      row: "Acknowledge & classify (1 hour)",
    },
    {
      name: "moved earlier, a later event there",
      snapshot: snapshot(VAULT, incidentIssue({ labels: SECURE }), [
        status({ incidentAt: "2026-11-23T07:30:00Z", ...MOVED }),
      ]),
      trigger: edited(SECURE),
      row: "Acknowledge & classify (1 hour)",
    },
    {
      name: "labelled in the public repository, the move refused (it still runs the security windows)",
      snapshot: snapshot(API, incidentIssue({ labels: SECURE }), [
        status({ incidentAt: "2026-11-23T07:30:00Z", securityNotMoved: { reason: "public", at: NOW.toISOString() } }),
      ]),
      trigger: edited(SECURE),
      row: "Acknowledge & classify (1 hour)",
    },
    {
      name: "a plain incident: the investigation wording and window",
      snapshot: snapshot(API, incidentIssue({ labels: ["incident"] }), [
        status({ incidentAt: "2026-11-23T07:30:00Z" }),
      ]),
      trigger: edited(["incident"]),
      row: "Investigate & classify (12 hours)",
    },
  ];
  test.each(cases)("$name", ({ snapshot: snap, trigger, row }) => {
    const found = rows(decide(snap, trigger, NOW));
    expect(found[0]).toMatch(new RegExp(`^\\| ${row.replace(/[()]/g, "\\$&")} \\|`));
    expect(found[1]).toMatch(/^\| Resolve/);
  });
});

describe("reminders and the dashboard name the window as the status comment does", () => {
  // 1 hour to acknowledge from 07:20: its 50 % reminder is owed at 08:00; 12 hours from 01:00 likewise.
  const cases = [
    {
      name: "filed in the security repository",
      repo: VAULT,
      labels: SECURE,
      state: { incidentAt: "2026-11-23T07:20:00Z" },
      noun: "acknowledgement & classification",
      cell: "Acknowledge & classify",
      entry: "Reminder: 50 % of the acknowledgement window used",
    },
    {
      name: "moved there",
      repo: VAULT,
      labels: SECURE,
      state: { incidentAt: "2026-11-23T07:20:00Z", ...MOVED },
      noun: "acknowledgement & classification",
      cell: "Acknowledge & classify",
      entry: "Reminder: 50 % of the acknowledgement window used",
    },
    {
      name: "a plain incident",
      repo: API,
      labels: ["incident"],
      state: { incidentAt: "2026-11-23T01:00:00Z" },
      noun: "investigation & classification",
      cell: null,
      entry: "Reminder: 50 % of the investigation window used",
    },
  ];
  test.each(cases)("$name", ({ repo, labels, state, noun, cell, entry: timelineText }) => {
    const issue = incidentIssue({ labels, createdAt: new Date(state.incidentAt) });
    const effects = decide(snapshot(repo, issue, [status(state)]), { kind: "tick" }, NOW);
    const reminders = effects.messages.filter((m) => m.kind === "reminder");
    expect(reminders).toHaveLength(1);
    const text = renderMessage(reminders[0]!, { policies: POLICIES, repo, now: NOW });
    expect(text).toContain(`SLA reminder: ${noun} due`);
    expect(text).toContain(`The **${noun}** deadline`);
    // The timeline's entry for the reminder names the window the same way.
    const texts = (effects.status?.plan.state.timeline?.entries ?? []).map((e) => e.text);
    expect(texts.filter((t) => t.startsWith("Reminder:"))).toEqual([timelineText]);

    const entry = dashboardEntry({
      installationId: 1,
      repository: `${repo.owner}/${repo.repo}`,
      issue,
      policies: POLICIES,
      state: { ...EMPTY_STATE, ...state },
      now: NOW,
    });
    const view = dashboardView([entry], NOW, "https://github.com", null) as {
      groups: Array<{ entries: Array<{ windows: Array<{ window: string | null }> }> }>;
    };
    expect(view.groups[0]!.entries[0]!.windows.map((w) => w.window)).toEqual([cell, null]);
  });
});
