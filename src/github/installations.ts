/**
 * Which installation of the app covers a repository (app-authenticated `GET /repos/{owner}/{repo}/installation`),
 * remembered for an hour per process: alert notifications name no installation, the app finds it.
 */
import type { Probot, ProbotOctokit } from "probot";
import { statusOf } from "./gateway.js";

const TTL_MS = 3_600_000;

export interface InstallationFinder {
  /** The installation id, or null when the app is not installed there. */
  find(owner: string, repo: string): Promise<number | null>;
  /** An installation-authenticated octokit. */
  octokit(installationId: number): Promise<ProbotOctokit>;
}

/** Looks installations up through the app, with a per-process cache (memory holds caches only). */
export function installationFinder(app: Probot, nowMs: () => number): InstallationFinder {
  const cache = new Map<string, { id: number | null; until: number }>();
  return {
    async find(owner, repo) {
      const key = `${owner}/${repo}`.toLowerCase();
      const hit = cache.get(key);
      if (hit && hit.until > nowMs()) return hit.id;
      const octokit = await app.auth();
      let id: number | null;
      try {
        id = (await octokit.rest.apps.getRepoInstallation({ owner, repo })).data.id;
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
        id = null;
      }
      cache.set(key, { id, until: nowMs() + (id === null ? 60_000 : TTL_MS) });
      return id;
    },
    octokit: (installationId) => app.auth(installationId),
  };
}
