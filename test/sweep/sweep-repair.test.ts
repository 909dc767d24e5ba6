import { afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { ProbotOctokit } from "probot";
import pino from "pino";
import { fixedClock } from "../../src/clock.js";
import { encodeState, EMPTY_STATE } from "../../src/core/status-state.js";
import { KeyedLock } from "../../src/runtime/keyed-lock.js";
import { DueCache } from "../../src/sweep/due-cache.js";
import { RepairLedger } from "../../src/sweep/repair-ledger.js";
import { sweepInstallation } from "../../src/sweep/sweep.js";
import { GitHubCaches } from "../../src/github/prepare-octokit.js";
import { API, noConfig, ownComment } from "../support/github-mock.js";
import { APP_ID, BOT_LOGIN } from "../support/payloads.js";

/**
 * The repair ledger after the sweep's own writes (issue #12): the incidents a sweep wrote to have a
 * new `updated_at`; the ledger is settled with the time GitHub gave the app's last write, so the
 * next sweep does not reconcile (and re-read) them again, while a change made after that write
 * still is.
 */
const octokit = new ProbotOctokit({ auth: "ghs_test", retry: { enabled: false }, throttle: { enabled: false } });
const log = pino({ level: "silent" });
const target = { id: 4242, account: "acme", accountType: "Organization" as const };
const STATUS = `<!-- incident-keeper:status -->\n${encodeState(EMPTY_STATE)}`;
const WRITTEN_AT = "2026-11-23T10:00:02Z";

function item(updatedAt: string): object {
  return {
    id: 100_007,
    number: 7,
    title: "Incident 7",
    body: "",
    state: "open",
    labels: [{ name: "incident" }, { name: "incident:needs-writeup" }],
    assignees: [],
    user: { login: "alice" },
    created_at: "2026-11-23T00:00:00Z",
    updated_at: updatedAt,
    closed_at: null,
    repository_url: `${API}/repos/acme/api`,
  };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe("the repair pass after the sweep's own writes", () => {
  /** One sweep that posts the 75 % reminder on #7; returns the deps to sweep again with, and the thread after it. */
  async function firstSweep(): Promise<{
    again: (now: string) => Parameters<typeof sweepInstallation>[2];
    thread: () => object[];
  }> {
    const caches = new GitHubCaches();
    const cache = new DueCache();
    const ledger = new RepairLedger(30 * 60_000);
    const identity = { appId: APP_ID, botLogin: BOT_LOGIN };
    const deps = (now: string) => ({
      clock: fixedClock(now),
      identity,
      lock: new KeyedLock(),
      log,
      cache,
      incidentLabels: ["incident"],
      caches,
      repair: ledger,
    });
    let status = STATUS;
    let reminder = "";
    const thread = (): object[] => [ownComment(555, status), ...(reminder ? [ownComment(900, reminder)] : [])];
    noConfig(
      nock(API)
        .get("/search/issues")
        .query(true)
        .reply(200, { total_count: 1, incomplete_results: false, items: [item("2026-11-23T00:00:00Z")] }),
    )
      .get("/repos/acme/api/issues/7/comments")
      .query(true)
      .times(3) // the check, the re-read under the lock, the arbiter's read after writing
      .reply(200, () => thread())
      .post("/repos/acme/api/issues/7/comments", (b: { body: string }) => ((reminder = b.body), true))
      .reply(201, () => ({
        id: 900,
        body: reminder,
        created_at: "2026-11-23T10:00:01Z",
        updated_at: "2026-11-23T10:00:01Z",
      }))
      .patch("/repos/acme/api/issues/comments/555", (b: { body: string }) => ((status = b.body), true))
      .reply(200, () => ({ id: 555, body: status, created_at: "2026-11-23T00:05:00Z", updated_at: WRITTEN_AT }));
    const report = await sweepInstallation(octokit, target, deps("2026-11-23T10:00:00Z"));
    expect(report).toMatchObject({ owed: 1, posted: 1, writes: 2, errors: 0, repaired: 0 });
    return { again: deps, thread };
  }

  /** The second sweep's search and config reads, and the check's read of #7 (its updated_at moved, so the due cache misses). */
  function secondSweep(updatedAt: string, thread: () => object[], commentReads: number[]): nock.Scope {
    return noConfig(
      nock(API)
        .get("/search/issues")
        .query(true)
        .reply(200, { total_count: 1, incomplete_results: false, items: [item(updatedAt)] }),
    )
      .get("/repos/acme/api/issues/7/comments")
      .query(true)
      .times(2)
      .reply(200, () => (commentReads.push(1), thread()));
  }

  it("does not re-read an incident whose only change since is the app's own write (its answer's updated_at)", async () => {
    const { again, thread } = await firstSweep();
    const reads: number[] = [];
    secondSweep(WRITTEN_AT, thread, reads);
    const report = await sweepInstallation(octokit, target, again("2026-11-23T10:15:00Z"));
    expect(report).toMatchObject({ read: 1, owed: 0, writes: 0, errors: 0, repaired: 0 });
    expect(reads).toHaveLength(1); // the check's read only: no repair read
    nock.cleanAll(); // the second comment read was allowed, not required
  });

  it("still repairs an incident someone changed after the app's write", async () => {
    const { again, thread } = await firstSweep();
    const reads: number[] = [];
    secondSweep("2026-11-23T10:05:00Z", thread, reads);
    const report = await sweepInstallation(octokit, target, again("2026-11-23T10:15:00Z"));
    expect(report).toMatchObject({ read: 1, owed: 0, writes: 0, errors: 0, repaired: 1 });
    expect(reads).toHaveLength(2); // the check's read and the repair's
  });

  it("after one confirming look, the next sweep pays nothing for it", async () => {
    const { again, thread } = await firstSweep();
    secondSweep(WRITTEN_AT, thread, []);
    await sweepInstallation(octokit, target, again("2026-11-23T10:15:00Z"));
    nock.cleanAll();
    nock(API)
      .get("/search/issues")
      .query(true)
      .reply(200, { total_count: 1, incomplete_results: false, items: [item(WRITTEN_AT)] });
    const report = await sweepInstallation(octokit, target, again("2026-11-23T10:30:00Z"));
    expect(report).toMatchObject({ read: 0, writes: 0, errors: 0, repaired: 0 });
  });
});
