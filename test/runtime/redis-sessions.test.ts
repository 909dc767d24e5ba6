/**
 * Sign-in sessions shared through Redis (REDIS_URL): a person who signed in on one instance is signed
 * in on another (same derived signing key), the user token is sealed at rest, and sign-out on one
 * ends the session on both.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import pino from "pino";
import { fixedClock } from "../../src/clock.js";
import { DashboardCache } from "../../src/dashboard/cache.js";
import { dashboardHandler } from "../../src/http/dashboard.js";
import { derivedKey } from "../../src/http/sessions.js";
import { SignIn, type UserAccessReader } from "../../src/http/sign-in.js";
import { RedisSessionStore } from "../../src/runtime/redis-sessions.js";
import { redisUnavailable, startRedis, type RedisServer } from "../support/redis.js";
import { DEFAULT_POLICIES } from "../../src/config/policies.js";
import { incidentIssue } from "../support/incident-fixtures.js";

const skipReason = redisUnavailable();
if (skipReason) console.warn(skipReason);
const describeWithRedis = skipReason ? describe.skip : describe;

const NOW = "2026-03-02T12:00:00Z";
const SECRET = "client-secret-for-tests";
const USER_TOKEN = "ghu_sharedSessionToken0123456789";
const reader: UserAccessReader = {
  authorizationUrl: ({ state }) => `https://github.example/login/oauth/authorize?state=${state}`,
  exchangeCode: () => Promise.resolve({ token: USER_TOKEN, expiresAt: null }),
  readable: () => Promise.resolve({ keys: new Set(["1:acme/api"]), requests: 2 }),
};

describeWithRedis("dashboard sessions in Redis (two instances)", () => {
  let redis: RedisServer;
  const stores: RedisSessionStore[] = [];
  const servers: Server[] = [];
  const bases: string[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    for (let i = 0; i < 2; i++) {
      const store = RedisSessionStore.fromUrl(redis.url, SECRET);
      stores.push(store);
      const signIn = new SignIn({
        reader,
        nowMs: () => Date.parse(NOW),
        log: pino({ level: "silent" }),
        store,
        signingKey: derivedKey(SECRET, "session id"),
      });
      const cache = new DashboardCache();
      cache.enable();
      cache.record({
        installationId: 1,
        repository: "acme/api",
        issue: incidentIssue({ title: "Checkout down", author: "a", createdAt: new Date("2026-03-02T09:00:00Z") }),
        policies: DEFAULT_POLICIES,
        state: null,
        now: new Date(NOW),
      });
      const handler = dashboardHandler({
        token: undefined,
        signIn,
        cache,
        clock: fixedClock(NOW),
        webBase: "https://x",
      });
      const server = createServer((req, res) => void handler(req, res));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
      servers.push(server);
      bases.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}/incident-keeper`);
    }
  });
  afterAll(async () => {
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    for (const store of stores) await store.close();
    await redis?.stop();
  });

  it("a session made on one instance opens the page on the other, the token sealed; sign-out ends it on both", async () => {
    const [a, b] = bases as [string, string];
    const login = await fetch(`${a}/login`, { redirect: "manual" });
    const state = new URL(login.headers.get("location")!).searchParams.get("state")!;
    const callback = await fetch(`${a}/callback?code=c&state=${state}`, {
      headers: { cookie: login.headers.get("set-cookie")!.split(";")[0]! },
      redirect: "manual",
    });
    expect(callback.status).toBe(303);
    const cookie = callback.headers
      .getSetCookie()
      .find((c) => c.startsWith("ik_session="))!
      .split(";")[0]!;
    const onB = await fetch(`${b}/dashboard`, { headers: { cookie } });
    expect(onB.status).toBe(200);
    expect(await onB.text()).toContain("Checkout down");

    const client = new Redis(redis.url);
    const keys = await client.keys("incident-keeper:dashboard-session:*");
    expect(keys).toHaveLength(1);
    const raw = (await client.get(keys[0]!))!;
    expect(raw).not.toContain(USER_TOKEN);
    expect(await client.pttl(keys[0]!)).toBeGreaterThan(7 * 3_600_000);

    await fetch(`${b}/logout`, { method: "POST", headers: { cookie }, redirect: "manual" });
    expect((await fetch(`${a}/dashboard`, { headers: { cookie } })).status).toBe(401);
    expect(await client.keys("incident-keeper:dashboard-session:*")).toEqual([]);
    await client.quit();
  }, 30_000);
});
