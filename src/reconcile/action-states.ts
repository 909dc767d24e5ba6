/** Reads the states of an incident's actions: cached in the status comment, refreshed on demand. */
import type { Refresh } from "../core/reads.js";
import type { StatusState } from "../core/status-state.js";
import type { RemoteState } from "../core/writeup.js";
import type { GitHubGateway } from "../github/gateway.js";
import { MAX_TRACKED_ACTIONS } from "../core/decide.js";

/** At most this many action look-ups run at once (GitHub's concurrency guidance). */
const READ_CONCURRENCY = 4;

export type { Refresh };

/**
 * Action states for `keys`: from the cache, reading only what `refresh` asks (and what is missing);
 * `known` holds states read from GitHub earlier in the same delivery, used instead of reading again.
 */
export async function actionStates(args: {
  gateway: GitHubGateway;
  keys: string[];
  cached: StatusState["actions"];
  refresh: Refresh;
  known?: ReadonlyMap<string, RemoteState>;
  /** Filled with GitHub's time of each read action's outcome (merged_at / closed_at), for the timeline. */
  times?: Map<string, string>;
  /** Filled with GitHub's `created_at` of each read action, for the timeline's "opened" entry. */
  openedTimes?: Map<string, string>;
}): Promise<Map<string, RemoteState>> {
  const keys = args.keys.slice(0, MAX_TRACKED_ACTIONS);
  const forced =
    args.refresh === "all"
      ? new Set(keys)
      : args.refresh === "missing"
        ? new Set<string>()
        : new Set(args.refresh.keys.map((k) => k.toLowerCase()));
  const result = new Map<string, RemoteState>();
  const toRead: string[] = [];
  for (const key of keys) {
    const cached = args.cached[key];
    const known = args.known?.get(key);
    if (cached && !forced.has(key)) result.set(key, cached);
    else if (known) result.set(key, known);
    else toRead.push(key);
  }
  for (let i = 0; i < toRead.length; i += READ_CONCURRENCY) {
    const batch = toRead.slice(i, i + READ_CONCURRENCY);
    const states = await Promise.all(batch.map((key) => args.gateway.remoteStateTimed(key)));
    batch.forEach((key, j) => {
      result.set(key, states[j]?.state ?? { found: false });
      const doneAt = states[j]?.doneAt;
      if (doneAt && args.times) args.times.set(key, doneAt);
      const createdAt = states[j]?.createdAt;
      if (createdAt && args.openedTimes) args.openedTimes.set(key, createdAt);
    });
  }
  return result;
}
