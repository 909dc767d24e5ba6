/** The dashboard's GitHub sign-in from the environment (see README, "The dashboard"). */
import type { Logger } from "probot";
import type { Clock } from "../clock.js";
import { apiBaseUrl } from "../github/user-access.js";
import { githubUserAccess, SignIn } from "./sign-in.js";

function minutes(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name]);
  return env[name] && Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * On when GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET are set (Probot's setup writes both to .env) and
 * DASHBOARD_SIGNIN is not `off`. DASHBOARD_SESSION_HOURS (default 8), DASHBOARD_ACCESS_TTL_MINUTES
 * (default 10), DASHBOARD_PUBLIC_URL (default: the request's Host).
 */
export function signInFromEnv(env: NodeJS.ProcessEnv, deps: { clock: Clock; log: Logger }): SignIn | undefined {
  const clientId = env.GITHUB_CLIENT_ID;
  const clientSecret = env.GITHUB_CLIENT_SECRET;
  if (!clientId || !clientSecret || env.DASHBOARD_SIGNIN === "off") return undefined;
  return new SignIn({
    reader: githubUserAccess({ clientId, clientSecret }, apiBaseUrl(env)),
    nowMs: () => deps.clock.now().getTime(),
    log: deps.log,
    sessionTtlMs: minutes(env, "DASHBOARD_SESSION_HOURS", 8) * 3_600_000,
    accessTtlMs: minutes(env, "DASHBOARD_ACCESS_TTL_MINUTES", 10) * 60_000,
    publicUrl: env.DASHBOARD_PUBLIC_URL || undefined,
  });
}
