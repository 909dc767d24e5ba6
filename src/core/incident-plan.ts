/**
 * The decision for one incident at one moment: which labels to add or remove, the SLA status, the
 * hidden state to keep, and which one-off notices (memo, product hand-off) are owed. Pure.
 */
import { planClassificationLabels, type Category, type Classification, type LabelChange } from "./classification.js";
import type { IncidentIssue } from "./incident.js";
import { investigationStart } from "./incident-start.js";
import { evaluateSla, isFullyClassified, type IncidentTimes, type SlaPolicy, type SlaStatus } from "./sla.js";
import type { StatusState } from "./status-state.js";
import type { IncidentKeeperConfig } from "../config/schema.js";
import { labelsInclude } from "./labels.js";

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
}

/** The SLA policy part of the config, in the core's terms. */
export function slaPolicyOf(config: IncidentKeeperConfig): SlaPolicy {
  return {
    investigationHours: config.sla.investigation_hours,
    resolutionClockStart: config.sla.resolution_clock_start,
    resolutionHours: config.sla.resolution_hours,
    resolutionCategories: config.sla.resolution_categories,
    calendar: config.sla.calendar
      ? {
          timeZone: config.sla.calendar.time_zone,
          workingDays: config.sla.calendar.working_days,
          startTime: config.sla.calendar.start_time,
          endTime: config.sla.calendar.end_time,
          holidays: config.sla.calendar.holidays,
        }
      : null,
    businessHoursWindows: config.sla.business_hours_windows,
  };
}

/**
 * The instants an incident's SLA windows run from, out of what the app keeps (the hidden state) and the
 * issue's creation: the one place the status comment, the dashboard and the report take them from.
 * An incident filed from an alert starts its clocks when the alert started (alerts.investigation_start);
 * otherwise the investigation starts when the issue became an incident (sla.investigation_clock_start).
 */
export function slaTimesOf(args: {
  createdAt: Date;
  state: Pick<StatusState, "alert" | "incidentAt" | "classifiedAt" | "resolvedAt" | "pauses"> | null;
  config: Pick<IncidentKeeperConfig, "sla">;
  /** A resolution time GitHub knows when the app has none (e.g. the close time of a closed incident). */
  resolvedFallback?: Date | null;
}): IncidentTimes {
  const { createdAt, state, config } = args;
  const instant = (value: string | null | undefined): Date | null => (value ? new Date(value) : null);
  const alertStart = instant(state?.alert?.investigationFrom);
  const incidentAt = instant(state?.incidentAt);
  return {
    openedAt: alertStart ?? createdAt,
    investigationStartedAt:
      alertStart ??
      investigationStart({ clockStart: config.sla.investigation_clock_start, openedAt: createdAt, incidentAt }),
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
  config: IncidentKeeperConfig;
  previous: StatusState;
  postedMarkers: ReadonlySet<string>;
  wanted?: Partial<Classification>;
  newestLabel?: string;
  markResolved?: boolean;
  /** When the issue became an incident, from the trigger or the timeline; used only when `previous` has none. */
  becameIncidentAt?: Date | null;
  now: Date;
}): IncidentPlan {
  const { issue, config, previous, postedMarkers, now } = args;
  const policy = slaPolicyOf(config);
  const scheme = config.labels;
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
    pauses: updatePauses(previous.pauses, has(scheme.sla_paused) && issue.state === "open", now),
  };

  const sla = evaluateSla({
    times: slaTimesOf({ createdAt: issue.createdAt, state, config }),
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
  return { classification, fullyClassified, sla, labels, state, notices };
}

function updatePauses(pauses: StatusState["pauses"], paused: boolean, now: Date): StatusState["pauses"] {
  const open = pauses.find((p) => p.end === null);
  if (paused && !open) return [...pauses, { start: now.toISOString(), end: null }];
  if (!paused && open) return pauses.map((p) => (p === open ? { ...p, end: now.toISOString() } : p));
  return pauses;
}
