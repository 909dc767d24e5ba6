/** What `decide` does with `/postmortem` (issue #14): a table of cases, fixed clock. */
import { describe, expect, it } from "@jest/globals";
import { parseCommands } from "../../src/core/commands.js";
import { decide } from "../../src/core/decide.js";
import type { IncidentIssue } from "../../src/core/incident.js";
import type { PublishingRepo } from "../../src/core/postmortem.js";
import { commandReach } from "../../src/core/reads.js";
import { previousState, threadOf, type IncidentSnapshot, type OwnComment } from "../../src/core/snapshot.js";
import { EMPTY_STATE, encodeState, STATUS_MARKER, type StatusState } from "../../src/core/status-state.js";
import type { IncidentTrigger } from "../../src/core/trigger.js";
import { configSchema } from "../../src/config/schema.js";
import { incidentIssue } from "../support/incident-fixtures.js";

const NOW = new Date("2026-11-23T08:00:00Z");
const CONFIG = configSchema.parse({ publish: { repository: "acme/website" } });
const SITE: PublishingRepo = {
  ok: true,
  owner: "acme",
  repo: "website",
  private: false,
  htmlUrl: "https://github.com/acme/website",
  defaultBranch: "trunk",
};

function snapshot(
  args: {
    issue?: Partial<IncidentIssue>;
    state?: Partial<StatusState>;
    config?: typeof CONFIG;
    publishing?: PublishingRepo | null;
    markers?: string[];
  } = {},
): IncidentSnapshot {
  const comments: OwnComment[] = [
    { id: 900, body: `${STATUS_MARKER}\n${encodeState({ ...EMPTY_STATE, ...(args.state ?? {}) })}` },
    ...(args.markers ?? []).map((marker, i) => ({ id: 901 + i, body: `${marker}\nreply` })),
  ];
  const thread = threadOf(comments);
  return {
    repo: { owner: "acme", repo: "api" },
    issue: incidentIssue({ title: "Checkout fails", ...args.issue }),
    fresh: false,
    thread,
    previous: previousState(thread),
    config: { ok: true, value: args.config ?? CONFIG },
    actions: new Map(),
    permission: "maintain",
    ...(args.publishing === null ? {} : { publishing: { repository: args.publishing ?? SITE, visibility: new Map() } }),
  };
}

function command(body: string): Extract<IncidentTrigger, { kind: "command" }> {
  const parsed = parseCommands(body);
  return {
    kind: "command",
    issue: incidentIssue(),
    commands: parsed.commands,
    errors: parsed.errors,
    login: "alice",
    commentId: 42,
    commentAt: "2026-11-23T07:45:00Z",
  };
}

const MARKER = "<!-- incident-keeper:postmortem 42 -->";
const replyOf = (snap: IncidentSnapshot, text = "/postmortem") =>
  decide(snap, command(text), NOW).messages.find((m) => m.kind === "postmortem-reply");

describe("/postmortem", () => {
  it("drafts on the incident's branch, from the repository's default branch, at the configured path", () => {
    const effects = decide(snapshot(), command("/postmortem"), NOW);
    expect(effects.publish).toMatchObject({
      repository: { owner: "acme", repo: "website" },
      base: "trunk",
      branch: "incident-keeper/postmortem-acme-api-7",
      path: "content/blog/incidents/2026-11-23-checkout-fails.md",
      incident: null,
      marker: MARKER,
      replied: false,
      login: "alice",
    });
    expect(effects.messages.filter((m) => m.kind === "postmortem-reply")).toEqual([]);
    // The status comment is still brought up to date.
    expect(effects.status).not.toBeNull();
  });

  it.each([
    ["publish.base wins over the default branch", { base: "gh-pages" }, "gh-pages"],
    ["no publish.base: the default branch", {}, "trunk"],
  ])("%s", (_name, publish, base) => {
    const config = configSchema.parse({ publish: { repository: "acme/website", ...publish } });
    expect(decide(snapshot({ config }), command("/postmortem"), NOW).publish?.base).toBe(base);
  });

  it("keeps the first draft's path when the title changed", () => {
    const state = {
      postmortem: { repository: "acme/website", number: 3, url: "u", branch: "b", path: "content/blog/x.md" },
    };
    const effects = decide(snapshot({ state, issue: { title: "Renamed" } }), command("/postmortem"), NOW);
    expect(effects.publish?.path).toBe("content/blog/x.md");
  });

  it("a private publishing repository's pull request may name the incident", () => {
    const effects = decide(snapshot({ publishing: { ...SITE, private: true } }), command("/postmortem"), NOW);
    expect(effects.publish?.incident).toBe("acme/api#7");
  });

  it.each([
    ["not configured", snapshot({ config: configSchema.parse({}), publishing: null }), { kind: "unconfigured" }],
    [
      "a security incident",
      snapshot({ issue: { labels: ["incident", "incident:security"] }, publishing: null }),
      { kind: "security" },
    ],
    [
      "the repository not installed",
      snapshot({ publishing: { ok: false, owner: "acme", repo: "website", status: "not-found" } }),
      { kind: "not-installed", repository: "acme/website" },
    ],
  ])("%s: one reply, no draft", (_name, snap, outcome) => {
    const effects = decide(snap, command("/postmortem"), NOW);
    expect(effects.publish).toBeUndefined();
    expect(replyOf(snap)).toEqual({ kind: "postmortem-reply", marker: MARKER, login: "alice", outcome });
  });

  it("a security incident with --public-ok is drafted", () => {
    const snap = snapshot({ issue: { labels: ["incident", "incident:security"] } });
    expect(decide(snap, command("/postmortem --public-ok"), NOW).publish).toBeDefined();
  });

  it("a redelivered comment does not reply twice, and redoes the (idempotent) draft", () => {
    expect(replyOf(snapshot({ config: configSchema.parse({}), publishing: null, markers: [MARKER] }))).toBeUndefined();
    expect(decide(snapshot({ markers: [MARKER] }), command("/postmortem"), NOW).publish?.replied).toBe(true);
  });

  it.each([
    ["maintain", "apply"],
    ["write", "refused"],
    ["triage", "refused"],
  ] as const)("needs permissions.publish: %s -> %s", (level, reach) => {
    expect(commandReach(command("/postmortem"), CONFIG, level)).toBe(reach);
  });
});
