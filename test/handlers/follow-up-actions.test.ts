/**
 * Follow-up actions change state: an action issue closed (completed / not planned) or reopened. The app
 * reads the action's timeline, finds the incidents that list it, re-reads each incident's body, ticks or
 * unticks only that checkbox and refreshes the status comment. Every request is declared once; an
 * extra one fails the test (net connect disabled, "no match" recorded), a missing one shows as pending.
 *
 * The action lives in acme/web and the incident in acme/api, so each repository's config is read by
 * exactly one handler whichever way config reads are shared between the handlers of one delivery.
 */
import { beforeEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import type { Probot } from "probot";
import { decodeState, EMPTY_STATE, type StatusState } from "../../src/core/status-state.js";
import { API, githubMock, issueJson, ownComment, statusBody } from "../support/github-mock.js";
import { BOT_LOGIN, issuesEvent } from "../support/payloads.js";
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
  "- [ ] acme/web#12 add a circuit breaker",
  "- [ ] #13 alert on pool size",
  "",
].join("\n");
const TICKED_BODY = INCIDENT_BODY.replace("- [ ] acme/web#12", "- [x] acme/web#12");
const INCIDENT_LABELS = ["incident", "category:core-bug", "sev:2", "devops:3"];

const PREVIOUS_STATE: StatusState = {
  ...EMPTY_STATE,
  classifiedAt: "2026-11-23T07:00:00.000Z",
  actions: {
    "acme/web#12": { found: true, kind: "issue", state: "open", stateReason: null, title: "Add a circuit breaker" },
    "acme/api#13": { found: true, kind: "issue", state: "open", stateReason: null, title: "Alert on pool size" },
  },
};

let probot: Probot;
const { requests, logged } = useStrictNock();
beforeEach(async () => {
  ({ probot } = await testProbot());
});

/** A scope whose every matched request is logged as `METHOD path` (the token scope is not). */
const api = (): nock.Scope => logged(githubMock());

function noConfigFor(scope: nock.Scope, repo: string): nock.Scope {
  return scope
    .get(`/repos/acme/${repo}/contents/.github%2Fincident-keeper.yml`)
    .reply(404, { message: "Not Found" })
    .get("/repos/acme/.github/contents/.github%2Fincident-keeper.yml")
    .reply(404, { message: "Not Found" });
}

/** A timeline `cross-referenced` event: `source` mentioned the action. */
function crossReference(source: {
  repo: string;
  number: number;
  title: string;
  body: string;
  labels: string[];
}): object {
  return {
    event: "cross-referenced",
    actor: { login: "alice", type: "User" },
    created_at: "2026-11-23T06:30:00Z",
    updated_at: "2026-11-23T06:30:00Z",
    source: {
      type: "issue",
      issue: {
        ...issueJson(source),
        repository: { id: 1, name: source.repo, full_name: `acme/${source.repo}`, owner: { login: "acme" } },
      },
    },
  };
}

/** An `issues.<action>` delivery for the action issue acme/web#12. */
function actionEvent(action: "closed" | "reopened", stateReason: string | null, sender = "bob"): object {
  // @octokit/webhooks-examples has no issues.closed example: a real issues.reopened one, closed.
  const payload = issuesEvent("reopened", {
    number: 12,
    title: "Add a circuit breaker",
    labels: [],
    sender,
    senderType: sender === BOT_LOGIN ? "Bot" : "User",
    state: action === "closed" ? "closed" : "open",
    closedAt: action === "closed" ? "2026-11-23T07:55:00Z" : null,
  });
  payload.action = action;
  payload.repository.name = "web";
  payload.repository.full_name = "acme/web";
  payload.issue.state_reason = stateReason;
  payload.issue.url = `${API}/repos/acme/web/issues/12`;
  payload.issue.repository_url = `${API}/repos/acme/web`;
  payload.issue.html_url = "https://github.com/acme/web/issues/12";
  return payload;
}

async function deliver(payload: object): Promise<void> {
  await probot.receive({ id: `delivery-${Math.random()}`, name: "issues", payload } as Parameters<
    Probot["receive"]
  >[0]);
}

/** The requests every "the incident gets synced" test makes, up to the writes. */
function expectSyncReads(
  scope: nock.Scope,
  args: { timeline: object[]; incidentBody: string; action: object; status?: StatusState },
): void {
  noConfigFor(scope, "web"); // the classification handler: is acme/web#12 an incident? (no)
  noConfigFor(scope, "api"); // the follow-up handler: the referencing incident's config
  scope
    .get("/repos/acme/web/issues/12/timeline")
    .query({ per_page: "100" })
    .reply(200, args.timeline)
    .get("/repos/acme/api/issues/7")
    .reply(
      200,
      issueJson({
        repo: "api",
        number: 7,
        title: "Login returns 503",
        body: args.incidentBody,
        labels: INCIDENT_LABELS,
      }),
    )
    .get("/repos/acme/api/issues/7/comments")
    .query({ per_page: "100" })
    .reply(200, [
      { id: 1, body: "On it.", user: { login: "alice", type: "User" } },
      ownComment(555, statusBody(args.status ?? PREVIOUS_STATE)),
    ])
    .get("/repos/acme/web/issues/12")
    .reply(200, args.action);
}

const incidentRef = { repo: "api", number: 7, title: "Login returns 503", labels: INCIDENT_LABELS };

describe("an action state the incident already records", () => {
  it("costs the timeline, the configs and the app's comments: no incident read, no write", async () => {
    const scope = api();
    noConfigFor(scope, "web");
    noConfigFor(scope, "api");
    // The status comment (written after the tick) already says acme/web#12 is closed as completed,
    // e.g. the merge of its PR was handled first.
    const recorded: StatusState = {
      ...PREVIOUS_STATE,
      actions: {
        ...PREVIOUS_STATE.actions,
        "acme/web#12": {
          found: true,
          kind: "issue",
          state: "closed",
          stateReason: "completed",
          title: "Add a circuit breaker",
        },
      },
    };
    scope
      .get("/repos/acme/web/issues/12/timeline")
      .query({ per_page: "100" })
      .reply(200, [crossReference({ ...incidentRef, body: TICKED_BODY })])
      .get("/repos/acme/api/issues/7/comments")
      .query({ per_page: "100" })
      .reply(200, [ownComment(555, statusBody(recorded))]);
    await deliver(actionEvent("closed", "completed"));
    const notConfig = requests.filter((r) => !r.includes("/contents/"));
    expect(notConfig).toEqual(["GET /repos/acme/web/issues/12/timeline", "GET /repos/acme/api/issues/7/comments"]);
    expect(requests.length - notConfig.length).toBe(4); // acme/web's and acme/api's config, each falling back to the org's
  });

  it("ignores the app's own mentions in the action's timeline (a status comment naming it)", async () => {
    const scope = api();
    noConfigFor(scope, "web");
    const ownMention = {
      ...crossReference({ ...incidentRef, body: INCIDENT_BODY }),
      actor: { login: BOT_LOGIN, type: "Bot" },
    };
    scope.get("/repos/acme/web/issues/12/timeline").query({ per_page: "100" }).reply(200, [ownMention]);
    await deliver(actionEvent("closed", "completed"));
    expect(requests.filter((r) => !r.includes("/contents/"))).toEqual(["GET /repos/acme/web/issues/12/timeline"]);
  });
});

describe("an action issue closed as completed", () => {
  it("ticks only that checkbox in the freshly read incident body and updates the status comment", async () => {
    const patchedBodies: string[] = [];
    let status = "";
    const scope = api();
    // The timeline's snapshot of the incident is stale (no Actions yet): the app must re-read the body.
    expectSyncReads(scope, {
      timeline: [
        { event: "labeled", label: { name: "bug" }, actor: { login: "alice" }, created_at: "2026-11-23T06:10:00Z" },
        crossReference({ ...incidentRef, body: "Logins fail with 503." }),
        // Referenced by an ordinary issue too: it is not an incident and costs no further reads.
        crossReference({
          repo: "api",
          number: 8,
          title: "Chat about it",
          body: "see acme/web#12",
          labels: ["question"],
        }),
      ],
      incidentBody: INCIDENT_BODY,
      action: issueJson({
        repo: "web",
        number: 12,
        title: "Add a circuit breaker",
        state: "closed",
        stateReason: "completed",
      }),
    });
    scope
      .patch("/repos/acme/api/issues/7", (b: { body?: string }) => (patchedBodies.push(b.body ?? "<no body>"), true))
      .reply(200, {})
      .patch("/repos/acme/api/issues/comments/555", (b: { body: string }) => ((status = b.body), true))
      .reply(200, {});

    await deliver(actionEvent("closed", "completed"));

    expect(patchedBodies).toEqual([TICKED_BODY]);
    expect(status).toContain("**Follow-up actions** (1 of 2 done)");
    expect(status).toContain("- ✅ acme/web#12: Add a circuit breaker — done");
    expect(status).toContain("- ⬜ #13: Alert on pool size — open");
    expect(decodeState(status).actions["acme/web#12"]).toEqual({
      found: true,
      kind: "issue",
      state: "closed",
      stateReason: "completed",
      title: "Add a circuit breaker",
    });
    expect(decodeState(status).classifiedAt).toBe("2026-11-23T07:00:00.000Z");
    expect(requests.sort()).toEqual(
      [
        "GET /repos/acme/web/contents/.github%2Fincident-keeper.yml",
        "GET /repos/acme/.github/contents/.github%2Fincident-keeper.yml",
        "GET /repos/acme/web/issues/12/timeline",
        "GET /repos/acme/api/contents/.github%2Fincident-keeper.yml",
        "GET /repos/acme/.github/contents/.github%2Fincident-keeper.yml",
        "GET /repos/acme/api/issues/7",
        "GET /repos/acme/api/issues/7/comments",
        "GET /repos/acme/web/issues/12",
        "PATCH /repos/acme/api/issues/7",
        "PATCH /repos/acme/api/issues/comments/555",
      ].sort(),
    );
  });

  it("reads the action's state with the incident's current body when the cross-reference already lists it (one round trip)", async () => {
    const order: string[] = [];
    let actionAsked = (): void => {};
    const asked = new Promise<void>((resolve) => (actionAsked = resolve));
    const scope = api();
    noConfigFor(scope, "web");
    noConfigFor(scope, "api");
    scope
      .get("/repos/acme/web/issues/12/timeline")
      .query({ per_page: "100" })
      .reply(200, [crossReference({ ...incidentRef, body: INCIDENT_BODY })])
      .get("/repos/acme/api/issues/7/comments")
      .query({ per_page: "100" })
      .reply(200, [ownComment(555, statusBody(PREVIOUS_STATE))])
      .get("/repos/acme/api/issues/7")
      .reply(async () => {
        order.push("incident asked");
        await asked; // answered only once the action's state has been asked for too
        order.push("incident answered");
        return [200, issueJson({ ...incidentRef, body: INCIDENT_BODY })];
      })
      .get("/repos/acme/web/issues/12")
      .reply(() => {
        order.push("action asked");
        actionAsked();
        return [
          200,
          issueJson({
            repo: "web",
            number: 12,
            title: "Add a circuit breaker",
            state: "closed",
            stateReason: "completed",
          }),
        ];
      })
      .patch("/repos/acme/api/issues/7", (b: { body?: string }) => b.body === TICKED_BODY)
      .reply(200, {})
      .patch("/repos/acme/api/issues/comments/555")
      .reply(200, {});
    await deliver(actionEvent("closed", "completed"));
    expect(order.slice(0, 2).sort()).toEqual(["action asked", "incident asked"]);
    expect(order[2]).toBe("incident answered");
    expect(requests.filter((r) => r === "GET /repos/acme/web/issues/12")).toHaveLength(1);
  });

  it("keeps a person's concurrent edit: the PATCH is built from the re-read body, not the timeline's", async () => {
    const edited = INCIDENT_BODY.replace("A bad config push.", "A bad config push (edited a second ago).");
    const patchedBodies: string[] = [];
    const scope = api();
    expectSyncReads(scope, {
      timeline: [crossReference({ ...incidentRef, body: INCIDENT_BODY })],
      incidentBody: edited,
      action: issueJson({
        repo: "web",
        number: 12,
        title: "Add a circuit breaker",
        state: "closed",
        stateReason: "completed",
      }),
    });
    scope
      .patch("/repos/acme/api/issues/7", (b: { body?: string }) => (patchedBodies.push(b.body ?? ""), true))
      .reply(200, {})
      .patch("/repos/acme/api/issues/comments/555")
      .reply(200, {});
    await deliver(actionEvent("closed", "completed"));
    expect(patchedBodies).toEqual([edited.replace("- [ ] acme/web#12", "- [x] acme/web#12")]);
    expect(requests).toHaveLength(10);
  });
});

describe("an action issue closed as not planned", () => {
  it("ticks the checkbox (nothing left to do) and shows the action as not doing", async () => {
    const patchedBodies: string[] = [];
    let status = "";
    const scope = api();
    expectSyncReads(scope, {
      timeline: [crossReference({ ...incidentRef, body: INCIDENT_BODY })],
      incidentBody: INCIDENT_BODY,
      action: issueJson({
        repo: "web",
        number: 12,
        title: "Add a circuit breaker",
        state: "closed",
        stateReason: "not_planned",
      }),
    });
    scope
      .patch("/repos/acme/api/issues/7", (b: { body?: string }) => (patchedBodies.push(b.body ?? ""), true))
      .reply(200, {})
      .patch("/repos/acme/api/issues/comments/555", (b: { body: string }) => ((status = b.body), true))
      .reply(200, {});
    await deliver(actionEvent("closed", "not_planned"));
    expect(patchedBodies).toEqual([TICKED_BODY]);
    expect(status).toContain("- ➖ acme/web#12: Add a circuit breaker — not doing");
    expect(status).toContain("**Follow-up actions** (1 of 2 done)");
    expect(requests).toHaveLength(10);
  });
});

describe("an action issue reopened", () => {
  it("unticks the checkbox and shows the action open again", async () => {
    const patchedBodies: string[] = [];
    let status = "";
    const closedState: StatusState = {
      ...PREVIOUS_STATE,
      actions: {
        ...PREVIOUS_STATE.actions,
        "acme/web#12": {
          found: true,
          kind: "issue",
          state: "closed",
          stateReason: "completed",
          title: "Add a circuit breaker",
        },
      },
    };
    const scope = api();
    expectSyncReads(scope, {
      timeline: [crossReference({ ...incidentRef, body: TICKED_BODY })],
      incidentBody: TICKED_BODY,
      action: issueJson({
        repo: "web",
        number: 12,
        title: "Add a circuit breaker",
        state: "open",
        stateReason: "reopened",
      }),
      status: closedState,
    });
    scope
      .patch("/repos/acme/api/issues/7", (b: { body?: string }) => (patchedBodies.push(b.body ?? ""), true))
      .reply(200, {})
      .patch("/repos/acme/api/issues/comments/555", (b: { body: string }) => ((status = b.body), true))
      .reply(200, {});
    await deliver(actionEvent("reopened", "reopened"));
    expect(patchedBodies).toEqual([INCIDENT_BODY]);
    expect(status).toContain("**Follow-up actions** (0 of 2 done)");
    expect(status).toContain("- ⬜ acme/web#12: Add a circuit breaker — open");
    expect(requests).toHaveLength(10);
  });
});

describe("an action issue nobody references", () => {
  it("costs exactly the timeline read (plus the classification handler's config read)", async () => {
    const scope = api();
    noConfigFor(scope, "web");
    scope
      .get("/repos/acme/web/issues/12/timeline")
      .query({ per_page: "100" })
      .reply(200, [
        { event: "labeled", label: { name: "bug" }, actor: { login: "alice" }, created_at: "2026-11-23T06:10:00Z" },
        {
          event: "commented",
          body: "mentions #7 in a comment",
          actor: { login: "alice" },
          created_at: "2026-11-23T06:20:00Z",
        },
      ]);
    await deliver(actionEvent("closed", "completed"));
    expect(requests.sort()).toEqual([
      "GET /repos/acme/.github/contents/.github%2Fincident-keeper.yml",
      "GET /repos/acme/web/contents/.github%2Fincident-keeper.yml",
      "GET /repos/acme/web/issues/12/timeline",
    ]);
  });

  it("reads no incident when the only referencing issue is a pull request", async () => {
    const scope = api();
    noConfigFor(scope, "web");
    const pr = crossReference({
      repo: "web",
      number: 30,
      title: "Breaker",
      body: "Fixes #12",
      labels: ["incident"],
    }) as { source: { issue: Record<string, unknown> } };
    pr.source.issue.pull_request = { url: `${API}/repos/acme/web/pulls/30`, merged_at: null };
    scope.get("/repos/acme/web/issues/12/timeline").query({ per_page: "100" }).reply(200, [pr]);
    await deliver(actionEvent("closed", "completed"));
    expect(requests).toHaveLength(3);
  });
});

describe("the app's own events", () => {
  it.each(["closed", "reopened"] as const)(
    "ignores an issue it %s itself without a single API call",
    async (action) => {
      await deliver(actionEvent(action, action === "closed" ? "completed" : "reopened", BOT_LOGIN));
      expect(requests).toEqual([]);
    },
  );
});

describe("custom section names (writeup.sections.actions: [Remediation])", () => {
  it("ticks the box under the configured heading (issue #10 item 7)", async () => {
    const body = INCIDENT_BODY.replace("## Actions", "## Remediation");
    const patchedBodies: string[] = [];
    const scope = api();
    noConfigFor(scope, "web");
    scope
      .get("/repos/acme/api/contents/.github%2Fincident-keeper.yml")
      .reply(200, "writeup:\n  sections:\n    actions: [Remediation]\n", {
        "content-type": "text/plain; charset=utf-8",
      })
      .get("/repos/acme/web/issues/12/timeline")
      .query({ per_page: "100" })
      .reply(200, [crossReference({ ...incidentRef, body })])
      .get("/repos/acme/api/issues/7")
      .reply(200, issueJson({ repo: "api", number: 7, title: "Login returns 503", body, labels: INCIDENT_LABELS }))
      .get("/repos/acme/api/issues/7/comments")
      .query({ per_page: "100" })
      .reply(200, [ownComment(555, statusBody(PREVIOUS_STATE))])
      .get("/repos/acme/web/issues/12")
      .reply(
        200,
        issueJson({
          repo: "web",
          number: 12,
          title: "Add a circuit breaker",
          state: "closed",
          stateReason: "completed",
        }),
      )
      .patch("/repos/acme/api/issues/7", (b: { body?: string }) => (patchedBodies.push(b.body ?? "<no body>"), true))
      .reply(200, {})
      .patch("/repos/acme/api/issues/comments/555")
      .reply(200, {});
    await deliver(actionEvent("closed", "completed"));
    expect(patchedBodies).toEqual([body.replace("- [ ] acme/web#12", "- [x] acme/web#12")]);
  });
});
