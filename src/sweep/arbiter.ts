/**
 * GitHub as the arbiter between sweeps that share no lock (no Redis; or a CLI, a server and an
 * Action with different settings): after its writes on an incident, a sweep re-reads the app's
 * comments once and deletes the comments it created that repeat an earlier one (see
 * core/duplicate-comments.ts). One read per incident the sweep wrote to (in batches); nothing when it wrote none.
 *
 * The window: a duplicate is visible from its creation until that re-read and delete (typically well
 * under a second; at most the read's and the delete's timeouts), and GitHub may already have sent its
 * notification. With REDIS_URL the incident lock is cluster-wide and no duplicate is ever created.
 * The sweep reads once per chunk of due incidents (src/sweep/due-chunks.ts: one batch query).
 */
import type { Logger } from "probot";
import { laterDuplicates } from "../core/duplicate-comments.js";
import type { OwnComment } from "../core/snapshot.js";
import type { GitHubGateway } from "../github/gateway.js";

/** Deletes this sweep's later copies of app comments on one incident; returns how many it deleted. */
export async function withdrawLaterDuplicates(
  gateway: GitHubGateway,
  issueNumber: number,
  created: readonly number[],
  log: Logger,
  /** The app's comments as read after the writes (a batch read); absent: read here (one REST read). */
  read?: OwnComment[],
): Promise<number> {
  if (created.length === 0) return 0;
  const comments = read ?? (await gateway.ownComments(issueNumber));
  const duplicates = laterDuplicates(comments, created);
  for (const id of duplicates) await gateway.deleteComment(id);
  if (duplicates.length > 0)
    log.info(
      { repo: gateway.repo, issue: issueNumber, deleted: duplicates.length },
      "sweep: another sweep posted the same first; deleted this sweep's copy",
    );
  return duplicates.length;
}
