/**
 * The dashboard's GitHub sign-in in-process, with a fake GitHub reader: the state must come back to
 * the browser that started (CSRF), the user token is never in a cookie, a page or a log line, a person
 * sees only the incidents of repositories they can read, the readable list is read once per TTL, and
 * sign-out ends the session. With neither a token nor sign-in the routes do not exist.
 */
import { afterEach, describe, expect, it } from "@jest/globals";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { fixedClock } from "../../src/clock.js";
import { DashboardCache } from "../../src/dashboard/cache.js";
import { dashboardHandler } from "../../src/http/dashboard.js";
import { SignIn, type UserAccessReader } from "../../src/http/sign-in.js";
import { DEFAULT_POLICIES } from "../../src/config/policies.js";
import { incidentIssue } from "../support/incident-fixtures.js";

const NOW = "2026-03-02T12:00:00Z";
const USER_TOKEN = "ghu_secretUserToken0123456789";
let server: Server | null = null;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

function incident(cache: DashboardCache, installationId: number, repository: string, number: number, title: string) {
  cache.record({
    installationId,
    repository,
    issue: incidentIssue({ number, title, author: "a", createdAt: new Date("2026-03-02T09:00:00Z") }),
    policies: DEFAULT_POLICIES,
    state: null,
    now: new Date(NOW),
  });
}

async function serve(options: { token?: string; signIn?: boolean; accessTtlMs?: number } = {}) {
  const logs: string[] = [];
  const log = pino({ level: "trace" }, { write: (line: string) => void logs.push(line) });
  const calls = { exchange: 0, readable: 0 };
  let now = Date.parse(NOW);
  const reader: UserAccessReader = {
    authorizationUrl: ({ redirectUrl, state }) =>
      `https://github.example/login/oauth/authorize?client_id=Iv1.test&state=${state}&redirect_uri=${encodeURIComponent(redirectUrl)}`,
    exchangeCode: ({ code }) => {
      calls.exchange += 1;
      if (code !== "good-code") return Promise.reject(Object.assign(new Error(`bad code ${code}`), { status: 400 }));
      return Promise.resolve({ token: USER_TOKEN, expiresAt: null });
    },
    readable: (token) => {
      calls.readable += 1;
      expect(token).toBe(USER_TOKEN);
      return Promise.resolve({ keys: new Set(["1:acme/api"]), requests: 2 });
    },
  };
  const signIn = options.signIn
    ? new SignIn({ reader, nowMs: () => now, log, accessTtlMs: options.accessTtlMs })
    : undefined;
  const cache = new DashboardCache();
  cache.enable();
  incident(cache, 1, "acme/api", 7, "Checkout down");
  incident(cache, 1, "acme/secret", 8, "Vault sealed");
  incident(cache, 2, "acme/api", 9, "Other installation's twin");
  const handler = dashboardHandler({
    token: options.token,
    signIn,
    cache,
    clock: fixedClock(NOW),
    webBase: "https://github.example",
  });
  server = createServer((req, res) => {
    void Promise.resolve(handler(req, res)).then((handled) => {
      if (!handled) {
        res.writeHead(404);
        res.end("Not found");
      }
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/incident-keeper`;
  return { base, logs, calls, advance: (ms: number) => (now += ms) };
}

/** Starts a sign-in: the state cookie and the state GitHub would send back. */
async function start(base: string): Promise<{ stateCookie: string; state: string; location: URL }> {
  const res = await fetch(`${base}/login`, { redirect: "manual" });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get("location")!);
  const setCookie = res.headers.get("set-cookie")!;
  expect(setCookie).toMatch(
    /^ik_oauth_state=[A-Za-z0-9_-]{43}; Path=\/incident-keeper; HttpOnly; SameSite=Lax; Max-Age=600$/,
  );
  return { stateCookie: setCookie.split(";")[0]!, state: location.searchParams.get("state")!, location };
}

async function signInAs(base: string): Promise<string> {
  const { stateCookie, state } = await start(base);
  const res = await fetch(`${base}/callback?code=good-code&state=${state}`, {
    headers: { cookie: stateCookie },
    redirect: "manual",
  });
  expect(res.status).toBe(303);
  expect(res.headers.get("location")).toBe("/incident-keeper/dashboard");
  const session = res.headers.getSetCookie().find((c) => c.startsWith("ik_session="))!;
  expect(session).toMatch(
    /^ik_session=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}; Path=\/incident-keeper; HttpOnly; SameSite=Lax; Max-Age=28800$/,
  );
  return session.split(";")[0]!;
}

describe("the dashboard's GitHub sign-in", () => {
  it("does not exist with neither a token nor sign-in", async () => {
    const { base } = await serve();
    for (const path of ["/dashboard", "/login", "/callback?code=x&state=y", "/logout"])
      expect((await fetch(base + path, { redirect: "manual" })).status).toBe(404);
  });

  it("without a token, sign-in alone: the page offers GitHub sign-in, no token form, no data", async () => {
    const { base, calls } = await serve({ signIn: true });
    const res = await fetch(`${base}/dashboard`);
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('<a class="button" href="/incident-keeper/login">Sign in with GitHub</a>');
    expect(html).not.toContain('name="token"');
    expect(html).not.toContain("Checkout down");
    const { location } = await start(base);
    expect(location.origin + location.pathname).toBe("https://github.example/login/oauth/authorize");
    expect(location.searchParams.get("redirect_uri")).toBe(`${base}/callback`);
    expect(calls).toEqual({ exchange: 0, readable: 0 });
  });

  it("refuses a callback whose state is not this browser's (or missing) without exchanging the code", async () => {
    const { base, calls } = await serve({ signIn: true });
    const { stateCookie, state } = await start(base);
    const other = await start(base);
    const attempts = [
      { url: `/callback?code=good-code&state=${other.state}`, cookie: stateCookie }, // another browser's state
      { url: `/callback?code=good-code&state=${state}`, cookie: "" }, // no state cookie (started elsewhere)
      { url: `/callback?code=good-code`, cookie: stateCookie }, // no state
      { url: `/callback?state=${state}`, cookie: stateCookie }, // no code
    ];
    for (const attempt of attempts) {
      const res = await fetch(base + attempt.url, { headers: { cookie: attempt.cookie }, redirect: "manual" });
      expect(res.status).toBe(400);
      expect(res.headers.getSetCookie().some((c) => c.startsWith("ik_session="))).toBe(false);
    }
    expect(calls).toEqual({ exchange: 0, readable: 0 });
  });

  it("a refused code opens no session and logs neither the code nor the error's request", async () => {
    const { base, logs } = await serve({ signIn: true });
    const { stateCookie, state } = await start(base);
    const res = await fetch(`${base}/callback?code=stolen-code&state=${state}`, {
      headers: { cookie: stateCookie },
      redirect: "manual",
    });
    expect(res.status).toBe(502);
    expect(res.headers.getSetCookie().some((c) => c.startsWith("ik_session="))).toBe(false);
    expect(logs.join("")).not.toContain("stolen-code");
  });

  it("a signed-in person sees only the incidents of repositories they can read; the token never leaves the server", async () => {
    const { base, logs, calls } = await serve({ signIn: true, token: "s3cret" });
    const session = await signInAs(base);
    expect(calls).toEqual({ exchange: 1, readable: 1 });
    const res = await fetch(`${base}/dashboard`, { headers: { cookie: session } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Checkout down");
    expect(html).not.toContain("Vault sealed"); // a repository of the installation the person cannot read
    expect(html).not.toContain("Other installation"); // same name, an installation the person cannot reach
    expect(html).toContain('<form class="sign-out" method="post" action="/incident-keeper/logout">');
    expect(html).not.toContain(USER_TOKEN);
    expect(session).not.toContain(USER_TOKEN);
    expect(logs.join("")).not.toContain(USER_TOKEN);
    // Page views cost nothing; the bearer token still sees everything.
    for (let i = 0; i < 3; i++) await fetch(`${base}/dashboard`, { headers: { cookie: session } });
    expect(calls).toEqual({ exchange: 1, readable: 1 });
    const all = await (await fetch(`${base}/dashboard`, { headers: { authorization: "Bearer s3cret" } })).text();
    expect(all).toContain("Vault sealed");
    expect(all).not.toContain("sign-out");
  });

  it("the readable repositories are read again once their TTL passed; a forged session cookie is no session", async () => {
    const { base, calls, advance } = await serve({ signIn: true, accessTtlMs: 60_000 });
    const session = await signInAs(base);
    advance(59_000);
    await fetch(`${base}/dashboard`, { headers: { cookie: session } });
    expect(calls.readable).toBe(1);
    advance(2_000);
    expect((await fetch(`${base}/dashboard`, { headers: { cookie: session } })).status).toBe(200);
    expect(calls.readable).toBe(2);
    const [id] = session.split(".");
    const forged = await fetch(`${base}/dashboard`, { headers: { cookie: `${id}.${"A".repeat(43)}` } });
    expect(forged.status).toBe(401);
    expect(await forged.text()).not.toContain("Checkout down");
  });

  it("sign-out ends the session on the server, not only in the browser", async () => {
    const { base } = await serve({ signIn: true });
    const session = await signInAs(base);
    expect((await fetch(`${base}/logout`, { redirect: "manual" })).status).toBe(405);
    const out = await fetch(`${base}/logout`, { method: "POST", headers: { cookie: session }, redirect: "manual" });
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toMatch(
      /^ik_session=; Path=\/incident-keeper; HttpOnly; SameSite=Lax; Max-Age=0$/,
    );
    const after = await fetch(`${base}/dashboard`, { headers: { cookie: session } });
    expect(after.status).toBe(401);
    expect(await after.text()).not.toContain("Checkout down");
  });

  it("over https (a proxy's X-Forwarded-Proto) the cookies are Secure", async () => {
    const { base } = await serve({ signIn: true });
    const res = await fetch(`${base}/login`, { headers: { "x-forwarded-proto": "https" }, redirect: "manual" });
    expect(res.headers.get("set-cookie")).toMatch(/; Secure$/);
    expect(new URL(res.headers.get("location")!).searchParams.get("redirect_uri")).toMatch(/^https:\/\//);
  });
});
