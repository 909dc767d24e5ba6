/**
 * A fresh process with the dashboard on learns the open incidents it does not know yet from the
 * sweep's GraphQL batch read (100 per query), not one REST comment read each. The view is the app's
 * own object, given to the sweep (no process-wide cache: the other sweep tests pass none).
 */
import { afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { ProbotOctokit } from "probot";
import pino from "pino";
import { fixedClock } from "../../src/clock.js";
import { encodeState, EMPTY_STATE } from "../../src/core/status-state.js";
import { DashboardCache } from "../../src/dashboard/cache.js";
import { KeyedLock } from "../../src/runtime/keyed-lock.js";
import { DueCache } from "../../src/sweep/due-cache.js";
import { sweepInstallation } from "../../src/sweep/sweep.js";
import { API, noConfig } from "../support/github-mock.js";
import { APP_ID, BOT_LOGIN } from "../support/payloads.js";

const octokit = new ProbotOctokit({ auth: "ghs_test", retry: { enabled: false }, throttle: { enabled: false } });
const target = { id: 4242, account: "acme", accountType: "Organization" as const };
const now = "2026-11-23T01:00:00Z";

const dashboardCache = new DashboardCache();
beforeAll(() => {
  nock.disableNetConnect();
  dashboardCache.enable();
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

const item = (n: number): object => ({
  id: 100_000 + n,
  node_id: `I_${n}`,
  number: n,
  title: `Incident ${n}`,
  body: "",
  state: "open",
  labels: [{ name: "incident" }],
  assignees: [],
  user: { login: "alice" },
  created_at: "2026-11-23T00:30:00Z", // 30 minutes old: before its reminder horizon
  updated_at: "2026-11-23T00:30:00Z",
  closed_at: null,
  repository_url: `${API}/repos/acme/api`,
});

describe("the sweep's dashboard refresh", () => {
  it("reads the unknown incidents' states in one GraphQL query", async () => {
    const state = encodeState({ ...EMPTY_STATE, classifiedAt: "2026-11-23T00:40:00.000Z" });
    const status = `<!-- incident-keeper:status -->\n${state}`;
    const author = { __typename: "Bot", login: "incident-keeper" };
    const calls: string[] = [];
    let ids: string[] = [];
    noConfig(
      nock(API)
        .get("/search/issues")
        .query(true)
        .reply(200, { total_count: 3, incomplete_results: false, items: [item(1), item(2), item(3)] }),
    )
      .post("/graphql", (b: { variables: { ids: string[] } }) => ((ids = b.variables.ids), true))
      .reply(200, () => ({
        data: {
          rateLimit: { cost: 1 },
          nodes: ids.map((id) => ({
            id,
            comments: { totalCount: 1, nodes: [{ databaseId: 9, body: status, author }] },
          })),
        },
      }));
    octokit.hook.before("request", (o) => void calls.push(`${o.method} ${o.url}`));
    const report = await sweepInstallation(octokit, target, {
      clock: fixedClock(now),
      identity: { appId: APP_ID, botLogin: BOT_LOGIN },
      lock: new KeyedLock(),
      log: pino({ level: "silent" }),
      cache: new DueCache(),
      incidentLabels: ["incident"],
      dashboard: dashboardCache,
    });
    expect(report).toMatchObject({ found: 3, notYetDue: 3, read: 0, graphql: { queries: 1, points: 1 } });
    expect(ids).toEqual(["I_1", "I_2", "I_3"]);
    expect(calls.filter((c) => c.includes("/comments"))).toEqual([]);
    expect(
      dashboardCache
        .all()
        .map((e) => e.number)
        .sort(),
    ).toEqual([1, 2, 3]);
  });
});
