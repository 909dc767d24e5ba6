/**
 * The app's Octokit (src/github/octokit.ts): Probot's throttling limits on the local limiter, the
 * retry rules of Probot's retry plugin done once (not twice), and Redis clustering left to Bottleneck.
 * Requests go to a recording fetch on a fake clock: every start time is exact.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from "@jest/globals";
import Bottleneck from "bottleneck";
import { IncidentKeeperOctokit, pipelineOptions } from "../../src/github/octokit.js";
import { LocalLimiter } from "../../src/github/local-limiter.js";
import { Probot } from "probot";
import { testPrivateKey } from "../support/probot.js";

const T0 = new Date("2026-12-01T12:00:00Z").getTime();

beforeEach(() => {
  // Node's own callbacks (streams, crypto) stay real: only the clock and timers are faked.
  jest.useFakeTimers({ now: T0, doNotFake: ["nextTick", "setImmediate", "queueMicrotask"] });
});
afterEach(() => {
  jest.useRealTimers();
});

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A fetch that records `METHOD path @ms` and answers from `answers` (by call order), else 200 `{}`. */
function recordingFetch(answers: Answer[] = []) {
  const calls: string[] = [];
  const fetch = (url: string, init: { method?: string }) => {
    calls.push(`${init.method ?? "GET"} ${new URL(url).pathname} @${Date.now() - T0}`);
    const answer = answers.shift() ?? { status: 200, body: {} };
    return Promise.resolve(
      new Response(JSON.stringify(answer.body ?? {}), {
        status: answer.status,
        headers: { "content-type": "application/json", ...answer.headers },
      }),
    );
  };
  return { calls, fetch };
}

/** An installation's octokit as Probot builds it (throttling keyed by installation, handlers set). */
function octokit(fetch: unknown, extra: Record<string, unknown> = {}) {
  return new IncidentKeeperOctokit({
    auth: "ghs_test",
    request: { fetch },
    throttle: { id: `installation-${Math.random()}` },
    ...extra,
  });
}

const settle = async () => {
  for (let i = 0; i < 50; i += 1) await Promise.resolve();
};

describe("IncidentKeeperOctokit", () => {
  it("sends a read at once, with no timer on its way", async () => {
    const { calls, fetch } = recordingFetch();
    const gh = octokit(fetch);
    const read = gh.request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "api" });
    await settle();
    expect(calls).toEqual(["GET /repos/acme/api @0"]);
    await read;
    expect(jest.getTimerCount()).toBe(0);
  });

  it("keeps Probot's spacing: writes 1 s apart, comment creations 3 s apart, searches 2 s apart", async () => {
    const { calls, fetch } = recordingFetch();
    const gh = octokit(fetch);
    const requests = [
      gh.request("POST /repos/acme/api/issues/1/comments", { body: "one" }),
      gh.request("POST /repos/acme/api/issues/1/comments", { body: "two" }),
      gh.request("PATCH /repos/acme/api/issues/comments/9", { body: "edit" }),
      gh.request("GET /search/issues", { q: "a" }),
      gh.request("GET /search/issues", { q: "b" }),
    ];
    await jest.advanceTimersByTimeAsync(10_000);
    await Promise.all(requests);
    const at = (c: string) => Number(c.split("@")[1]);
    expect(calls.sort((a, b) => at(a) - at(b) || a.localeCompare(b))).toEqual([
      "GET /search/issues @0",
      "POST /repos/acme/api/issues/1/comments @0",
      // Writes take the write limiter in the order they were asked (the second comment at 1 s, then
      // waits for the notification limiter until 3 s), so the edit's turn is at 2 s.
      "GET /search/issues @2000",
      "PATCH /repos/acme/api/issues/comments/9 @2000",
      "POST /repos/acme/api/issues/1/comments @3000",
    ]);
  });

  it.each([
    { name: "a 500, then success", answers: [500], calls: ["@0", "@1000"], outcome: "ok" },
    { name: "a 502 twice, then success", answers: [502, 502], calls: ["@0", "@1000", "@5000"], outcome: "ok" },
    {
      name: "a 500 every time: three retries, then the error",
      answers: [500, 500, 500, 500],
      calls: ["@0", "@1000", "@5000", "@14000"],
      outcome: 500,
    },
    { name: "a 404 is not retried", answers: [404], calls: ["@0"], outcome: 404 },
    { name: "a 422 is not retried", answers: [422], calls: ["@0"], outcome: 422 },
  ])("retries as Probot's retry plugin, once per failure: $name", async ({ answers, calls: expected, outcome }) => {
    const { calls, fetch } = recordingFetch(answers.map((status) => ({ status, body: { message: "nope" } })));
    const gh = octokit(fetch);
    const result = gh.request("GET /repos/acme/api").then(
      () => "ok",
      (error: { status: number }) => error.status,
    );
    await jest.advanceTimersByTimeAsync(20_000);
    await expect(result).resolves.toBe(outcome);
    expect(calls.map((c) => c.slice(c.indexOf("@")))).toEqual(expected);
  });

  it("retries a GraphQL answer that says something went wrong (a 500 in disguise)", async () => {
    const { calls, fetch } = recordingFetch([
      { status: 200, body: { errors: [{ message: "Something went wrong while executing your query." }] } },
      { status: 200, body: { data: { viewer: { login: "x" } } } },
    ]);
    const gh = octokit(fetch);
    const result = gh.graphql("query { viewer { login } }");
    await jest.advanceTimersByTimeAsync(5_000);
    await expect(result).resolves.toEqual({ viewer: { login: "x" } });
    expect(calls).toEqual(["POST /graphql @0", "POST /graphql @1000"]);
  });

  it("waits out a primary rate limit through the throttling plugin's retry on the local limiter", async () => {
    const reset = Math.floor(T0 / 1000) + 2;
    const { calls, fetch } = recordingFetch([
      {
        status: 403,
        body: { message: "API rate limit exceeded" },
        headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
      },
    ]);
    const result = octokit(fetch).request("GET /repos/acme/api");
    await jest.advanceTimersByTimeAsync(10_000);
    await expect(result).resolves.toMatchObject({ status: 200 });
    // Probot's onRateLimit retries after the reset, plus one second (the plugin's rule).
    expect(calls).toEqual(["GET /repos/acme/api @0", "GET /repos/acme/api @3000"]);
  });

  it("a request's own `retries` wins; `retry: { enabled: false }` switches retries off", async () => {
    const first = recordingFetch([{ status: 500 }, { status: 500 }]);
    const none = octokit(first.fetch)
      .request("GET /a", { request: { retries: 0 } })
      .catch((e: { status: number }) => e.status);
    const second = recordingFetch([{ status: 500 }, { status: 500 }]);
    const off = octokit(second.fetch, { retry: { enabled: false } })
      .request("GET /b")
      .catch((e: { status: number }) => e.status);
    await jest.advanceTimersByTimeAsync(20_000);
    await expect(none).resolves.toBe(500);
    await expect(off).resolves.toBe(500);
    expect(first.calls).toEqual(["GET /a @0"]);
    expect(second.calls).toEqual(["GET /b @0"]);
  });

  it("reads `retry.retryAfterBaseValue` as Probot's plugin did", async () => {
    const { calls, fetch } = recordingFetch([{ status: 500 }]);
    const result = octokit(fetch, { retry: { retryAfterBaseValue: 100 } }).request("GET /c");
    await jest.advanceTimersByTimeAsync(1_000);
    await result;
    expect(calls).toEqual(["GET /c @0", "GET /c @100"]);
  });
});

describe("an installation's octokit as Probot builds it from IncidentKeeperOctokit", () => {
  it("keeps the pipeline: one retry per failure (Probot's retry plugin off), writes spaced 1 s", async () => {
    // Real timers: Probot's token exchange does not run under jest's fake clock.
    jest.useRealTimers();
    const { calls, fetch } = recordingFetch([
      { status: 201, body: { token: "ghs_installation", expires_at: "2099-01-01T00:00:00Z" } },
      { status: 502 },
      { status: 502 },
    ]);
    const probot = new Probot({
      appId: 1,
      privateKey: testPrivateKey(),
      Octokit: IncidentKeeperOctokit.defaults({ retry: { retryAfterBaseValue: 10 } }),
      request: { fetch: fetch as never },
      logLevel: "fatal",
    });
    const gh = await probot.auth(7);
    await expect(gh.request("GET /repos/acme/api")).resolves.toMatchObject({ status: 200 });
    await Promise.all([gh.request("PATCH /repos/acme/api/issues/1"), gh.request("PATCH /repos/acme/api/issues/2")]);
    const [token, ...rest] = calls.map((c) => c.split(" @")[0]);
    expect(token).toBe("POST /app/installations/7/access_tokens");
    // Two 502s, three attempts: one retry each (with Probot's plugin on as well, each would be retried twice over).
    expect(rest).toEqual([
      "GET /repos/acme/api",
      "GET /repos/acme/api",
      "GET /repos/acme/api",
      "PATCH /repos/acme/api/issues/1",
      "PATCH /repos/acme/api/issues/2",
    ]);
    const at = calls.map((c) => Number(c.split("@")[1]));
    expect(at[5]! - at[4]!).toBeGreaterThanOrEqual(990);
  });
});

describe("pipelineOptions", () => {
  it("switches Probot's retry plugin off and gives the local limiter to throttling", () => {
    const options = pipelineOptions({ throttle: { id: "1" }, retry: { retries: 5 } });
    expect(options.retry).toEqual({ enabled: false });
    expect(options.retrying).toEqual({ retries: 5 });
    expect(options.throttle).toEqual({ id: "1", Bottleneck: LocalLimiter });
  });

  it("is idempotent (an installation's octokit is built from its app octokit's options)", () => {
    const once = pipelineOptions({ throttle: { id: "1" }, retry: { retries: 5 } });
    expect(pipelineOptions(once)).toEqual(once);
  });

  it("keeps Bottleneck and its Redis connection (REDIS_URL: cluster-wide limits)", () => {
    const connection = { redis: true };
    const options = pipelineOptions({ throttle: { Bottleneck, connection } });
    expect(options.throttle).toEqual({ Bottleneck, connection });
  });
});
