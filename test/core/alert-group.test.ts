import { describe, expect, test } from "@jest/globals";
import {
  decideAlert,
  earliestInvestigationStart,
  groupSeverity,
  mergeAlerts,
  routeAlertGroup,
  severityOf,
  TRACKED_ALERTS_MAX,
  type AlertGroupState,
  type GroupIncident,
} from "../../src/core/alert-group.js";
import { groupToken, parseAlertNotification, type AlertNotification } from "../../src/core/alert-payload.js";
import { alertsConfigSchema, DEFAULT_ALERT_SEVERITIES } from "../../src/config/alerts-schema.js";
import { decodeState, encodeState, EMPTY_STATE } from "../../src/core/status-state.js";
import { planIncident } from "../../src/core/incident-plan.js";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { reminderHorizon } from "../../src/core/reminder-horizon.js";
import { alertPolicyOf, policiesOf } from "../../src/config/policies.js";

const NOW = new Date("2026-11-23T10:00:00.000Z");
const STARTED = "2026-11-23T09:50:00.000Z";
const config = alertPolicyOf(alertsConfigSchema.parse({}));
const TOKEN = groupToken("alertmanager", '{}:{alertname="HighErrorRate"}');

type RawAlert = {
  status?: "firing" | "resolved";
  instance?: string;
  startsAt?: string;
  endsAt?: string;
  severity?: string;
};
function notification(
  status: "firing" | "resolved",
  alerts: RawAlert[],
  extra: Record<string, unknown> = {},
): AlertNotification {
  const parsed = parseAlertNotification("alertmanager", {
    version: "4",
    groupKey: '{}:{alertname="HighErrorRate"}',
    status,
    receiver: "incident-keeper",
    groupLabels: { alertname: "HighErrorRate" },
    commonLabels: { alertname: "HighErrorRate" },
    commonAnnotations: {},
    externalURL: "http://alertmanager:9093",
    truncatedAlerts: 0,
    alerts: alerts.map((a) => ({
      status: a.status ?? status,
      labels: {
        alertname: "HighErrorRate",
        instance: a.instance ?? "api-1",
        ...(a.severity ? { severity: a.severity } : {}),
      },
      annotations: {},
      startsAt: a.startsAt ?? STARTED,
      endsAt: a.endsAt ?? "0001-01-01T00:00:00Z",
      generatorURL: "http://prometheus/graph",
    })),
    ...extra,
  });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

function decide(n: AlertNotification, incident: GroupIncident | null, overrides: Partial<typeof config> = {}) {
  return decideAlert({ notification: n, token: TOKEN, incident, policy: { ...config, ...overrides }, now: NOW });
}

function filedState(n: AlertNotification): AlertGroupState {
  const decision = decide(n, null);
  if (decision.kind !== "file") throw new Error("expected file");
  return decision.state;
}

describe("severity from alert labels", () => {
  test.each([
    ["critical", 1],
    ["Emergency", 1],
    ["p1", 1],
    ["s1", 1],
    ["high", 2],
    ["major", 2],
    ["page", 2],
    ["P2", 2],
    ["s2", 2],
    ["error", 3],
    ["warning", 3],
    ["p3", 3],
    ["s3", 3],
    ["low", 4],
    ["p4", 4],
    ["s4", 4],
    ["info", 5],
    ["none", 5],
    ["p5", 5],
    ["s5", 5],
    ["bogus", null],
    ["", null],
    [undefined, null],
  ])("%s -> %s", (value, level) => {
    expect(severityOf(value, DEFAULT_ALERT_SEVERITIES)).toBe(level);
  });

  test("the common label wins; else the most severe firing alert; a configured map replaces the default", () => {
    const mixed = notification("firing", [
      { severity: "warning" },
      { instance: "api-2", severity: "critical" },
      { instance: "api-3", status: "resolved", severity: "info" },
    ]);
    expect(groupSeverity(mixed, config)).toBe(1);
    const common = { ...mixed, commonLabels: { ...mixed.commonLabels, severity: "low" } };
    expect(groupSeverity(common, config)).toBe(4);
    expect(groupSeverity(common, { severityLabel: "severity", severities: { low: 2 } })).toBe(2);
    expect(groupSeverity(common, { severityLabel: "priority", severities: DEFAULT_ALERT_SEVERITIES })).toBe(null);
  });
});

describe("routes", () => {
  const routing = alertPolicyOf(
    alertsConfigSchema.parse({
      routes: [
        { match: { team: "payments" }, repo: "acme/payments" },
        { match_re: { service: "web|frontend" }, repo: "acme/web" },
        { match: { team: "core" }, match_re: { env: "prod.*" }, repo: "acme/core" },
      ],
      default_repo: "acme/api",
    }),
  );
  test.each([
    [{ team: "payments" }, "acme/payments"],
    [{ service: "frontend" }, "acme/web"],
    [{ service: "frontend-v2" }, "acme/api"], // anchored like Alertmanager's match_re
    [{ team: "core", env: "production" }, "acme/core"],
    [{ team: "core", env: "staging" }, "acme/api"],
    [{}, "acme/api"],
  ])("%j -> %s", (labels, repo) => {
    expect(routeAlertGroup(labels, routing)).toBe(repo);
  });
  test("no route and no default: nowhere", () => {
    expect(routeAlertGroup({ team: "x" }, alertPolicyOf(alertsConfigSchema.parse({})))).toBeNull();
  });
  test("bad routes are config errors", () => {
    expect(alertsConfigSchema.safeParse({ routes: [{ match_re: { env: "(" }, repo: "acme/api" }] }).success).toBe(
      false,
    );
    expect(alertsConfigSchema.safeParse({ routes: [{ repo: "not a repo" }] }).success).toBe(false);
    expect(alertsConfigSchema.safeParse({ default_repo: "acme/api", surprise: true }).success).toBe(false);
  });
});

describe("one notification's decision", () => {
  const firing = notification("firing", [{}]);
  const filed = filedState(firing);
  const open = (alert: AlertGroupState | null = filed): GroupIncident => ({ number: 7, state: "open", alert });
  const closed = (alert: AlertGroupState | null = filed): GroupIncident => ({ number: 7, state: "closed", alert });

  test.each<[string, AlertNotification, GroupIncident | null, string]>([
    ["a firing group without an incident is filed", firing, null, "file"],
    [
      "a resolved group without an incident files nothing",
      notification("resolved", [{ status: "resolved", endsAt: NOW.toISOString() }]),
      null,
      "nothing",
    ],
    ["a repeat changes nothing", firing, open(), "nothing"],
    ["a repeat onto a closed incident changes nothing", firing, closed(), "nothing"],
    ["a second alert joins", notification("firing", [{}, { instance: "api-2" }]), open(), "update"],
    [
      "the group resolving updates",
      notification("resolved", [{ status: "resolved", endsAt: NOW.toISOString() }]),
      open(),
      "update",
    ],
    [
      "a closed incident's group firing anew files a new one",
      notification("firing", [{ startsAt: "2026-11-23T09:59:00.000Z" }]),
      closed(),
      "file",
    ],
    ["an incident without alert state gets its state", firing, open(null), "update"],
  ])("%s", (_name, n, incident, kind) => {
    expect(decide(n, incident).kind).toBe(kind);
  });

  test("filing: firing, investigation from the earliest startsAt, the severity", () => {
    const n = notification("firing", [
      { startsAt: "2026-11-23T09:40:00.000Z", severity: "high" },
      { instance: "api-2", startsAt: STARTED, severity: "high" },
    ]);
    const decision = decide(n, null);
    expect(decision).toMatchObject({
      kind: "file",
      severity: 2,
      state: { firing: true, investigationFrom: "2026-11-23T09:40:00.000Z", previousIncident: null, token: TOKEN },
    });
    expect(decide(n, null, { investigationStart: "filed" })).toMatchObject({ state: { investigationFrom: null } });
  });

  test("a startsAt in the future or long ago is clamped", () => {
    expect(filedState(notification("firing", [{ startsAt: "2027-01-01T00:00:00.000Z" }])).investigationFrom).toBe(
      NOW.toISOString(),
    );
    expect(filedState(notification("firing", [{ startsAt: "2020-01-01T00:00:00.000Z" }])).investigationFrom).toBe(
      "2026-11-16T10:00:00.000Z",
    );
  });

  test("resolution: recorded as the incident's only with resolve_incident; a re-fire undoes it", () => {
    const resolved = notification("resolved", [{ status: "resolved", endsAt: "2026-11-23T09:58:00.000Z" }]);
    const plain = decide(resolved, open());
    expect(plain).toMatchObject({
      kind: "update",
      resolveIncident: false,
      state: { firing: false, resolvedAt: NOW.toISOString(), resolvedIncident: false },
    });
    const recorded = decide(resolved, open(), { resolveIncident: true });
    expect(recorded).toMatchObject({ kind: "update", resolveIncident: true, state: { resolvedIncident: true } });
    if (recorded.kind !== "update") throw new Error("expected update");
    expect(recorded.state.alerts).toEqual([
      expect.objectContaining({ status: "resolved", endsAt: "2026-11-23T09:58:00.000Z" }),
    ]);
    const refire = decide(notification("firing", [{ startsAt: "2026-11-23T09:59:00.000Z" }]), open(recorded.state), {
      resolveIncident: true,
    });
    expect(refire).toMatchObject({
      kind: "update",
      unresolveIncident: true,
      state: { firing: true, resolvedIncident: false },
    });
    // Resolved again, repeated: nothing.
    expect(decide(resolved, open(recorded.state), { resolveIncident: true }).kind).toBe("nothing");
  });

  test("a closed incident's group firing anew files a new incident linking it", () => {
    const resolvedState = { ...filed, firing: false };
    expect(decide(firing, closed(resolvedState))).toMatchObject({ kind: "file", state: { previousIncident: 7 } });
  });

  test("the order of the alerts in a notification does not matter", () => {
    const a = decide(notification("firing", [{}, { instance: "api-2" }]), open());
    const b = decide(notification("firing", [{ instance: "api-2" }, {}]), open());
    expect(a).toEqual(b);
  });
});

describe("1,000 alerts in a group", () => {
  const many = notification(
    "firing",
    Array.from({ length: 1000 }, (_, i) => ({
      instance: `api-${i}`,
      startsAt: new Date(NOW.getTime() - i * 1000).toISOString(),
    })),
  );
  test("the state lists at most 100 (the newest), counts the rest, and fits the status comment", () => {
    const { alerts, untracked } = mergeAlerts([], many, NOW);
    expect(alerts).toHaveLength(TRACKED_ALERTS_MAX);
    expect(untracked).toBe(900);
    const state = filedState(many);
    const line = encodeState({ ...EMPTY_STATE, alert: state });
    expect(line.length).toBeLessThan(30_000);
    expect(decodeState(line).alert).toEqual(state);
  });
});

describe("the hidden state", () => {
  test("a damaged alert part reads as absent without losing the rest", () => {
    const line = encodeState({
      ...EMPTY_STATE,
      resolvedAt: NOW.toISOString(),
      alert: { bogus: true } as unknown as AlertGroupState,
    });
    expect(decodeState(line)).toMatchObject({ resolvedAt: NOW.toISOString(), alert: undefined });
  });
  test("the investigation window starts at the alert's start", () => {
    const issue = {
      number: 1,
      title: "t",
      body: "",
      state: "open" as const,
      stateReason: null,
      labels: ["incident"],
      assignees: [],
      author: "bot",
      createdAt: NOW,
      closedAt: null,
      isPullRequest: false,
    };
    const previous = {
      ...EMPTY_STATE,
      alert: { ...filedState(notification("firing", [{}])), investigationFrom: "2026-11-23T09:00:00.000Z" },
    };
    const plan = planIncident({
      issue,
      policies: policiesOf(DEFAULT_CONFIG),
      previous,
      postedMarkers: new Set(),
      now: NOW,
    });
    expect(plan.sla.investigation.deadline?.toISOString()).toBe("2026-11-23T21:00:00.000Z");
    const plain = planIncident({
      issue,
      policies: policiesOf(DEFAULT_CONFIG),
      previous: EMPTY_STATE,
      postedMarkers: new Set(),
      now: NOW,
    });
    expect(plain.sla.investigation.deadline?.toISOString()).toBe("2026-11-23T22:00:00.000Z");
  });
});

describe("the reminder horizon of an alert incident", () => {
  const createdAt = new Date("2026-11-23T10:00:00.000Z");
  const marker = "<!-- incident-keeper:alert-group ikalert0123456789abcdef01234567 -->";
  test.each<[string, string | undefined, string]>([
    ["no body", undefined, "2026-11-23T10:00:00.000Z"],
    [
      "an ordinary issue with the line",
      "<!-- incident-keeper:investigation-from 2026-11-23T04:00:00.000Z -->",
      "2026-11-23T10:00:00.000Z",
    ],
    [
      "an alert incident",
      `${marker}\n<!-- incident-keeper:investigation-from 2026-11-23T04:00:00.000Z -->\n### x`,
      "2026-11-23T04:00:00.000Z",
    ],
    [
      "a hint after the filing counts as the filing",
      `${marker}\n<!-- incident-keeper:investigation-from 2026-11-23T12:00:00.000Z -->`,
      "2026-11-23T10:00:00.000Z",
    ],
    [
      "a hint too far back is clamped",
      `${marker}\n<!-- incident-keeper:investigation-from 2020-01-01T00:00:00.000Z -->`,
      "2026-11-16T10:00:00.000Z",
    ],
  ])("%s", (_name, body, expected) => {
    expect(earliestInvestigationStart({ createdAt, body }).toISOString()).toBe(expected);
  });

  test("the first reminder is due at half of the window from the alert's start, not from the filing", () => {
    const issue = { createdAt, labels: ["incident"], state: "open" as const };
    const body = `${marker}\n<!-- incident-keeper:investigation-from 2026-11-23T04:00:00.000Z -->`;
    expect(reminderHorizon(issue, policiesOf(DEFAULT_CONFIG))?.toISOString()).toBe("2026-11-23T16:00:00.000Z");
    expect(reminderHorizon({ ...issue, body }, policiesOf(DEFAULT_CONFIG))?.toISOString()).toBe(
      "2026-11-23T10:00:00.000Z",
    );
  });
});
