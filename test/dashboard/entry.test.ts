import { describe, expect, test } from "@jest/globals";
import type { IncidentIssue } from "../../src/core/incident.js";
import { statusStateSchema } from "../../src/core/status-state.js";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import {
  byUrgency,
  dashboardEntry,
  groupByRepository,
  urgencyDeadline,
  windowStateAt,
} from "../../src/dashboard/entry.js";
import { policiesOf } from "../../src/config/policies.js";

const NOW = new Date("2026-03-02T12:00:00Z");
const issue = (number: number, createdAt: string, labels: string[]): IncidentIssue => ({
  number,
  title: `#${number}`,
  body: "",
  state: "open",
  stateReason: null,
  labels,
  assignees: [],
  author: "a",
  createdAt: new Date(createdAt),
  closedAt: null,
  isPullRequest: false,
});
const entry = (repository: string, number: number, createdAt: string, labels: string[], state: object = {}) =>
  dashboardEntry({
    installationId: 1,
    repository,
    issue: issue(number, createdAt, ["incident", ...labels]),
    policies: policiesOf(DEFAULT_CONFIG),
    state: statusStateSchema.parse({ v: 1, ...state }),
    now: NOW,
  });

describe("dashboard entries and their urgency", () => {
  test.each<{ name: string; e: ReturnType<typeof entry>; deadline: string | null; states: string[] }>([
    {
      name: "unclassified, 2 h old: investigation due in 10 h",
      e: entry("acme/api", 1, "2026-03-02T10:00:00Z", []),
      deadline: "2026-03-02T22:00:00.000Z",
      states: ["on-track", "pending"],
    },
    {
      name: "Sev 1 classified 14 h ago: resolution breached 2 h ago",
      e: entry("acme/api", 2, "2026-03-01T21:00:00Z", ["category:core-bug", "sev:1", "devops:1"], {
        classifiedAt: "2026-03-01T22:00:00Z",
      }),
      deadline: "2026-03-02T10:00:00.000Z",
      states: ["met", "breached"],
    },
    {
      name: "paused since opening: no running deadline",
      e: entry("acme/api", 3, "2026-03-02T09:00:00Z", ["sla:paused"], {
        pauses: [{ start: "2026-03-02T09:00:00Z", end: null }],
      }),
      deadline: null,
      states: ["paused", "pending"],
    },
    {
      name: "operator error classified: nothing running",
      e: entry("acme/api", 4, "2026-03-02T09:00:00Z", ["category:operator-error"], {
        classifiedAt: "2026-03-02T09:30:00Z",
      }),
      deadline: null,
      states: ["met", "not-applicable"],
    },
  ])("$name", ({ e, deadline, states }) => {
    expect(urgencyDeadline(e, NOW)).toBe(deadline === null ? null : Date.parse(deadline));
    expect(e.windows.map((w) => windowStateAt(w, NOW))).toEqual(states);
  });

  test("a window on track when cached is breached once its deadline passes", () => {
    const e = entry("acme/api", 1, "2026-03-02T10:00:00Z", []);
    expect(windowStateAt(e.windows[0]!, new Date("2026-03-02T22:00:00Z"))).toBe("on-track");
    expect(windowStateAt(e.windows[0]!, new Date("2026-03-02T22:00:01Z"))).toBe("breached");
  });

  test("longest-breached first, then the nearest deadline, then nothing running; repositories by their most urgent", () => {
    const entries = [
      entry("acme/web", 5, "2026-03-02T11:00:00Z", []), // due 23:00
      entry("acme/api", 1, "2026-03-02T10:00:00Z", []), // due 22:00
      entry("acme/api", 3, "2026-03-02T09:00:00Z", ["sla:paused"], {
        pauses: [{ start: "2026-03-02T09:00:00Z", end: null }],
      }),
      entry("acme/web", 2, "2026-03-01T21:00:00Z", ["category:core-bug", "sev:1", "devops:1"], {
        classifiedAt: "2026-03-01T22:00:00Z",
      }), // breached 10:00
      entry("acme/api", 6, "2026-03-01T20:00:00Z", []), // investigation breached 08:00
    ];
    expect([...entries].sort(byUrgency(NOW)).map((e) => `${e.repository}#${e.number}`)).toEqual([
      "acme/api#6",
      "acme/web#2",
      "acme/api#1",
      "acme/web#5",
      "acme/api#3",
    ]);
    expect(groupByRepository(entries, NOW).map((g) => [g.repository, g.entries.map((e) => e.number)])).toEqual([
      ["acme/api", [6, 1, 3]],
      ["acme/web", [2, 5]],
    ]);
  });

  test("open follow-up actions come from the status comment's record", () => {
    const e = entry("acme/api", 1, "2026-03-02T10:00:00Z", [], {
      actions: {
        "acme/api#9": { found: true, kind: "issue", state: "open", stateReason: null, title: "x" },
        "acme/api#8": { found: true, kind: "pull", state: "closed", merged: true, title: "y" },
        "acme/x#1": { found: false },
      },
    });
    expect(e.openActions).toEqual(["acme/api#9"]);
  });
});

describe("dashboard deadlines agree with the status comment's", () => {
  test("an old issue promoted to an incident runs its investigation from the promotion (sla.investigation_clock_start)", () => {
    const e = entry("acme/api", 20, "2026-02-20T09:00:00Z", [], { incidentAt: "2026-03-02T08:00:00Z" });
    expect(e.windows[0]).toEqual({ name: "investigation", state: "on-track", deadline: "2026-03-02T20:00:00.000Z" });
  });

  test("an incident filed from an alert runs its clocks from the alert's start, and lists its alerts", () => {
    const alert = {
      v: 1,
      source: "alertmanager",
      token: "g1",
      firing: true,
      investigationFrom: "2026-03-02T07:00:00Z",
      resolvedAt: null,
      resolvedIncident: false,
      alerts: [
        { fp: "a1", name: "HighErrorRate", status: "firing", startsAt: "2026-03-02T07:00:00Z", endsAt: null },
        {
          fp: "a2",
          name: "LatencyP99",
          status: "resolved",
          startsAt: "2026-03-02T07:01:00Z",
          endsAt: "2026-03-02T07:30:00Z",
        },
      ],
      untracked: 0,
      previousIncident: null,
    };
    const e = entry("acme/api", 21, "2026-03-02T07:05:00Z", [], { alert });
    expect(e.windows[0]?.deadline).toBe("2026-03-02T19:00:00.000Z");
    expect(e.alerts).toEqual(["HighErrorRate (firing)", "LatencyP99 (resolved)"]);
  });
});
