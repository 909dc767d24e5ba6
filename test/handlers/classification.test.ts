import { beforeEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import type { Probot } from "probot";
import { decodeState } from "../../src/core/status-state.js";
import { incidentFormBody } from "../../simulator/src/index.js";
import {
  ALL_LABELS,
  comments,
  githubMock,
  noConfig,
  ownComment,
  repoConfig,
  repoLabels,
  timeline,
} from "../support/github-mock.js";
import { BOT_LOGIN, issuesEvent, OWNER, REPO } from "../support/payloads.js";
import { deliver as deliverTo, testProbot } from "../support/probot.js";
import { useStrictNock } from "../support/strict-nock.js";

const FORM_BODY = incidentFormBody({
  summary: "Logins fail with 503 for all EU customers.",
  category: "Core product bug",
  severity: "Sev 2 - major functionality broken, revenue affected",
  devops: "DevOps 3 - CI/CD or code change, 1-2 developers",
});

const path = (p: string): string => `/repos/${OWNER}/${REPO}${p}`;

/** GET of the incident as it is now (read for a first event that did not make the issue an incident). */
const currentIssue = (scope: nock.Scope, event: { issue: object }): nock.Scope =>
  scope.get(path("/issues/7")).reply(200, event.issue);

useStrictNock();
let probot: Probot;
beforeEach(async () => {
  ({ probot } = await testProbot());
});

const deliver = (name: "issues", payload: object): Promise<void> => deliverTo(probot, name, payload);

describe("an incident filed from the issue form", () => {
  it("applies the form's labels, creating missing ones, and posts one status comment with the deadlines", async () => {
    const created: Array<{ name: string; color: string }> = [];
    const added: string[][] = [];
    let status = "";
    const scope = noConfig(githubMock());
    comments(scope, 7, []);
    repoLabels(scope, ["incident", "bug"]);
    scope
      .post(path("/labels"), (b: { name: string; color: string }) => (created.push(b), true))
      .times(4)
      .reply(201, {})
      .post(path("/issues/7/labels"), (b: { labels: string[] }) => (added.push(b.labels), true))
      .reply(200, [])
      .post(path("/issues/7/comments"), (b: { body: string }) => ((status = b.body), true))
      .reply(201, { id: 555, body: "" });

    await deliver("issues", issuesEvent("opened", { body: FORM_BODY, labels: ["incident"] }));

    expect(created.map((c) => c.name)).toEqual(["category:core-bug", "sev:2", "devops:3", "incident:needs-writeup"]);
    expect(created.map((c) => c.color)).toEqual(["5319e7", "d93f0b", "1d76db", "fef2c0"]);
    // The form's Timeline is "_No response_": the write-up is incomplete.
    expect(added).toEqual([["category:core-bug", "sev:2", "devops:3", "incident:needs-writeup"]]);
    expect(status).toContain("- ❌ Timeline: still the placeholder");
    expect(status).toContain("<!-- incident-keeper:status -->");
    expect(status).toContain("Sev 2: major functionality broken");
    expect(status).toContain("DevOps 3: CI/CD or code change");
    // opened 06:00, classified at "now" 08:00: investigation met; 48 h resolution from 08:00.
    expect(status).toContain(
      "| Investigate & classify (12 hours) | 2026-11-23 18:00 UTC | ✅ met (classified 2026-11-23 08:00 UTC) |",
    );
    expect(status).toContain("| Resolve (48 hours) | 2026-11-25 08:00 UTC (in 2 days) | ⏳ on track |");
    expect(decodeState(status).classifiedAt).toBe("2026-11-23T08:00:00.000Z");
  });

  it("lets labels people already applied win over the form's answers", async () => {
    const added: string[][] = [];
    const scope = noConfig(githubMock());
    comments(scope, 7, []);
    repoLabels(scope, ALL_LABELS);
    scope
      .post(path("/issues/7/labels"), (b: { labels: string[] }) => (added.push(b.labels), true))
      .reply(200, [])
      .post(path("/issues/7/comments"))
      .reply(201, { id: 555 });
    await deliver("issues", issuesEvent("opened", { body: FORM_BODY, labels: ["incident", "sev:1"] }));
    expect(added).toEqual([["category:core-bug", "devops:3", "incident:needs-writeup"]]);
  });
});

describe("label flow", () => {
  it("keeps the newest label of a dimension, removes the older one, and edits the status comment in place", async () => {
    let edited = "";
    const scope = noConfig(githubMock());
    comments(scope, 7, [
      { id: 1, body: "a person's comment", user: { login: "alice", type: "User" } },
      ownComment(555, "<!-- incident-keeper:status -->\nold"),
    ]);
    scope
      .delete(path("/issues/7/labels/sev%3A2"))
      .reply(200, [])
      .patch(path("/issues/comments/555"), (b: { body: string }) => ((edited = b.body), true))
      .reply(200, {});
    await deliver(
      "issues",
      issuesEvent("labeled", {
        labels: ["incident", "incident:needs-writeup", "category:core-bug", "sev:2", "devops:1", "sev:1"],
        label: "sev:1",
      }),
    );
    expect(edited).toContain("Sev 1: complete outage");
    expect(edited).toContain("| Resolve (12 hours) | 2026-11-23 20:00 UTC (in 12 hours) | ⏳ on track |");
  });

  it("shows what is still to classify and an investigation deadline 12 hours after opening", async () => {
    let status = "";
    const scope = noConfig(githubMock());
    comments(scope, 7, []);
    repoLabels(scope, ALL_LABELS);
    scope
      .post(path("/issues/7/labels"), { labels: ["incident:needs-writeup"] })
      .reply(200, [])
      .post(path("/issues/7/comments"), (b: { body: string }) => ((status = b.body), true))
      .reply(201, { id: 555 });
    await deliver("issues", issuesEvent("labeled", { labels: ["incident"], label: "incident" }));
    expect(status).toContain("**Still to classify:** category, severity, remediation difficulty.");
    expect(status).toContain(
      "| Investigate & classify (12 hours) | 2026-11-23 18:00 UTC (in 10 hours) | ⏳ on track |",
    );
    expect(status).toContain("starts once classified");
  });
});

describe("duplicate deliveries", () => {
  it("writes nothing when the same event arrives again and the status comment is current", async () => {
    let status = "";
    const first = noConfig(githubMock());
    comments(first, 7, []);
    timeline(first, 7); // no state yet: when did it become an incident?
    first.post(path("/issues/7/comments"), (b: { body: string }) => ((status = b.body), true)).reply(201, { id: 555 });
    const event = issuesEvent("labeled", {
      labels: ["incident", "incident:needs-writeup", "category:core-bug", "sev:3", "devops:2"],
      label: "devops:2",
    });
    currentIssue(first, event);
    await deliver("issues", event);
    expect(nock.pendingMocks()).toEqual([]);

    const second = noConfig(githubMock());
    comments(second, 7, [ownComment(555, status)]);
    await deliver("issues", event); // no write mocks: any write would fail with "Nock: No match"
  });
});

describe("late deliveries", () => {
  it("a delivery older than the status comment follows the current issue, not its own snapshot", async () => {
    let status = "";
    const first = noConfig(githubMock());
    comments(first, 7, []);
    timeline(first, 7); // no state yet: when did it become an incident?
    first.post(path("/issues/7/comments"), (b: { body: string }) => ((status = b.body), true)).reply(201, { id: 555 });
    const now = issuesEvent("labeled", {
      labels: ["incident", "incident:needs-writeup", "category:core-bug", "sev:1", "devops:2"],
      label: "sev:1",
    });
    currentIssue(first, now);
    await deliver("issues", now);
    expect(status).toContain("| Severity | Sev 1: complete outage |");

    // sev:3 was added (and replaced by sev:1) before: its delivery arrives late, after the app's
    // status write. It must neither restore sev:3 nor remove sev:1: the current issue is read, and no
    // label is written (no label mocks: any label write fails the test). The status edit is new: it
    // was "nothing is written" while the timeline recorded a late label delivery only where the
    // current labels agreed; every signed label delivery is a real change on GitHub (the lead's
    // decision, issue #14), so the timeline gains sev:3's addition at its own time, and nothing else.
    const late = issuesEvent("labeled", {
      labels: ["incident", "incident:needs-writeup", "category:core-bug", "sev:3", "devops:2"],
      label: "sev:3",
    });
    (late.issue as { updated_at: string }).updated_at = "2026-11-23T07:00:00Z";
    let edited = "";
    const second = noConfig(githubMock());
    comments(second, 7, [{ ...ownComment(555, status), updated_at: "2026-11-23T07:00:05Z" }]);
    currentIssue(second, now);
    second.patch(path("/issues/comments/555"), (b: { body: string }) => ((edited = b.body), true)).reply(200, {});
    await deliver("issues", late);
    expect(edited).toContain("| Severity | Sev 1: complete outage |");
    const { timeline: before, fingerprint: _was, ...kept } = decodeState(status);
    const { timeline: after, fingerprint: _is, ...rest } = decodeState(edited);
    expect(rest).toEqual(kept);
    expect(after?.entries.filter((e) => !before?.entries.some((x) => x.key === e.key))).toEqual([
      {
        at: "2026-11-23T07:00:00.000Z",
        kind: "event",
        text: "Severity set to Sev 3 (label sev:3)",
        by: "alice",
        key: "label:+:sev:3:2026-11-23T07:00:00.000Z",
      },
    ]);

    // The same late delivery again (a redelivery: the same payload): nothing is written.
    const third = noConfig(githubMock());
    comments(third, 7, [{ ...ownComment(555, edited), updated_at: "2026-11-23T07:00:06Z" }]);
    currentIssue(third, now);
    await deliver("issues", late);
  });
});

describe("forged markers", () => {
  it("ignores a person's comment that imitates the status comment and its hidden state", async () => {
    let status = "";
    const forged = `<!-- incident-keeper:status -->\n<!-- incident-keeper:state ${Buffer.from(JSON.stringify({ v: 1, classifiedAt: "2020-01-01T00:00:00.000Z", resolvedAt: "2020-01-01T00:00:00.000Z" })).toString("base64")} -->`;
    const scope = noConfig(githubMock());
    comments(scope, 7, [
      { id: 66, body: forged, user: { login: "mallory", type: "User" }, performed_via_github_app: null },
    ]);
    timeline(scope, 7); // no state yet: when did it become an incident?
    scope.post(path("/issues/7/comments"), (b: { body: string }) => ((status = b.body), true)).reply(201, { id: 555 });
    const event = issuesEvent("labeled", { labels: ["incident", "incident:needs-writeup", "sev:2"], label: "sev:2" });
    currentIssue(scope, event);
    await deliver("issues", event);
    expect(status).toContain("<!-- incident-keeper:status -->");
    expect(decodeState(status).resolvedAt).toBeNull();
    expect(decodeState(status).classifiedAt).toBeNull();
  });
});

describe("events the app must not act on", () => {
  it("ignores its own label events without a single API call", async () => {
    await deliver(
      "issues",
      issuesEvent("labeled", { labels: ["incident", "sev:2"], label: "sev:2", sender: BOT_LOGIN, senderType: "Bot" }),
    );
  });

  it("reads only the config for an issue that is not an incident", async () => {
    noConfig(githubMock());
    await deliver("issues", issuesEvent("opened", { labels: ["bug"] }));
  });

  it("ignores pull requests", async () => {
    const payload = issuesEvent("opened", { labels: ["incident"] });
    payload.issue.pull_request = { url: "https://api.github.com/repos/acme/api/pulls/7" };
    await deliver("issues", payload);
  });
});

describe("invalid config", () => {
  it("posts one comment naming each bad key and takes no SLA action", async () => {
    let report = "";
    const scope = repoConfig(
      githubMock(),
      "sla:\n  investigation_hours: -3\n  resolution_clock_start: whenever\nteams:\n  product: everyone\n",
    );
    comments(scope, 7, []);
    scope.post(path("/issues/7/comments"), (b: { body: string }) => ((report = b.body), true)).reply(201, { id: 600 });
    await deliver("issues", issuesEvent("opened", { labels: ["incident", "sev:2"] }));
    expect(report).toContain("<!-- incident-keeper:config-error -->");
    expect(report).toContain("`sla.investigation_hours`");
    expect(report).toContain("`sla.resolution_clock_start`");
    expect(report).toContain("`teams.product`");
    expect(report).toContain("no SLA action is taken");
  });

  it("does not repeat an identical config report", async () => {
    let report = "";
    const yaml = "sla: [1, 2]\n";
    const first = repoConfig(githubMock(), yaml);
    comments(first, 7, []);
    first.post(path("/issues/7/comments"), (b: { body: string }) => ((report = b.body), true)).reply(201, { id: 600 });
    await deliver("issues", issuesEvent("opened", { labels: ["incident"] }));
    const second = repoConfig(githubMock(), yaml);
    comments(second, 7, [ownComment(600, report)]);
    await deliver("issues", issuesEvent("labeled", { labels: ["incident", "sev:1"], label: "sev:1" }));
  });

  it("edits its report to say the file was fixed once the config is valid again (issue #10 item 11)", async () => {
    let report = "";
    const bad = repoConfig(githubMock(), "sla: [1, 2]\n");
    comments(bad, 7, []);
    bad.post(path("/issues/7/comments"), (b: { body: string }) => ((report = b.body), true)).reply(201, { id: 600 });
    await deliver("issues", issuesEvent("opened", { labels: ["incident"] }));
    expect(report).toContain("no SLA action is taken");

    let fixed = "";
    const labels = ["incident", "category:core-bug", "sev:2", "devops:3", "incident:needs-writeup"];
    const good = noConfig(githubMock());
    comments(good, 7, [ownComment(600, report)]);
    timeline(good, 7);
    const event = issuesEvent("labeled", { labels, label: "sev:2" });
    currentIssue(good, event); // no status comment yet and not the event that made it an incident: read it
    good
      .post(path("/issues/7/comments"))
      .reply(201, { id: 601, body: "" })
      .patch(path("/issues/comments/600"), (b: { body: string }) => ((fixed = b.body), true))
      .reply(200, {});
    await deliver("issues", event);
    expect(fixed).toContain("<!-- incident-keeper:config-error -->");
    expect(fixed).not.toContain("no SLA action is taken");
    expect(fixed).toContain("is valid again");
  });

  it("reports a YAML syntax error as a config error", async () => {
    let report = "";
    const scope = repoConfig(githubMock(), "sla: {investigation_hours: 12\n");
    comments(scope, 7, []);
    scope.post(path("/issues/7/comments"), (b: { body: string }) => ((report = b.body), true)).reply(201, { id: 600 });
    await deliver("issues", issuesEvent("opened", { labels: ["incident"] }));
    expect(report).toContain("could not be read as YAML");
  });
});

describe("categories without remediation", () => {
  it("posts a memo for an operator error once, mentioning the product team", async () => {
    const posted: string[] = [];
    const scope = repoConfig(githubMock(), "teams:\n  product: '@acme/product'\n");
    const event = issuesEvent("labeled", {
      title: "Reports missing <b>@everyone</b>",
      labels: ["incident", "incident:needs-writeup", "category:operator-error", "sev:3"],
      label: "category:operator-error",
    });
    comments(scope, 7, []);
    timeline(scope, 7); // no state yet: when did it become an incident?
    currentIssue(scope, event);
    scope
      .post(path("/issues/7/comments"), (b: { body: string }) => (posted.push(b.body), true))
      .times(2)
      .reply(201, { id: 700 });
    await deliver("issues", event);
    expect(posted).toHaveLength(2);
    expect(posted[0]).toContain("<!-- incident-keeper:notice memo:operator-error -->");
    expect(posted[0]).toContain("cc @acme/product");
    expect(posted[0]).toContain("&lt;b&gt;&#64;everyone&lt;/b&gt;");
    expect(posted[0]).not.toContain("@everyone");
    expect(posted[1]).toContain("| Resolve | — | — not applicable |");
  });

  it("hands a feature request to the product team with a label and no resolution deadline", async () => {
    const added: string[][] = [];
    const posted: string[] = [];
    const scope = repoConfig(githubMock(), "teams:\n  product: '@acme/product'\n");
    const event = issuesEvent("labeled", {
      labels: ["incident", "incident:needs-writeup", "category:feature-request"],
      label: "category:feature-request",
    });
    comments(scope, 7, []);
    timeline(scope, 7); // no state yet: when did it become an incident?
    currentIssue(scope, event);
    repoLabels(scope, ALL_LABELS);
    scope
      .post(path("/issues/7/labels"), (b: { labels: string[] }) => (added.push(b.labels), true))
      .reply(200, [])
      .post(path("/issues/7/comments"), (b: { body: string }) => (posted.push(b.body), true))
      .times(2)
      .reply(201, { id: 700 });
    await deliver("issues", event);
    expect(added).toEqual([["product"]]);
    expect(posted[0]).toContain("@acme/product: please assess");
    expect(posted[1]).toContain("✅ met");
    expect(posted[1]).toContain("not applicable");
  });
});

describe("the incident label removed, and back (issue #10 item 10)", () => {
  it("removes the app's own labels and marks the status comment: config, comments, 2 deletes, 1 edit", async () => {
    let edited = "";
    const scope = noConfig(githubMock());
    comments(scope, 7, [ownComment(555, "<!-- incident-keeper:status -->")]);
    scope
      .delete(path("/issues/7/labels/incident%3Aneeds-writeup"))
      .reply(200, [])
      .delete(path("/issues/7/labels/sla%3Abreached"))
      .reply(200, [])
      .patch(path("/issues/comments/555"), (b: { body: string }) => ((edited = b.body), true))
      .reply(200, {});
    const event = issuesEvent("unlabeled", {
      labels: ["sev:2", "incident:needs-writeup", "sla:breached"],
      label: "incident",
    });
    await deliver("issues", event);
    expect(edited).toContain("**No longer an incident**");
    expect(decodeState(edited).droppedAt).toBeDefined();
  });

  it("removing the label from an issue the app never handled costs the config and one comment read", async () => {
    const scope = noConfig(githubMock());
    comments(scope, 7, []);
    await deliver("issues", issuesEvent("unlabeled", { labels: ["sev:2"], label: "incident" }));
  });
});
