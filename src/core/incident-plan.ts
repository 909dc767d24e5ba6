/**
 * The decision for one incident at one moment: which labels to add or remove, the SLA status, the
 * hidden state to keep, and which one-off notices (memo, product hand-off) are owed. Pure.
 */
import { planClassificationLabels, type Category, type Classification, type LabelChange } from "./classification.js";
import type { IncidentIssue } from "./incident.js";
import { investigationStart } from "./incident-start.js";
import { evaluateSla, isFullyClassified, type IncidentTimes, type SlaStatus } from "./sla.js";
import type { StatusState } from "./status-state.js";
import type { Policies } from "./policy.js";
import { labelsInclude } from "./labels.js";
import { isSecurityIncident } from "./security.js";

export type NoticeKind = "memo" | "handoff";

export interface Notice {
  kind: NoticeKind;
  category: Category;
  /** Marker that makes the notice idempotent: it is posted once per incident and category. */
  marker: string;
}

export interface IncidentPlan {
  classification: Classification;
  fullyClassified: boolean;
  sla: SlaStatus;
  labels: LabelChange;
  state: StatusState;
  notices: Notice[];
  /** A security incident (`isSecurityIncident`): its windows are named as the security ones. */
  security: boolean;
}

/**
 * The instants an incident's SLA windows run from, out of what the app keeps (the hidden state) and the
 * issue's creation: the one place the status comment, the dashboard and the report take them from.
 * An incident filed from an alert starts its clocks when the alert started (alerts.investigation_start);
 * otherwise the investigation starts when the issue became an incident (`sla.investigationClockStart`).
 */
export function slaTimesOf(args: {
  createdAt: Date;
  state: Pick<StatusState, "alert" | "incidentAt" | "classifiedAt" | "resolvedAt" | "pauses"> | null;
  policies: Pick<Policies, "sla">;
  /** A resolution time GitHub knows when the app has none (e.g. the close time of a closed incident). */
  resolvedFallback?: Date | null;
}): IncidentTimes {
  const { createdAt, state, policies } = args;
  const instant = (value: string | null | undefined): Date | null => (value ? new Date(value) : null);
  const alertStart = instant(state?.alert?.investigationFrom);
  const incidentAt = instant(state?.incidentAt);
  return {
    openedAt: alertStart ?? createdAt,
    investigationStartedAt:
      alertStart ??
      investigationStart({ clockStart: policies.sla.investigationClockStart, openedAt: createdAt, incidentAt }),
    classifiedAt: instant(state?.classifiedAt),
    resolvedAt: instant(state?.resolvedAt) ?? args.resolvedFallback ?? null,
    pauses: (state?.pauses ?? []).map((p) => ({ start: new Date(p.start), end: p.end ? new Date(p.end) : null })),
  };
}

/** Hidden marker of a one-off notice. */
export function noticeMarker(kind: NoticeKind, category: Category): string {
  return `<!-- incident-keeper:notice ${kind}:${category} -->`;
}

/** Decides what an incident needs now. `postedMarkers` are markers found in the app's own comments. */
export function planIncident(args: {
  issue: IncidentIssue;
  policies: Policies;
  previous: StatusState;
  postedMarkers: ReadonlySet<string>;
  wanted?: Partial<Classification>;
  newestLabel?: string;
  markResolved?: boolean;
  /** When the issue became an incident, from the trigger or the timeline; used only when `previous` has none. */
  becameIncidentAt?: Date | null;
  now: Date;
}): IncidentPlan {
  const { issue, policies, previous, postedMarkers, now } = args;
  const policy = policies.sla;
  const scheme = policies.labels;
  const { classification, change } = planClassificationLabels({
    labels: issue.labels,
    scheme,
    wanted: args.wanted,
    newest: args.newestLabel,
  });
  const fullyClassified = isFullyClassified(classification, policy);

  const labels: LabelChange = { add: [...change.add], remove: [...change.remove] };
  const has = (name: string): boolean => labelsInclude(issue.labels, name);
  if (classification.category === "feature-request" && !has(scheme.product)) labels.add.push(scheme.product);

  const state: StatusState = {
    ...previous,
    incidentAt:
      previous.incidentAt ??
      (args.becameIncidentAt && !Number.isNaN(args.becameIncidentAt.getTime())
        ? args.becameIncidentAt.toISOString()
        : null),
    classifiedAt: previous.classifiedAt ?? (fullyClassified ? now.toISOString() : null),
    resolvedAt:
      previous.resolvedAt ??
      (args.markResolved
        ? now.toISOString()
        : issue.closedAt && issue.state === "closed"
          ? issue.closedAt.toISOString()
          : null),
    pauses: updatePauses(previous.pauses, has(scheme.slaPaused) && issue.state === "open", now),
  };

  const sla = evaluateSla({
    times: slaTimesOf({ createdAt: issue.createdAt, state, policies }),
    classification,
    policy,
    now,
  });

  const notices: Notice[] = [];
  const category = classification.category;
  const kind: NoticeKind | null =
    category === "operator-error" || category === "act-of-god"
      ? "memo"
      : category === "feature-request"
        ? "handoff"
        : null;
  if (category !== null && kind !== null) {
    const marker = noticeMarker(kind, category);
    if (!postedMarkers.has(marker)) notices.push({ kind, category, marker });
  }
  const security = isSecurityIncident(issue.labels, state, policies);
  return { classification, fullyClassified, sla, labels, state, notices, security };
}

function updatePauses(pauses: StatusState["pauses"], paused: boolean, now: Date): StatusState["pauses"] {
  const open = pauses.find((p) => p.end === null);
  if (paused && !open) return [...pauses, { start: now.toISOString(), end: null }];
  if (!paused && open) return pauses.map((p) => (p === open ? { ...p, end: now.toISOString() } : p));
  return pauses;
}
