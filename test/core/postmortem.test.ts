/** `/postmortem` (issue #14): the public draft's view and file, as tables of cases. */
import { describe, expect, it } from "@jest/globals";
import { configSchema } from "../../src/config/schema.js";
import { parseCommands } from "../../src/core/commands.js";
import { decideAlert } from "../../src/core/alert-group.js";
import { groupToken, parseAlertNotification } from "../../src/core/alert-payload.js";
import { alertIssueBody } from "../../src/render/alert-views.js";
import {
  alertSummary,
  draftPath,
  postmortemBlocker,
  postmortemBranch,
  postmortemReads,
  postmortemView,
  publicMarkdown,
  slugOf,
  type RepoVisibility,
} from "../../src/core/postmortem.js";
import { EMPTY_STATE, type StatusState } from "../../src/core/status-state.js";
import type { RemoteState } from "../../src/core/writeup.js";
import { renderPostmortemDraft } from "../../src/render/postmortem.js";
import { incidentIssue } from "../support/incident-fixtures.js";
import { policiesOf } from "../../src/config/policies.js";

const repo = { owner: "acme", repo: "api" };
const config = configSchema.parse({ publish: { repository: "acme/website" } });
const PUBLIC: RepoVisibility = { private: false, htmlUrl: "https://github.com/acme/oss" };
const PRIVATE: RepoVisibility = { private: true, htmlUrl: "https://github.com/acme/api" };

const BODY = [
  "### Summary",
  "",
  "Checkout failed for @alice's customers; paged @acme/sre. Labelled `sev:1` and devops:2.",
  "",
  "### Impact",
  "",
  "All EU shoppers for 40 minutes.",
  "<!-- internal: ask bob -->",
  "",
  "### Timeline",
  "",
  "- 09:00 deploy",
  "",
  "### RCA",
  "",
  "A cache key collision (see sla:breached).",
  "",
  "### Actions",
  "",
  "- [ ] acme/oss#12 add a cache-key lint",
  "- [x] #40 rotate the secret in the vault",
  "- [ ] acme/secret-repo#3",
  "- [ ] write a runbook",
].join("\n");

function view(
  overrides: {
    body?: string;
    state?: StatusState;
    visibility?: Map<string, RepoVisibility | null>;
    actions?: Map<string, RemoteState>;
  } = {},
) {
  return postmortemView({
    issue: incidentIssue({ title: "[Incident] Checkout fails for EU", body: overrides.body ?? BODY }),
    repo,
    policies: policiesOf(config),
    state: overrides.state ?? EMPTY_STATE,
    actions: overrides.actions ?? new Map(),
    visibility:
      overrides.visibility ??
      new Map<string, RepoVisibility | null>([
        ["acme/oss", PUBLIC],
        ["acme/api", PRIVATE],
        ["acme/secret-repo", null],
      ]),
  });
}

describe("the draft's view", () => {
  it("takes title, date, summary, impact, root cause from the body, without the form's prefix", () => {
    const v = view();
    expect(v).toMatchObject({
      title: "Checkout fails for EU",
      date: "2026-11-23",
      slug: "checkout-fails-for-eu",
      zone: "UTC",
    });
    expect(v.impact).toBe("All EU shoppers for 40 minutes.");
    expect(v.rootCause).toBe("A cache key collision (see).");
    expect(v.timelineText).toBe("- 09:00 deploy");
  });

  it.each([
    ["a user mention", "@alice", "alice"],
    ["a team mention", "@acme/sre", "acme/sre"],
  ])("makes %s inert (%s -> %s)", (_name, mention, plain) => {
    const v = view();
    expect(v.summary).not.toContain(mention);
    expect(v.summary).toContain(plain);
  });

  it("names no internal label, and drops HTML comments", () => {
    const text = renderPostmortemDraft(view());
    for (const label of ["sev:1", "devops:2", "sla:breached", "incident:needs-writeup"])
      expect(text).not.toContain(label);
    expect(text).not.toContain("<!--");
    expect(text).not.toMatch(/(^|\s)@[A-Za-z0-9]/m);
  });

  it.each([
    [
      "a public repository's action: linked",
      0,
      { text: "add a cache-key lint", url: "https://github.com/acme/oss/issues/12" },
    ],
    [
      "an action in the incident's private repository: no link",
      1,
      { text: "rotate the secret in the vault", url: null, done: true },
    ],
    [
      "an action whose repository could not be read: no link, no name",
      2,
      { text: "A follow-up action tracked internally", url: null },
    ],
    ["a plain task: its text", 3, { text: "write a runbook", url: null, done: false }],
  ])("%s", (_name, index, expected) => {
    expect(view().actions[index]).toMatchObject(expected);
  });

  it("never names a private action's repository or number in the file", () => {
    const text = renderPostmortemDraft(view());
    expect(text).toContain("[add a cache-key lint](https://github.com/acme/oss/issues/12)");
    expect(text).not.toContain("secret-repo");
    expect(text).not.toContain("#40");
    expect(text).not.toContain("acme/api");
  });

  it("a done action follows GitHub's state", () => {
    const actions = new Map<string, RemoteState>([
      ["acme/oss#12", { found: true, kind: "issue", state: "closed", stateReason: "completed", title: "Lint" }],
    ]);
    expect(view({ actions }).actions[0]).toMatchObject({ done: true });
    expect(renderPostmortemDraft(view({ actions }))).toContain("(done)");
  });

  it("uses the reconstructed timeline's notes and public milestones, not classification, reminders or who", () => {
    const state: StatusState = {
      ...EMPTY_STATE,
      timeline: {
        compacted: 0,
        entries: [
          { at: "2026-11-23T06:00:00.000Z", kind: "event", text: "Issue opened" },
          { at: "2026-11-23T06:05:00.000Z", kind: "event", text: "Severity: Sev 1", by: "bob" },
          {
            at: "2026-11-23T06:10:00.000Z",
            kind: "note",
            text: "failover to @carol's region",
            by: "bob",
            comment: 1,
            tag: "mitigated",
          },
          { at: "2026-11-23T07:00:00.000Z", kind: "event", text: "Reminder: 50 % of the investigation window used" },
        ],
      },
    };
    const v = view({ state, body: BODY.replace("- 09:00 deploy", "_No response_") });
    expect(v.timeline).toEqual([
      { time: "2026-11-23 06:00 UTC", tag: null, text: "Issue opened" },
      { time: "2026-11-23 06:10 UTC", tag: "mitigated", text: "failover to carol's region" },
    ]);
    expect(v.timelineText).toBeNull();
    const text = renderPostmortemDraft(v);
    expect(text).toContain("- 2026-11-23 06:10 UTC **mitigated**: failover to carol's region");
    expect(text).not.toContain("bob");
    expect(text).not.toContain("Sev 1");
  });

  it("a Timeline section people wrote replaces the reconstructed timeline", () => {
    const state: StatusState = {
      ...EMPTY_STATE,
      timeline: { compacted: 0, entries: [{ at: "2026-11-23T06:00:00.000Z", kind: "event", text: "Issue opened" }] },
    };
    expect(view({ state })).toMatchObject({ timeline: [], timelineText: "- 09:00 deploy" });
  });

  it("placeholders read as not written", () => {
    const v = view({ body: "### Summary\n\n_No response_\n\n### RCA\n\nTBD\n" });
    expect(v.summary).toBeNull();
    expect(v.rootCause).toBeNull();
    expect(renderPostmortemDraft(v)).toContain("_To be written: what happened");
  });

  it("the file has front matter with the title as a YAML string", () => {
    const text = renderPostmortemDraft(view());
    expect(text.startsWith('---\ntitle: "Checkout fails for EU"\ndate: 2026-11-23\ndraft: true\n---\n')).toBe(true);
  });

  it("the date is the calendar's day when a time zone is configured", () => {
    const zoned = configSchema.parse({
      publish: { repository: "acme/website" },
      sla: { calendar: { time_zone: "Pacific/Auckland" } },
    });
    const v = postmortemView({
      issue: incidentIssue({ createdAt: new Date("2026-11-23T13:00:00Z") }),
      repo,
      policies: policiesOf(zoned),
      state: EMPTY_STATE,
      actions: new Map(),
      visibility: new Map(),
    });
    expect(v).toMatchObject({ date: "2026-11-24", zone: "Pacific/Auckland" });
  });
});

describe("path, branch and slug", () => {
  it.each([
    ["Checkout fails for EU", 7, "checkout-fails-for-eu"],
    ["Zürich DC: power loss!!", 7, "zurich-dc-power-loss"],
    ["🔥🔥", 9, "incident-9"],
    ["a".repeat(100), 1, "a".repeat(60)],
  ])("slug of %j", (title, number, slug) => {
    expect(slugOf(title, number)).toBe(slug);
  });

  it.each([
    ["content/blog/incidents/{{date}}-{{slug}}.md", "content/blog/incidents/2026-11-23-db-down.md"],
    ["posts/{{ slug }}/index.md", "posts/db-down/index.md"],
  ])("%s", (template, path) => {
    expect(draftPath(template, { date: "2026-11-23", slug: "db-down" })).toBe(path);
  });

  it("one branch per incident", () => {
    expect(postmortemBranch({ owner: "Acme", repo: "API" }, 7)).toBe("incident-keeper/postmortem-acme-api-7");
  });
});

describe("whether to draft", () => {
  const security = (labels: string[], state: StatusState = EMPTY_STATE, publicOk = false, cfg = config) =>
    postmortemBlocker({ policies: policiesOf(cfg), issue: { labels }, state, publicOk });
  it.each([
    ["not configured", configSchema.parse({}), ["incident"], false, "unconfigured"],
    ["an ordinary incident", config, ["incident"], false, null],
    ["the security label", config, ["incident", "incident:security"], false, "security"],
    ["the security label with --public-ok", config, ["incident", "incident:security"], true, null],
  ] as const)("%s", (_name, cfg, labels, publicOk, expected) => {
    expect(security([...labels], EMPTY_STATE, publicOk, cfg)).toBe(expected);
  });

  it("a state that says the incident was moved (the security branch's field) is a security incident", () => {
    const moved: StatusState = {
      ...EMPTY_STATE,
      security: { from: "acme/public#7", movedAt: "2026-11-23T06:00:00.000Z" },
    };
    expect(security(["incident"], moved)).toBe("security");
  });

  it("reads the publishing repository and each action's repository once", () => {
    expect(postmortemReads({ body: BODY, repo, policies: policiesOf(config) })).toEqual({
      publishing: { owner: "acme", repo: "website" },
      repositories: ["acme/oss", "acme/api", "acme/secret-repo"],
    });
  });

  it.each([
    ["/postmortem", [{ name: "postmortem", publicOk: false }], []],
    ["/postmortem --public-ok", [{ name: "postmortem", publicOk: true }], []],
    [
      "/postmortem now",
      [],
      ["`/postmortem` takes nothing, or `--public-ok` (a security incident, published on purpose)"],
    ],
  ])("parses %j", (text, commands, errors) => {
    const parsed = parseCommands(text);
    expect(parsed.commands).toEqual(commands);
    expect(parsed.errors.map((e) => e.message)).toEqual(errors);
  });

  it("keeps indentation (nested lists, code) while tidying what a removed label leaves", () => {
    expect(publicMarkdown("- a (`sev:2`)\n  - nested  item\n\n    code", policiesOf(config))).toBe(
      "- a\n  - nested item\n\n    code",
    );
  });

  it("publicMarkdown keeps e-mail addresses", () => {
    expect(publicMarkdown("mail ops@acme.example or @bob", policiesOf(config))).toBe("mail ops@acme.example or bob");
  });
});

describe("the draft's Summary of an incident filed from an alert (the body the alert path writes)", () => {
  const policies = policiesOf(config);
  /** The issue body `src/reconcile/alert-incident.ts` files for an Alertmanager notification. */
  function alertBody(annotations: Record<string, string>): string {
    const parsed = parseAlertNotification("alertmanager", {
      version: "4",
      groupKey: '{}:{alertname="CheckoutErrors"}',
      status: "firing",
      receiver: "incident-keeper",
      groupLabels: { alertname: "CheckoutErrors" },
      commonLabels: { alertname: "CheckoutErrors", severity: "critical", team: "payments" },
      commonAnnotations: annotations,
      externalURL: "http://alertmanager:9093",
      truncatedAlerts: 0,
      alerts: [
        {
          status: "firing",
          labels: { alertname: "CheckoutErrors", severity: "critical", team: "payments", instance: "api-1" },
          annotations,
          startsAt: "2026-11-23T05:50:00Z",
          endsAt: "0001-01-01T00:00:00Z",
          generatorURL: "http://prometheus/graph",
        },
      ],
    });
    if (!parsed.ok) throw new Error(parsed.reason);
    const token = groupToken("alertmanager", '{}:{alertname="CheckoutErrors"}');
    const decision = decideAlert({
      notification: parsed.value,
      token,
      incident: null,
      policy: policies.alerts,
      now: new Date("2026-11-23T06:00:00Z"),
    });
    if (decision.kind !== "file") throw new Error(decision.kind);
    return alertIssueBody({
      notification: parsed.value,
      state: decision.state,
      severity: decision.severity,
      severityLabel: policies.alerts.severityLabel,
      headings: { timeline: "Timeline", rca: "RCA", actions: "Actions" },
    });
  }
  const annotated = alertBody({
    summary: "Checkout answers 5xx for @acme/sre's EU shoppers",
    description:
      "Error ratio above 5 % for 10 minutes <!-- runbook: ask bob -->\nPaged @carol; see `sev:1`.\n\n# Not a heading",
  });

  it("comes from the alert's summary and description, scrubbed (no mentions, HTML comments, internal labels)", () => {
    const summary = postmortemView({
      issue: incidentIssue({ title: "CheckoutErrors: Checkout answers 5xx", body: annotated }),
      repo,
      policies,
      state: EMPTY_STATE,
      actions: new Map(),
      visibility: new Map(),
    }).summary;
    expect(summary).not.toBeNull();
    expect(summary).toContain("**Checkout answers 5xx for acme/sre's EU shoppers**");
    expect(summary).toContain("> Error ratio above 5 % for 10 minutes");
    expect(summary).toContain("> Paged carol; see.");
    // Quoted in the body and in the draft: never a heading of the draft.
    expect(summary).toContain("> # Not a heading");
    for (const leak of ["@", "<!--", "&lt;!--", "runbook", "sev:1", "incident-keeper", "Alerting since", "team"])
      expect(summary).not.toContain(leak);
    const draft = renderPostmortemDraft(
      postmortemView({
        issue: incidentIssue({ title: "CheckoutErrors", body: annotated }),
        repo,
        policies,
        state: EMPTY_STATE,
        actions: new Map(),
        visibility: new Map(),
      }),
    );
    expect(draft).toMatch(/## Summary\n\n\*\*Checkout answers 5xx for acme\/sre's EU shoppers\*\*\n\n> Error ratio/);
    expect(draft).not.toContain("_To be written: what happened");
  });

  it.each<{ name: string; annotations: Record<string, string>; expected: string | null }>([
    { name: "summary only", annotations: { summary: "Queue stuck" }, expected: "**Queue stuck**" },
    { name: "description only", annotations: { description: "Lag above 1h" }, expected: "> Lag above 1h" },
    { name: "neither: still to be written", annotations: {}, expected: null },
  ])("$name", ({ annotations, expected }) => {
    expect(alertSummary(alertBody(annotations))).toBe(expected);
    expect(view({ body: alertBody(annotations) }).summary).toBe(expected);
  });

  it("a Summary section people wrote into the body wins over the alert's words", () => {
    const edited = annotated.replace("### Timeline", "### Summary\n\nA bad deploy broke checkout.\n\n### Timeline");
    expect(view({ body: edited }).summary).toBe("A bad deploy broke checkout.");
  });

  it("only the app's alert bodies are read so: the same shape without the alert marker is not", () => {
    expect(alertSummary(annotated.replace(/^<!-- incident-keeper:alert-group [^\n]*\n/, ""))).toBeNull();
    expect(alertSummary("### Heading\n\n**bold**\n")).toBeNull();
  });
});
