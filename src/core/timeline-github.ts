/**
 * The timeline's entries about what happened on GitHub and in the alerting (issue #14): the issue
 * became an incident, classification labels added or removed (by whom), follow-up actions opened,
 * closed, merged or reopened, pull requests opened or merged, alerts fired and resolved. Pure.
 *
 * Each entry carries a `key`, its identity on GitHub, so that recording it again changes nothing and
 * the same deliveries in any order, any number of times, give the same timeline:
 * - facts of the delivery itself (the label's name and the payload's `updated_at`, the pull request's
 *   `created_at` / `merged_at`, the action's `created_at` / `closed_at`), never the order deliveries came in;
 * - facts of the state the app keeps anyway (when it became an incident, the alert group's
 *   `startsAt` / `endsAt`, the action states it reads);
 * - every signed label delivery from a person is a change that happened on GitHub (GitHub sends
 *   `labeled` / `unlabeled` only when the label changes; a redelivery is the same payload, the same
 *   `updated_at`): it is recorded at its `updated_at` whether it arrives late, overtaken or not, so a
 *   redelivery is a no-op and a re-add at a newer `updated_at` is a new entry.
 * The data is in the payload or the snapshot: recording costs no API call.
 */
import { CATEGORY_TITLES, readClassification } from "./classification.js";
import { isIncident } from "./incident.js";
import { labelsInclude, sameLabel } from "./labels.js";
import type { IncidentSnapshot } from "./snapshot.js";
import type { StatusState } from "./status-state.js";
import { keyHash, type Timeline, type TimelineEntry } from "./timeline.js";
import type { IncidentTrigger } from "./trigger.js";
import type { RemoteState } from "./writeup.js";
import type { Policies } from "./policy.js";

/** A filing counts as "filed as an incident" when the incident start is this close to the opening. */
const FILED_WITHIN_MS = 60_000;

/** The keyed prefixes the status comment shows (the incident's start is in its SLA table already). */
export const SHOWN_KEY_PREFIXES = ["label:", "action-opened:", "action:", "pr:", "alert:"] as const;

/** Is this entry shown in the status comment? People's notes and GitHub's events (not the app's own bookkeeping). */
export function shownInStatus(entry: TimelineEntry): boolean {
  return entry.kind === "note" || SHOWN_KEY_PREFIXES.some((p) => entry.key?.startsWith(p) === true);
}

export interface GithubEntriesInput {
  snapshot: IncidentSnapshot;
  policies: Policies;
  trigger: IncidentTrigger;
  /** The hidden state after this decision (incident start, alert group, action states). */
  after: StatusState;
  /** The timeline so far (to tell a repeated label delivery without a time of its own). */
  timeline: Timeline;
  now: Date;
}

/** The GitHub-keyed entries this trigger observes (duplicates of recorded ones are harmless). */
export function githubEntries(input: GithubEntriesInput): TimelineEntry[] {
  return [
    ...incidentEntries(input),
    ...labelEntries(input),
    ...actionOpenedEntries(input),
    ...actionEntries(input),
    ...pullRequestEntries(input),
    ...alertEntries(input),
  ];
}

const iso = (at: Date | string | null | undefined, fallback: Date): string => {
  const date = at instanceof Date ? at : typeof at === "string" ? new Date(at) : fallback;
  return Number.isNaN(date.getTime()) ? fallback.toISOString() : date.toISOString();
};

const event = (at: string, key: string, text: string, by?: string): TimelineEntry => ({
  at,
  kind: "event",
  text: text.slice(0, 200),
  key,
  ...(by ? { by } : {}),
});

/**
 * The incident label added to an issue filed earlier (a label added with the filing is the opening,
 * which the timeline has as "Issue opened"; `/incident` is recorded as the command it is).
 */
function incidentEntries({ snapshot, policies, trigger, now }: GithubEntriesInput): TimelineEntry[] {
  if (trigger.kind !== "issue" || trigger.action !== "labeled" || trigger.changedLabel === null) return [];
  if (!sameLabel(trigger.changedLabel, policies.labels.incident)) return [];
  const at = iso(trigger.issue.updatedAt, now);
  if (Date.parse(at) - snapshot.issue.createdAt.getTime() <= FILED_WITHIN_MS) return [];
  return [event(at, `incident:${at}`, `Became an incident (label ${trigger.changedLabel})`, trigger.actor)];
}

/** Words for a classification label: `Severity set to Sev 2 (label sev:2)`; null for other labels. */
function labelWords(name: string, added: boolean, policies: Policies): string | null {
  const { category, severity, devops } = readClassification([name], policies.labels);
  const what =
    severity !== null
      ? ["Severity", `Sev ${severity}`]
      : devops !== null
        ? ["Remediation difficulty", `DevOps ${devops}`]
        : category !== null
          ? ["Category", CATEGORY_TITLES[category]]
          : null;
  if (what === null) return null;
  return added ? `${what[0]} set to ${what[1]} (label ${name})` : `${what[0]} ${what[1]} removed (label ${name})`;
}

/**
 * A person added or removed a classification label of the incident, at the payload's `updated_at`,
 * keyed `label:<+|->:<label>:<updated_at>` (the key entries had before: a timeline written earlier
 * gains no duplicate). Each delivery is a real change on GitHub: late and overtaken since (the
 * current issue disagrees), a removal delivered after the re-add, a re-add after the removal: each
 * is history at its own time; the same delivery again is the same key (GitHub's times are whole
 * seconds: a label added, removed and added again within one second shows the addition once).
 * Only a payload without an `updated_at` (never GitHub's; no time of its own to key it by) keeps
 * the rules it had before the time was trusted: late, recorded only where the current labels
 * agree; otherwise not when the timeline already shows the label in that state.
 * (The SLA's classification times in the hidden state follow their own rules, `decide`'s.)
 */
function labelEntries({ snapshot, policies, trigger, timeline, now }: GithubEntriesInput): TimelineEntry[] {
  if (trigger.kind !== "issue" || (trigger.action !== "labeled" && trigger.action !== "unlabeled")) return [];
  const name = trigger.changedLabel;
  if (name === null || sameLabel(name, policies.labels.incident)) return [];
  if (!isIncident(snapshot.issue, policies.labels.incident)) return [];
  const added = trigger.action === "labeled";
  const words = labelWords(name, added, policies);
  if (words === null) return [];
  const at = iso(trigger.issue.updatedAt, now);
  const op = added ? "+" : "-";
  const lower = name.toLowerCase();
  if (trigger.issue.updatedAt === undefined) {
    if (snapshot.fresh) {
      if (labelsInclude(snapshot.issue.labels, name) !== added) return [];
    } else {
      const earlier = timeline.entries
        .filter((e) => labelOf(e.key) === lower && Date.parse(e.at) <= Date.parse(at))
        .at(-1);
      if (earlier?.key?.startsWith(`label:${op}:`)) return [];
    }
  }
  return [event(at, labelKey(op, lower, at), words, trigger.actor)];
}

const labelKey = (op: string, label: string, at: string): string => `label:${op}:${label}:${at}`;

/**
 * The label of a `label:` key (`label:+:sev:2:2026-11-23T07:30:00.000Z` -> `sev:2`; the time is ISO, 24 characters).
 */
function labelOf(key: string | undefined): string | null {
  if (!key || !/^label:[+-]:/.test(key) || key.length < 8 + 26) return null;
  return key.slice(8, -25);
}

/** `closed`, `closed as not planned`, `merged`, `closed unmerged`; null while open. */
function doneWord(state: RemoteState | undefined): string | null {
  if (!state?.found || state.state === "open") return null;
  if (state.kind === "pull") return state.merged ? "merged" : "closed unmerged";
  return state.stateReason === "not_planned" ? "closed as not planned" : "closed";
}

/** `#12` in the incident's own repository, `owner/name#12` elsewhere. */
function shortRef(key: string, snapshot: IncidentSnapshot): string {
  const own = `${snapshot.repo.owner}/${snapshot.repo.repo}#`.toLowerCase();
  return key.toLowerCase().startsWith(own) ? `#${key.slice(own.length)}` : key;
}

/**
 * The key of one close, merge or reopen of a follow-up action: GitHub's own identity of it, the
 * action and what happened at GitHub's time (`closed_at` / `merged_at`, a reopen's `updated_at`), so
 * an action closed, reopened and closed again has each on the timeline once, and the same close seen
 * by its delivery and by a read of the action is one entry.
 */
export const actionKeyOf = (key: string, word: string, at: string): string => `action:${key}:${word}:${at}`;

/**
 * What an `action-state` delivery says happened to its action (its own outcome at its own time):
 * the word, GitHub's time and the timeline key; null without a time, or for another trigger.
 */
function deliveredAction(trigger: IncidentTrigger): { word: string; at: string; key: string } | null {
  if (trigger.kind !== "action-state" || trigger.at === undefined) return null;
  const at = new Date(trigger.at);
  if (Number.isNaN(at.getTime())) return null;
  const word = doneWord(trigger.observed) ?? (trigger.observed.found ? "reopened" : null);
  if (word === null) return null;
  return { word, at: at.toISOString(), key: actionKeyOf(trigger.actionKey, word, at.toISOString()) };
}

/**
 * Does the timeline hold what this `action-state` delivery says happened (or compacted it away)? A
 * delivery without a time has nothing to add: yes. An entry recorded before keys carried the time
 * counts when its time is the delivery's. A close, and a timeline without any entry of the action (a
 * state that recorded its outcome before the timeline kept actions; since, every recorded close comes
 * with its entry): yes, as before. A reopen has no other source of its time: it is recorded.
 */
export function holdsDeliveredAction(timeline: Timeline | undefined, trigger: IncidentTrigger): boolean {
  const delivered = deliveredAction(trigger);
  if (delivered === null || trigger.kind !== "action-state") return true;
  const entries = timeline?.entries ?? [];
  if (entries.some((e) => e.key === delivered.key)) return true;
  const closed = delivered.word !== "reopened";
  if (closed && !entries.some((e) => e.key?.startsWith(`action:${trigger.actionKey}:`) === true)) return true;
  if ((timeline?.compactedKeys ?? []).includes(keyHash(delivered.key))) return true;
  const legacy = `action:${trigger.actionKey}:${delivered.word}`;
  return entries.some((e) => e.key === legacy && e.at === delivered.at);
}

/**
 * A follow-up action closed, merged or reopened, each at GitHub's time: what the trigger's own
 * delivery says happened to that action (a real event on GitHub, even when overtaken since: a close
 * later undone by a reopen still happened), and the outcome a read of the action just now answers
 * (its `closed_at` / `merged_at`: the same key whichever trigger read it first). A reopen has a
 * GitHub time only in its own delivery (a reopened issue has no `closed_at`): a read that finds a
 * cached close undone waits for that delivery. A cached state seen changed with no GitHub time at
 * all (none of the reads give one) is recorded at the app's time.
 */
function actionEntries({ snapshot, trigger, after, timeline, now }: GithubEntriesInput): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const before = snapshot.previous.actions;
  const add = (key: string, word: string, at: string, title: string): void => {
    // An entry recorded before closes carried their time stands for this close (same action, outcome and time).
    if (timeline.entries.some((e) => e.key === `action:${key}:${word}` && e.at === at)) return;
    entries.push(event(at, actionKeyOf(key, word, at), `Follow-up action ${shortRef(key, snapshot)} ${word}${title}`));
  };
  for (const [key, state] of Object.entries(after.actions)) {
    const title = state.found ? `: ${state.title.slice(0, 80)}` : "";
    const word = doneWord(state);
    const wasWord = doneWord(before[key]);
    const delivered = trigger.kind === "action-state" && trigger.actionKey === key ? deliveredAction(trigger) : null;
    if (delivered !== null) add(key, delivered.word, delivered.at, title);
    // Read just now: GitHub's own time of the current outcome (the same whichever trigger read it first).
    const readAt = word !== null ? snapshot.actionTimes?.get(key) : undefined;
    if (word !== null && readAt !== undefined) add(key, word, iso(readAt, now), title);
    else if (word !== null && delivered === null && before[key] !== undefined && word !== wasWord)
      add(key, word, iso(null, now), title);
  }
  return entries;
}

/**
 * A follow-up action listed in the Actions section, opened at GitHub's `created_at` of it. The app
 * reads an action the first time it sees it listed (it is not cached yet), so the first sight records
 * it; a later read gives the same key and time (a no-op), and a cached action is not read: nothing.
 */
function actionOpenedEntries({ snapshot, after }: GithubEntriesInput): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const [key, state] of Object.entries(after.actions)) {
    const createdAt = state.found ? snapshot.actionOpenedTimes?.get(key) : undefined;
    if (!state.found || createdAt === undefined) continue;
    const at = new Date(createdAt);
    if (Number.isNaN(at.getTime())) continue;
    const text = `Follow-up action ${shortRef(key, snapshot)} opened: ${state.title.slice(0, 80)}`;
    entries.push(event(at.toISOString(), `action-opened:${key}`, text));
  }
  return entries;
}

/** A pull request referencing the incident or one of its actions: opened, merged or closed (its own times). */
function pullRequestEntries({ snapshot, trigger }: GithubEntriesInput): TimelineEntry[] {
  if (trigger.kind !== "pull-request" || trigger.at === undefined) return [];
  const word = trigger.open ? "opened" : trigger.merged ? "merged" : "closed unmerged";
  const at = new Date(trigger.at);
  if (Number.isNaN(at.getTime())) return [];
  const pr = shortRef(trigger.prKey, snapshot);
  const what = trigger.actionKey ? ` for follow-up action ${shortRef(trigger.actionKey, snapshot)}` : "";
  return [event(at.toISOString(), `pr:${trigger.prKey}:${word}`, `Pull request ${pr}${what} ${word}`)];
}

/** The alert group's alerts: fired at their `startsAt`, resolved at their `endsAt` (the alerting's own times). */
function alertEntries({ snapshot, trigger, after }: GithubEntriesInput): TimelineEntry[] {
  const first = snapshot.thread.status === null;
  if ((trigger.kind !== "alert" && !first) || !after.alert) return [];
  const entries: TimelineEntry[] = [];
  for (const alert of after.alert.alerts) {
    const started = alert.startsAt ? new Date(alert.startsAt) : null;
    if (started && !Number.isNaN(started.getTime())) {
      const at = started.toISOString();
      entries.push(event(at, `alert:${alert.fp}:fired:${at}`, `Alert ${alert.name} fired`));
    }
    const ended = alert.status === "resolved" && alert.endsAt ? new Date(alert.endsAt) : null;
    if (ended && !Number.isNaN(ended.getTime())) {
      const at = ended.toISOString();
      entries.push(event(at, `alert:${alert.fp}:resolved:${at}`, `Alert ${alert.name} resolved`));
    }
  }
  return entries;
}
