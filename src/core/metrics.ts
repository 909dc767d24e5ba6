/**
 * Incident metrics over histories decoded from what the app keeps on GitHub (labels, the status
 * comment's hidden state, the issue's own times). Pure: "now" is a parameter, every instant is UTC.
 *
 * Which incidents count: the cohort is the incidents opened within the range; `closed` counts
 * incidents closed within the range whenever they were opened. Groups by ISO week use the week the
 * incident was opened in (UTC), except `closed`, which uses the week it was closed in. Every figure
 * carries `incidents`: how many incidents it is computed from.
 */
import {
  readClassification,
  SEVERITIES,
  CATEGORIES,
  type Category,
  type Classification,
  type Severity,
} from "./classification.js";
import { slaPolicyOf, slaTimesOf } from "./incident-plan.js";
import { configFor } from "./security.js";
import { evaluateSla, HOUR_MS, type SlaWindowName, type WindowStatus } from "./sla.js";
import type { StatusState } from "./status-state.js";
import type { IncidentKeeperConfig } from "../config/schema.js";

const DAY_MS = 24 * HOUR_MS;

/** One incident as the report reads it from GitHub. */
export interface IncidentRecord {
  /** `owner/name`. */
  repository: string;
  number: number;
  title: string;
  url: string;
  state: "open" | "closed";
  createdAt: Date;
  closedAt: Date | null;
  labels: string[];
  /** The status comment's hidden state; null when the app never wrote one. */
  status: StatusState | null;
  /** How many times the app reopened it because it was closed too early (its `reopened` markers). */
  reopens: number;
}

export interface MetricsRange {
  since: Date;
  /** Exclusive. */
  until: Date;
}

/** A duration statistic in hours; null figures when `incidents` is 0 ("no data"). */
export interface DurationFigure {
  incidents: number;
  medianHours: number | null;
  p90Hours: number | null;
  meanHours: number | null;
}

/** How one SLA window went for the incidents that have it. */
export interface ComplianceFigure {
  /** Incidents that have this window (not-applicable ones excluded). */
  incidents: number;
  met: number;
  breached: number;
  /** Still running (on track, paused) or not started yet. */
  open: number;
  /** met / (met + breached), null when neither. */
  metRatio: number | null;
  /** How far past the deadline the breached ones went (still-open breaches: until now). */
  breachHours: DurationFigure;
}

export interface ActionsFigure {
  /** Incidents whose follow-up actions these are. */
  incidents: number;
  open: number;
  done: number;
  /** Open and older than `report.action_slo_days` for the incident's severity. */
  overdue: number;
  /** Closed without being done (not planned, closed unmerged) or not found. */
  other: number;
}

export interface GroupMetrics {
  opened: { incidents: number };
  closed: { incidents: number };
  /** MTTA: opened -> fully classified. */
  timeToClassify: DurationFigure;
  /** Impact start -> detected (timeline tags); no data without both tags. */
  timeToDetect: DurationFigure;
  /** Impact start -> mitigated (timeline tags); no data without both tags. */
  timeToMitigate: DurationFigure;
  /** MTTR: opened -> resolved (`/resolved`, or the close). */
  timeToResolve: DurationFigure;
  /** DORA's time to restore service: impact start (else opened) -> mitigated (else resolved). */
  timeToRestore: DurationFigure;
  sla: Record<SlaWindowName, ComplianceFigure>;
  /** Incidents the app reopened because they were closed too early, and how often. */
  reopened: { incidents: number; reopens: number };
  forcedClose: { incidents: number };
  actions: ActionsFigure;
}

/** Per-incident facts behind the figures (the report lists them; the digest links them). */
export interface IncidentFacts {
  repository: string;
  number: number;
  title: string;
  url: string;
  state: "open" | "closed";
  severity: Severity | null;
  category: Category | null;
  openedAt: string;
  closedAt: string | null;
  week: string;
  classifyHours: number | null;
  resolveHours: number | null;
  detectHours: number | null;
  mitigateHours: number | null;
  restoreHours: number | null;
  sla: Record<SlaWindowName, WindowStatus["state"]>;
  breachHours: Record<SlaWindowName, number | null>;
  reopens: number;
  forcedClose: boolean;
  actions: { open: number; done: number; overdue: number; other: number };
}

export interface MetricsReport {
  range: { since: string; until: string };
  generatedAt: string;
  overall: GroupMetrics;
  bySeverity: Record<"1" | "2" | "3" | "4" | "5" | "none", GroupMetrics>;
  byCategory: Record<Category | "none", GroupMetrics>;
  /** ISO week (`2026-W48`) -> figures, oldest first. */
  byWeek: Record<string, GroupMetrics>;
  incidents: IncidentFacts[];
}

/** The configuration of each incident's repository (the report spans repositories). */
export type ConfigOf = (repository: string) => IncidentKeeperConfig;

/** Computes every figure of the report. */
export function computeMetrics(args: {
  records: readonly IncidentRecord[];
  configOf: ConfigOf;
  range: MetricsRange;
  now: Date;
}): MetricsReport {
  const { range, now } = args;
  const inRange = (at: Date | null): boolean =>
    at !== null && at.getTime() >= range.since.getTime() && at.getTime() < range.until.getTime();
  const facts = args.records.map((record) => factsOf(record, args.configOf(record.repository), now));
  const cohort = facts.filter((f) => inRange(new Date(f.openedAt)));
  const closedInRange = facts.filter((f) => inRange(f.closedAt ? new Date(f.closedAt) : null));

  const group = (pick: (f: IncidentFacts) => boolean): GroupMetrics =>
    groupMetrics(cohort.filter(pick), closedInRange.filter(pick));
  const bySeverity = Object.fromEntries([
    ...SEVERITIES.map((s) => [`${s}`, group((f) => f.severity === s)]),
    ["none", group((f) => f.severity === null)],
  ]) as MetricsReport["bySeverity"];
  const byCategory = Object.fromEntries([
    ...CATEGORIES.map((c) => [c, group((f) => f.category === c)]),
    ["none", group((f) => f.category === null)],
  ]) as MetricsReport["byCategory"];
  const weeks = [
    ...new Set([...cohort.map((f) => f.week), ...closedInRange.map((f) => isoWeek(new Date(f.closedAt!)))]),
  ].sort();
  const byWeek: Record<string, GroupMetrics> = {};
  for (const week of weeks) {
    byWeek[week] = groupMetrics(
      cohort.filter((f) => f.week === week),
      closedInRange.filter((f) => isoWeek(new Date(f.closedAt!)) === week),
    );
  }
  return {
    range: { since: range.since.toISOString(), until: range.until.toISOString() },
    generatedAt: now.toISOString(),
    overall: groupMetrics(cohort, closedInRange),
    bySeverity,
    byCategory,
    byWeek,
    incidents: cohort.sort(
      (a, b) => a.openedAt.localeCompare(b.openedAt) || a.repository.localeCompare(b.repository) || a.number - b.number,
    ),
  };
}

/** The facts of one incident at `now`. */
export function factsOf(record: IncidentRecord, config: IncidentKeeperConfig, now: Date): IncidentFacts {
  const state = record.status;
  const classification: Classification = readClassification(record.labels, config.labels);
  const openedAt = record.createdAt;
  const classifiedAt = instant(state?.classifiedAt);
  // A closed incident without the app's record of it still has GitHub's close time.
  const resolvedAt = instant(state?.resolvedAt) ?? (record.state === "closed" ? record.closedAt : null);
  const tags = state?.tags ?? {};
  const start = instant(tags.start);
  const detected = instant(tags.detected);
  const mitigated = instant(tags.mitigated);

  const sla = evaluateSla({
    times: slaTimesOf({ createdAt: openedAt, state, config, resolvedFallback: resolvedAt }),
    classification,
    // A security incident's own windows (issue #14).
    policy: slaPolicyOf(configFor(config, record.labels, state)),
    now,
  });
  const breach = (w: WindowStatus): number | null =>
    w.state === "breached" && w.deadline ? hoursBetween(w.deadline, w.satisfiedAt ?? now) : null;

  const sloDays = config.report.action_slo_days[`${classification.severity ?? 5}`];
  const actionsSince = resolvedAt ?? openedAt;
  const actionOverdue = now.getTime() - actionsSince.getTime() > sloDays * DAY_MS;
  const actions = { open: 0, done: 0, overdue: 0, other: 0 };
  for (const action of Object.values(state?.actions ?? {})) {
    if (!action.found) actions.other += 1;
    else if (action.state === "open") {
      actions.open += 1;
      if (actionOverdue) actions.overdue += 1;
    } else if (action.kind === "pull" ? action.merged : action.stateReason !== "not_planned") actions.done += 1;
    else actions.other += 1;
  }

  return {
    repository: record.repository,
    number: record.number,
    title: record.title,
    url: record.url,
    state: record.state,
    severity: classification.severity,
    category: classification.category,
    openedAt: openedAt.toISOString(),
    closedAt: record.state === "closed" && record.closedAt ? record.closedAt.toISOString() : null,
    week: isoWeek(openedAt),
    classifyHours: classifiedAt ? hoursBetween(openedAt, classifiedAt) : null,
    resolveHours: resolvedAt ? hoursBetween(openedAt, resolvedAt) : null,
    detectHours: start && detected ? hoursBetween(start, detected) : null,
    mitigateHours: start && mitigated ? hoursBetween(start, mitigated) : null,
    restoreHours: (mitigated ?? resolvedAt) ? hoursBetween(start ?? openedAt, (mitigated ?? resolvedAt)!) : null,
    sla: { investigation: sla.investigation.state, resolution: sla.resolution.state },
    breachHours: { investigation: breach(sla.investigation), resolution: breach(sla.resolution) },
    reopens: record.reopens,
    forcedClose: state?.forcedClose != null,
    actions,
  };
}

function groupMetrics(cohort: IncidentFacts[], closed: IncidentFacts[]): GroupMetrics {
  const durations = (pick: (f: IncidentFacts) => number | null): DurationFigure =>
    durationFigure(cohort.map(pick).filter((v): v is number => v !== null));
  const compliance = (window: SlaWindowName): ComplianceFigure => {
    const having = cohort.filter((f) => f.sla[window] !== "not-applicable");
    const met = having.filter((f) => f.sla[window] === "met").length;
    const breached = having.filter((f) => f.sla[window] === "breached").length;
    return {
      incidents: having.length,
      met,
      breached,
      open: having.length - met - breached,
      metRatio: met + breached > 0 ? round(met / (met + breached), 4) : null,
      breachHours: durationFigure(having.map((f) => f.breachHours[window]).filter((v): v is number => v !== null)),
    };
  };
  const withActions = cohort.filter((f) => f.actions.open + f.actions.done + f.actions.other > 0);
  const sum = (pick: (f: IncidentFacts) => number): number => withActions.reduce((acc, f) => acc + pick(f), 0);
  const reopened = cohort.filter((f) => f.reopens > 0);
  return {
    opened: { incidents: cohort.length },
    closed: { incidents: closed.length },
    timeToClassify: durations((f) => f.classifyHours),
    timeToDetect: durations((f) => f.detectHours),
    timeToMitigate: durations((f) => f.mitigateHours),
    timeToResolve: durations((f) => f.resolveHours),
    timeToRestore: durations((f) => f.restoreHours),
    sla: { investigation: compliance("investigation"), resolution: compliance("resolution") },
    reopened: { incidents: reopened.length, reopens: reopened.reduce((acc, f) => acc + f.reopens, 0) },
    forcedClose: { incidents: cohort.filter((f) => f.forcedClose).length },
    actions: {
      incidents: withActions.length,
      open: sum((f) => f.actions.open),
      done: sum((f) => f.actions.done),
      overdue: sum((f) => f.actions.overdue),
      other: sum((f) => f.actions.other),
    },
  };
}

/** Median, 90th percentile (linear interpolation between closest ranks) and mean, in hours. */
export function durationFigure(hours: readonly number[]): DurationFigure {
  if (hours.length === 0) return { incidents: 0, medianHours: null, p90Hours: null, meanHours: null };
  const sorted = [...hours].sort((a, b) => a - b);
  return {
    incidents: sorted.length,
    medianHours: round(quantile(sorted, 0.5), 2),
    p90Hours: round(quantile(sorted, 0.9), 2),
    meanHours: round(sorted.reduce((a, b) => a + b, 0) / sorted.length, 2),
  };
}

function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

/** ISO 8601 week of a UTC instant, e.g. `2026-W48`. */
export function isoWeek(at: Date): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the week's Thursday decides its year
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / DAY_MS + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/** Monday 00:00 UTC of the ISO week containing `at`. */
export function isoWeekStart(at: Date): Date {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() || 7) - 1));
  return day;
}

function hoursBetween(from: Date, to: Date): number {
  return round(Math.max(0, to.getTime() - from.getTime()) / HOUR_MS, 4);
}

function instant(value: string | null | undefined): Date | null {
  return value ? new Date(value) : null;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
