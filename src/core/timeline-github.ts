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
 * - a late label delivery (the app read the current issue for it) is recorded only when the current
 *   labels agree with it: one GitHub has since overtaken (the label was replaced or removed) is
 *   judged on the current issue like everything else, and writes nothing.
 * The data is in the payload or the snapshot: recording costs no API call.
 */
import { CATEGORY_TITLES, readClassification } from "./classification.js";
import { isIncident } from "./incident.js";
import { labelsInclude, sameLabel } from "./labels.js";
import type { IncidentSnapshot } from "./snapshot.js";
import type { StatusState } from "./status-state.js";
import type { Timeline, TimelineEntry } from "./timeline.js";
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
  /** The timeline so far (to tell a repeated label delivery). */
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
 * A person added or removed a classification label of the incident, at the payload's `updated_at`.
 * Late (the current issue was read): recorded only where the current labels agree. Otherwise a
 * delivery whose label the timeline already shows in that state (the newest entry for the label up
 * to then) is a repeat: GitHub never sends two `labeled` for one label without the `unlabeled`.
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
  if (snapshot.fresh) {
    if (labelsInclude(snapshot.issue.labels, name) !== added) return [];
  } else {
    const earlier = timeline.entries
      .filter((e) => labelOf(e.key) === lower && Date.parse(e.at) <= Date.parse(at))
      .at(-1);
    if (earlier?.key?.startsWith(`label:${op}:`)) return [];
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
 * A follow-up action closed, merged or reopened: at GitHub's time when the trigger is about that
 * action (the delivery's `closed_at` / `merged_at`) or read it just now (the answer's), else when the
 * app saw its cached state change. One entry per action and outcome; the earliest time seen wins.
 */
function actionEntries({ snapshot, trigger, after, now }: GithubEntriesInput): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const before = snapshot.previous.actions;
  for (const [key, state] of Object.entries(after.actions)) {
    const about = trigger.kind === "action-state" && trigger.actionKey === key;
    const was = before[key];
    const word = doneWord(state);
    const wasWord = doneWord(was);
    const changed = was !== undefined && word !== wasWord;
    // Read just now: GitHub's own time of the outcome (the same whichever trigger read it first).
    const readAt = word !== null ? snapshot.actionTimes?.get(key) : undefined;
    if (!about && !changed && readAt === undefined) continue;
    const at = iso(about ? trigger.at : (readAt ?? null), now);
    const title = state.found ? `: ${state.title.slice(0, 80)}` : "";
    if (word !== null)
      entries.push(event(at, `action:${key}:${word}`, `Follow-up action ${shortRef(key, snapshot)} ${word}${title}`));
    else if (state.found && wasWord !== null)
      entries.push(event(at, `action:${key}:reopened`, `Follow-up action ${shortRef(key, snapshot)} reopened${title}`));
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
