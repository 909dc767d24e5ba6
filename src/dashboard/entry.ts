/**
 * One open incident as the dashboard shows it, computed from what the app keeps on GitHub (labels,
 * the status comment's hidden state, the issue's times) and ordered by urgency. Pure.
 */
import { readClassification, type Classification } from "../core/classification.js";
import type { IncidentIssue } from "../core/incident.js";
import { slaTimesOf } from "../core/incident-plan.js";
import { isSecurityIncident, policiesFor } from "../core/security.js";
import { evaluateSla, type SlaWindowName, type WindowState } from "../core/sla.js";
import type { StatusState } from "../core/status-state.js";
import type { Policies } from "../core/policy.js";

export interface DashboardWindow {
  name: SlaWindowName;
  state: WindowState;
  /** ISO instant, null while pending, paused or not applicable. */
  deadline: string | null;
}

export interface DashboardEntry {
  installationId: number;
  /** `owner/name`. */
  repository: string;
  number: number;
  title: string;
  classification: Classification;
  windows: DashboardWindow[];
  paused: boolean;
  /** Open follow-up actions (`owner/name#N`), as the status comment last saw them. */
  openActions: string[];
  /** Alerts behind the incident (the alert group's alerts in the hidden state), e.g. "HighErrorRate (firing)". */
  alerts: string[];
  /** A security incident: its investigation window is shown as the acknowledge window. */
  security?: boolean;
}

/** The entry of an open incident, from its issue, its repository's policies and its hidden state. */
export function dashboardEntry(args: {
  installationId: number;
  repository: string;
  issue: IncidentIssue;
  policies: Policies;
  state: StatusState | null;
  now: Date;
}): DashboardEntry {
  const { issue, policies, state, now } = args;
  const classification = readClassification(issue.labels, policies.labels);
  const paused = issue.labels.some((l) => l.toLowerCase() === policies.labels.slaPaused.toLowerCase());
  const sla = evaluateSla({
    times: slaTimesOf({ createdAt: issue.createdAt, state, policies }),
    classification,
    policy: policiesFor(policies, issue.labels, state).sla,
    now,
  });
  const openActions = Object.entries(state?.actions ?? {}).flatMap(([key, action]) =>
    action.found && action.state === "open" ? [key] : [],
  );
  return {
    installationId: args.installationId,
    repository: args.repository,
    number: issue.number,
    title: issue.title,
    classification,
    windows: [sla.investigation, sla.resolution].map((w) => ({
      name: w.window,
      state: w.state,
      deadline: w.deadline?.toISOString() ?? null,
    })),
    paused,
    openActions,
    alerts: (state?.alert?.alerts ?? []).map((alert) => `${alert.name} (${alert.status})`),
    security: isSecurityIncident(issue.labels, state, policies),
  };
}

/** A window's state at `now`: a running window whose deadline has passed is breached. */
export function windowStateAt(window: DashboardWindow, now: Date): WindowState {
  if (window.state === "on-track" && window.deadline && now.getTime() > Date.parse(window.deadline)) return "breached";
  return window.state;
}

/** The deadline that makes an incident urgent: the earliest of its running (on track or breached) windows. */
export function urgencyDeadline(entry: DashboardEntry, now: Date): number | null {
  const running = entry.windows.filter(
    (w) => w.deadline !== null && ["on-track", "breached"].includes(windowStateAt(w, now)),
  );
  if (running.length === 0) return null;
  return Math.min(...running.map((w) => Date.parse(w.deadline!)));
}

/**
 * Most urgent first: the longest-breached or nearest deadline (both are the earliest deadline), then
 * incidents with no running deadline (paused, pending), newest number last.
 */
export function byUrgency(now: Date): (a: DashboardEntry, b: DashboardEntry) => number {
  return (a, b) => {
    const da = urgencyDeadline(a, now);
    const db = urgencyDeadline(b, now);
    if (da !== db) return da === null ? 1 : db === null ? -1 : da - db;
    return a.repository.localeCompare(b.repository) || a.number - b.number;
  };
}

/** Repositories in the order of their most urgent incident, each with its incidents by urgency. */
export function groupByRepository(
  entries: readonly DashboardEntry[],
  now: Date,
): { repository: string; entries: DashboardEntry[] }[] {
  const sorted = [...entries].sort(byUrgency(now));
  const groups = new Map<string, DashboardEntry[]>();
  for (const entry of sorted) {
    const list = groups.get(entry.repository) ?? [];
    list.push(entry);
    groups.set(entry.repository, list);
  }
  return [...groups].map(([repository, list]) => ({ repository, entries: list }));
}
