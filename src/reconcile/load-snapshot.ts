/**
 * Loads the snapshot of one incident for one trigger: every read the decision needs, once, with
 * independent reads issued at once (the config and the app's own comments). Which reads a trigger needs is
 * decided by the pure rules in core/reads.ts.
 */
import type { Logger } from "probot";
import { LOGIN, MAX_TRACKED_ACTIONS } from "../core/decide.js";
import { isIncident, type IncidentIssue } from "../core/incident.js";
import type { PermissionLevel } from "../core/permissions.js";
import {
  actionRefresh,
  alreadyRecorded,
  becameIncident,
  commandReach,
  concernsIncident,
  declaresIncident,
  isStale,
  needsCurrentIssue,
  referenceRepoFor,
} from "../core/reads.js";
import { wantsMove, type SecurityTarget } from "../core/security.js";
import { sameLabel } from "../core/labels.js";
import { notePermissionNeeded } from "../core/timeline-events.js";
import {
  previousState,
  threadOf,
  type IncidentSnapshot,
  type OwnComment,
  type OwnThread,
  type RepoRef,
} from "../core/snapshot.js";
import { rebuildState, stateCommandAuthors, type HistoryComment } from "../core/state-rebuild.js";
import { decodeState, verifyState, type StatusState } from "../core/status-state.js";
import type { IncidentKeeperConfig } from "../config/schema.js";
import type { Policies } from "../core/policy.js";
import { incidentStartFor } from "./incident-start.js";
import type { IncidentTrigger } from "../core/trigger.js";
import { actionKeys, type RemoteState } from "../core/writeup.js";
import type { ConfigResult } from "../config/load.js";
import { fallbackIncidentLabel } from "../config/load.js";
import type { GitHubGateway } from "../github/gateway.js";
import { actionStates, type Refresh } from "./action-states.js";
import { postmortemBlocker, postmortemCommand, postmortemReads, type RepoVisibility } from "../core/postmortem.js";
import type { IncidentLabelHints } from "./services.js";

/** The incident a trigger is about, as the adapter found it. */
export interface IncidentTarget {
  /** The gateway of the incident's repository. */
  gateway: GitHubGateway;
  installationId: number;
  /** The issue as the trigger saw it (payload, cross-reference or search result). */
  seen: IncidentIssue;
  /** The repository's config, read at most once per delivery (started by the adapter). */
  config: Promise<ConfigResult>;
  log: Logger;
  /**
   * The app's own comments, when the caller already read them under the incident's lock (the sweep's
   * batch read of its due incidents): not read again. People's comments are then read only if the
   * hidden state must be rebuilt.
   */
  ownComments?: OwnComment[];
}

/** The snapshot, or null when the trigger turns out to concern no incident (or has nothing to do). */
export async function loadSnapshot(
  target: IncidentTarget,
  trigger: IncidentTrigger,
  hints: IncidentLabelHints,
  now: Date,
): Promise<IncidentSnapshot | null> {
  const { gateway, seen } = target;
  const repo = gateway.repo;
  const number = seen.number;
  const repoKey = `${target.installationId}:${repo.owner}/${repo.repo}`.toLowerCase();
  const login = trigger.kind === "command" && LOGIN.test(trigger.login) ? trigger.login : null;
  // An issue carrying the repository's (last seen) incident label: its comments are read with the
  // config, not after it. A wrong hint costs one wasted read, never a wrong decision.
  // A command's commenter permission is read with them (unused only when the config turns out
  // invalid): three independent reads, one round trip.
  const speculate =
    (trigger.kind !== "issue" && trigger.kind !== "command") || concernsIncident(trigger, seen, hints.get(repoKey));
  // Not while the config was invalid when last read: an invalid config needs no permission.
  const permissionRead = login && speculate && !hints.wasInvalid(repoKey) ? gateway.permissionOf(login) : null;
  permissionRead?.catch(() => {}); // awaited below when needed; unused otherwise
  const readThread = (): Promise<{ own: OwnComment[]; people: HistoryComment[] | null; gone?: true }> =>
    target.ownComments ? Promise.resolve({ own: target.ownComments, people: null }) : gateway.issueThread(number);
  const [config, early] = await Promise.all([target.config, speculate ? readThread() : null]);
  if (early?.gone) return gone(target, number);
  if (!config.ok) {
    hints.setInvalid(repoKey);
    if (!isIncident(seen, fallbackIncidentLabel(config.error))) return null;
    const thread = threadOf((early ?? (await readThread())).own);
    return {
      repo,
      issue: seen,
      fresh: false,
      thread,
      previous: previousState(thread),
      config,
      actions: new Map(),
      permission: null,
    };
  }
  const incidentLabel = config.value.incident_label;
  hints.set(repoKey, incidentLabel);
  // The incident label just removed (issue #10 item 10): the app's comments say whether it was an incident.
  const dropping =
    trigger.kind === "issue" &&
    trigger.action === "unlabeled" &&
    !isIncident(seen, incidentLabel) &&
    trigger.changedLabel !== null &&
    sameLabel(trigger.changedLabel, incidentLabel);
  if (
    !dropping &&
    !concernsIncident(trigger, seen, incidentLabel) &&
    (trigger.kind === "issue" || trigger.kind === "command")
  )
    return null;
  const permission: PermissionLevel | null =
    trigger.kind !== "command" ? null : login ? await (permissionRead ?? gateway.permissionOf(login)) : "none";
  const listing = early ?? (await readThread());
  if (listing.gone) return gone(target, number);
  const thread = threadOf(listing.own);
  const previous = previousState(thread);
  // An edit that may bring a comment's first `/timeline` notes (its creation not seen yet): the
  // author's permission, as for a command (rare: the comment holds no note yet).
  const notePermission =
    trigger.kind === "timeline-note" && LOGIN.test(trigger.login) && notePermissionNeeded(previous.timeline, trigger)
      ? await gateway.permissionOf(trigger.login)
      : null;
  const partial: IncidentSnapshot = {
    repo,
    issue: seen,
    fresh: false,
    thread,
    previous,
    config,
    actions: new Map(),
    permission: permission ?? notePermission,
  };
  // Refused, or only errors to report: the incident's own state is not needed.
  if (
    trigger.kind === "command" &&
    commandReach(trigger, config.policies.permissions, permission ?? "none") !== "apply"
  )
    return partial;
  if (alreadyRecorded(trigger, previous, thread.status !== null)) {
    target.log.debug({ incident: `${repo.owner}/${repo.repo}#${number}` }, "action state already recorded");
    return null;
  }
  if (dropping) {
    // Nothing to undo without a status comment; with one, only its cached action states are shown.
    if (thread.status === null || previous.droppedAt !== undefined) return null;
    const current = isStale(seen, thread.status) ? await gateway.getIssue(number) : seen;
    return { ...partial, issue: current, fresh: current !== seen, actions: new Map(Object.entries(previous.actions)) };
  }
  const fresh = needsCurrentIssue(trigger, seen, thread.status, incidentLabel);
  // The closed action's state is read with the incident's current body when the body as the
  // cross-reference saw it lists the action (one round trip, not two; unused if the body dropped it).
  const earlyAction =
    fresh &&
    trigger.kind === "action-state" &&
    actionKeys(seen.body, referenceRepoFor(repo, previous, trigger), config.policies.writeup).some((k) =>
      sameKey(k, trigger.actionKey),
    )
      ? gateway.remoteStateTimed(trigger.actionKey)
      : null;
  earlyAction?.catch(() => {}); // awaited below; a failure is read again there
  const issue = fresh ? await gateway.getIssue(number) : seen;
  if (fresh && trigger.kind === "issue" && !isIncident(issue, incidentLabel)) return null;
  const rebuilt = await rebuildIfLost(target, trigger, {
    policies: config.policies,
    thread,
    issue,
    people: listing.people,
  });
  if (rebuilt) {
    const becomes = await incidentStart(target, trigger, {
      config: config.value,
      thread: EMPTY_THREAD,
      issue,
      now,
      fromTrigger: true,
    });
    const home = referenceRepoFor(repo, rebuilt, trigger);
    // The rebuilt state has no cached action states: every listed action is read.
    return withIncidentReads(target, trigger, {
      snapshot: { ...partial, previous: rebuilt, issue, fresh },
      policies: config.policies,
      home,
      keys: actionKeys(issue.body, home, config.policies.writeup).slice(0, MAX_TRACKED_ACTIONS),
      cached: {},
      refresh: "missing",
      becameIncidentAt: becomes ?? (rebuilt.incidentAt ? new Date(rebuilt.incidentAt) : null),
    });
  }
  const becameIncidentAt = await incidentStart(target, trigger, { config: config.value, thread, issue, now });
  const home = referenceRepoFor(repo, previous, trigger);
  const keys = actionKeys(issue.body, home, config.policies.writeup).slice(0, MAX_TRACKED_ACTIONS);
  const earlyRead = earlyAction ? await earlyAction.catch(() => undefined) : undefined;
  const earlyKey = trigger.kind === "action-state" ? keys.find((k) => sameKey(k, trigger.actionKey)) : undefined;
  const earlyStates = earlyRead && earlyKey ? new Map([[earlyKey, earlyRead.state]]) : undefined;
  const known = trigger.kind === "pull-request" ? trigger.known : earlyStates;
  const actionTimes = new Map<string, string>();
  // The early read's outcome time, as actionStates records it for the actions it reads.
  if (earlyRead?.doneAt && earlyKey) actionTimes.set(earlyKey, earlyRead.doneAt);
  const actionOpenedTimes = new Map<string, string>();
  if (earlyRead?.createdAt && earlyKey) actionOpenedTimes.set(earlyKey, earlyRead.createdAt);
  // A pull request's delivery read its actions moments before: their created_at came with them.
  if (trigger.kind === "pull-request") {
    for (const [key, at] of trigger.knownOpenedAt ?? []) if (keys.includes(key)) actionOpenedTimes.set(key, at);
    for (const [key, at] of trigger.knownDoneAt ?? []) if (keys.includes(key)) actionTimes.set(key, at);
  }
  return withIncidentReads(target, trigger, {
    snapshot: { ...partial, issue, fresh },
    policies: config.policies,
    home,
    keys,
    cached: previous.actions,
    refresh: actionRefresh(trigger, issue),
    known,
    actionTimes,
    actionOpenedTimes,
    becameIncidentAt,
  });
}

/**
 * The snapshot completed with the reads that depend on the incident's body and state, all at once:
 * the listed actions' states (with GitHub's outcome and creation times for the timeline), the
 * security target when the trigger wants the move, and what `/postmortem` needs.
 */
async function withIncidentReads(
  target: IncidentTarget,
  trigger: IncidentTrigger,
  args: {
    snapshot: IncidentSnapshot;
    policies: Policies;
    home: RepoRef;
    keys: string[];
    cached: StatusState["actions"];
    refresh: Refresh;
    known?: ReadonlyMap<string, RemoteState>;
    actionTimes?: Map<string, string>;
    actionOpenedTimes?: Map<string, string>;
    becameIncidentAt: IncidentSnapshot["becameIncidentAt"];
  },
): Promise<IncidentSnapshot> {
  const { snapshot, policies, home } = args;
  const { issue, previous } = snapshot;
  const actionTimes = args.actionTimes ?? new Map<string, string>();
  const actionOpenedTimes = args.actionOpenedTimes ?? new Map<string, string>();
  const [actions, security, publishing] = await Promise.all([
    actionStates({
      gateway: target.gateway,
      keys: args.keys,
      cached: args.cached,
      refresh: args.refresh,
      known: args.known,
      times: actionTimes,
      openedTimes: actionOpenedTimes,
    }),
    securityRead(target, trigger, { policies, issue, previous }),
    publishingOf(target.gateway, trigger, { policies, issue, previous, home }),
  ]);
  return {
    ...snapshot,
    actions,
    actionTimes,
    actionOpenedTimes,
    becameIncidentAt: args.becameIncidentAt,
    ...security,
    ...publishing,
  };
}

/**
 * The private repository a security incident moves to (issue #14), read only when the trigger wants
 * the move (core/security.ts `wantsMove`): one GraphQL query, beside the action states. Not
 * configured: nothing to read (`security: null`).
 */
async function securityRead(
  target: IncidentTarget,
  trigger: IncidentTrigger,
  args: { policies: Policies; issue: IncidentIssue; previous: StatusState },
): Promise<{ security?: SecurityTarget | null }> {
  const { policies, issue, previous } = args;
  const repo = target.gateway.repo;
  if (!wantsMove({ trigger, labels: issue.labels, previous, repo, policies })) return {};
  const repository = policies.security.repository;
  if (repository === null) return { security: null };
  return { security: await target.gateway.securityTarget(issue.number, repository) };
}

/**
 * `/postmortem` (issue #14), when it may draft: the publishing repository (its default branch, and
 * whether the installation reaches it: a cheap read before any write) and the visibility of each
 * action's repository, all at once. Nothing is read for any other trigger.
 */
async function publishingOf(
  gateway: GitHubGateway,
  trigger: IncidentTrigger,
  args: { policies: Policies; issue: IncidentIssue; previous: StatusState; home: RepoRef },
): Promise<Pick<IncidentSnapshot, "publishing">> {
  if (trigger.kind !== "command") return {};
  const asked = postmortemCommand(trigger.commands);
  if (!asked) return {};
  if (postmortemBlocker({ ...args, state: args.previous, publicOk: asked.publicOk }) !== null) return {};
  const reads = postmortemReads({ body: args.issue.body, repo: args.home, policies: args.policies });
  if (!reads) return {};
  const publishing = gateway.publishing();
  // The publishing repository's read also tells its visibility, when an action lives there too.
  const own = `${reads.publishing.owner}/${reads.publishing.repo}`.toLowerCase();
  const others = reads.repositories.filter((full) => full !== own);
  const [target, ...seen] = await Promise.all([
    publishing.repository(reads.publishing),
    ...others.map((full) => {
      const [owner = "", repo = ""] = full.split("/");
      return publishing.repository({ owner, repo });
    }),
  ]);
  const visibility = new Map<string, RepoVisibility | null>(
    [...others, own].map((full, i) => {
      const read = full === own ? target : seen[i];
      return [full, read?.ok ? { private: read.private, htmlUrl: read.htmlUrl } : null];
    }),
  );
  const repository = target.ok
    ? { ...reads.publishing, ...target }
    : { ...reads.publishing, ok: false as const, status: target.status };
  return { publishing: { repository, visibility } };
}

const EMPTY_THREAD: OwnThread = threadOf([]);
const sameKey = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** The issue is no longer at this address (moved to another repository, or deleted): nothing to decide here. */
function gone(target: IncidentTarget, number: number): null {
  const { owner, repo } = target.gateway.repo;
  target.log.debug(
    { incident: `${owner}/${repo}#${number}` },
    "issue moved or deleted: nothing to do at its old address",
  );
  return null;
}
/** The footer of every status comment the app renders (templates/status.md.mustache). */
const RENDERED_FOOTER = /<sub>Updated [^<]{1,80} by incident-keeper\./;

/**
 * The hidden state rebuilt from GitHub's history (issue #10 item 6) when it was lost: the status
 * comment's state line is missing or does not verify, or the status comment is gone (deleted) from
 * an issue that was already an incident. Null when the state is there (or the trigger makes the
 * issue an incident just now: nothing to rebuild). Reads the label timeline and the permission of
 * each person whose comment says `/resolved` or `/close --force`, at once.
 */
async function rebuildIfLost(
  target: IncidentTarget,
  trigger: IncidentTrigger,
  args: { policies: Policies; thread: OwnThread; issue: IncidentIssue; people: HistoryComment[] | null },
): Promise<StatusState | null> {
  const { policies, thread, issue } = args;
  const incidentLabel = policies.labels.incident;
  if (thread.status !== null) {
    const verdict = verifyState(thread.status.body);
    if (verdict === "ok") return null;
    // A marker without the rendered status (no footer) predates the hidden state: nothing was lost.
    if (verdict === "missing" && !RENDERED_FOOTER.test(thread.status.body)) return null;
  } else {
    if (!isIncident(issue, incidentLabel) || becameIncident(trigger, incidentLabel) || declaresIncident(trigger))
      return null;
    // Never handled (no comment of the app): the incident start alone is read, as before.
    if (thread.comments.length === 0) return null;
  }
  // People's comments, unless the caller's read (own comments only) left them out.
  const people = args.people ?? (await target.gateway.issueThread(issue.number)).people;
  const authors = stateCommandAuthors(people).filter((login) => LOGIN.test(login));
  const [events, levels] = await Promise.all([
    target.gateway.labelEvents(issue.number),
    Promise.all(authors.map((login) => target.gateway.permissionOf(login))),
  ]);
  const permissions = new Map(authors.map((login, i) => [login, levels[i] ?? ("none" as const)]));
  // Debug only: overlapping sweeps without a shared lock meet a status comment another one just removed.
  target.log.debug(
    { incident: `${target.gateway.repo.owner}/${target.gateway.repo.repo}#${issue.number}` },
    "hidden state missing or not verified: rebuilt from the issue's history",
  );
  const untrusted = thread.status === null ? undefined : decodeState(thread.status.body);
  return rebuildState({
    events,
    comments: people,
    permissions,
    policies,
    markers: thread.markers,
    untrusted,
    issue,
  });
}

/** When the issue became an incident, for a state that does not keep it yet (issue #10 item 4). */
async function incidentStart(
  target: IncidentTarget,
  trigger: IncidentTrigger,
  args: { config: IncidentKeeperConfig; thread: OwnThread; issue: IncidentIssue; now: Date; fromTrigger?: boolean },
): Promise<Date | null | undefined> {
  const { config, thread, issue, now } = args;
  const read = (at: Date | null): Promise<Date | null | undefined> =>
    args.fromTrigger
      ? Promise.resolve(at ?? undefined)
      : incidentStartFor({ gateway: target.gateway, config, thread, issueNumber: issue.number, trigger: at });
  switch (trigger.kind) {
    case "issue": {
      if (!becameIncident(trigger, config.incident_label)) return read(null);
      return read(trigger.action === "opened" ? trigger.issue.createdAt : (trigger.issue.updatedAt ?? now));
    }
    case "command": {
      const becomes = declaresIncident(trigger) && !isIncident(issue, config.incident_label);
      return read(becomes && !Number.isNaN(Date.parse(trigger.commentAt)) ? new Date(trigger.commentAt) : null);
    }
    case "tick":
      // Read by the sweep's check; a state written meanwhile keeps it.
      return thread.status ? undefined : trigger.becameIncidentAt;
    case "action-state":
    case "pull-request":
    case "security-moved":
    case "security-not-moved":
    case "timeline-note":
    case "alert":
      return undefined;
    case "repair":
      // No state yet: when it became an incident comes from the timeline (once).
      if (thread.status) return undefined;
      return trigger.becameIncidentAt !== undefined ? trigger.becameIncidentAt : read(null);
  }
}
