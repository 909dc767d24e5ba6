import { afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { searchAll } from "../../src/sweep/sweep.js";
import { API } from "../support/github-mock.js";

/**
 * Enumerating past GitHub's 1,000 results per search query (issue #12): a window of 1,000 is
 * continued after the last creation second seen, without repeating a page, and never missing an
 * incident created in the same second as the window's last one.
 */
const octokit = new ProbotOctokit({ auth: "ghs_test", retry: { enabled: false }, throttle: { enabled: false } });
const Q = 'is:issue is:open label:"incident" org:acme';
const BASE_MS = Date.parse("2026-11-01T00:00:00Z");
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** GitHub's search over `seconds` (each item's creation second offset), 100 per page, 1,000 per query. */
function fakeSearch(seconds: number[]): { pages: string[] } {
  const items = seconds.map((s, i) => ({ id: i + 1, number: i + 1, created_at: iso(BASE_MS + s * 1000) }));
  const calls = { pages: [] as string[] };
  nock(API)
    .get("/search/issues")
    .query(true)
    .times(100_000)
    .reply((uri) => {
      const params = new URL(typeof uri === "string" ? uri : (uri as { url: string }).url, API).searchParams;
      const q = params.get("q") ?? "";
      const page = Number(params.get("page") ?? "1");
      calls.pages.push(`${q.slice(Q.length).trim() || "-"} p${page}`);
      const created = /created:(>=|>)?(\S+)/.exec(q);
      const at = created ? Date.parse(created[2]!) : null;
      const matching = items
        .filter((item) => {
          if (at === null) return true;
          const ms = Date.parse(item.created_at);
          return created![1] === ">=" ? ms >= at : created![1] === ">" ? ms > at : ms === at;
        })
        .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
      const start = (page - 1) * 100;
      const pageItems = start >= 1000 ? [] : matching.slice(start, Math.min(start + 100, 1000));
      return [200, { total_count: matching.length, incomplete_results: false, items: pageItems }];
    });
  return calls;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe("searchAll past 1,000 results", () => {
  it("2,500 incidents in distinct seconds: 25 pages, none repeated", async () => {
    const calls = fakeSearch(Array.from({ length: 2500 }, (_, i) => i));
    const found = await searchAll(octokit, Q);
    expect(found).toHaveLength(2500);
    expect(calls.pages).toHaveLength(25);
  });

  it("10,000 incidents: 100 pages (the continuation repeats no page)", async () => {
    const calls = fakeSearch(Array.from({ length: 10_000 }, (_, i) => i));
    expect(await searchAll(octokit, Q)).toHaveLength(10_000);
    expect(calls.pages).toHaveLength(100);
  });

  it("incidents sharing the boundary second are all found (one query for that second)", async () => {
    // items 990..1009 share second 990: the first window ends in the middle of them
    const seconds = Array.from({ length: 1500 }, (_, i) => (i >= 990 && i < 1010 ? 990 : i));
    const calls = fakeSearch(seconds);
    const found = await searchAll(octokit, Q);
    expect(new Set(found.map((i) => i.id)).size).toBe(1500);
    expect(calls.pages.filter((p) => p.startsWith(`created:${iso(BASE_MS + 990_000)}`))).toEqual([
      `created:${iso(BASE_MS + 990_000)} p1`,
    ]);
  });

  it("the boundary second complete in the window: no extra query", async () => {
    // the 1,000th item is the last of its second
    const seconds = Array.from({ length: 1500 }, (_, i) => (i >= 995 && i < 1000 ? 995 : i));
    const calls = fakeSearch(seconds);
    expect(await searchAll(octokit, Q)).toHaveLength(1500);
    expect(calls.pages).toHaveLength(15);
  });

  it("a whole window in one second: goes on after that second (GitHub cannot list more of it)", async () => {
    const calls = fakeSearch(Array.from({ length: 1300 }, (_, i) => (i < 1100 ? 0 : i)));
    const found = await searchAll(octokit, Q);
    expect(found).toHaveLength(1200); // the 1,000 GitHub lists of second 0, then the 200 after it
    expect(calls.pages).toHaveLength(12);
  });
});
