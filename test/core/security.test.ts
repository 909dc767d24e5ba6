/**
 * Security incidents (issue #14) as tables of cases with a fixed clock: when the incident moves,
 * when it is refused (one note per reason, nothing else), the security SLA windows, and a repeated
 * trigger doing nothing twice.
 */
import { describe, expect, test } from "@jest/globals";
import { parseCommands } from "../../src/core/commands.js";
import { decide } from "../../src/core/decide.js";
import type { IncidentEffects } from "../../src/core/effects.js";
import type { IncidentIssue } from "../../src/core/incident.js";
import { reminderHorizon } from "../../src/core/reminder-horizon.js";
import {
  notMovedMarker,
  redactSecurityIncidents,
  SECURITY_TEAM_MARKER,
  securityPolicies,
  wantsMove,
  WITHHELD_TITLE,
  type SecurityTarget,
} from "../../src/core/security.js";
import { previousState, threadOf, type IncidentSnapshot, type OwnComment } from "../../src/core/snapshot.js";
import { EMPTY_STATE, encodeState, STATUS_MARKER, type StatusState } from "../../src/core/status-state.js";
import type { IncidentTrigger } from "../../src/core/trigger.js";
import { policiesOf } from "../../src/config/policies.js";
import { configSchema } from "../../src/config/schema.js";
import { incidentIssue } from "../support/incident-fixtures.js";

const NOW = new Date("2026-11-23T08:00:00Z");
const REPO = { owner: "acme", repo: "api" };
const CONFIG = configSchema.parse({
  security: { repository: "acme/security" },
  teams: { security: "@acme/security-team" },
});
const POLICIES = policiesOf(CONFIG);
const TARGET: SecurityTarget = {
  repository: "acme/security",
  repositoryId: "R_security",
  isPrivate: true,
  issueId: "I_7",
};

function status(state: Partial<StatusState> = {}): OwnComment {
  return { id: 900, body: `${STATUS_MARKER}\n(old)\n${encodeState({ ...EMPTY_STATE, ...state })}` };
}

function snapshot(args: {
  issue?: IncidentIssue;
  comments?: OwnComment[];
  security?: SecurityTarget | null;
  permission?: IncidentSnapshot["permission"];
  config?: typeof CONFIG;
  repo?: { owner: string; repo: string };
}): IncidentSnapshot {
  const thread = threadOf(args.comments ?? [status({ incidentAt: "2026-11-23T07:00:00Z" })]);
  return {
    repo: args.repo ?? REPO,
    issue: args.issue ?? incidentIssue(),
    fresh: false,
    thread,
    previous: previousState(thread),
    config: { ok: true, policies: policiesOf(args.config ?? CONFIG) },
    actions: new Map(),
    permission: args.permission ?? "triage",
    ...(args.security !== undefined ? { security: args.security } : {}),
  };
}

function command(body: string, login = "tri"): IncidentTrigger {
  const { commands, errors } = parseCommands(body);
  return {
    kind: "command",
    issue: incidentIssue(),
    commands,
    errors,
    login,
    commentId: 55,
    commentAt: NOW.toISOString(),
  };
}

const labeled = (label: string, labels = ["incident", label]): IncidentTrigger => ({
  kind: "issue",
  action: "labeled",
  issue: incidentIssue({ labels }),
  changedLabel: label,
});

/** What the effects say about the move: transferred, which note, the state recorded. */
function outcome(effects: IncidentEffects): object {
  return {
    transfer: effects.transfer ? `${effects.transfer.from} -> ${effects.transfer.repository}` : null,
    messages: effects.messages.map((m) => (m.kind === "security-not-moved" ? `not-moved:${m.reason}` : m.kind)),
    notMoved: effects.status?.plan.state.securityNotMoved?.reason ?? null,
  };
}

describe("/security and the security label: move or refuse", () => {
  const moved = { transfer: "acme/api#7 -> acme/security", messages: [], notMoved: null };
  const cases: Array<{ name: string; snapshot: IncidentSnapshot; trigger: IncidentTrigger; expected: object }> = [
    {
      name: "/security by a triager moves it",
      snapshot: snapshot({ security: TARGET }),
      trigger: command("/security"),
      expected: moved,
    },
    {
      name: "the security label added moves it",
      snapshot: snapshot({ issue: incidentIssue({ labels: ["incident", "incident:security"] }), security: TARGET }),
      trigger: labeled("incident:security"),
      expected: moved,
    },
    {
      name: "a stranger's /security: the usual refusal, no move, no note",
      snapshot: snapshot({ security: TARGET, permission: "read" }),
      trigger: command("/security", "stranger"),
      expected: { transfer: null, messages: ["command-refused"], notMoved: null },
    },
    {
      name: "no private repository configured: one note, nothing moved",
      snapshot: snapshot({ security: null, config: configSchema.parse({}) }),
      trigger: command("/security"),
      expected: { transfer: null, messages: ["not-moved:not-configured"], notMoved: "not-configured" },
    },
    {
      name: "a public target: one note, nothing moved",
      snapshot: snapshot({ security: { ...TARGET, isPrivate: false } }),
      trigger: command("/security"),
      expected: { transfer: null, messages: ["not-moved:public"], notMoved: "public" },
    },
    {
      name: "a target the installation cannot see: one note",
      snapshot: snapshot({ security: { ...TARGET, repositoryId: null, isPrivate: false } }),
      trigger: command("/security"),
      expected: { transfer: null, messages: ["not-moved:not-found"], notMoved: "not-found" },
    },
    {
      name: "the same refusal again: no second note",
      snapshot: snapshot({
        security: { ...TARGET, isPrivate: false },
        comments: [status(), { id: 901, body: `${notMovedMarker("public")}\nnot moved` }],
      }),
      trigger: command("/security"),
      expected: { transfer: null, messages: [], notMoved: "public" },
    },
    {
      name: "the transfer failed (the reconciler's follow-up): one note, recorded",
      snapshot: snapshot({}),
      trigger: { kind: "security-not-moved", reason: "failed", login: "tri" },
      expected: { transfer: null, messages: ["not-moved:failed"], notMoved: "failed" },
    },
    {
      name: "the failure said already: no second note",
      snapshot: snapshot({ comments: [status(), { id: 901, body: `${notMovedMarker("failed")}\nnot moved` }] }),
      trigger: { kind: "security-not-moved", reason: "failed", login: "tri" },
      expected: { transfer: null, messages: [], notMoved: "failed" },
    },
    {
      name: "the target was not read (another trigger): nothing about security",
      snapshot: snapshot({}),
      trigger: command("/sev 2"),
      expected: { transfer: null, messages: [], notMoved: null },
    },
  ];
  test.each(cases)("$name", ({ snapshot: snap, trigger, expected }) => {
    expect(outcome(decide(snap, trigger, NOW))).toEqual(expected);
  });

  test("the note names no detail of the incident (title, body) and addresses the person who asked", () => {
    const snap = snapshot({
      issue: incidentIssue({ title: "Leaked API key", body: "the key is sk-123" }),
      security: { ...TARGET, isPrivate: false },
    });
    const effects = decide(snap, command("/security"), NOW);
    const note = effects.messages.find((m) => m.kind === "security-not-moved");
    expect(note).toEqual({
      kind: "security-not-moved",
      marker: notMovedMarker("public"),
      reason: "public",
      login: "tri",
    });
  });

  test("the transfer carries the node ids and the team to mention", () => {
    const effects = decide(snapshot({ security: TARGET }), command("/security"), NOW);
    expect(effects.transfer).toEqual({
      issueId: "I_7",
      repositoryId: "R_security",
      repository: "acme/security",
      from: "acme/api#7",
      mentions: ["@acme/security-team"],
    });
  });
});

describe("wantsMove: when the target is read at all", () => {
  const previous = (state: Partial<StatusState> = {}): StatusState => ({ ...EMPTY_STATE, ...state });
  const cases: Array<{
    name: string;
    trigger: IncidentTrigger;
    labels?: string[];
    state?: Partial<StatusState>;
    repo?: typeof REPO;
    expected: boolean;
  }> = [
    { name: "/security", trigger: command("/security"), expected: true },
    { name: "/sev 2 on a plain incident", trigger: command("/sev 2"), expected: false },
    {
      name: "the label added",
      trigger: labeled("incident:security"),
      labels: ["incident", "incident:security"],
      expected: true,
    },
    {
      name: "an edit of a labelled incident never refused",
      trigger: { kind: "repair" },
      labels: ["incident", "incident:security"],
      expected: true,
    },
    {
      name: "the repair of a labelled incident whose move was refused: not retried",
      trigger: { kind: "repair" },
      labels: ["incident", "incident:security"],
      state: { securityNotMoved: { reason: "public", at: NOW.toISOString() } },
      expected: false,
    },
    {
      name: "/security again after a refusal: tried again",
      trigger: command("/security"),
      state: { securityNotMoved: { reason: "public", at: NOW.toISOString() } },
      expected: true,
    },
    {
      name: "already moved: never again",
      trigger: command("/security"),
      state: { security: { from: "acme/api#7", movedAt: NOW.toISOString() } },
      expected: false,
    },
    {
      name: "in the private repository itself",
      trigger: command("/security"),
      repo: { owner: "acme", repo: "security" },
      expected: false,
    },
    {
      name: "the app's own follow-up",
      trigger: { kind: "security-moved", from: "acme/api#7", movedAt: NOW.toISOString(), mentions: [] },
      expected: false,
    },
  ];
  test.each(cases)("$name", ({ trigger, labels, state, repo, expected }) => {
    expect(
      wantsMove({
        trigger,
        labels: labels ?? ["incident"],
        previous: previous(state),
        repo: repo ?? REPO,
        policies: POLICIES,
      }),
    ).toBe(expected);
  });
});

describe("in the private repository", () => {
  const movedTrigger: IncidentTrigger = {
    kind: "security-moved",
    from: "acme/api#7",
    movedAt: "2026-11-23T07:30:00Z",
    mentions: ["@acme/security-team"],
  };
  const privateRepo = { owner: "acme", repo: "security" };

  test("the move is recorded, the security label added, the team mentioned once", () => {
    const effects = decide(snapshot({ repo: privateRepo }), movedTrigger, NOW);
    expect(effects.status?.plan.state.security).toEqual({ from: "acme/api#7", movedAt: "2026-11-23T07:30:00Z" });
    expect(effects.addLabels).toContain("incident:security");
    expect(effects.messages.map((m) => m.kind)).toEqual(["security-team"]);
    const again = decide(
      snapshot({
        repo: privateRepo,
        comments: [
          status({ security: { from: "acme/api#7", movedAt: "2026-11-23T07:30:00Z" } }),
          { id: 2, body: SECURITY_TEAM_MARKER },
        ],
        issue: incidentIssue({ labels: ["incident", "incident:security"] }),
      }),
      movedTrigger,
      NOW,
    );
    expect(again.messages).toEqual([]);
    expect(again.addLabels).not.toContain("incident:security");
  });

  test.each([
    {
      name: "the security windows (1 h to acknowledge, 24 h to resolve by default)",
      config: CONFIG,
      investigation: 1,
      resolution: 24,
    },
    {
      name: "configured windows",
      config: configSchema.parse({
        security: { repository: "acme/security", acknowledge_hours: 2, resolution_hours: 8 },
      }),
      investigation: 2,
      resolution: 8,
    },
    {
      name: "resolution_hours null: the matrix (Sev 2 x DevOps 3 = 48 h)",
      config: configSchema.parse({ security: { repository: "acme/security", resolution_hours: null } }),
      investigation: 1,
      resolution: 48,
    },
  ])("$name", ({ config, investigation, resolution }) => {
    const classified = incidentIssue({
      labels: ["incident", "incident:security", "category:core-bug", "sev:2", "devops:3"],
    });
    const effects = decide(snapshot({ repo: privateRepo, issue: classified, config }), movedTrigger, NOW);
    const sla = effects.status?.plan.sla;
    expect(sla?.investigation.durationHours).toBe(investigation);
    expect(sla?.resolution.durationHours).toBe(resolution);
  });

  test("a security incident of any category gets the security resolution window (a feature request too)", () => {
    const labels = ["incident", "incident:security", "category:feature-request", "sev:3", "devops:1"];
    const effects = decide(snapshot({ repo: privateRepo, issue: incidentIssue({ labels }) }), movedTrigger, NOW);
    expect(effects.status?.plan.sla.resolution.durationHours).toBe(24);
  });

  test("a plain incident keeps the matrix", () => {
    const labels = ["incident", "category:core-bug", "sev:2", "devops:3"];
    const effects = decide(snapshot({ issue: incidentIssue({ labels }) }), { kind: "repair" }, NOW);
    expect(effects.status?.plan.sla.investigation.durationHours).toBe(12);
    expect(effects.status?.plan.sla.resolution.durationHours).toBe(48);
  });

  test("the sweep's horizon uses the security windows too (a labelled incident is due much earlier)", () => {
    const opened = new Date("2026-11-23T06:00:00Z");
    const plain = reminderHorizon({ createdAt: opened, labels: ["incident"], state: "open" }, POLICIES);
    const secure = reminderHorizon(
      { createdAt: opened, labels: ["incident", "incident:security"], state: "open" },
      POLICIES,
    );
    expect(plain?.toISOString()).toBe("2026-11-23T12:00:00.000Z");
    expect(secure?.toISOString()).toBe("2026-11-23T06:30:00.000Z");
  });

  test("bare #N references keep meaning the original repository after the move", () => {
    const body = ["## Timeline", "- x", "## RCA", "y", "## Actions", "- [ ] #5 rotate the key"].join("\n");
    const moved = snapshot({
      repo: privateRepo,
      issue: incidentIssue({ body, labels: ["incident", "incident:security"] }),
      comments: [status({ security: { from: "acme/api#7", movedAt: "2026-11-23T07:30:00Z" } })],
    });
    const closed = {
      found: true as const,
      kind: "issue" as const,
      state: "closed" as const,
      stateReason: "completed",
      title: "rotate",
    };
    const effects = decide(
      { ...moved, actions: new Map([["acme/api#5", closed]]) },
      { kind: "action-state", actionKey: "acme/api#5", observed: closed },
      NOW,
    );
    expect(effects.checks?.changes).toEqual([{ key: "acme/api#5", done: true }]);
  });
});

describe("filed or labelled in the private repository: the team mentioned once", () => {
  const vault = { owner: "acme", repo: "security" };
  const secure = ["incident", "incident:security"];
  const opened = (labels: string[]): IncidentTrigger => ({
    kind: "issue",
    action: "opened",
    issue: incidentIssue({ labels }),
    changedLabel: null,
  });
  const mentioned: OwnComment = { id: 2, body: `${SECURITY_TEAM_MARKER}\n🔒 @acme/security-team` };
  const movedState = { security: { from: "acme/api#7", movedAt: "2026-11-23T07:30:00Z" } };
  /** The `security-team` messages of a decision, as `from` (null: filed or labelled there). */
  const mentions = (effects: IncidentEffects): Array<string | null> =>
    effects.messages.flatMap((m) => (m.kind === "security-team" ? [m.from] : []));

  const cases: Array<{
    name: string;
    snapshot: IncidentSnapshot;
    trigger: IncidentTrigger;
    expected: Array<string | null>;
  }> = [
    {
      name: "filed there with the security label: one mention",
      snapshot: snapshot({ repo: vault, issue: incidentIssue({ labels: secure }), comments: [] }),
      trigger: opened(secure),
      expected: [null],
    },
    {
      name: "a second event (the mention already in the thread): none",
      snapshot: snapshot({
        repo: vault,
        issue: incidentIssue({ labels: secure }),
        comments: [status({ incidentAt: "2026-11-23T06:00:00Z" }), mentioned],
      }),
      trigger: { kind: "issue", action: "edited", issue: incidentIssue({ labels: secure }), changedLabel: null },
      expected: [],
    },
    {
      name: "the sweep's tick after the mention: none",
      snapshot: snapshot({
        repo: vault,
        issue: incidentIssue({ labels: secure }),
        comments: [status({ incidentAt: "2026-11-23T06:00:00Z" }), mentioned],
      }),
      trigger: { kind: "tick" },
      expected: [],
    },
    {
      name: "an incident there labelled with it later: one mention",
      snapshot: snapshot({ repo: vault, issue: incidentIssue({ labels: secure }) }),
      trigger: labeled("incident:security"),
      expected: [null],
    },
    {
      name: "the label, then the incident label (it becomes an incident with the security label): one mention",
      snapshot: snapshot({
        repo: vault,
        issue: incidentIssue({ labels: ["incident:security", "incident"] }),
        comments: [],
      }),
      trigger: labeled("incident", ["incident:security", "incident"]),
      expected: [null],
    },
    {
      name: "/incident from a triager on an issue there with the security label: one mention",
      snapshot: snapshot({ repo: vault, issue: incidentIssue({ labels: ["incident:security"] }), comments: [] }),
      trigger: command("/incident"),
      expected: [null],
    },
    {
      name: "the security label on an issue that is no incident: none",
      snapshot: snapshot({ repo: vault, issue: incidentIssue({ labels: ["incident:security"] }), comments: [] }),
      trigger: opened(["incident:security"]),
      expected: [],
    },
    {
      name: "an incident there without the security label: none",
      snapshot: snapshot({ repo: vault, issue: incidentIssue({ labels: ["incident"] }), comments: [] }),
      trigger: opened(["incident"]),
      expected: [],
    },
    {
      name: "a closed incident there (its history): none",
      snapshot: snapshot({ repo: vault, issue: incidentIssue({ labels: secure, state: "closed" }) }),
      trigger: { kind: "repair" },
      expected: [],
    },
    {
      name: "no teams.security configured: none",
      snapshot: snapshot({
        repo: vault,
        issue: incidentIssue({ labels: secure }),
        comments: [],
        config: configSchema.parse({ security: { repository: "acme/security" } }),
      }),
      trigger: opened(secure),
      expected: [],
    },
    {
      name: "a stranger's command there: the refusal only",
      snapshot: snapshot({ repo: vault, issue: incidentIssue({ labels: secure }), permission: "read" }),
      trigger: command("/sev 2", "stranger"),
      expected: [],
    },
    {
      name: "moved in: the move's one mention only",
      snapshot: snapshot({ repo: vault, issue: incidentIssue({ labels: ["incident"] }) }),
      trigger: {
        kind: "security-moved",
        from: "acme/api#7",
        movedAt: "2026-11-23T07:30:00Z",
        mentions: ["@acme/security-team"],
      },
      expected: ["acme/api#7"],
    },
    {
      name: "moved in, with the label already on: still the move's one mention only",
      snapshot: snapshot({ repo: vault, issue: incidentIssue({ labels: secure }) }),
      trigger: {
        kind: "security-moved",
        from: "acme/api#7",
        movedAt: "2026-11-23T07:30:00Z",
        mentions: ["@acme/security-team"],
      },
      expected: ["acme/api#7"],
    },
    {
      name: "an event after the move's mention: none",
      snapshot: snapshot({
        repo: vault,
        issue: incidentIssue({ labels: secure }),
        comments: [status(movedState), mentioned],
      }),
      trigger: labeled("incident:security"),
      expected: [],
    },
    {
      name: "a public repository, filed with the label (the move is planned): never",
      snapshot: snapshot({ issue: incidentIssue({ labels: secure }), comments: [], security: TARGET }),
      trigger: opened(secure),
      expected: [],
    },
    {
      name: "a public repository whose move was refused: never",
      snapshot: snapshot({
        issue: incidentIssue({ labels: secure }),
        comments: [status({ securityNotMoved: { reason: "public", at: NOW.toISOString() } })],
      }),
      trigger: { kind: "repair" },
      expected: [],
    },
  ];
  test.each(cases)("$name", ({ snapshot: snap, trigger, expected }) => {
    expect(mentions(decide(snap, trigger, NOW))).toEqual(expected);
  });

  test("the mention names the team and is marked, so the next snapshot sees it", () => {
    const effects = decide(
      snapshot({ repo: vault, issue: incidentIssue({ labels: secure }), comments: [] }),
      opened(secure),
      NOW,
    );
    expect(effects.messages[0]).toEqual({
      kind: "security-team",
      marker: SECURITY_TEAM_MARKER,
      mentions: ["@acme/security-team"],
      from: null,
    });
    expect(effects.transfer).toBeUndefined();
    expect(effects.status?.plan.sla.investigation.durationHours).toBe(1);
  });

  test("a list of mentions in teams.security: all of them in one message", () => {
    const config = configSchema.parse({
      security: { repository: "acme/security" },
      teams: { security: ["@acme/security-team", "@octocat"] },
    });
    const effects = decide(
      snapshot({ repo: vault, issue: incidentIssue({ labels: secure }), comments: [], config }),
      opened(secure),
      NOW,
    );
    expect(effects.messages.filter((m) => m.kind === "security-team")).toEqual([
      {
        kind: "security-team",
        marker: SECURITY_TEAM_MARKER,
        mentions: ["@acme/security-team", "@octocat"],
        from: null,
      },
    ]);
  });
});

describe("securityPolicies and the digest", () => {
  test("securityPolicies is idempotent", () => {
    expect(securityPolicies(securityPolicies(POLICIES))).toEqual(securityPolicies(POLICIES));
  });

  test("the digest withholds a security incident's title (label or moved state), keeps the others", () => {
    const records = [
      { repository: "acme/api", title: "Checkout fails", labels: ["incident"], status: null },
      { repository: "acme/api", title: "Leaked key", labels: ["incident", "incident:security"], status: null },
      {
        repository: "acme/security",
        title: "Token theft",
        labels: ["incident"],
        status: { ...EMPTY_STATE, security: { from: "acme/api#3", movedAt: NOW.toISOString() } },
      },
    ];
    expect(redactSecurityIncidents(records, () => POLICIES).map((r) => r.title)).toEqual([
      "Checkout fails",
      WITHHELD_TITLE,
      WITHHELD_TITLE,
    ]);
  });
});

describe("/security parses", () => {
  test.each([
    ["/security", [{ name: "security" }], []],
    ["/sev 2 /security", [{ name: "sev", severity: 2 }, { name: "security" }], []],
    ["`/security`", [], []],
    ["/security now", [], ["`/security` takes no arguments"]],
  ])("%s", (body, commands, errors) => {
    const parsed = parseCommands(body);
    expect(parsed.commands).toEqual(commands);
    expect(parsed.errors.map((e) => e.message)).toEqual(errors);
  });
});
