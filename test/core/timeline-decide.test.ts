/** What each trigger writes on the incident's timeline (issue #14): a table of cases, fixed clock. */
import { describe, expect, test } from "@jest/globals";
import { newInEdit, parseCommands } from "../../src/core/commands.js";
import { decide } from "../../src/core/decide.js";
import type { IncidentIssue } from "../../src/core/incident.js";
import { previousState, threadOf, type IncidentSnapshot, type OwnComment } from "../../src/core/snapshot.js";
import { EMPTY_STATE, encodeState, STATUS_MARKER, type StatusState } from "../../src/core/status-state.js";
import type { IncidentTrigger } from "../../src/core/trigger.js";
import type { TimelineEntry } from "../../src/core/timeline.js";
import { bodySeal, sealBlock, TIMELINE_BLOCK_END, TIMELINE_BLOCK_START } from "../../src/core/timeline-write.js";
import { configSchema } from "../../src/config/schema.js";
import { incidentIssue } from "../support/incident-fixtures.js";
import { policiesOf } from "../../src/config/policies.js";

const NOW = new Date("2026-11-23T08:00:00Z");
const CONFIG = configSchema.parse({});
const BERLIN = configSchema.parse({ sla: { calendar: { time_zone: "Europe/Berlin" } } });

const issue = (overrides: Partial<IncidentIssue> = {}): IncidentIssue =>
  incidentIssue({ updatedAt: new Date("2026-11-23T07:30:00Z"), ...overrides });

function snapshot(args: {
  issue?: IncidentIssue;
  state?: Partial<StatusState> | null;
  config?: typeof CONFIG;
  permission?: IncidentSnapshot["permission"];
}): IncidentSnapshot {
  const comments: OwnComment[] =
    args.state === null
      ? []
      : [{ id: 900, body: `${STATUS_MARKER}\n${encodeState({ ...EMPTY_STATE, ...(args.state ?? {}) })}` }];
  const thread = threadOf(comments);
  return {
    repo: { owner: "acme", repo: "api" },
    issue: args.issue ?? issue(),
    fresh: false,
    thread,
    previous: previousState(thread),
    config: { ok: true, policies: policiesOf(args.config ?? CONFIG) },
    actions: new Map(),
    permission: args.permission ?? "write",
  };
}

function command(
  body: string,
  overrides: Partial<Extract<IncidentTrigger, { kind: "command" }>> = {},
): IncidentTrigger {
  const parsed = parseCommands(body);
  return {
    kind: "command",
    issue: issue(),
    commands: parsed.commands,
    errors: parsed.errors,
    login: "octocat",
    commentId: 42,
    commentAt: "2026-11-23T07:45:00Z",
    ...overrides,
  };
}

const entriesOf = (snap: IncidentSnapshot, trigger: IncidentTrigger): Array<Partial<TimelineEntry>> =>
  (decide(snap, trigger, NOW).status?.plan.state.timeline?.entries ?? []).map(
    ({ at, kind, text, by, tag, comment }) => ({
      at,
      kind,
      text,
      ...(by ? { by } : {}),
      ...(tag ? { tag } : {}),
      ...(comment ? { comment } : {}),
    }),
  );

const existing: TimelineEntry[] = [{ at: "2026-11-23T06:00:00.000Z", kind: "event", text: "Issue opened" }];

describe("the timeline per trigger", () => {
  const cases: Array<[string, IncidentSnapshot, IncidentTrigger, Array<Partial<TimelineEntry>>]> = [
    [
      "the app's first look: the opening",
      snapshot({ state: null }),
      { kind: "issue", action: "opened", issue: issue(), changedLabel: null },
      [{ at: "2026-11-23T06:00:00.000Z", kind: "event", text: "Issue opened" }],
    ],
    [
      "a note at the comment's time, by its author",
      snapshot({ state: { timeline: { entries: existing, compacted: 0 } } }),
      command("/timeline DNS record rolled back"),
      [
        existing[0]!,
        { at: "2026-11-23T07:45:00.000Z", kind: "note", text: "DNS record rolled back", by: "octocat", comment: 42 },
      ],
    ],
    [
      "a tagged note with a time in the calendar's zone",
      snapshot({ state: { timeline: { entries: existing, compacted: 0 } }, config: BERLIN }),
      command("/timeline --detected 08:30 alert fired"),
      [
        existing[0]!,
        {
          at: "2026-11-23T07:30:00.000Z",
          kind: "note",
          text: "alert fired",
          by: "octocat",
          tag: "detected",
          comment: 42,
        },
      ],
    ],
    [
      "a command's classification, by who said it, at the comment's time",
      snapshot({ state: { timeline: { entries: existing, compacted: 0 } } }),
      command("/sev 2"),
      [existing[0]!, { at: "2026-11-23T07:45:00.000Z", kind: "event", text: "Severity: Sev 2", by: "octocat" }],
    ],
    [
      "a close at GitHub's closed_at, then the app's reopen",
      snapshot({
        issue: issue({
          state: "closed",
          closedAt: new Date("2026-11-23T07:50:00Z"),
          labels: ["incident", "category:core-bug", "sev:3", "devops:2"],
        }),
        state: { timeline: { entries: existing, compacted: 0 } },
      }),
      {
        kind: "issue",
        action: "closed",
        issue: issue({ state: "closed", closedAt: new Date("2026-11-23T07:50:00Z") }),
        changedLabel: null,
        actor: "alice",
      },
      [
        existing[0]!,
        // Not "Resolved": the close guard undid the close. The reopen is dated by the close it answers.
        { at: "2026-11-23T07:50:00.000Z", kind: "event", text: "Closed", by: "alice" },
        {
          at: "2026-11-23T07:50:00.000Z",
          kind: "event",
          text: "Reopened by incident-keeper: the write-up or actions are not done",
        },
      ],
    ],
    [
      "a redelivered note is not added twice",
      snapshot({
        state: {
          timeline: {
            entries: [
              ...existing,
              { at: "2026-11-23T07:45:00.000Z", kind: "note", text: "x", by: "octocat", comment: 42 },
            ],
            compacted: 0,
          },
        },
      }),
      command("/timeline x"),
      [existing[0]!, { at: "2026-11-23T07:45:00.000Z", kind: "note", text: "x", by: "octocat", comment: 42 }],
    ],
    [
      "an edited note comment",
      snapshot({
        state: {
          timeline: {
            entries: [
              ...existing,
              { at: "2026-11-23T07:45:00.000Z", kind: "note", text: "x", by: "octocat", comment: 42 },
            ],
            compacted: 0,
          },
        },
      }),
      {
        kind: "timeline-note",
        commentId: 42,
        body: "/timeline 07:00 y",
        login: "octocat",
        commentAt: "2026-11-23T07:45:00Z",
      },
      [existing[0]!, { at: "2026-11-23T07:00:00.000Z", kind: "note", text: "y", by: "octocat", comment: 42 }],
    ],
    [
      "a deleted note comment",
      snapshot({
        state: {
          timeline: {
            entries: [
              ...existing,
              { at: "2026-11-23T07:45:00.000Z", kind: "note", text: "x", by: "octocat", comment: 42, tag: "start" },
            ],
            compacted: 0,
          },
          tags: { start: "2026-11-23T07:45:00.000Z" },
        },
      }),
      { kind: "timeline-note", commentId: 42, body: null, login: "octocat", commentAt: "2026-11-23T07:45:00Z" },
      [existing[0]!],
    ],
  ];
  test.each(cases)("%s", (_name, snap, trigger, expected) => {
    expect(entriesOf(snap, trigger)).toEqual(expected);
  });

  test("a label event already recorded adds nothing (a delivery already reflected writes nothing)", () => {
    // Label changes are recorded since issue #14's timeline2 (keyed by label and GitHub's time, see
    // test/core/timeline-github.test.ts); the delivery that recorded one, sent again, adds nothing.
    const trigger: IncidentTrigger = {
      kind: "issue",
      action: "labeled",
      issue: issue({ labels: ["incident", "sev:2"] }),
      changedLabel: "sev:2",
      actor: "bob",
    };
    const recorded: TimelineEntry = {
      at: "2026-11-23T07:30:00.000Z",
      kind: "event",
      text: "Severity set to Sev 2 (label sev:2)",
      by: "bob",
      key: "label:+:sev:2:2026-11-23T07:30:00.000Z",
    };
    const effects = decide(
      snapshot({
        issue: issue({ labels: ["incident", "sev:2"] }),
        state: { timeline: { entries: [...existing, recorded], compacted: 0 } },
      }),
      trigger,
      NOW,
    );
    expect(effects.status?.plan.state.timeline?.entries).toEqual([...existing, recorded]);
  });

  test("tags fill the metrics' shape; a deleted tagged note takes its tag away", () => {
    const tagged = decide(
      snapshot({}),
      command("/timeline --start 07:00 deploy\n/timeline --mitigated 07:40 rolled back"),
      NOW,
    );
    expect(tagged.status?.plan.state.tags).toEqual({
      start: "2026-11-23T07:00:00.000Z",
      mitigated: "2026-11-23T07:40:00.000Z",
    });
    const state = tagged.status!.plan.state;
    const removed = decide(
      snapshot({ state }),
      { kind: "timeline-note", commentId: 42, body: null, login: "octocat", commentAt: "2026-11-23T07:45:00Z" },
      NOW,
    );
    expect(removed.status?.plan.state.tags).toBeUndefined();
  });

  test("an edit of a comment that made no note does nothing", () => {
    const effects = decide(
      snapshot({}),
      { kind: "timeline-note", commentId: 5, body: "/timeline x", login: "o", commentAt: "2026-11-23T07:45:00Z" },
      NOW,
    );
    expect(effects.status).toBeNull();
  });

  test("a time after the comment is answered, not recorded", () => {
    const effects = decide(snapshot({}), command("/timeline 2026-11-24 10:00 future"), NOW);
    expect(effects.messages.map((m) => m.kind)).toEqual(["command-errors"]);
    expect(effects.status?.plan.state.timeline?.entries.filter((e) => e.kind === "note")).toEqual([]);
  });

  test("--write: the lines where nobody wrote the section, one reply where people did", () => {
    const state = { timeline: { entries: existing, compacted: 0 } };
    const empty = decide(
      snapshot({ issue: issue({ body: "### Timeline\n\n_No response_\n" }), state }),
      command("/timeline --write"),
      NOW,
    );
    expect(empty.timelineWrite?.lines.length).toBeGreaterThan(0);
    expect(empty.messages).toEqual([]);
    const written = decide(
      snapshot({ issue: issue({ body: "### Timeline\n\n- 09:00 we saw it\n" }) }),
      command("/timeline --write"),
      NOW,
    );
    expect(written.timelineWrite).toBeUndefined();
    expect(written.messages.map((m) => m.kind)).toEqual(["timeline-not-written"]);
  });

  test("--write: a block whose seal was removed or altered is people's when the hidden state knows the seal", () => {
    const block = sealBlock("- 2026-11-23 07:00 UTC: Issue opened");
    const seal = bodySeal(`${TIMELINE_BLOCK_START}\n${block}\n${TIMELINE_BLOCK_END}`)!;
    const bodyWith = (inner: string): string =>
      `### Timeline\n\n${TIMELINE_BLOCK_START}\n${inner}\n${TIMELINE_BLOCK_END}\n`;
    const unsealed = bodyWith(block.replace(/\n<!-- incident-keeper:timeline-seal .* -->/, ""));
    const resealed = bodyWith(sealBlock("- 2026-11-23 07:00 UTC: Issue opened, paged Dana"));
    const cases: Array<[string, string, Partial<StatusState>, boolean]> = [
      ["the app's block, its seal known", bodyWith(block), { timelineSeal: seal }, true],
      ["the seal removed, the state knows it", unsealed, { timelineSeal: seal }, false],
      ["text edited and resealed by a person", resealed, { timelineSeal: seal }, false],
      ["the seal removed, a state from before seals were kept", unsealed, {}, true],
    ];
    for (const [name, body, state, written] of cases) {
      const effects = decide(snapshot({ issue: issue({ body }), state }), command("/timeline --write"), NOW);
      expect([name, effects.timelineWrite !== undefined]).toEqual([name, written]);
      expect([name, effects.messages.map((m) => m.kind)]).toEqual([name, written ? [] : ["timeline-not-written"]]);
      // The seal stays in the hidden state (the applier records a new one when it writes).
      expect([name, effects.status?.plan.state.timelineSeal]).toEqual([name, state.timelineSeal]);
    }
  });

  test("--write fills the last missing section: the write-up is judged on the body it leaves", () => {
    const body = "### Timeline\n\n_No response_\n\n### RCA\n\nA bad push.\n\n### Actions\n\n- [ ] write a test\n";
    const labels = ["incident", "incident:needs-writeup", "category:core-bug", "sev:3", "devops:2"];
    const state = { timeline: { entries: existing, compacted: 0 } };
    const write = decide(snapshot({ issue: issue({ body, labels }), state }), command("/timeline --write"), NOW);
    expect(write.timelineWrite).toBeDefined();
    expect(write.removeLabels).toContain("incident:needs-writeup");
    expect(write.status?.writeup.sectionsOk).toBe(true);
    // A note alone writes nothing: the placeholder still counts as missing.
    const note = decide(snapshot({ issue: issue({ body, labels }), state }), command("/timeline x"), NOW);
    expect(note.removeLabels).not.toContain("incident:needs-writeup");
  });

  test("a stranger's /timeline is refused and records nothing", () => {
    const effects = decide(snapshot({ permission: "read" }), command("/timeline x"), NOW);
    expect(effects.messages.map((m) => m.kind)).toEqual(["command-refused"]);
    expect(effects.status).toBeNull();
  });
});

/**
 * A note comment created, edited twice and maybe deleted, its deliveries in any order (issue #14):
 * the notes follow the newest version by the comment's `updated_at`, and a deletion wins over any
 * edit and over the creation delivered after it. An edit delivers two triggers, as the handlers
 * build them: the command trigger of its new commands and the `timeline-note` trigger of its text.
 */
describe("a note comment's edits and deletion, delivered out of order", () => {
  const at = (minute: number): string => new Date(Date.UTC(2026, 10, 23, 7, minute)).toISOString();
  const created = command("/timeline 06:00 a", { commentAt: at(10) });
  const edit = (text: string, minute: number, from: string): IncidentTrigger[] => {
    const parsed = newInEdit(`/timeline 06:00 ${from}`, `/timeline 06:00 ${text}`);
    const body = `/timeline 06:00 ${text}`;
    return [
      command(body, {
        commands: parsed.commands,
        errors: parsed.errors,
        commentAt: at(minute),
        edit: { createdAt: at(10) },
      }),
      { kind: "timeline-note", commentId: 42, body, login: "octocat", commentAt: at(10), updatedAt: at(minute) },
    ];
  };
  const [edit1Command, edit1Note] = edit("b", 20, "a");
  const [edit2Command, edit2Note] = edit("c", 30, "b");
  const deleted: IncidentTrigger = {
    kind: "timeline-note",
    commentId: 42,
    body: null,
    login: "octocat",
    commentAt: at(10),
    updatedAt: at(30),
  };
  const play = (triggers: IncidentTrigger[]): string[] => {
    let state: StatusState | null = null;
    for (const trigger of triggers) {
      const effects = decide(
        snapshot({ state: state ?? { timeline: { entries: existing, compacted: 0 } } }),
        trigger,
        NOW,
      );
      if (effects.status) state = effects.status.plan.state;
    }
    return (state?.timeline?.entries ?? [])
      .filter((e) => e.kind === "note")
      .map((e) => `${e.at.slice(11, 16)} ${e.text}`);
  };
  const all = [created, edit1Command!, edit1Note!, edit2Command!, edit2Note!];
  test.each<[string, IncidentTrigger[], string[]]>([
    ["in order: the newest edit", all, ["06:00 c"]],
    [
      "the newest edit first, then the older one and the creation",
      [edit2Note!, edit2Command!, edit1Command!, edit1Note!, created],
      ["06:00 c"],
    ],
    [
      "the creation, the newest edit, then the older edit",
      [created, edit2Command!, edit2Note!, edit1Note!, edit1Command!],
      ["06:00 c"],
    ],
    [
      "each edit's two triggers the other way round",
      [created, edit1Note!, edit1Command!, edit2Note!, edit2Command!],
      ["06:00 c"],
    ],
    ["deleted, then an older edit delivered late", [created, edit1Command!, deleted, edit2Note!, edit1Note!], []],
    ["the deletion before everything (the creation too)", [deleted, ...all], []],
    ["the deletion in the middle", [edit1Note!, created, deleted, edit2Command!, edit1Command!, edit2Note!], []],
  ])("%s", (_name, order, expected) => {
    expect(play(order)).toEqual(expected);
    // Redelivered: the same.
    expect(play([...order, ...order])).toEqual(expected);
  });
});
