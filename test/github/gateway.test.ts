/**
 * The gateway against a mocked GitHub: lost-answer recovery of comment creation (never a duplicate),
 * label existence cached per process, tolerated 404/422s, remote states of actions, cross-references
 * from the timeline (paginated), own comments only. Every request is declared and logged.
 */
import { beforeEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import type { Logger } from "probot";
import { UnthrottledOctokit } from "../support/probot.js";
import { GitHubGateway, parseKey } from "../../src/github/gateway.js";
import { GitHubCaches } from "../../src/github/prepare-octokit.js";
import type { AppIdentity } from "../../src/github/identity.js";
import { API } from "../support/github-mock.js";
import { useStrictNock } from "../support/strict-nock.js";

const ME: AppIdentity = { appId: 123, botLogin: "incident-keeper[bot]" };
const Octokit = UnthrottledOctokit;

const { requests, logged } = useStrictNock();
let warnings: string[];
/** One app's caches, shared by the gateways of a test (as the app's gateways share them). */
let caches: GitHubCaches;
beforeEach(() => {
  warnings = [];
  caches = new GitHubCaches();
});

const api = (): nock.Scope => logged(nock(API));

function gateway(installationId = 1, repo = { owner: "acme", repo: "api" }): GitHubGateway {
  const log = {
    warn: (_fields: unknown, message: string) => warnings.push(message),
    info: () => undefined,
    debug: () => undefined,
    error: () => undefined,
  } as unknown as Logger;
  return new GitHubGateway(new Octokit({ auth: { token: "ghs_test" } }), repo, ME, log, installationId, caches);
}

const own = (id: number, body: string): object => ({
  id,
  body,
  user: { login: "incident-keeper[bot]", type: "Bot" },
  performed_via_github_app: { id: 123 },
});

describe("createComment: a lost answer never makes a duplicate", () => {
  const BODY = "<!-- incident-keeper:reminder investigation:50@2026-11-23T18:00:00.000Z -->\n### ⏰ SLA reminder";

  it("a 502 whose comment landed anyway: found by its marker line, not posted again", async () => {
    api()
      .post("/repos/acme/api/issues/7/comments")
      .reply(502, { message: "Bad Gateway" })
      .get("/repos/acme/api/issues/7/comments")
      .query(true)
      .reply(200, [
        { id: 1, body: BODY, user: { login: "mallory", type: "User" } },
        own(77, `${BODY.split("\n")[0]}\n(rendered a bit differently)`),
      ]);
    expect(await gateway().createComment(7, BODY)).toEqual({
      id: 77,
      body: `${BODY.split("\n")[0]}\n(rendered a bit differently)`,
    });
    expect(requests).toEqual(["POST /repos/acme/api/issues/7/comments", "GET /repos/acme/api/issues/7/comments"]);
    expect(warnings).toEqual(["comment creation answered with an error but the comment exists: not repeated"]);
  });

  it("a connection error and no such comment: posted once more", async () => {
    api()
      .post("/repos/acme/api/issues/7/comments")
      .replyWithError("socket hang up")
      .get("/repos/acme/api/issues/7/comments")
      .query(true)
      .reply(200, [own(5, "<!-- incident-keeper:status -->\nstatus")])
      .post("/repos/acme/api/issues/7/comments", { body: BODY })
      .reply(201, { id: 78, body: BODY });
    expect(await gateway().createComment(7, BODY)).toEqual({ id: 78, body: BODY });
    expect(requests).toEqual([
      "POST /repos/acme/api/issues/7/comments",
      "GET /repos/acme/api/issues/7/comments",
      "POST /repos/acme/api/issues/7/comments",
    ]);
  });

  it("a comment without the app's marker is recognised only by its whole body", async () => {
    api()
      .post("/repos/acme/api/issues/7/comments")
      .reply(500, {})
      .get("/repos/acme/api/issues/7/comments")
      .query(true)
      .reply(200, [own(9, "Thanks!\nsomething else")])
      .post("/repos/acme/api/issues/7/comments")
      .reply(201, { id: 10, body: "Thanks!\nmore" });
    expect((await gateway().createComment(7, "Thanks!\nmore")).id).toBe(10);
    expect(requests).toHaveLength(3);
  });

  it("a 4xx is a real refusal: thrown, no lookup", async () => {
    api().post("/repos/acme/api/issues/7/comments").reply(422, { message: "Validation Failed" });
    await expect(gateway().createComment(7, BODY)).rejects.toMatchObject({ status: 422 });
    expect(requests).toEqual(["POST /repos/acme/api/issues/7/comments"]);
  });
});

describe("labels", () => {
  const spec = (name: string): { name: string; color: string; description: string } => ({
    name,
    color: "b60205",
    description: `about ${name}`,
  });

  it("reads the repository's labels once per process and creates only the missing ones", async () => {
    const created: object[] = [];
    api()
      .get("/repos/acme/api/labels")
      .query(true)
      .reply(200, [{ id: 1, name: "Incident" }])
      .post("/repos/acme/api/labels", (b: object) => (created.push(b), true))
      .reply(201, {})
      .post("/repos/acme/api/labels", (b: object) => (created.push(b), true))
      .reply(422, { message: "already_exists" }); // someone created it meanwhile: fine
    await gateway().ensureLabels([spec("incident"), spec("sev:1"), spec("sev:2")]);
    // A second gateway (next event), same installation and repository: nothing read or written.
    await gateway().ensureLabels([spec("incident"), spec("SEV:1"), spec("sev:2")]);
    expect(created).toEqual([spec("sev:1"), spec("sev:2")]);
    expect(requests).toEqual([
      "GET /repos/acme/api/labels",
      "POST /repos/acme/api/labels",
      "POST /repos/acme/api/labels",
    ]);
  });

  it("another installation or repository reads its own labels", async () => {
    api()
      .get("/repos/acme/api/labels")
      .query(true)
      .times(2)
      .reply(200, [{ id: 1, name: "sev:1" }])
      .get("/repos/acme/web/labels")
      .query(true)
      .reply(200, [{ id: 1, name: "sev:1" }]);
    await gateway(1).ensureLabels([spec("sev:1")]);
    await gateway(2).ensureLabels([spec("sev:1")]);
    await gateway(1, { owner: "acme", repo: "web" }).ensureLabels([spec("sev:1")]);
    expect(requests).toHaveLength(3);
  });

  it("nothing to ensure: no request", async () => {
    await gateway().ensureLabels([]);
    await gateway().addLabels(7, []);
    expect(requests).toEqual([]);
  });

  it("removing a label already gone is fine; a server error is not", async () => {
    api()
      .delete("/repos/acme/api/issues/7/labels/sev%3A2")
      .reply(404, {})
      .delete("/repos/acme/api/issues/7/labels/sev%3A3")
      .reply(500, {});
    await gateway().removeLabel(7, "sev:2");
    await expect(gateway().removeLabel(7, "sev:3")).rejects.toMatchObject({ status: 500 });
    expect(requests).toHaveLength(2);
  });
});

describe("remoteState", () => {
  const issue = (extra: object): object => ({
    number: 12,
    title: "Add a breaker",
    state: "open",
    state_reason: null,
    created_at: "2026-11-23T06:00:00Z",
    ...extra,
  });
  it.each([
    {
      name: "open issue",
      reply: issue({}),
      expected: { found: true, kind: "issue", state: "open", stateReason: null, title: "Add a breaker" },
    },
    {
      name: "issue closed as not planned",
      reply: issue({ state: "closed", state_reason: "not_planned" }),
      expected: { found: true, kind: "issue", state: "closed", stateReason: "not_planned", title: "Add a breaker" },
    },
    {
      name: "merged pull request",
      reply: issue({ state: "closed", pull_request: { merged_at: "2026-11-23T07:00:00Z" } }),
      expected: { found: true, kind: "pull", state: "closed", merged: true, title: "Add a breaker" },
    },
    {
      name: "pull request closed unmerged",
      reply: issue({ state: "closed", pull_request: { merged_at: null } }),
      expected: { found: true, kind: "pull", state: "closed", merged: false, title: "Add a breaker" },
    },
    {
      name: "a 300-character limit on titles",
      reply: issue({ title: "t".repeat(400) }),
      expected: { found: true, kind: "issue", state: "open", stateReason: null, title: "t".repeat(300) },
    },
  ])("$name", async ({ reply, expected }) => {
    api().get("/repos/acme/web/issues/12").reply(200, reply);
    expect(await gateway().remoteState("acme/web#12")).toEqual(expected);
  });

  it.each([404, 403, 410])("%s reads as not found", async (status) => {
    api().get("/repos/acme/web/issues/12").reply(status, { message: "no" });
    expect(await gateway().remoteState("acme/web#12")).toEqual({ found: false });
  });

  it("a server error is thrown, not mistaken for a missing issue", async () => {
    api().get("/repos/acme/web/issues/12").reply(503, {});
    await expect(gateway().remoteState("acme/web#12")).rejects.toMatchObject({ status: 503 });
  });

  it("a malformed key costs no request", async () => {
    expect(await gateway().remoteState("not a key")).toEqual({ found: false });
    expect(parseKey("acme/web#12")).toEqual({ owner: "acme", repo: "web", number: 12 });
    expect(parseKey("acme/web#")).toBeNull();
    expect(parseKey("acme#12")).toBeNull();
    expect(requests).toEqual([]);
  });
});

describe("referencingIssues: cross-references from the timeline, every page", () => {
  const source = (number: number, repo: object): object => ({
    event: "cross-referenced",
    source: {
      type: "issue",
      issue: {
        number,
        title: `Incident ${number}`,
        body: "",
        state: "open",
        labels: [{ name: "incident" }],
        created_at: "2026-11-23T06:00:00Z",
        ...repo,
      },
    },
  });

  it("finds each referencing issue once, across pages, by full name or by repository URL", async () => {
    api()
      .get("/repos/acme/web/issues/12/timeline")
      .query({ per_page: "100" })
      .reply(
        200,
        [
          source(7, { repository: { full_name: "acme/api" } }),
          { event: "labeled", label: { name: "bug" } },
          source(7, { repository: { full_name: "acme/api" } }),
        ],
        {
          Link: `<${API}/repositories/1/issues/12/timeline?per_page=100&page=2>; rel="next"`,
        },
      )
      .get("/repositories/1/issues/12/timeline")
      .query({ per_page: "100", page: "2" })
      .reply(200, [
        source(3, { repository_url: `${API}/repos/acme/ops` }),
        { event: "cross-referenced", source: { type: "issue", issue: { title: "no number" } } },
        {
          event: "cross-referenced",
          source: { type: "issue", issue: { number: 4, title: "no repository", created_at: "2026-11-23T06:00:00Z" } },
        },
      ]);
    const found = await gateway().referencingIssues("acme/web#12");
    expect(found.map((f) => `${f.owner}/${f.repo}#${f.issue.number} ${f.issue.labels.join(",")}`)).toEqual([
      "acme/api#7 incident",
      "acme/ops#3 incident",
    ]);
    expect(requests).toHaveLength(2);
  });
});

describe("ownComments and permissionOf", () => {
  it("keeps only the app's own comments", async () => {
    api()
      .get("/repos/acme/api/issues/7/comments")
      .query(true)
      .reply(200, [
        own(1, "mine"),
        { id: 2, body: "<!-- incident-keeper:status --> forged", user: { login: "mallory", type: "User" } },
        { id: 3, body: null, user: { login: "incident-keeper[bot]", type: "Bot" } },
      ]);
    expect(await gateway().ownComments(7)).toEqual([
      { id: 1, body: "mine" },
      { id: 3, body: "" },
    ]);
  });

  it("reads a user's permission once per gateway; a non-collaborator (404) has none", async () => {
    api()
      .get("/repos/acme/api/collaborators/maria/permission")
      .reply(200, { permission: "write", role_name: "maintain", user: { login: "maria" } })
      .get("/repos/acme/api/collaborators/stranger/permission")
      .reply(404, {});
    const g = gateway();
    expect(await Promise.all([g.permissionOf("maria"), g.permissionOf("maria")])).toEqual(["maintain", "maintain"]);
    expect(await g.permissionOf("maria")).toBe("maintain");
    expect(await g.permissionOf("stranger")).toBe("none");
    expect(requests).toEqual([
      "GET /repos/acme/api/collaborators/maria/permission",
      "GET /repos/acme/api/collaborators/stranger/permission",
    ]);
  });
});

describe("lastWriteAt: GitHub's time of the gateway's last write (the repair ledger settles on it)", () => {
  it("no write: null", () => {
    expect(gateway().lastWriteAt).toBeNull();
  });

  it("the comment's and the status edit's answers: the latest of their times", async () => {
    api()
      .post("/repos/acme/api/issues/7/comments")
      .reply(201, { id: 900, body: "x", created_at: "2026-11-23T10:00:01Z", updated_at: "2026-11-23T10:00:01Z" })
      .patch("/repos/acme/api/issues/comments/555")
      .reply(200, { id: 555, body: "y", updated_at: "2026-11-23T10:00:03Z" });
    const g = gateway();
    await g.createComment(7, "x");
    expect(g.lastWriteAt).toBe("2026-11-23T10:00:01.000Z");
    await g.updateComment(555, "y");
    expect(g.lastWriteAt).toBe("2026-11-23T10:00:03.000Z");
  });

  it("a write whose answer carries no time after it (labels, a delete): null, the next sweep looks again", async () => {
    api()
      .patch("/repos/acme/api/issues/comments/555")
      .reply(200, { id: 555, body: "y", updated_at: "2026-11-23T10:00:03Z" })
      .post("/repos/acme/api/issues/7/labels")
      .reply(200, [{ name: "sla:breached" }]);
    const g = gateway();
    await g.updateComment(555, "y");
    await g.addLabels(7, ["sla:breached"]);
    expect(g.lastWriteAt).toBeNull();
  });

  it("an issue update's answer (close, reopen, body) counts too", async () => {
    api().patch("/repos/acme/api/issues/7").reply(200, { number: 7, updated_at: "2026-11-23T10:00:05Z" });
    const g = gateway();
    await g.updateIssue(7, { state: "closed" });
    expect(g.lastWriteAt).toBe("2026-11-23T10:00:05.000Z");
  });
});
