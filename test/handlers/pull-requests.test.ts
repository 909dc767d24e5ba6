/**
 * Pull requests that reference an incident's follow-up action: merged (the action is done and ticked),
 * opened (shown "in review"), closed unmerged (not done), and PRs that reference nothing (no calls).
 * Every request is declared once and logged; an extra one fails the test (net connect disabled,
 * "no match" recorded), a missing one shows as pending.
 */
import { beforeEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import type { Probot } from "probot";
import { decodeState, EMPTY_STATE, type StatusState } from "../../src/core/status-state.js";
import { PR_STATUS_MARKER } from "../../src/handlers/pull-requests.js";
import { githubMock, issueJson, ownComment, statusBody } from "../support/github-mock.js";
import { BOT_LOGIN, example, INSTALLATION_ID } from "../support/payloads.js";
import { testProbot } from "../support/probot.js";
import { useStrictNock } from "../support/strict-nock.js";

const INCIDENT_BODY = [
  "Logins fail with 503.",
  "",
  "## Timeline",
  "",
  "- 06:00 alerts fired",
  "",
  "## RCA",
  "",
  "A bad config push.",
  "",
  "## Actions",
  "",
  "- [ ] #12 add a circuit breaker",
  "- [ ] #13 alert on pool size",
  "",
].join("\n");
const INCIDENT_LABELS = ["incident", "category:core-bug", "sev:2", "devops:3"];
const CACHED_ACTIONS: StatusState["actions"] = {
  "acme/api#12": { found: true, kind: "issue", state: "open", stateReason: null, title: "Add a circuit breaker" },
  "acme/api#13": { found: true, kind: "issue", state: "open", stateReason: null, title: "Alert on pool size" },
};
const PREVIOUS_STATE: StatusState = {
  ...EMPTY_STATE,
  classifiedAt: "2026-11-23T07:00:00.000Z",
  actions: CACHED_ACTIONS,
};

let probot: Probot;
const { requests, logged } = useStrictNock();
beforeEach(async () => {
  ({ probot } = await testProbot());
});

const api = (): nock.Scope => logged(githubMock());

const incidentCrossReference = {
  event: "cross-referenced",
  actor: { login: "alice", type: "User" },
  created_at: "2026-11-23T06:30:00Z",
  source: {
    type: "issue",
    issue: {
      ...issueJson({ number: 7, title: "Login returns 503", body: "stale snapshot", labels: INCIDENT_LABELS }),
      repository: { full_name: "acme/api" },
    },
  },
};

/** A `pull_request.<action>` delivery for acme/api#40, from a real example. */
function prEvent(
  action: "opened" | "closed" | "reopened",
  args: { body: string; merged?: boolean; sender?: string },
): object {
  const payload = example("pull_request", action === "reopened" ? "reopened" : action);
  const sender = args.sender ?? "bob";
  payload.action = action;
  payload.installation = { id: INSTALLATION_ID, node_id: "I_1" };
  payload.repository.owner.login = "acme";
  payload.repository.name = "api";
  payload.repository.full_name = "acme/api";
  payload.sender = { login: sender, id: 99, type: sender === BOT_LOGIN ? "Bot" : "User" };
  const merged = args.merged ?? false;
  Object.assign(payload.pull_request, {
    number: 40,
    title: "Add a circuit breaker to the login pool",
    body: args.body,
    state: action === "closed" ? "closed" : "open",
    merged,
    merged_at: merged ? "2026-11-23T07:55:00Z" : null,
    closed_at: action === "closed" ? "2026-11-23T07:55:00Z" : null,
    user: { login: sender, id: 99, type: "User" },
  });
  return payload;
}

async function deliver(payload: object): Promise<void> {
  await probot.receive({ id: `delivery-${Math.random()}`, name: "pull_request", payload } as Parameters<
    Probot["receive"]
  >[0]);
}

/** The reads of the pull-request handler for `Fixes #12`, up to the incident's writes. */
function linkReads(scope: nock.Scope, args: { action12: object; status: StatusState; prComments: object[] }): void {
  scope
    .get("/repos/acme/api/contents/.github%2Fincident-keeper.yml")
    .reply(404, { message: "Not Found" })
    .get("/repos/acme/.github/contents/.github%2Fincident-keeper.yml")
    .reply(404, { message: "Not Found" })
    // Is #12 an incident? No: who lists it? Incident #7.
    .get("/repos/acme/api/issues/12")
    .reply(200, args.action12)
    .get("/repos/acme/api/issues/12/timeline")
    .query({ per_page: "100" })
    .reply(200, [incidentCrossReference])
    // The incident, fresh, and the app's own comments on it.
    .get("/repos/acme/api/issues/7")
    .reply(200, issueJson({ number: 7, title: "Login returns 503", body: INCIDENT_BODY, labels: INCIDENT_LABELS }))
    .get("/repos/acme/api/issues/7/comments")
    .query({ per_page: "100" })
    .reply(200, [ownComment(555, statusBody(args.status))])
    // (The action's state inside the sync is the read above, not a second GET of #12.)
    // The PR's own status comment.
    .get("/repos/acme/api/issues/40/comments")
    .query({ per_page: "100" })
    .reply(200, args.prComments);
}

describe("a merged pull request that fixes an incident's action", () => {
  it("ticks the action (closed by the merge), updates the incident's status and posts the PR's status comment", async () => {
    const patchedBodies: string[] = [];
    let status = "";
    let prStatus = "";
    const scope = api();
    // The follow-up handler: does any incident list the PR itself? (no)
    scope.get("/repos/acme/api/issues/40/timeline").query({ per_page: "100" }).reply(200, []);
    linkReads(scope, {
      action12: issueJson({ number: 12, title: "Add a circuit breaker", state: "closed", stateReason: "completed" }),
      status: { ...PREVIOUS_STATE, reviews: { "acme/api#12": ["acme/api#40"] } },
      prComments: [],
    });
    scope
      .patch("/repos/acme/api/issues/7", (b: { body?: string }) => (patchedBodies.push(b.body ?? "<no body>"), true))
      .reply(200, {})
      .patch("/repos/acme/api/issues/comments/555", (b: { body: string }) => ((status = b.body), true))
      .reply(200, {})
      .post("/repos/acme/api/issues/40/comments", (b: { body: string }) => ((prStatus = b.body), true))
      .reply(201, { id: 900, body: "" });

    await deliver(prEvent("closed", { body: "Fixes #12\n\n```\nnot #13\n```", merged: true }));

    expect(patchedBodies).toEqual([INCIDENT_BODY.replace("- [ ] #12", "- [x] #12")]);
    expect(status).toContain("- ✅ #12: Add a circuit breaker — done");
    expect(status).toContain("- ⬜ #13: Alert on pool size — open");
    expect(decodeState(status).reviews).toEqual({});
    expect(prStatus).toBe(
      [
        PR_STATUS_MARKER,
        "### 🚨 Linked incidents",
        "",
        "**#7** Login returns 503 (Sev 2): 1 of 2 follow-up actions done",
        "- [x] acme/api#12: Add a circuit breaker ← this pull request",
        "- [ ] acme/api#13: Alert on pool size",
        "",
        "<sub>Kept up to date by incident-keeper.</sub>",
      ].join("\n"),
    );
    expect(requests).toHaveLength(11);
    expect(requests.filter((r) => r === "GET /repos/acme/api/issues/12")).toHaveLength(1);
  });
});

describe("a pull request opened for an action", () => {
  it("shows the action in review on the incident and records the PR, without touching the body", async () => {
    let status = "";
    let prStatus = "";
    const scope = api();
    linkReads(scope, {
      action12: issueJson({ number: 12, title: "Add a circuit breaker" }),
      status: PREVIOUS_STATE,
      prComments: [],
    });
    scope
      .patch("/repos/acme/api/issues/comments/555", (b: { body: string }) => ((status = b.body), true))
      .reply(200, {})
      .post("/repos/acme/api/issues/40/comments", (b: { body: string }) => ((prStatus = b.body), true))
      .reply(201, { id: 900, body: "" });
    await deliver(prEvent("opened", { body: "Closes https://github.com/acme/api/issues/12" }));
    expect(status).toContain("- 🔍 #12: Add a circuit breaker — in review (acme/api#40)");
    expect(decodeState(status).reviews).toEqual({ "acme/api#12": ["acme/api#40"] });
    expect(prStatus).toContain("**#7** Login returns 503 (Sev 2): 0 of 2 follow-up actions done");
    expect(prStatus).toContain("- [ ] acme/api#12: Add a circuit breaker ← this pull request");
    expect(requests).toHaveLength(9);
  });
});

describe("an action first seen through a pull request's delivery", () => {
  it("records it opened on the timeline at GitHub's created_at, from the read the delivery made (no extra request)", async () => {
    let status = "";
    const scope = api();
    // #12 was never read for this incident (not in the cached states): the PR's read of it is the first.
    const { "acme/api#12": _first, ...others } = CACHED_ACTIONS;
    linkReads(scope, {
      action12: issueJson({ number: 12, title: "Add a circuit breaker" }),
      status: { ...PREVIOUS_STATE, actions: others },
      prComments: [],
    });
    scope
      .patch("/repos/acme/api/issues/comments/555", (b: { body: string }) => ((status = b.body), true))
      .reply(200, {})
      .post("/repos/acme/api/issues/40/comments")
      .reply(201, { id: 900, body: "" });
    await deliver(prEvent("opened", { body: "Closes https://github.com/acme/api/issues/12" }));
    const entries = decodeState(status).timeline?.entries ?? [];
    expect(entries.filter((e) => e.key === "action-opened:acme/api#12")).toEqual([
      {
        at: "2026-11-23T06:00:00.000Z",
        kind: "event",
        text: "Follow-up action #12 opened: Add a circuit breaker",
        key: "action-opened:acme/api#12",
      },
    ]);
    // #13 stays as cached: no opened entry without a read of it.
    expect(entries.some((e) => e.key === "action-opened:acme/api#13")).toBe(false);
    expect(requests).toHaveLength(9);
  });
});

describe("a pull request closed without merging", () => {
  it("leaves the action undone and unticked, drops the review, and edits its own status comment", async () => {
    let status = "";
    let prStatus = "";
    const scope = api();
    const oldPrStatus = `${PR_STATUS_MARKER}\n### 🚨 Linked incidents\n\n(old)`;
    // The follow-up handler does nothing for an unmerged close: no timeline read of the PR.
    linkReads(scope, {
      action12: issueJson({ number: 12, title: "Add a circuit breaker" }),
      status: { ...PREVIOUS_STATE, reviews: { "acme/api#12": ["acme/api#40"] } },
      prComments: [ownComment(900, oldPrStatus)],
    });
    scope
      .patch("/repos/acme/api/issues/comments/555", (b: { body: string }) => ((status = b.body), true))
      .reply(200, {})
      .patch("/repos/acme/api/issues/comments/900", (b: { body: string }) => ((prStatus = b.body), true))
      .reply(200, {});
    await deliver(prEvent("closed", { body: "Fixes #12", merged: false }));
    expect(status).toContain("- ⬜ #12: Add a circuit breaker — open");
    expect(status).toContain("**Follow-up actions** (0 of 2 done)");
    expect(decodeState(status).reviews).toEqual({});
    expect(prStatus).toContain("- [ ] acme/api#12: Add a circuit breaker ← this pull request");
    expect(requests).toHaveLength(9);
    expect(requests).not.toContain("PATCH /repos/acme/api/issues/7");
  });
});

describe("pull requests that reference nothing", () => {
  it.each([
    { name: "opened, no references", body: "Refactors the login pool." },
    {
      name: "opened, references only in code and comments",
      body: "Run `make fix #12`\n\n<!-- Fixes #12 -->\n\n```\nFixes #13\n```",
    },
    { name: "opened, empty body", body: "" },
  ])("$name: zero API calls", async ({ body }) => {
    await deliver(prEvent("opened", { body }));
    expect(requests).toEqual([]);
  });

  it("closed unmerged, no references: zero API calls", async () => {
    await deliver(prEvent("closed", { body: "Refactors the login pool.", merged: false }));
    expect(requests).toEqual([]);
  });

  it("merged, no references: only the PR's own timeline (is the PR itself an action?)", async () => {
    api().get("/repos/acme/api/issues/40/timeline").query({ per_page: "100" }).reply(200, []);
    await deliver(prEvent("closed", { body: "Refactors the login pool.", merged: true }));
    expect(requests).toEqual(["GET /repos/acme/api/issues/40/timeline"]);
  });

  it("a reference to an issue outside the installation costs its config lookup and one issue read, nothing else", async () => {
    const scope = api();
    scope
      .get("/repos/elsewhere/lib/contents/.github%2Fincident-keeper.yml")
      .reply(404, { message: "Not Found" })
      .get("/repos/elsewhere/.github/contents/.github%2Fincident-keeper.yml")
      .reply(404, { message: "Not Found" })
      .get("/repos/elsewhere/lib/issues/5")
      .reply(404, { message: "Not Found" });
    await deliver(prEvent("opened", { body: "Works around elsewhere/lib#5" }));
    expect(requests.filter((r) => r.endsWith("/issues/5"))).toEqual(["GET /repos/elsewhere/lib/issues/5"]);
    expect(requests).toHaveLength(3);
  });

  it("ignores the app's own pull request events without a single API call", async () => {
    await deliver(prEvent("closed", { body: "Fixes #12", merged: true, sender: BOT_LOGIN }));
    expect(requests).toEqual([]);
  });
});
