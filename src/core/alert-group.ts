/**
 * Alert groups as incidents, pure: where a group goes (routes), which severity it gets, what the app
 * remembers about it (the `alert` part of the status comment's hidden state) and what one notification
 * changes. The same notification twice (Alertmanager's repeat_interval) yields the same state: nothing
 * to write.
 */
import { z } from "zod";
import type { AlertPolicy } from "./policy.js";
import type { Alert, AlertNotification } from "./alert-payload.js";

/** How many alerts of a group the hidden state (and the status comment) lists; the rest are counted. */
export const TRACKED_ALERTS_MAX = 100;
/** How far before the filing an alert's startsAt may move the investigation start (hostile clocks). */
export const INVESTIGATION_LOOKBACK_MS = 7 * 24 * 3_600_000;

const isoInstant = z.iso.datetime({ offset: true });

const trackedAlertSchema = z.object({
  /** Fingerprint (the alert's label set). */
  fp: z.string().max(64),
  /** alertname, bounded. */
  name: z.string().max(100),
  status: z.enum(["firing", "resolved"]),
  startsAt: isoInstant.nullable(),
  endsAt: isoInstant.nullable(),
});

/** The alert group's part of the hidden state: optional and versioned on its own. */
export const alertGroupStateSchema = z.object({
  v: z.literal(1),
  source: z.enum(["alertmanager", "grafana"]),
  /** The group token written into the incident's body (see groupToken). */
  token: z.string().max(64),
  firing: z.boolean(),
  /** When the investigation window starts (the first alert's startsAt), or null to start at filing. */
  investigationFrom: isoInstant.nullable(),
  /** When the whole group last resolved. */
  resolvedAt: isoInstant.nullable(),
  /** The app recorded the incident's resolution because the group resolved (undone on a re-fire). */
  resolvedIncident: z.boolean(),
  alerts: z.array(trackedAlertSchema).max(TRACKED_ALERTS_MAX),
  /** Alerts of the newest notification not listed in `alerts` (over the cap, or left out by the sender). */
  untracked: z.number().int().min(0),
  /** The earlier incident of this group (closed when this one was filed), if any. */
  previousIncident: z.number().int().positive().nullable(),
});

export type AlertGroupState = z.output<typeof alertGroupStateSchema>;
export type TrackedAlert = z.output<typeof trackedAlertSchema>;

/** Which repository an alert group goes to: the first matching route, else the default, else null. */
export function routeAlertGroup(
  labels: Readonly<Record<string, string>>,
  policy: Pick<AlertPolicy, "routes" | "defaultRepo">,
): string | null {
  for (const route of policy.routes) {
    const equal = Object.entries(route.match).every(([name, value]) => labels[name] === value);
    const patterns = Object.entries(route.matchRe).every(([name, source]) =>
      new RegExp(`^(?:${source})$`, "u").test(labels[name] ?? ""),
    );
    if (equal && patterns) return route.repo;
  }
  return policy.defaultRepo;
}

/** Sev 1-5 from one label value, or null when the vocabulary does not know it. */
export function severityOf(
  value: string | undefined,
  severities: Readonly<Record<string, number>>,
): 1 | 2 | 3 | 4 | 5 | null {
  if (value === undefined) return null;
  const wanted = value.trim().toLowerCase();
  for (const [word, level] of Object.entries(severities)) {
    if (word.toLowerCase() === wanted && level >= 1 && level <= 5) return level as 1 | 2 | 3 | 4 | 5;
  }
  return null;
}

/** The group's severity: its common label, else the most severe among its firing alerts. */
export function groupSeverity(
  notification: AlertNotification,
  policy: Pick<AlertPolicy, "severityLabel" | "severities">,
): 1 | 2 | 3 | 4 | 5 | null {
  const label = policy.severityLabel;
  const common = severityOf(notification.commonLabels[label], policy.severities);
  if (common !== null) return common;
  const levels = notification.alerts
    .filter((a) => a.status === "firing")
    .map((a) => severityOf(a.labels[label], policy.severities))
    .filter((level): level is 1 | 2 | 3 | 4 | 5 => level !== null);
  return levels.length > 0 ? (Math.min(...levels) as 1 | 2 | 3 | 4 | 5) : null;
}

/** The alert's name as shown: `alertname`, bounded, one line. */
export function alertName(alert: Pick<Alert, "labels">): string {
  return oneLine(alert.labels.alertname ?? "alert", 100);
}

/** Collapses whitespace and control characters to single spaces and bounds the length. */
export function oneLine(value: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const flat = value.replace(/[\u0000-\u001f\u007f\u2028\u2029\s]+/gu, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

function track(alert: Alert): TrackedAlert {
  return {
    fp: alert.fingerprint,
    name: alertName(alert),
    status: alert.status,
    startsAt: iso(alert.startsAt),
    endsAt: alert.status === "resolved" ? iso(alert.endsAt) : null,
  };
}

/** Firing first, then the newest start; ties by fingerprint, so the order never depends on arrival. */
function order(a: TrackedAlert, b: TrackedAlert): number {
  if (a.status !== b.status) return a.status === "firing" ? -1 : 1;
  const byStart = (b.startsAt ?? "").localeCompare(a.startsAt ?? "");
  return byStart !== 0 ? byStart : a.fp.localeCompare(b.fp);
}

/**
 * The group's alerts after one notification: alerts it names take its word (a firing alert with a new
 * startsAt is a re-fire), alerts it no longer names stay as they were, except that a resolved group
 * resolves them all (at `now` when the sender gave no end).
 */
export function mergeAlerts(
  previous: readonly TrackedAlert[],
  notification: AlertNotification,
  now: Date,
): { alerts: TrackedAlert[]; untracked: number } {
  const byFp = new Map(previous.map((a) => [a.fp, a]));
  for (const alert of notification.alerts) byFp.set(alert.fingerprint, track(alert));
  if (notification.status === "resolved") {
    for (const [fp, alert] of byFp) {
      if (alert.status === "firing") byFp.set(fp, { ...alert, status: "resolved", endsAt: now.toISOString() });
    }
  }
  const all = [...byFp.values()].sort(order);
  const kept = all.slice(0, TRACKED_ALERTS_MAX);
  return { alerts: kept, untracked: all.length - kept.length + notification.truncatedAlerts };
}

/** An incident found for the group on GitHub (the newest, when there are several). */
export interface GroupIncident {
  number: number;
  state: "open" | "closed";
  /** Its decoded alert state (null when its status comment has none yet). */
  alert: AlertGroupState | null;
}

export type AlertDecision =
  /** Nothing to write: a repeat, or a resolution of a group nobody filed. */
  | { kind: "nothing"; reason: "repeat" | "resolved-without-incident" }
  /** File a new incident (linking `state.previousIncident` when the group's last incident is closed). */
  | { kind: "file"; state: AlertGroupState; severity: 1 | 2 | 3 | 4 | 5 | null }
  /** Update the incident's alert section; record its resolution, or undo the one the group recorded. */
  | { kind: "update"; number: number; state: AlertGroupState; resolveIncident: boolean; unresolveIncident: boolean };

function investigationFrom(
  notification: AlertNotification,
  policy: Pick<AlertPolicy, "investigationStart">,
  now: Date,
): string | null {
  if (policy.investigationStart === "filed") return null;
  const starts = notification.alerts
    .filter((a) => a.status === "firing" && a.startsAt !== null)
    .map((a) => a.startsAt?.getTime() ?? now.getTime());
  if (starts.length === 0) return null;
  const earliest = Math.max(Math.min(...starts), now.getTime() - INVESTIGATION_LOOKBACK_MS);
  return new Date(Math.min(earliest, now.getTime())).toISOString();
}

/** True when the notification names a firing alert the state does not know as firing with that start. */
function hasNewFiring(previous: AlertGroupState | null, notification: AlertNotification): boolean {
  const known = new Map((previous?.alerts ?? []).map((a) => [a.fp, a]));
  return notification.alerts.some((alert) => {
    if (alert.status !== "firing") return false;
    const before = known.get(alert.fingerprint);
    return !before || before.status !== "firing" || before.startsAt !== iso(alert.startsAt);
  });
}

function sameState(a: AlertGroupState, b: AlertGroupState): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The state of a group before any notification: firing, nothing tracked yet. */
function initialState(notification: AlertNotification, token: string, from: string | null): AlertGroupState {
  return {
    v: 1,
    source: notification.source,
    token,
    firing: true,
    investigationFrom: from,
    resolvedAt: null,
    resolvedIncident: false,
    alerts: [],
    untracked: 0,
    previousIncident: null,
  };
}

/**
 * What one notification does to its group's incident. `incident` is the newest incident GitHub holds
 * for the group, or null.
 */
export function decideAlert(args: {
  notification: AlertNotification;
  token: string;
  incident: GroupIncident | null;
  policy: Pick<AlertPolicy, "investigationStart" | "severityLabel" | "severities" | "resolveIncident">;
  now: Date;
}): AlertDecision {
  const { notification, incident, now, policy } = args;
  const firing = notification.status === "firing";
  const fileNew = (previousIncident: number | null): AlertDecision => {
    const state: AlertGroupState = {
      ...initialState(notification, args.token, investigationFrom(notification, policy, now)),
      ...mergeAlerts([], notification, now),
      previousIncident,
    };
    return { kind: "file", state, severity: groupSeverity(notification, policy) };
  };

  if (incident === null) return firing ? fileNew(null) : { kind: "nothing", reason: "resolved-without-incident" };
  const previous = incident.alert;
  // A closed incident stays closed: a group that fires anew gets a new incident linking it.
  if (
    incident.state === "closed" &&
    firing &&
    (previous === null || !previous.firing || hasNewFiring(previous, notification))
  ) {
    return fileNew(incident.number);
  }
  // No alert state yet (its first status write failed): start from what filing would have written.
  const base = previous ?? initialState(notification, args.token, investigationFrom(notification, policy, now));
  const refired = !base.firing && firing;
  const resolveIncident = base.firing && !firing && policy.resolveIncident;
  const next: AlertGroupState = {
    ...base,
    ...mergeAlerts(base.alerts, notification, now),
    firing,
    resolvedAt: base.firing && !firing ? now.toISOString() : base.resolvedAt,
    resolvedIncident: resolveIncident ? true : refired ? false : base.resolvedIncident,
  };
  if (previous !== null && sameState(previous, next)) return { kind: "nothing", reason: "repeat" };
  return {
    kind: "update",
    number: incident.number,
    state: next,
    resolveIncident,
    unresolveIncident: refired && base.resolvedIncident,
  };
}

/** The hidden line under an alert incident's marker saying when its investigation starts. */
export function investigationFromLine(at: string | null): string {
  return at ? `<!-- incident-keeper:investigation-from ${at} -->` : "";
}

const INVESTIGATION_FROM = /^<!-- incident-keeper:investigation-from (\d{4}-\d\d-\d\dT[\d:.]{8,12}Z) -->$/m;

/**
 * When an incident's investigation may have started, at the earliest, from its body alone (the sweep's
 * search result): an alert incident's window starts at the alert's startsAt, before the issue was
 * filed. Only ever earlier than the filing, so an edited body can cost a read, never a reminder.
 */
export function earliestInvestigationStart(issue: { createdAt: Date; body?: string }): Date {
  const match = issue.body?.startsWith("<!-- incident-keeper:alert-group ")
    ? INVESTIGATION_FROM.exec(issue.body.slice(0, 500))
    : null;
  const hinted = match?.[1] ? Date.parse(match[1]) : Number.NaN;
  if (Number.isNaN(hinted)) return issue.createdAt;
  return new Date(
    Math.max(Math.min(hinted, issue.createdAt.getTime()), issue.createdAt.getTime() - INVESTIGATION_LOOKBACK_MS),
  );
}
