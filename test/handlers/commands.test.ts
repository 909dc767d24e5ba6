import { beforeEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import type { Probot } from "probot";
import { decodeState } from "../../src/core/status-state.js";
import {
  ALL_LABELS,
  comments,
  githubMock,
  noConfig,
  ownComment,
  repoLabels,
  timeline,
} from "../support/github-mock.js";
import { commentEditedEvent, commentEvent, OWNER, REPO } from "../support/payloads.js";
import { deliver as deliverTo, testProbot } from "../support/probot.js";
import { useStrictNock } from "../support/strict-nock.js";

const path = (p: string): string => `/repos/${OWNER}/${REPO}${p}`;

useStrictNock();
let probot: Probot;
beforeEach(async () => {
  ({ probot } = await testProbot());
});

const deliver = (payload: object): Promise<void> => deliverTo(probot, "issue_comment", payload);

function permission(scope: nock.Scope, login: string, role: string): nock.Scope {
  const permissionOf: Record<string, string> = {
    admin: "admin",
    maintain: "write",
    write: "write",
    triage: "read",
    read: "read",
    none: "none",
  };
  return scope
    .get(path(`/collaborators/${login}/permission`))
    .reply(200, { permission: permissionOf[role], role_name: role, user: { login } });
}

describe("slash commands from a user with permission", () => {
  it("classifies with several commands in one comment: one permission read, one label write, one status comment", async () => {
    const added: string[][] = [];
    let status = "";
    const scope = noConfig(githubMock());
    permission(scope, "bob", "triage");
    comments(scope, 7, []);
    timeline(scope, 7); // no state yet: when did it become an incident?
    repoLabels(scope, ALL_LABELS);
    scope
      .post(path("/issues/7/labels"), (b: { labels: string[] }) => (added.push(b.labels), true))
      .reply(200, [])
      .post(path("/issues/7/comments"), (b: { body: string }) => ((status = b.body), true))
      .reply(201, { id: 555 });
    await deliver(
      commentEvent({
        labels: ["incident", "incident:needs-writeup"],
        comment: "Looked into it.\n\n/sev 2\n/devops 3\n/category core-bug",
        commenter: "bob",
      }),
    );
    expect(added).toEqual([["category:core-bug", "sev:2", "devops:3"]]);
    expect(status).toContain("| Resolve (48 hours) | 2026-11-25 08:00 UTC (in 2 days) | ⏳ on track |");
  });

  it("replaces an existing label of the same dimension", async () => {
    const scope = noConfig(githubMock());
    permission(scope, "alice", "admin");
    comments(scope, 7, [ownComment(555, "<!-- incident-keeper:status -->")]);
    repoLabels(scope, ALL_LABELS);
    scope
      .post(path("/issues/7/labels"), { labels: ["sev:1"] })
      .reply(200, [])
      .delete(path("/issues/7/labels/sev%3A3"))
      .reply(200, [])
      .patch(path("/issues/comments/555"))
      .reply(200, {});
    await deliver(commentEvent({ labels: ["incident", "incident:needs-writeup", "sev:3"], comment: "/sev 1" }));
  });

  it("a command delivered after a newer one for the same dimension does not override it", async () => {
    // The status comment records that a /sev command written at 08:30 set the severity (sev:1).
    const state = Buffer.from(JSON.stringify({ v: 1, commandsAt: { severity: "2026-11-23T08:30:00.000Z" } })).toString(
      "base64",
    );
    const status = `<!-- incident-keeper:status -->\n<!-- incident-keeper:state ${state} -->`;
    let edited = "";
    const scope = noConfig(githubMock());
    permission(scope, "bob", "triage");
    comments(scope, 7, [ownComment(555, status)]);
    repoLabels(scope, ALL_LABELS);
    // Only /devops applies; no severity label is added or removed.
    scope
      .post(path("/issues/7/labels"), { labels: ["devops:2"] })
      .reply(200, [])
      .patch(path("/issues/comments/555"), (b: { body: string }) => ((edited = b.body), true))
      .reply(200, {});
    const late = commentEvent({
      labels: ["incident", "incident:needs-writeup", "sev:1"],
      comment: "/sev 3\n/devops 2",
      commenter: "bob",
    });
    (late.comment as { created_at: string }).created_at = "2026-11-23T08:10:00Z"; // written before the newer /sev
    await deliver(late);
    expect(edited).toContain("| Severity | Sev 1: complete outage |");
    expect(decodeState(edited).commandsAt).toEqual({
      severity: "2026-11-23T08:30:00.000Z",
      devops: "2026-11-23T08:10:00.000Z",
    });
  });

  it("declares an incident with /incident: adds the label and starts the clocks", async () => {
    let status = "";
    const scope = noConfig(githubMock());
    permission(scope, "alice", "write");
    comments(scope, 7, []);
    repoLabels(scope, ALL_LABELS);
    scope
      .post(path("/issues/7/labels"), { labels: ["incident", "incident:needs-writeup"] })
      .reply(200, [])
      .post(path("/issues/7/comments"), (b: { body: string }) => ((status = b.body), true))
      .reply(201, { id: 555 });
    await deliver(commentEvent({ labels: ["bug"], comment: "/incident" }));
    expect(status).toContain("2026-11-23 18:00 UTC");
  });

  it("records /resolved as the resolution time", async () => {
    let status = "";
    const scope = noConfig(githubMock());
    permission(scope, "alice", "admin");
    comments(scope, 7, []);
    timeline(scope, 7); // no state yet: when did it become an incident?
    scope.post(path("/issues/7/comments"), (b: { body: string }) => ((status = b.body), true)).reply(201, { id: 555 });
    await deliver(
      commentEvent({
        labels: ["incident", "incident:needs-writeup", "category:core-bug", "sev:2", "devops:1"],
        comment: "/resolved",
      }),
    );
    expect(decodeState(status).resolvedAt).toBe("2026-11-23T08:00:00.000Z");
    expect(status).toContain("✅ met (resolved 2026-11-23 08:00 UTC)");
  });

  it("answers junk arguments once with what is wrong, and applies the valid commands", async () => {
    const posted: string[] = [];
    const scope = noConfig(githubMock());
    permission(scope, "alice", "admin");
    comments(scope, 7, []);
    timeline(scope, 7); // no state yet: when did it become an incident?
    repoLabels(scope, ALL_LABELS);
    scope
      .post(path("/issues/7/comments"), (b: { body: string }) => (posted.push(b.body), true))
      .times(2)
      .reply(201, { id: 556 })
      .post(path("/issues/7/labels"), { labels: ["devops:2"] })
      .reply(200, []);
    await deliver(
      commentEvent({ labels: ["incident", "incident:needs-writeup"], comment: "/sev 9\n/devops 2\n/category banana" }),
    );
    expect(posted[0]).toContain("`/sev 9`: `/sev` takes a severity from 1 to 5");
    expect(posted[0]).toContain("`/category banana`");
    expect(posted[0]).toContain("<!-- incident-keeper:reply 9001 -->");
  });
});

describe("near-misses (issue #10 item 5)", () => {
  it("answers `/sev1` and `/devop 3` with the same short correction as `/sev 9`, and changes nothing", async () => {
    const posted: string[] = [];
    const scope = noConfig(githubMock());
    permission(scope, "alice", "admin");
    comments(scope, 7, []);
    scope
      .post(path("/issues/7/comments"), (b: { body: string }) => (posted.push(b.body), true))
      .reply(201, { id: 556 });
    await deliver(commentEvent({ labels: ["incident", "incident:needs-writeup"], comment: "/sev1\n/devop 3" }));
    expect(posted).toHaveLength(1);
    expect(posted[0]).toContain("`/sev1`: `/sev1` needs a space: `/sev 1`");
    expect(posted[0]).toContain("did you mean `/devops 3`?");
    expect(posted[0]).toContain("<!-- incident-keeper:reply 9001 -->");
  });
});

describe("slash commands from a user without permission", () => {
  it("changes nothing and replies once saying why", async () => {
    let reply = "";
    const scope = noConfig(githubMock());
    permission(scope, "mallory", "read");
    comments(scope, 7, []);
    scope.post(path("/issues/7/comments"), (b: { body: string }) => ((reply = b.body), true)).reply(201, { id: 557 });
    await deliver(commentEvent({ labels: ["incident"], comment: "/sev 1", commenter: "mallory" }));
    expect(reply).toContain(
      "@mallory `/sev` needs at least **triage** permission on this repository (you have **read**)",
    );
  });

  it("does not reply twice to the same comment delivered again", async () => {
    const scope = noConfig(githubMock());
    permission(scope, "mallory", "none");
    comments(scope, 7, [ownComment(557, "<!-- incident-keeper:reply 9001 -->\n@mallory ...")]);
    await deliver(commentEvent({ labels: ["incident"], comment: "/sev 1", commenter: "mallory" }));
  });

  it("needs maintain for /close --force even from a triager", async () => {
    let reply = "";
    const scope = noConfig(githubMock());
    permission(scope, "bob", "triage");
    comments(scope, 7, []);
    scope.post(path("/issues/7/comments"), (b: { body: string }) => ((reply = b.body), true)).reply(201, { id: 557 });
    await deliver(commentEvent({ labels: ["incident"], comment: "/close --force dup", commenter: "bob" }));
    expect(reply).toContain("needs at least **maintain** permission");
  });
});

describe("a stranger spamming commands", () => {
  it("gets at most 3 replies an hour; later attempts change nothing and get no reply", async () => {
    const replies: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const scope = noConfig(githubMock());
      permission(scope, "mallory", "none");
      comments(scope, 7, []);
      if (i < 3)
        scope
          .post(path("/issues/7/comments"), (b: { body: string }) => (replies.push(b.body), true))
          .reply(201, { id: 600 + i });
      await deliver(
        commentEvent({ labels: ["incident"], comment: "/sev 1", commenter: "mallory", commentId: 7000 + i }),
      );
    }
    expect(replies).toHaveLength(3);
    expect(replies.map((r) => /reply (\d+)/.exec(r)?.[1])).toEqual(["7000", "7001", "7002"]);
  });
});

describe("comments the app must not act on", () => {
  it.each([
    ["a comment without commands", { comment: "we are on it, ETA 20 min" }],
    ["a command inside a code block", { comment: "```\n/sev 1\n```" }],
    ["a quoted command", { comment: "> /sev 1\n\nthat was wrong" }],
    ["a bot's comment", { comment: "/sev 1", commenter: "ci-bot[bot]", commenterType: "Bot" }],
    ["an unknown slash word", { comment: "/deploy now" }],
  ])("makes no API call for %s", async (_name, shape) => {
    await deliver(commentEvent({ labels: ["incident"], ...shape }));
  });

  it("ignores commands on an issue that is not an incident (only the config is read)", async () => {
    noConfig(githubMock());
    await deliver(commentEvent({ labels: ["bug"], comment: "/sev 1" }));
  });
});

describe("edited comments (issue #10 item 5)", () => {
  it("applies only the commands that are new in the edited text, with the permission read", async () => {
    let edited = "";
    const scope = noConfig(githubMock());
    permission(scope, "bob", "triage");
    comments(scope, 7, [ownComment(555, "<!-- incident-keeper:status -->")]);
    repoLabels(scope, ALL_LABELS);
    // `/sev 2` was there before (and applied then): only `/devops 3` is applied now.
    scope
      .post(path("/issues/7/labels"), { labels: ["devops:3"] })
      .reply(200, [])
      .patch(path("/issues/comments/555"), (b: { body: string }) => ((edited = b.body), true))
      .reply(200, {});
    await deliver(
      commentEditedEvent({
        labels: ["incident", "incident:needs-writeup", "sev:2"],
        from: "Looked into it.\n\n/sev 2",
        comment: "Looked into it.\n\n/sev 2\n/devops 3",
        commenter: "bob",
      }),
    );
    // The edit's time is when the new command was said.
    expect(decodeState(edited).commandsAt).toEqual({ devops: "2026-11-23T09:00:00.000Z" });
  });

  it("an edit that adds no command (or only repeats one) costs no API call", async () => {
    githubMock(); // any request would be unmatched and fail the test
    await deliver(
      commentEditedEvent({ labels: ["incident"], from: "Looking into it", comment: "Looking into it now" }),
    );
    await deliver(commentEditedEvent({ labels: ["incident"], from: "/sev 2", comment: "Now with words.\n\n/sev 2" }));
  });

  it("a new command from someone without the permission is refused like a new comment", async () => {
    const posted: string[] = [];
    const scope = noConfig(githubMock());
    permission(scope, "mallory", "read");
    comments(scope, 7, [ownComment(555, "<!-- incident-keeper:status -->")]);
    scope
      .post(path("/issues/7/comments"), (b: { body: string }) => (posted.push(b.body), true))
      .reply(201, { id: 556 });
    await deliver(
      commentEditedEvent({ labels: ["incident"], from: "hello", comment: "hello\n/sev 1", commenter: "mallory" }),
    );
    expect(posted).toHaveLength(1);
    expect(posted[0]).toContain("@mallory");
  });
});
