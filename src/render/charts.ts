/**
 * SVG charts of the report, written as plain strings (no browser, no canvas): incidents per week by
 * severity (stacked bars), the MTTR trend (median per week, a line), and SLA compliance per severity
 * (bars, percent met). Each has a white background (readable in GitHub's dark theme too), a <title>
 * and an aria-label, and text in a system font.
 */
import type { MetricsReport } from "../core/metrics.js";

export interface Chart {
  /** File name, e.g. `incidents-per-week.svg`. */
  file: string;
  title: string;
  svg: string;
}

const WIDTH = 720;
const HEIGHT = 320;
const MARGIN = { top: 40, right: 120, bottom: 50, left: 56 };
/** One colour per severity, 1 to 5 then "unclassified"; dark enough for text contrast on white. */
const SEVERITY_COLOURS = ["#b42318", "#c4320a", "#b54708", "#1d4ed8", "#475467", "#98a2b3"];
const SEVERITY_NAMES = ["Sev 1", "Sev 2", "Sev 3", "Sev 4", "Sev 5", "unclassified"];
const SEVERITY_KEYS = ["1", "2", "3", "4", "5", "none"] as const;

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** One SVG element; attribute values are escaped, `inner` is already SVG (or text escaped by the caller). */
function tag(name: string, attrs: Record<string, string | number>, inner?: string): string {
  const list = Object.entries(attrs)
    .map(([key, value]) => ` ${key}="${escape(String(value))}"`)
    .join("");
  return inner === undefined ? `<${name}${list}/>` : `<${name}${list}>${inner}</${name}>`;
}

const FONT = "system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif";

function frame(title: string, body: string[]): string {
  return [
    tag(
      "svg",
      {
        xmlns: "http://www.w3.org/2000/svg",
        width: WIDTH,
        height: HEIGHT,
        viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
        role: "img",
        "aria-label": title,
        "font-family": FONT,
        "font-size": 12,
      },
      "",
    ).replace(/<\/svg>$/, ""),
    `<title>${escape(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="15" font-weight="600" fill="#101828">${escape(title)}</text>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}

/** A "nice" axis maximum (1, 2 or 5 times a power of ten) at or above `value`. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function axes(args: { max: number; labels: string[]; unit: string }): string[] {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const out: string[] = [];
  for (let i = 0; i <= 4; i += 1) {
    const value = (args.max * i) / 4;
    const y = MARGIN.top + plotH - (plotH * i) / 4;
    out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y}" y2="${y}" stroke="#eaecf0"/>`);
    out.push(
      `<text x="${MARGIN.left - 6}" y="${y + 4}" text-anchor="end" fill="#344054">${format(value)}${args.unit}</text>`,
    );
  }
  const step = args.labels.length > 0 ? plotW / args.labels.length : plotW;
  const every = Math.max(1, Math.ceil(args.labels.length / 12));
  args.labels.forEach((label, i) => {
    if (i % every !== 0) return;
    out.push(
      tag(
        "text",
        { x: MARGIN.left + step * (i + 0.5), y: HEIGHT - MARGIN.bottom + 18, "text-anchor": "middle", fill: "#344054" },
        escape(label),
      ),
    );
  });
  out.push(
    tag("line", {
      x1: MARGIN.left,
      x2: MARGIN.left + plotW,
      y1: MARGIN.top + plotH,
      y2: MARGIN.top + plotH,
      stroke: "#667085",
    }),
  );
  return out;
}

function legend(entries: { name: string; colour: string }[]): string[] {
  return entries.flatMap((entry, i) => {
    const y = MARGIN.top + 8 + i * 20;
    const x = WIDTH - MARGIN.right + 16;
    return [
      `<rect x="${x}" y="${y - 9}" width="12" height="12" fill="${entry.colour}"/>`,
      `<text x="${x + 18}" y="${y + 1}" fill="#101828">${escape(entry.name)}</text>`,
    ];
  });
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function empty(): string[] {
  return [`<text x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle" fill="#475467">no data in this range</text>`];
}

/** Stacked bars: incidents opened per ISO week, by severity. */
export function incidentsPerWeekChart(report: MetricsReport): Chart {
  const title = "Incidents opened per week, by severity";
  const weeks = Object.keys(report.byWeek);
  const counts = weeks.map((week) =>
    SEVERITY_KEYS.map((s) => report.incidents.filter((i) => i.week === week && `${i.severity ?? "none"}` === s).length),
  );
  const max = niceMax(Math.max(0, ...counts.map((c) => c.reduce((a, b) => a + b, 0))));
  if (weeks.length === 0) return { file: "incidents-per-week.svg", title, svg: frame(title, empty()) };
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const step = plotW / weeks.length;
  const barW = Math.max(4, Math.min(48, step * 0.7));
  const bars: string[] = [];
  counts.forEach((stack, i) => {
    let base = 0;
    stack.forEach((count, s) => {
      if (count === 0) return;
      const h = (plotH * count) / max;
      const y = MARGIN.top + plotH - (plotH * base) / max - h;
      bars.push(
        tag(
          "rect",
          {
            x: (MARGIN.left + step * (i + 0.5) - barW / 2).toFixed(1),
            y: y.toFixed(1),
            width: barW.toFixed(1),
            height: h.toFixed(1),
            fill: SEVERITY_COLOURS[s]!,
          },
          `<title>${escape(`${weeks[i]}: ${count} ${SEVERITY_NAMES[s]}`)}</title>`,
        ),
      );
      base += count;
    });
  });
  const used = SEVERITY_KEYS.map((_, s) => s).filter((s) => counts.some((c) => c[s]! > 0));
  return {
    file: "incidents-per-week.svg",
    title,
    svg: frame(title, [
      ...axes({ max, labels: weeks, unit: "" }),
      ...bars,
      ...legend(used.map((s) => ({ name: SEVERITY_NAMES[s]!, colour: SEVERITY_COLOURS[s]! }))),
    ]),
  };
}

/** A line: the median time to resolve per ISO week (weeks without a resolved incident are gaps). */
export function mttrTrendChart(report: MetricsReport): Chart {
  const title = "Time to resolve per week (median, hours)";
  const weeks = Object.keys(report.byWeek);
  const medians = weeks.map((w) => report.byWeek[w]!.timeToResolve.medianHours);
  const known = medians.filter((m): m is number => m !== null);
  if (known.length === 0) return { file: "mttr-trend.svg", title, svg: frame(title, empty()) };
  const max = niceMax(Math.max(...known));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const step = plotW / weeks.length;
  const points = medians.map((m, i) =>
    m === null
      ? null
      : { x: MARGIN.left + step * (i + 0.5), y: MARGIN.top + plotH - (plotH * m) / max, m, week: weeks[i]! },
  );
  const segments: string[] = [];
  let run: string[] = [];
  for (const p of [...points, null]) {
    if (p) run.push(`${p.x.toFixed(1)},${p.y.toFixed(1)}`);
    else if (run.length > 0) {
      segments.push(`<polyline points="${run.join(" ")}" fill="none" stroke="#1d4ed8" stroke-width="2"/>`);
      run = [];
    }
  }
  const dots = points.flatMap((p) =>
    p
      ? [
          tag(
            "circle",
            { cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: 4, fill: "#1d4ed8" },
            `<title>${escape(`${p.week}: ${format(p.m)} h`)}</title>`,
          ),
        ]
      : [],
  );
  return {
    file: "mttr-trend.svg",
    title,
    svg: frame(title, [...axes({ max, labels: weeks, unit: " h" }), ...segments, ...dots]),
  };
}

/** Bars: percent of decided windows met, per severity, investigation and resolution side by side. */
export function slaComplianceChart(report: MetricsReport): Chart {
  const title = "SLA windows met, per severity (%)";
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const step = plotW / SEVERITY_KEYS.length;
  const bars: string[] = [];
  const windows = [
    { key: "investigation" as const, colour: "#1d4ed8", name: "investigation" },
    { key: "resolution" as const, colour: "#027a48", name: "resolution" },
  ];
  SEVERITY_KEYS.forEach((s, i) => {
    windows.forEach((w, j) => {
      const figure = report.bySeverity[s].sla[w.key];
      if (figure.metRatio === null) return;
      const h = plotH * figure.metRatio;
      const share = Math.round(figure.metRatio * 100);
      const label = `${SEVERITY_NAMES[i]}, ${w.name}: ${share} % of ${figure.met + figure.breached}`;
      const x = MARGIN.left + step * i + step * 0.15 + j * step * 0.35;
      bars.push(
        tag(
          "rect",
          {
            x: x.toFixed(1),
            y: (MARGIN.top + plotH - h).toFixed(1),
            width: (step * 0.33).toFixed(1),
            height: h.toFixed(1),
            fill: w.colour,
          },
          `<title>${escape(label)}</title>`,
        ),
      );
    });
  });
  return {
    file: "sla-compliance.svg",
    title,
    svg: frame(title, [
      ...axes({ max: 100, labels: SEVERITY_NAMES, unit: " %" }),
      ...bars,
      ...legend(windows.map((w) => ({ name: w.name, colour: w.colour }))),
    ]),
  };
}

/** Every chart of the report. */
export function reportCharts(report: MetricsReport): Chart[] {
  return [incidentsPerWeekChart(report), mttrTrendChart(report), slaComplianceChart(report)];
}
