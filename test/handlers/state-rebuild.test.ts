/**
 * Issue #10 item 6: a status comment whose hidden state was edited away, or that was deleted, is
 * repaired from GitHub's own history (label times, `/resolved` by someone allowed), not from now.
 * Reads counted: config (2), the comments (1), the label timeline (1), one permission per author.
 */
import { beforeEach, describe, expect, it } from "@jest/globals";
import type { Probot } from "probot";
import { configureStateKey, decodeState, EMPTY_STATE, encodeState } from "../../src/core/status-state.js";
import { githubMock, noConfig, ownComment, timeline } from "../support/github-mock.js";
import { issuesEvent, OWNER, REPO } from "../support/payloads.js";
import { deliver as deliverTo, testProbot } from "../support/probot.js";
import { useStrictNock } from "../support/strict-nock.js";

const path = (p: string): string => `/repos/${OWNER}/${REPO}${p}`;
const LABELS = ["incident", "category:core-bug", "sev:2", "devops:3", "incident:needs-writeup"];
const HISTORY: Array<[string, string]> = [
  ["incident", "2026-11-23T06:05:00Z"],
  ["category:core-bug", "2026-11-23T06:10:00Z"],
  ["sev:2", "2026-11-23T06:20:00Z"],
  ["devops:3", "2026-11-23T06:30:00Z"],
];
const person = (id: number, login: string, body: string, at: string): object => ({
  id,
  body,
  user: { login, type: "User" },
  created_at: at,
  updated_at: at,
  performed_via_github_app: null,
});

useStrictNock();
let probot: Probot;
beforeEach(async () => {
  ({ probot } = await testProbot());
});

const deliver = (payload: object): Promise<void> => deliverTo(probot, "issues", payload);

describe("the hidden state lost (issue #10 item 6)", () => {
  it("state line edited away: rebuilt from the label timeline and the /resolved comment, and repaired in place", async () => {
    let edited = "";
    const edit =
      "<!-- incident-keeper:status -->\n### 🚨 Incident status\n\n(edited)\n\n<sub>Updated 2026-11-23 07:00 UTC by incident-keeper. Times are UTC.</sub>";
    const scope = noConfig(githubMock());
    scope
      .get(path("/issues/7/comments"))
      .query(true)
      .reply(200, [ownComment(555, edit), person(600, "bob", "/resolved", "2026-11-23T07:30:00Z")]);
    timeline(scope, 7, HISTORY);
    scope
      .get(path("/collaborators/bob/permission"))
      .reply(200, { permission: "read", role_name: "triage", user: { login: "bob" } })
      .patch(path("/issues/comments/555"), (b: { body: string }) => ((edited = b.body), true))
      .reply(200, {});
    await deliver(issuesEvent("edited", { labels: LABELS }));
    const state = decodeState(edited);
    expect([state.incidentAt, state.classifiedAt, state.resolvedAt]).toEqual([
      "2026-11-23T06:05:00.000Z",
      "2026-11-23T06:30:00.000Z",
      "2026-11-23T07:30:00.000Z",
    ]);
    expect(edited).toContain("✅ met (classified 2026-11-23 06:30 UTC)");
  });

  it("status comment deleted: recreated once, with the classification time from history, not now", async () => {
    let created = "";
    const scope = noConfig(githubMock());
    // The app's other comments remain (a memo, a reminder): the status comment was deleted.
    scope
      .get(path("/issues/7/comments"))
      .query(true)
      .reply(200, [ownComment(556, "<!-- incident-keeper:reminder investigation:50 -->")]);
    const event = issuesEvent("edited", { labels: LABELS });
    // No status comment: the delivery's copy is not trusted, the current issue is read (as before).
    scope.get(path("/issues/7")).reply(200, event.issue);
    timeline(scope, 7, HISTORY);
    scope.post(path("/issues/7/comments"), (b: { body: string }) => ((created = b.body), true)).reply(201, { id: 557 });
    await deliver(event);
    expect(decodeState(created).classifiedAt).toBe("2026-11-23T06:30:00.000Z");
    expect(decodeState(created).reminders).toEqual(["investigation:50"]);
  });

  it("a state changed by someone else (signing on) does not verify and is rebuilt: a forged forced close is dropped", async () => {
    configureStateKey(Buffer.alloc(32, 7));
    try {
      // Written by hand, without the app's key: "classified at 07:59, closed by force by mallory".
      configureStateKey(null);
      const forged = encodeState({
        ...EMPTY_STATE,
        classifiedAt: "2026-11-23T07:59:00.000Z",
        forcedClose: { by: "mallory", reason: "x", at: "2026-11-23T07:59:00.000Z" },
      });
      configureStateKey(Buffer.alloc(32, 7));
      let edited = "";
      const scope = noConfig(githubMock());
      scope
        .get(path("/issues/7/comments"))
        .query(true)
        .reply(200, [ownComment(555, `<!-- incident-keeper:status -->\n${forged}`)]);
      timeline(scope, 7, HISTORY);
      scope.patch(path("/issues/comments/555"), (b: { body: string }) => ((edited = b.body), true)).reply(200, {});
      await deliver(issuesEvent("edited", { labels: LABELS }));
      const state = decodeState(edited);
      expect([state.classifiedAt, state.forcedClose]).toEqual(["2026-11-23T06:30:00.000Z", null]);
      expect(edited).toMatch(/incident-keeper:state [A-Za-z0-9+/=]+ sig=[A-Za-z0-9_-]+ -->/);
    } finally {
      configureStateKey(null);
    }
  });
});
