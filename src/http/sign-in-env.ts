/** The dashboard's GitHub sign-in from the environment (see README, "The dashboard"). */
import type { Logger } from "probot";
import type { Clock } from "../clock.js";
import { apiBaseUrl } from "../github/user-access.js";
import { derivedKey, type SessionStore } from "./sessions.js";
import { deferredSessions } from "./deferred-sessions.js";
import { githubUserAccess, SignIn } from "./sign-in.js";

function minutes(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name]);
  return env[name] && Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * On when GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET are set (Probot's setup writes both to .env) and
 * DASHBOARD_SIGNIN is not `off`. DASHBOARD_SESSION_HOURS (default 8), DASHBOARD_ACCESS_TTL_MINUTES
 * (default 10), DASHBOARD_PUBLIC_URL (default: the request's Host). With `redisUrl` the sessions are
 * shared through Redis and their ids signed with a key derived from the client secret (every instance
 * the same); without, in memory with a random key.
 */
export function signInFromEnv(
  env: NodeJS.ProcessEnv,
  deps: { clock: Clock; log: Logger; redisUrl?: string },
): SignIn | undefined {
  const clientId = env.GITHUB_CLIENT_ID;
  const clientSecret = env.GITHUB_CLIENT_SECRET;
  if (!clientId || !clientSecret || env.DASHBOARD_SIGNIN === "off") return undefined;
  return new SignIn({
    reader: githubUserAccess({ clientId, clientSecret }, apiBaseUrl(env)),
    nowMs: () => deps.clock.now().getTime(),
    log: deps.log,
    ...(deps.redisUrl
      ? { store: redisSessions(deps.redisUrl, clientSecret), signingKey: derivedKey(clientSecret, "session id") }
      : {}),
    sessionTtlMs: minutes(env, "DASHBOARD_SESSION_HOURS", 8) * 3_600_000,
    accessTtlMs: minutes(env, "DASHBOARD_ACCESS_TTL_MINUTES", 10) * 60_000,
    publicUrl: env.DASHBOARD_PUBLIC_URL || undefined,
    onRequests: (requests) =>
      deps.log.debug({ requests }, "dashboard sign-in: requests made with the app's client or a user token"),
  });
}

/** Loaded only with Redis: a single-process install never connects. */
function redisSessions(url: string, clientSecret: string): SessionStore {
  return deferredSessions(
    import("../runtime/redis-sessions.js").then(({ RedisSessionStore }) =>
      RedisSessionStore.fromUrl(url, clientSecret),
    ),
  );
}
