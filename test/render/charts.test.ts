import { describe, expect, it } from "@jest/globals";
import { computeMetrics, type IncidentRecord } from "../../src/core/metrics.js";
import { statusStateSchema } from "../../src/core/status-state.js";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { reportCharts } from "../../src/render/charts.js";
import { policiesOf } from "../../src/config/policies.js";

const record = (n: number, createdAt: string, labels: string[], resolvedAt: string | null): IncidentRecord => ({
  repository: "acme/api",
  number: n,
  title: `<i>${n}</i>`,
  url: "u",
  state: resolvedAt ? "closed" : "open",
  createdAt: new Date(createdAt),
  closedAt: resolvedAt ? new Date(resolvedAt) : null,
  labels,
  status: statusStateSchema.parse({ v: 1, resolvedAt }),
  reopens: 0,
});
const range = { since: new Date("2026-03-02T00:00:00Z"), until: new Date("2026-03-16T00:00:00Z") };
const now = new Date("2026-03-20T00:00:00Z");

describe("the report's SVG charts", () => {
  it("draws one bar segment per week and severity, a point per week with a median, a bar per decided window", () => {
    const records = [
      record(1, "2026-03-02T09:00:00Z", ["incident", "category:core-bug", "sev:1", "devops:1"], "2026-03-02T13:00:00Z"),
      record(2, "2026-03-03T09:00:00Z", ["incident", "category:core-bug", "sev:3", "devops:1"], null),
      record(3, "2026-03-10T09:00:00Z", ["incident", "category:core-bug", "sev:1", "devops:1"], "2026-03-10T11:00:00Z"),
    ];
    const [perWeek, trend, sla] = reportCharts(
      computeMetrics({ records, policiesOf: () => policiesOf(DEFAULT_CONFIG), range, now }),
    );
    expect(perWeek!.svg.match(/<rect x=[^>]*><title>/g)).toHaveLength(3); // W10: Sev 1 + Sev 3; W11: Sev 1
    expect(perWeek!.svg).toContain("<title>2026-W10: 1 Sev 3</title>");
    expect(trend!.svg.match(/<circle /g)).toHaveLength(2);
    expect(trend!.svg).toContain("<title>2026-W11: 2 h</title>");
    expect(sla!.svg).toContain('aria-label="SLA windows met, per severity (%)"');
    for (const chart of [perWeek!, trend!, sla!]) {
      expect(chart.svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="720" height="320"/);
      expect(chart.svg).not.toContain("<i>"); // no user text is drawn unescaped
    }
  });

  it("says 'no data' instead of drawing an empty axis", () => {
    const charts = reportCharts(
      computeMetrics({ records: [], policiesOf: () => policiesOf(DEFAULT_CONFIG), range, now }),
    );
    expect(charts.slice(0, 2).map((c) => c.svg.includes("no data in this range"))).toEqual([true, true]);
  });
});
