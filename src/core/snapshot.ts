/**
 * Everything a decision about one incident needs, loaded once per trigger (src/reconcile/load-snapshot.ts).
 * Pure types and helpers: the app's own comments indexed by marker, and the hidden state decoded.
 */
import type { ConfigError } from "./config-error.js";
import type { Policies } from "./policy.js";
import type { IncidentIssue } from "./incident.js";
import type { PermissionLevel } from "./permissions.js";
import { decodeState, EMPTY_STATE, STATUS_MARKER, type StatusState } from "./status-state.js";
import type { RemoteState } from "./writeup.js";
import type { PublishingRepo, RepoVisibility } from "./postmortem.js";
import type { SecurityTarget } from "./security.js";

export interface RepoRef {
  owner: string;
  repo: string;
}

/** One of the app's own comments. */
export interface OwnComment {
  id: number;
  body: string;
  /** When the comment was last written (absent when unknown). */
  updatedAt?: Date;
}

/** What the app has already written on an incident, read from its own comments. */
export interface OwnThread {
  comments: OwnComment[];
  status: OwnComment | null;
  markers: Set<string>;
}

const MARKER_PATTERN = /<!-- incident-keeper:[^>]{1,200} -->/g;

/** Indexes the app's own comments: the status comment and every hidden marker. */
export function threadOf(comments: OwnComment[]): OwnThread {
  const markers = new Set<string>();
  for (const comment of comments) for (const marker of comment.body.match(MARKER_PATTERN) ?? []) markers.add(marker);
  return { comments, status: comments.find((c) => c.body.startsWith(STATUS_MARKER)) ?? null, markers };
}

/** The hidden state of the thread's status comment (empty without one). */
export function previousState(thread: OwnThread): StatusState {
  return thread.status ? decodeState(thread.status.body) : EMPTY_STATE;
}

export interface IncidentSnapshot {
  repo: RepoRef;
  /** The issue the decision is about: the trigger's copy, or GitHub's current one when that was read. */
  issue: IncidentIssue;
  /** `issue` was read from the API during this load (its body is current: no re-read before ticking). */
  fresh: boolean;
  thread: OwnThread;
  previous: StatusState;
  /** The repository's policies (built from its valid config), or why its config is invalid. */
  config: { ok: true; policies: Policies } | { ok: false; error: ConfigError };
  /** States of the body's actions (`owner/name#N`): cached in the status comment or read just now. */
  actions: ReadonlyMap<string, RemoteState>;
  /** The commenter's permission (command triggers only). */
  permission: PermissionLevel | null;
  /**
   * GitHub's time of the outcome (`merged_at`, else `closed_at`) of each action read during this load
   * (not of cached ones), for the timeline (issue #14). Absent = none read.
   */
  actionTimes?: ReadonlyMap<string, string>;
  /**
   * GitHub's `created_at` of each action read during this load (same answers as `actionTimes`), for
   * the timeline's "Follow-up action #N opened" (issue #14). Absent = none read.
   */
  actionOpenedTimes?: ReadonlyMap<string, string>;
  /** When the issue became an incident, when the state does not keep it yet (see reconcile/incident-start.ts). */
  becameIncidentAt?: Date | null;
  /**
   * `/postmortem` (issue #14): the publishing repository as read, and the visibility of each action's
   * repository (`owner/name` lower-cased; null = could not be read: treated as private). Absent = not read.
   */
  publishing?: { repository: PublishingRepo; visibility: ReadonlyMap<string, RepoVisibility | null> };
  /** The private repository a security incident moves to, as read for this trigger (issue #14); absent = not read. */
  security?: SecurityTarget | null;
}

/**
 * The repository a bare `#N` in the incident's body means: where it was written. A security incident
 * moved to the private repository keeps its original repository's references (issue #14).
 */
export function referenceRepo(repo: RepoRef, previous: Pick<StatusState, "security">): RepoRef {
  const from = previous.security ? /^([^/#\s]+)\/([^/#\s]+)#\d+$/.exec(previous.security.from) : null;
  return from?.[1] && from[2] ? { owner: from[1], repo: from[2] } : repo;
}
