/**
 * The report's three formats: Markdown (templates/report.md.mustache, charts linked as SVG files),
 * JSON (the documented shape of docs/report.schema.json) and CSV (one row per group).
 */
import { CATEGORY_TITLES } from "../core/classification.js";
import type { ComplianceFigure, DurationFigure, GroupMetrics, MetricsReport } from "../core/metrics.js";
import { render } from "./templates.js";

/** The JSON document: `version` changes only when a field changes meaning or goes away. */
export interface ReportJson extends MetricsReport {
  version: 1;
  scope: string;
  /** How the figures were read: incidents found, API calls spent, the reader used. */
  source: { incidents: number; apiCalls: number; reader: "graphql" | "rest" };
}

export function toReportJson(
  report: MetricsReport,
  meta: { scope: string; apiCalls: number; reader: "graphql" | "rest"; found: number },
): ReportJson {
  return {
    version: 1,
    scope: meta.scope,
    source: { incidents: meta.found, apiCalls: meta.apiCalls, reader: meta.reader },
    ...report,
  };
}

const hours = (value: number | null): string =>
  value === null
    ? "no data"
    : value < 1
      ? `${Math.round(value * 60)} min`
      : value < 72
        ? `${trim(value)} h`
        : `${trim(value / 24)} d`;
const trim = (value: number): string => (Math.round(value * 10) / 10).toString();
const percent = (figure: ComplianceFigure): string =>
  figure.metRatio === null ? "no data" : `${Math.round(figure.metRatio * 100)} %`;
const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

function durationRow(name: string, figure: DurationFigure): object {
  return {
    name,
    n: figure.incidents,
    median: hours(figure.medianHours),
    p90: hours(figure.p90Hours),
    mean: hours(figure.meanHours),
  };
}

function groupRow(key: string, group: GroupMetrics): object {
  const windowCell = (figure: ComplianceFigure): string => `${percent(figure)} (${figure.met + figure.breached})`;
  return {
    key,
    opened: group.opened.incidents,
    closed: group.closed.incidents,
    mtta: `${hours(group.timeToClassify.medianHours)} (${group.timeToClassify.incidents})`,
    mttr: `${hours(group.timeToResolve.medianHours)} (${group.timeToResolve.incidents})`,
    mttrP90: hours(group.timeToResolve.p90Hours),
    investigation: windowCell(group.sla.investigation),
    resolution: windowCell(group.sla.resolution),
    reopened: group.reopened.incidents,
    actions: `${group.actions.open} / ${group.actions.overdue}`,
  };
}

const SLA_WORDS: Record<string, string> = {
  pending: "not started",
  "not-applicable": "—",
  paused: "paused",
  "on-track": "on track",
  met: "met",
  breached: "breached",
};

/** The Markdown report; `charts` are paths (relative to the report) of the SVG files to embed. */
export function renderMarkdownReport(args: {
  report: MetricsReport;
  scope: string;
  charts: { title: string; path: string }[];
  marker?: string;
  listIncidents?: boolean;
}): string {
  const { report } = args;
  const o = report.overall;
  const nonEmpty = (rows: [string, GroupMetrics][]): [string, GroupMetrics][] =>
    rows.filter(([, g]) => g.opened.incidents > 0 || g.closed.incidents > 0);
  return `${render("report", {
    marker: args.marker ?? "",
    since: report.range.since.slice(0, 10),
    until: new Date(new Date(report.range.until).getTime() - 86_400_000).toISOString().slice(0, 10),
    scope: args.scope,
    generatedAt: report.generatedAt.slice(0, 16).replace("T", " "),
    opened: o.opened.incidents,
    closed: o.closed.incidents,
    durations: [
      durationRow("time to classify (MTTA)", o.timeToClassify),
      durationRow("time to detect", o.timeToDetect),
      durationRow("time to mitigate", o.timeToMitigate),
      durationRow("time to resolve (MTTR)", o.timeToResolve),
      durationRow("time to restore service (DORA)", o.timeToRestore),
    ],
    compliance: (["investigation", "resolution"] as const).map((w) => {
      const f = o.sla[w];
      return {
        name: w,
        n: f.incidents,
        met: f.met,
        breached: f.breached,
        open: f.open,
        ratio: percent(f),
        breachMedian: hours(f.breachHours.medianHours),
        breachP90: hours(f.breachHours.p90Hours),
      };
    }),
    reopenedIncidents: o.reopened.incidents,
    reopens: o.reopened.reopens,
    forced: o.forcedClose.incidents,
    actionIncidents: o.actions.incidents,
    actionsOpen: o.actions.open,
    actionsOverdue: o.actions.overdue,
    actionsDone: o.actions.done,
    actionsOther: o.actions.other,
    groups: [
      {
        name: "severity",
        rows: nonEmpty(Object.entries(report.bySeverity)).map(([k, g]) =>
          groupRow(k === "none" ? "unclassified" : `Sev ${k}`, g),
        ),
      },
      {
        name: "category",
        rows: nonEmpty(Object.entries(report.byCategory)).map(([k, g]) =>
          groupRow(k === "none" ? "unclassified" : CATEGORY_TITLES[k as keyof typeof CATEGORY_TITLES], g),
        ),
      },
      { name: "week", rows: Object.entries(report.byWeek).map(([k, g]) => groupRow(k, g)) },
    ],
    hasCharts: args.charts.length > 0,
    charts: args.charts,
    hasIncidents: (args.listIncidents ?? true) && report.incidents.length > 0,
    incidents: report.incidents.map((i) => ({
      repository: i.repository,
      number: i.number,
      url: i.url,
      title: cell(i.title),
      severity: i.severity === null ? "—" : `Sev ${i.severity}`,
      category: i.category === null ? "—" : CATEGORY_TITLES[i.category],
      openedAt: i.openedAt.slice(0, 16).replace("T", " "),
      state: i.state,
      resolve: hours(i.resolveHours),
      investigation: SLA_WORDS[i.sla.investigation],
      resolution: SLA_WORDS[i.sla.resolution],
    })),
  })}\n`;
}

const CSV_FIGURES = ["timeToClassify", "timeToDetect", "timeToMitigate", "timeToResolve", "timeToRestore"] as const;

/** CSV: a header, then one row per group (overall, each severity, category and week). */
export function renderCsvReport(report: MetricsReport): string {
  const header = [
    "group",
    "key",
    "opened",
    "closed",
    ...CSV_FIGURES.flatMap((f) => [`${f}_incidents`, `${f}_median_hours`, `${f}_p90_hours`]),
    ...(["investigation", "resolution"] as const).flatMap((w) => [
      `sla_${w}_incidents`,
      `sla_${w}_met`,
      `sla_${w}_breached`,
      `sla_${w}_open`,
      `sla_${w}_breach_median_hours`,
    ]),
    "reopened_incidents",
    "forced_close_incidents",
    "actions_incidents",
    "actions_open",
    "actions_done",
    "actions_overdue",
  ];
  const row = (group: string, key: string, g: GroupMetrics): (string | number | null)[] => [
    group,
    key,
    g.opened.incidents,
    g.closed.incidents,
    ...CSV_FIGURES.flatMap((f) => [g[f].incidents, g[f].medianHours, g[f].p90Hours]),
    ...(["investigation", "resolution"] as const).flatMap((w) => [
      g.sla[w].incidents,
      g.sla[w].met,
      g.sla[w].breached,
      g.sla[w].open,
      g.sla[w].breachHours.medianHours,
    ]),
    g.reopened.incidents,
    g.forcedClose.incidents,
    g.actions.incidents,
    g.actions.open,
    g.actions.done,
    g.actions.overdue,
  ];
  const rows = [
    row("overall", "all", report.overall),
    ...Object.entries(report.bySeverity).map(([k, g]) => row("severity", k, g)),
    ...Object.entries(report.byCategory).map(([k, g]) => row("category", k, g)),
    ...Object.entries(report.byWeek).map(([k, g]) => row("week", k, g)),
  ];
  return [header, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break; null is empty. */
function csvField(value: string | number | null): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
