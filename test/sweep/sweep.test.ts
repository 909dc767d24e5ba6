import { afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { ProbotOctokit } from "probot";
import pino from "pino";
import { fixedClock } from "../../src/clock.js";
import { decodeState, encodeState, EMPTY_STATE } from "../../src/core/status-state.js";
import { KeyedLock } from "../../src/runtime/keyed-lock.js";
import { DueCache } from "../../src/sweep/due-cache.js";
import { shareOrgConfigReads } from "../../src/github/config-reader.js";
import { sweepInstallation } from "../../src/sweep/sweep.js";
import { GitHubCaches } from "../../src/github/prepare-octokit.js";
import { ALL_LABELS, API, noConfig, ownComment } from "../support/github-mock.js";
import { APP_ID, BOT_LOGIN } from "../support/payloads.js";

const octokit = new ProbotOctokit({ auth: "ghs_test", retry: { enabled: false }, throttle: { enabled: false } });
const log = pino({ level: process.env.DEBUG_SWEEP ? "debug" : "silent" });

function searchItem(
  number: number,
  labels: string[],
  createdAt: string,
  updatedAt = createdAt,
  assignees: string[] = [],
): object {
  return {
    id: 100_000 + number,
    number,
    title: `Incident ${number}`,
    body: "",
    state: "open",
    labels: labels.map((name) => ({ name })),
    assignees: assignees.map((login) => ({ login })),
    user: { login: "alice" },
    created_at: createdAt,
    updated_at: updatedAt,
    closed_at: null,
    repository_url: `${API}/repos/acme/api`,
  };
}

/** The app's caches, as one app instance keeps them across sweeps: fresh for each test. */
let caches = new GitHubCaches();

function deps(now: string, cache = new DueCache(), writeBudget?: number) {
  // The labels are given: label discovery has its own tests (test/sweep/incident-labels.test.ts).
  const identity = { appId: APP_ID, botLogin: BOT_LOGIN };
  const incidentLabels = ["incident"];
  return { clock: fixedClock(now), identity, lock: new KeyedLock(), log, cache, writeBudget, incidentLabels, caches };
}

const target = { id: 4242, account: "acme", accountType: "Organization" as const };
const statusWith = (state: object): string =>
  `<!-- incident-keeper:status -->\n${encodeState({ ...EMPTY_STATE, ...state })}`;

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  caches = new GitHubCaches();
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe("the sweep", () => {
  it("finds open incidents with one search and posts the one due reminder, recording it", async () => {
    const posted: string[] = [];
    let status = "";
    noConfig(
      nock(API)
        .get("/search/issues")
        .query((q) => q.q === 'is:issue is:open label:"incident" org:acme' && q.per_page === "100")
        .reply(200, {
          total_count: 1,
          incomplete_results: false,
          items: [
            searchItem(7, ["incident", "incident:needs-writeup"], "2026-11-23T00:00:00Z", "2026-11-23T00:00:00Z", [
              "carol",
            ]),
          ],
        }),
    )
      .get("/repos/acme/api/issues/7/comments")
      .query(true)
      .times(3) // the check, the re-read under the lock, the arbiter's re-read after writing
      .reply(200, [ownComment(555, statusWith({}))])
      .post("/repos/acme/api/issues/7/comments", (b: { body: string }) => (posted.push(b.body), true))
      .reply(201, { id: 900 })
      .patch("/repos/acme/api/issues/comments/555", (b: { body: string }) => ((status = b.body), true))
      .reply(200, {});
    // opened 00:00, investigation due 12:00; at 10:00 both 50 % and 75 % have passed: only 75 % is posted.
    const report = await sweepInstallation(octokit, target, deps("2026-11-23T10:00:00Z"));
    expect(report).toMatchObject({ found: 1, read: 1, owed: 1, posted: 1, deferred: 0, errors: 0 });
    expect(posted).toHaveLength(1);
    expect(posted[0]).toContain(
      "SLA reminder: investigation &amp; classification due in 2 hours".replace("&amp;", "&"),
    );
    expect(posted[0]).toContain("@carol");
    expect(decodeState(status).reminders).toEqual(
      expect.arrayContaining([
        "investigation:75@2026-11-23T12:00:00.000Z",
        "investigation:50@2026-11-23T12:00:00.000Z",
      ]),
    );
  });

  it("at breach adds the breached label and escalates to the severity's team", async () => {
    const posted: string[] = [];
    const config = "teams:\n  escalation:\n    '2': '@acme/sre-leads'\n  responders: '@acme/oncall'\n";
    const state = { classifiedAt: "2026-11-20T01:00:00.000Z", reminders: ["resolution:75@2026-11-20T13:00:00.000Z"] };
    nock(API)
      .get("/search/issues")
      .query(true)
      .reply(200, {
        total_count: 1,
        incomplete_results: false,
        items: [
          searchItem(
            8,
            ["incident", "incident:needs-writeup", "category:core-bug", "sev:2", "devops:1"],
            "2026-11-20T00:00:00Z",
          ),
        ],
      })
      .get("/repos/acme/api/contents/.github%2Fincident-keeper.yml")
      .reply(200, config, { "content-type": "text/plain; charset=utf-8" })
      .get("/repos/acme/api/issues/8/comments")
      .query(true)
      .times(3) // the check, the re-read under the lock, the arbiter's re-read after writing
      .reply(200, [ownComment(556, statusWith(state))])
      .post("/repos/acme/api/issues/8/comments", (b: { body: string }) => (posted.push(b.body), true))
      .reply(201, { id: 901 })
      .get("/repos/acme/api/labels")
      .query(true)
      .reply(
        200,
        ALL_LABELS.filter((l) => l !== "sla:breached").map((name) => ({ name })),
      )
      .post("/repos/acme/api/labels", {
        name: "sla:breached",
        color: "b60205",
        description: "An incident SLA deadline was breached",
      })
      .reply(201, {})
      .post("/repos/acme/api/issues/8/labels", { labels: ["sla:breached"] })
      .reply(200, [])
      .patch("/repos/acme/api/issues/comments/556")
      .reply(200, {});
    // resolution: 12 h from classification 01:00 = 13:00 on the 20th; now is the 20th 14:00.
    const report = await sweepInstallation(octokit, target, deps("2026-11-20T14:00:00Z"));
    expect(report.posted).toBe(1);
    expect(posted[0]).toContain("SLA breached: resolution deadline passed");
    expect(posted[0]).toContain("@acme/oncall · escalating to @acme/sre-leads");
  });

  it("reads nothing more for an incident whose next reminder is not due and which has not changed", async () => {
    const cache = new DueCache();
    // Past the reminder horizon (06:00, 50 % of investigation), so the first sweep must read; 50 % was sent, 75 % is due at 09:00.
    const item = searchItem(9, ["incident"], "2026-11-23T00:00:00Z", "2026-11-23T06:30:00Z");
    const scope = noConfig(
      nock(API)
        .get("/search/issues")
        .query(true)
        .times(2)
        .reply(200, { total_count: 1, incomplete_results: false, items: [item] }),
    )
      .get("/repos/acme/api/issues/9/comments")
      .query(true)
      .reply(200, [ownComment(557, statusWith({ reminders: ["investigation:50@2026-11-23T12:00:00.000Z"] }))]);
    const first = await sweepInstallation(octokit, target, deps("2026-11-23T07:00:00Z", cache));
    expect(first).toMatchObject({ found: 1, read: 1, owed: 0, writes: 0 });
    const second = await sweepInstallation(octokit, target, deps("2026-11-23T08:59:00Z", cache));
    expect(second).toMatchObject({ found: 1, read: 0, owed: 0, writes: 0 });
    expect(scope.isDone()).toBe(true);
  });

  it("sends nothing for a reminder already recorded (a second sweep)", async () => {
    const state = {
      reminders: ["investigation:75@2026-11-23T12:00:00.000Z", "investigation:50@2026-11-23T12:00:00.000Z"],
    };
    noConfig(
      nock(API)
        .get("/search/issues")
        .query(true)
        .reply(200, {
          total_count: 1,
          incomplete_results: false,
          items: [searchItem(7, ["incident", "incident:needs-writeup"], "2026-11-23T00:00:00Z")],
        }),
    )
      .get("/repos/acme/api/issues/7/comments")
      .query(true)
      .reply(200, [ownComment(555, statusWith(state))]);
    const report = await sweepInstallation(octokit, target, deps("2026-11-23T11:00:00Z"));
    expect(report).toMatchObject({ owed: 0, posted: 0, writes: 0 });
  });

  it("keeps within the write budget, most urgent first, and defers the rest", async () => {
    const posted: string[] = [];
    noConfig(
      nock(API)
        .get("/search/issues")
        .query(true)
        .reply(200, {
          total_count: 2,
          incomplete_results: false,
          items: [
            searchItem(10, ["incident", "incident:needs-writeup"], "2026-11-23T03:00:00Z"),
            searchItem(11, ["incident", "incident:needs-writeup"], "2026-11-23T00:00:00Z"),
          ],
        }),
    )
      .get("/repos/acme/api/issues/10/comments")
      .query(true)
      .reply(200, [ownComment(560, statusWith({}))])
      .get("/repos/acme/api/issues/11/comments")
      .query(true)
      .times(3) // the check, the re-read under the lock, the arbiter's re-read after writing
      .reply(200, [ownComment(561, statusWith({}))])
      .post("/repos/acme/api/issues/11/comments", (b: { body: string }) => (posted.push(b.body), true))
      .reply(201, { id: 902 })
      .patch("/repos/acme/api/issues/comments/561")
      .reply(200, {});
    const report = await sweepInstallation(octokit, target, deps("2026-11-23T10:00:00Z", new DueCache(), 2));
    expect(report).toMatchObject({ owed: 2, posted: 1, deferred: 1, writes: 2 });
  });

  describe("the GraphQL batch read of the incidents past their horizon (issue #12)", () => {
    const recorded = statusWith({
      reminders: ["investigation:75@2026-11-23T12:00:00.000Z", "investigation:50@2026-11-23T12:00:00.000Z"],
    });
    const withNode = (n: number): object => ({
      ...searchItem(n, ["incident", "incident:needs-writeup"], "2026-11-23T00:00:00Z"),
      node_id: `I_${n}`,
    });

    it("reads 3 incidents' comments in one query, not one REST read each", async () => {
      let ids: string[] = [];
      noConfig(
        nock(API)
          .get("/search/issues")
          .query(true)
          .reply(200, { total_count: 3, incomplete_results: false, items: [withNode(7), withNode(8), withNode(9)] }),
      )
        .post("/graphql", (b: { variables: { ids: string[] } }) => ((ids = b.variables.ids), true))
        .reply(200, () => ({
          data: {
            rateLimit: { cost: 1 },
            nodes: ids.map((id) => ({
              id,
              comments: {
                totalCount: 1,
                nodes: [{ databaseId: 555, body: recorded, author: { __typename: "Bot", login: "incident-keeper" } }],
              },
            })),
          },
        }));
      const report = await sweepInstallation(octokit, target, deps("2026-11-23T11:00:00Z"));
      expect(ids).toEqual(["I_7", "I_8", "I_9"]);
      expect(report).toMatchObject({
        found: 3,
        read: 3,
        owed: 0,
        writes: 0,
        errors: 0,
        graphql: { queries: 1, points: 1, restFallbacks: 0 },
      });
    });

    describe("the due incidents: re-read under their locks and the arbiter's read after writing", () => {
      const owing = statusWith({});
      /** Answers every batch query with each incident's status comment (and the reminder once posted). */
      function batches(scope: nock.Scope, times: number, onQuery: (ids: string[]) => void, posted: Set<number>): void {
        let ids: string[] = [];
        scope
          .post("/graphql", (b: { variables?: { ids?: string[] } }) => ((ids = b.variables?.ids ?? []), true))
          .times(times)
          .reply(200, () => {
            onQuery(ids);
            return {
              data: {
                rateLimit: { cost: 1 },
                nodes: ids.map((id) => {
                  const n = Number(id.slice(2));
                  const bot = { __typename: "Bot", login: "incident-keeper" };
                  const status = { databaseId: 553 + n, body: owing, author: bot };
                  const reminder = { databaseId: 900 + n, body: "<!-- incident-keeper:reminder x -->", author: bot };
                  const nodes = posted.has(n) ? [status, reminder] : [status];
                  return { id, comments: { totalCount: nodes.length, nodes } };
                }),
              },
            };
          });
      }
      function writes(scope: nock.Scope, posted: Set<number>): void {
        for (const n of [7, 8])
          scope
            .post(`/repos/acme/api/issues/${n}/comments`, () => (posted.add(n), true))
            .reply(201, { id: 900 + n, body: "<!-- incident-keeper:reminder x -->" })
            .patch(`/repos/acme/api/issues/comments/${553 + n}`)
            .reply(200, {});
      }
      const search = (): nock.Scope =>
        noConfig(
          nock(API)
            .get("/search/issues")
            .query(true)
            .reply(200, { total_count: 2, incomplete_results: false, items: [withNode(7), withNode(8)] }),
        );

      it("with a lock every process shares (Redis): one query while both locks are held, one after the writes, no REST read", async () => {
        const keyed = new KeyedLock();
        const lock = { shared: true, run: keyed.run.bind(keyed) };
        const queries: { ids: string[]; locksHeld: number }[] = [];
        const posted = new Set<number>();
        const scope = search();
        batches(scope, 3, (ids) => queries.push({ ids, locksHeld: keyed.size }), posted);
        writes(scope, posted);
        const report = await sweepInstallation(octokit, target, { ...deps("2026-11-23T10:00:00Z"), lock });
        expect(queries).toEqual([
          { ids: ["I_7", "I_8"], locksHeld: 0 }, // the check, before any lock
          { ids: ["I_7", "I_8"], locksHeld: 2 }, // the re-read, under both locks
          { ids: ["I_7", "I_8"], locksHeld: 0 }, // the arbiter's read after writing
        ]);
        expect(report).toMatchObject({ owed: 2, posted: 2, writes: 4, errors: 0, graphql: { queries: 3 } });
      });

      it("with this process's lock only: one REST re-read each right before its writes, one query after them", async () => {
        const queries: string[][] = [];
        const posted = new Set<number>();
        const scope = search();
        batches(scope, 2, (ids) => queries.push(ids), posted);
        const reread: number[] = [];
        for (const n of [7, 8])
          scope
            .get(`/repos/acme/api/issues/${n}/comments`)
            .query(true)
            .reply(() => (reread.push(n), [200, [ownComment(553 + n, owing)]]));
        writes(scope, posted);
        const report = await sweepInstallation(octokit, target, deps("2026-11-23T10:00:00Z"));
        expect(queries).toEqual([
          ["I_7", "I_8"],
          ["I_7", "I_8"],
        ]);
        expect(reread.sort()).toEqual([7, 8]);
        expect(report).toMatchObject({ owed: 2, posted: 2, writes: 4, errors: 0, graphql: { queries: 2 } });
      });
    });

    it("reads each incident through REST when GitHub refuses the query", async () => {
      noConfig(
        nock(API)
          .get("/search/issues")
          .query(true)
          .reply(200, { total_count: 2, incomplete_results: false, items: [withNode(7), withNode(8)] }),
      )
        .post("/graphql")
        .reply(403, { message: "Resource not accessible by integration" })
        .get("/repos/acme/api/issues/7/comments")
        .query(true)
        .reply(200, [ownComment(555, recorded)])
        .get("/repos/acme/api/issues/8/comments")
        .query(true)
        .reply(200, [ownComment(556, recorded)]);
      const report = await sweepInstallation(octokit, target, deps("2026-11-23T11:00:00Z"));
      expect(report).toMatchObject({ found: 2, read: 2, owed: 0, writes: 0, errors: 0 });
      expect(report.graphql).toBeUndefined();
    });
  });

  describe("the reminder horizon: no per-incident read before any reminder could be due", () => {
    const now = "2026-11-23T12:00:00Z";
    const minutesAgo = (minutes: number): string =>
      new Date(Date.parse(now) - minutes * 60_000).toISOString().replace(".000", "");
    /** 100 incidents opened in the last 100 minutes: unclassified, classified, sev 5, paused. */
    const fresh = Array.from({ length: 100 }, (_, i) =>
      searchItem(
        1000 + i,
        [
          "incident",
          ...[
            [],
            ["category:core-bug", "sev:2", "devops:3"],
            ["category:core-bug", "sev:5", "devops:1"],
            ["sla:paused"],
          ][i % 4]!,
        ],
        minutesAgo(100 - i),
      ),
    );

    function counting(): { octokit: InstanceType<typeof ProbotOctokit>; calls: string[] } {
      const calls: string[] = [];
      const counted = new ProbotOctokit({ auth: "ghs_test", retry: { enabled: false }, throttle: { enabled: false } });
      counted.hook.before("request", (options) => {
        calls.push(`${options.method} ${options.url}`);
      });
      return { octokit: counted, calls };
    }

    it("a page of 100 fresh incidents costs the search page and the config reads, no comment read", async () => {
      const { octokit: counted, calls } = counting();
      const cache = new DueCache();
      noConfig(
        nock(API)
          .get("/search/issues")
          .query((q) => q.per_page === "100" && q.page === "1")
          .reply(200, { total_count: 100, incomplete_results: false, items: fresh }),
      );
      const report = await sweepInstallation(counted, target, deps(now, cache));
      expect(report).toMatchObject({ found: 100, notYetDue: 100, read: 0, owed: 0, posted: 0, writes: 0, errors: 0 });
      expect(calls).toEqual([
        "GET /search/issues",
        "GET /repos/{owner}/{repo}/contents/{path}",
        "GET /repos/{owner}/{repo}/contents/{path}",
      ]);

      // The next sweep of the same process: the due cache holds each horizon, so not even the config is read.
      nock(API)
        .get("/search/issues")
        .query(true)
        .reply(200, { total_count: 100, incomplete_results: false, items: fresh });
      const second = await sweepInstallation(counted, target, deps("2026-11-23T12:30:00Z", cache));
      expect(second).toMatchObject({ found: 100, notYetDue: 0, read: 0, errors: 0 });
      expect(calls).toHaveLength(4);
    });

    it("reads the organisation's .github config once for all the repositories of a sweep", async () => {
      const { octokit: counted, calls } = counting();
      const inRepo = (item: object, repo: string): object => ({ ...item, repository_url: `${API}/repos/acme/${repo}` });
      const items = ["api", "web", "jobs"].map((repo, i) => inRepo(fresh[i]!, repo));
      const scope = nock(API)
        .get("/search/issues")
        .query(true)
        .reply(200, { total_count: 3, incomplete_results: false, items });
      for (const repo of ["api", "web", "jobs"])
        scope.get(`/repos/acme/${repo}/contents/.github%2Fincident-keeper.yml`).reply(404);
      scope
        .get("/repos/acme/.github/contents/.github%2Fincident-keeper.yml")
        .once()
        .reply(200, "teams:\n  responders: '@acme/oncall'\n"); // the config plugin asks for the raw file
      const report = await sweepInstallation(counted, target, deps(now, new DueCache()));
      expect(report).toMatchObject({ found: 3, notYetDue: 3, read: 0, errors: 0 });
      // 3 repository files (each 404) and the organisation's file once, not three times.
      expect(calls.filter((c) => c.startsWith("GET /repos/{owner}/{repo}/contents/"))).toHaveLength(4);
      expect(scope.isDone()).toBe(true);

      // The next pass reads the organisation's file afresh (it may have changed).
      shareOrgConfigReads(counted);
      nock(API)
        .get("/repos/acme/.github/contents/.github%2Fincident-keeper.yml")
        .reply(200, "teams:\n  responders: '@acme/sre'\n");
      const response = await counted.request("GET /repos/{owner}/{repo}/contents/{path}", {
        owner: "acme",
        repo: ".github",
        path: ".github/incident-keeper.yml",
        mediaType: { format: "raw" },
      });
      expect(response.data as unknown as string).toContain("@acme/sre");
    });

    it("reads exactly the incidents whose horizon has passed, in a fresh process (empty cache)", async () => {
      const { octokit: counted, calls } = counting();
      // Opened 6 h 1 min ago: 50 % of the 12 h investigation window has passed, and its 50 % reminder was sent.
      const old = searchItem(999, ["incident"], minutesAgo(6 * 60 + 1));
      noConfig(
        nock(API)
          .get("/search/issues")
          .query(true)
          .reply(200, { total_count: 100, incomplete_results: false, items: [old, ...fresh.slice(1)] }),
      )
        .get("/repos/acme/api/issues/999/comments")
        .query(true)
        .reply(200, [ownComment(570, statusWith({ reminders: ["investigation:50@2026-11-23T17:59:00.000Z"] }))]);
      const report = await sweepInstallation(counted, target, deps(now, new DueCache()));
      expect(report).toMatchObject({ found: 100, notYetDue: 99, read: 1, owed: 0, writes: 0, errors: 0 });
      expect(calls.filter((c) => c.includes("/comments"))).toEqual([
        expect.stringMatching(/^GET \S+\/repos\/acme\/api\/issues\/999\/comments\b/),
      ]);
      expect(calls).toHaveLength(4);
    });

    it("a paused incident whose window was breached before the pause is still read, and its overdue repeat posted", async () => {
      // Opened 2026-11-21 20:00, never classified: investigation (12 h) breached at 2026-11-22 08:00,
      // paused since 09:00 that day. A pause cannot un-breach: the 24 h repeat is due at 2026-11-23 08:00.
      const breached = searchItem(
        998,
        ["incident", "incident:needs-writeup", "sla:paused", "sla:breached"],
        "2026-11-21T20:00:00Z",
      );
      const state = {
        pauses: [{ start: "2026-11-22T09:00:00.000Z", end: null }],
        reminders: ["investigation:breach@2026-11-22T08:00:00.000Z"],
      };
      const posted: string[] = [];
      noConfig(
        nock(API)
          .get("/search/issues")
          .query(true)
          .reply(200, { total_count: 1, incomplete_results: false, items: [breached] }),
      )
        .get("/repos/acme/api/issues/998/comments")
        .query(true)
        .times(3) // the check, the re-read under the lock, the arbiter's re-read after writing
        .reply(200, [ownComment(571, statusWith(state))])
        .post("/repos/acme/api/issues/998/comments", (b: { body: string }) => (posted.push(b.body), true))
        .reply(201, { id: 903 })
        .patch("/repos/acme/api/issues/comments/571")
        .reply(200, {});
      const report = await sweepInstallation(octokit, target, deps(now, new DueCache()));
      expect(report).toMatchObject({ found: 1, notYetDue: 0, read: 1, owed: 1, posted: 1, writes: 2, errors: 0 });
      expect(posted).toHaveLength(1);
      expect(posted[0]).toContain("incident-keeper:reminder investigation:overdue:1@2026-11-22T08:00:00.000Z");
    });
  });
});
