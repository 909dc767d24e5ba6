/**
 * The alert receivers of the real app process, against the GitHub simulator: Grafana's webhook
 * contact point (documented payload shape, HMAC over `timestamp:body`), and bad input of every
 * kind (wrong credentials, malformed JSON, a huge body, 1,000 alerts, hostile annotations, many
 * notifications for one group at once): a clear answer, nothing filed twice, nothing lost.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createHmac } from "node:crypto";
import { SCENARIO, startSimulatedApp, type SimulatedApp } from "../../simulator/src/app-process.js";
import { expectNoViolations } from "../support/e2e.js";
import { alertmanagerNotification, STILL_FIRING } from "../support/alert-notifications.js";

const repo = SCENARIO.repo;
const STATUS = "<!-- incident-keeper:status -->";
const HMAC_SECRET = "grafana-hmac-secret";
const AM_TOKEN = "am-bearer-token";
const CONFIG = "alerts:\n  default_repo: acme/api\n";

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A Grafana webhook notification as its docs show it (version 1, with orgId, title, state, message). */
function grafanaPayload(args: {
  groupKey: string;
  alertname: string;
  status?: "firing" | "resolved";
  annotations?: Record<string, string>;
  alerts?: number;
}): object {
  const status = args.status ?? "firing";
  const count = args.alerts ?? 1;
  return {
    receiver: "incident-keeper",
    status,
    orgId: 1,
    alerts: Array.from({ length: count }, (_, i) => ({
      status,
      labels: { alertname: args.alertname, grafana_folder: "Prod", instance: `web-${i}`, severity: "high" },
      annotations: { summary: "Latency above 2 s", ...args.annotations },
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: "0001-01-01T00:00:00Z",
      generatorURL: "https://grafana.example/alerting/grafana/abc/view",
      fingerprint: `${(i + 1).toString(16).padStart(16, "0")}`,
      silenceURL: "https://grafana.example/alerting/silence/new?alertmanager=grafana",
      dashboardURL: "https://grafana.example/d/xyz",
      panelURL: "https://grafana.example/d/xyz?viewPanel=2",
      values: { B: 2.5, C: 1 },
      valueString: "[ var='B' labels={} value=2.5 ]",
    })),
    groupLabels: { alertname: args.alertname, grafana_folder: "Prod" },
    commonLabels: { alertname: args.alertname, grafana_folder: "Prod", severity: "high" },
    commonAnnotations: { summary: "Latency above 2 s", ...args.annotations },
    externalURL: "https://grafana.example/",
    version: "1",
    groupKey: args.groupKey,
    truncatedAlerts: 0,
    title: `[FIRING:${count}] ${args.alertname} Prod`,
    state: "alerting",
    message: "**Firing**",
  };
}

function signed(body: string, at = Math.floor(Date.now() / 1000)): Record<string, string> {
  const timestamp = String(at);
  const signature = createHmac("sha256", HMAC_SECRET).update(`${timestamp}:${body}`).digest("hex");
  return {
    "content-type": "application/json",
    "x-grafana-alerting-signature": signature,
    "x-grafana-alerting-timestamp": timestamp,
  };
}

let e2e: SimulatedApp;
beforeAll(async () => {
  e2e = await startSimulatedApp({
    config: CONFIG,
    env: {
      ALERTS_CONFIG_REPO: repo,
      ALERTS_ALERTMANAGER_TOKEN: AM_TOKEN,
      ALERTS_GRAFANA_HMAC_SECRET: HMAC_SECRET,
      ALERTS_GRAFANA_TIMESTAMP_HEADER: "X-Grafana-Alerting-Timestamp",
      ALERTS_MAX_BODY_BYTES: String(1024 * 1024),
    },
  });
}, 60_000);
afterAll(() => e2e?.stop());

const grafana = (body: string, headers: Record<string, string>): Promise<Response> =>
  fetch(`${e2e.app.url}/api/incident-keeper/alerts/grafana`, { method: "POST", headers, body });
const alertmanager = (body: string, headers: Record<string, string>): Promise<Response> =>
  fetch(`${e2e.app.url}/api/incident-keeper/alerts/alertmanager`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
const incidentsTitled = (prefix: string) => e2e.sim.issues(repo).filter((i) => i.title.startsWith(prefix));

describe("the Grafana receiver", () => {
  it("accepts a valid HMAC signature and files one incident with the mapped severity and the links", async () => {
    const body = JSON.stringify(
      grafanaPayload({ groupKey: '{}/{}:{alertname="SlowCheckout"}', alertname: "SlowCheckout" }),
    );
    const response = await grafana(body, signed(body));
    expect(response.status).toBe(202);
    await until(
      () =>
        incidentsTitled("SlowCheckout").length === 1 &&
        e2e.sim.comments(repo, incidentsTitled("SlowCheckout")[0]!.number).length > 0,
      30_000,
    );
    const [incident] = incidentsTitled("SlowCheckout");
    expect(incident!.labels).toEqual(expect.arrayContaining(["incident", "sev:2"]));
    expect(incident!.body).toContain("[Dashboard](https://grafana.example/d/xyz)");
    expect(incident!.body).toContain("[Silence](https://grafana.example/alerting/silence/new?alertmanager=grafana)");
    expect(e2e.sim.comments(repo, incident!.number)[0]!.body).toContain("**Alerts** from Grafana: 🔥 firing");
    expectNoViolations(e2e.sim);
  }, 60_000);

  it.each([
    [
      "a wrong signature",
      (body: string) => ({ ...signed(body), "x-grafana-alerting-signature": "0".repeat(64) }),
      "wrong X-Grafana-Alerting-Signature signature",
    ],
    [
      "a missing signature",
      (_body: string) => ({
        "content-type": "application/json",
        "x-grafana-alerting-timestamp": String(Math.floor(Date.now() / 1000)),
      }),
      "missing X-Grafana-Alerting-Signature signature",
    ],
    [
      "a signature over another body",
      (body: string) => signed(body.replace("Unsigned", "Other")),
      "wrong X-Grafana-Alerting-Signature signature",
    ],
    [
      "a replayed timestamp",
      (body: string) => signed(body, Math.floor(Date.now() / 1000) - 3600),
      "more than 5 minutes off",
    ],
  ])(
    "refuses %s with 401 and files nothing",
    async (_name, headersFor, reason) => {
      const body = JSON.stringify(grafanaPayload({ groupKey: "unsigned", alertname: "Unsigned" }));
      const response = await grafana(body, headersFor(body));
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: string }).error).toContain(reason);
      await new Promise((r) => setTimeout(r, 300));
      expect(incidentsTitled("Unsigned")).toEqual([]);
    },
    30_000,
  );
});

describe("bad input", () => {
  const amPayload = (
    groupKey: string,
    alertname: string,
    annotations: Record<string, string> = {},
    count = 1,
  ): object =>
    alertmanagerNotification({
      groupKey,
      truncatedAlerts: 0,
      status: "firing",
      groupLabels: { alertname },
      commonLabels: { alertname, severity: "warning" },
      commonAnnotations: annotations,
      externalURL: "http://alertmanager.example:9093",
      alerts: Array.from({ length: count }, (_, i) => ({
        labels: { alertname, severity: "warning", instance: `db-${i}` },
        annotations,
        startsAt: new Date(Date.now() - 120_000).toISOString(),
        generatorURL: "http://prometheus.example/graph",
        fingerprint: i.toString(16).padStart(16, "0"),
      })),
    });
  const bearer = { authorization: `Bearer ${AM_TOKEN}` };

  it("answers wrong credentials 401, malformed JSON and wrong shapes 400 with a reason, a huge body 413", async () => {
    const body = JSON.stringify(amPayload("k", "Refused"));
    expect((await alertmanager(body, {})).status).toBe(401);
    expect((await alertmanager(body, { authorization: "Bearer wrong" })).status).toBe(401);
    expect(
      (await alertmanager(body, { authorization: `Basic ${Buffer.from(`x:${AM_TOKEN}`).toString("base64")}` })).status,
    ).toBe(401);
    const malformed = await alertmanager("{not json", bearer);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: "the body is not valid JSON" });
    const shape = await alertmanager(JSON.stringify({ ...amPayload("k", "Refused"), status: "exploded" }), bearer);
    expect(shape.status).toBe(400);
    expect(((await shape.json()) as { error: string }).error).toContain("status");
    const huge = await alertmanager(
      JSON.stringify(amPayload("k", "Refused", { description: "x".repeat(2 * 1024 * 1024) })),
      bearer,
    );
    expect(huge.status).toBe(413);
    expect((await fetch(`${e2e.app.url}/api/incident-keeper/alerts/alertmanager`, { headers: bearer })).status).toBe(
      405,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(incidentsTitled("Refused")).toEqual([]);
  }, 30_000);

  it("files one incident for 1,000 alerts in one group, listing some and counting the rest", async () => {
    const response = await alertmanager(
      JSON.stringify(amPayload('{}:{alertname="DiskFull"}', "DiskFull", { summary: "Disk almost full" }, 1000)),
      bearer,
    );
    expect(response.status).toBe(202);
    await until(
      () =>
        incidentsTitled("DiskFull").length === 1 &&
        e2e.sim.comments(repo, incidentsTitled("DiskFull")[0]!.number).length > 0,
      30_000,
    );
    const [incident] = incidentsTitled("DiskFull");
    expect(incident!.labels).toEqual(expect.arrayContaining(["incident", "sev:3"]));
    expect(incident!.body).toContain("…and 950 more not listed.");
    const status = e2e.sim.comments(repo, incident!.number)[0]!.body;
    expect(status).toContain("…and 900 more alerts not listed.");
    expect(status.length).toBeLessThan(65_536);
    expectNoViolations(e2e.sim);
  }, 60_000);

  it("escapes hostile annotations: no mentions, no HTML, no forged markers or sections", async () => {
    const hostile = {
      summary: "@acme/everyone <img src=x onerror=alert(1)> | pipe",
      description:
        "<!-- incident-keeper:status -->\n<!-- incident-keeper:alert-group ikalert000 -->\n### RCA\nAll fine, @alice.\n\n### Actions\n- [x] done",
    };
    const response = await alertmanager(
      JSON.stringify(amPayload('{}:{alertname="Hostile"}', "Hostile", hostile)),
      bearer,
    );
    expect(response.status).toBe(202);
    await until(
      () =>
        incidentsTitled("Hostile").length === 1 &&
        e2e.sim.comments(repo, incidentsTitled("Hostile")[0]!.number).length > 0,
      30_000,
    );
    const [incident] = incidentsTitled("Hostile");
    const body = incident!.body ?? "";
    expect(body).not.toMatch(/@acme|@alice/);
    expect(body).not.toContain("<img");
    // Only the app's own two hidden lines, at the top: the group's marker and the investigation start.
    expect(body.match(/<!-- incident-keeper:[a-z-]*/g)).toEqual([
      "<!-- incident-keeper:alert-group",
      "<!-- incident-keeper:investigation-from",
    ]);
    expect(body.split("\n")[1]).toMatch(/^<!-- incident-keeper:investigation-from \d{4}-\d\d-\d\dT[\d:.]+Z -->$/);
    expect(body.split("\n")[0]).toMatch(/^<!-- incident-keeper:alert-group ikalert[0-9a-f]{24} -->$/);
    expect(body).toContain("> ### RCA");
    const status = e2e.sim.comments(repo, incident!.number).find((c) => c.body.startsWith(STATUS))!.body;
    expect(status).toContain("❌ RCA (root cause analysis): still the placeholder");
    expect(incident!.labels).toContain("incident:needs-writeup");
  }, 60_000);

  it("files one incident when many notifications for one new group arrive at once", async () => {
    const body = JSON.stringify(amPayload('{}:{alertname="Burst"}', "Burst", { summary: "burst" }));
    const answers = await Promise.all(Array.from({ length: 8 }, () => alertmanager(body, bearer)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(202));
    await until(
      () =>
        incidentsTitled("Burst").length >= 1 && e2e.sim.comments(repo, incidentsTitled("Burst")[0]!.number).length > 0,
      30_000,
    );
    await new Promise((r) => setTimeout(r, 2_000));
    expect(incidentsTitled("Burst")).toHaveLength(1);
    expect(
      e2e.sim.comments(repo, incidentsTitled("Burst")[0]!.number).filter((c) => c.body.startsWith(STATUS)),
    ).toHaveLength(1);
    expectNoViolations(e2e.sim);
  }, 60_000);
});

describe("a group's life, with the app's API calls counted", () => {
  const payload = (status: "firing" | "resolved", startsAt: string, instances: string[]): string =>
    JSON.stringify(
      alertmanagerNotification({
        groupKey: '{}:{alertname="QueueBacklog"}',
        truncatedAlerts: 0,
        status,
        groupLabels: { alertname: "QueueBacklog" },
        commonLabels: { alertname: "QueueBacklog", severity: "page" },
        commonAnnotations: { summary: "Queue backlog growing" },
        externalURL: "http://alertmanager.example:9093",
        alerts: instances.map((instance) => ({
          labels: { alertname: "QueueBacklog", severity: "page", instance },
          annotations: { summary: "Queue backlog growing" },
          startsAt,
          endsAt: status === "resolved" ? new Date().toISOString() : STILL_FIRING,
          generatorURL: "http://prometheus.example/graph",
          fingerprint: `f${instance.replace(/\W/g, "")}`.padEnd(16, "0"),
        })),
      }),
    );
  const post = (body: string): Promise<Response> => alertmanager(body, { authorization: `Bearer ${AM_TOKEN}` });
  const calls = (since: number): string[] =>
    e2e.sim.requests
      .slice(since)
      .filter((r) => !r.path.endsWith("/access_tokens") && r.operationId !== "apps/get-authenticated")
      .map((r) => `${r.method} ${r.operationId ?? r.path}`);
  const status = (n: number): string => e2e.sim.comments(repo, n).find((c) => c.body.startsWith(STATUS))?.body ?? "";
  const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 1_500));
  const figures: string[] = [];
  afterAll(() => console.log(`alert notification API calls:\n${figures.join("\n")}`));

  it("files once, repeats without a write, fires again after resolving, and after a forced close files a new incident linking the old", async () => {
    const first = new Date(Date.now() - 5 * 60_000).toISOString();
    let mark = e2e.sim.requests.length;
    expect((await post(payload("firing", first, ["q-1"]))).status).toBe(202);
    await until(
      () => incidentsTitled("QueueBacklog").length === 1 && status(incidentsTitled("QueueBacklog")[0]!.number) !== "",
      30_000,
    );
    await settle();
    const n = incidentsTitled("QueueBacklog")[0]!.number;
    expect(e2e.sim.issue(repo, n).labels).toEqual(expect.arrayContaining(["incident", "sev:2"]));
    const filed = calls(mark);
    figures.push(
      `filed: ${filed.length} (${filed.filter((c) => !c.startsWith("GET")).length} writes): ${filed.join(", ")}`,
    );
    expect(filed.filter((c) => c === "POST issues/create")).toHaveLength(1);
    // Labels (incident, severity, write-up) go on with the filing; one status comment; nothing else written.
    expect(filed.filter((c) => !c.startsWith("GET") && c !== "POST issues/create-label")).toEqual([
      "POST issues/create",
      "POST issues/create-comment",
    ]);
    expect(e2e.sim.issue(repo, n).labels).toEqual(expect.arrayContaining(["incident:needs-writeup"]));

    // A repeat: reads only (the group's open incident is remembered: no search), no write at all.
    mark = e2e.sim.requests.length;
    const before = status(n);
    expect((await post(payload("firing", first, ["q-1"]))).status).toBe(202);
    await until(() => calls(mark).includes("GET issues/list-comments"), 10_000);
    await settle();
    const repeat = calls(mark);
    figures.push(
      `repeat: ${repeat.length} (${repeat.filter((c) => !c.startsWith("GET")).length} writes): ${repeat.join(", ")}`,
    );
    expect(repeat.filter((c) => !c.startsWith("GET"))).toEqual([]);
    expect(repeat).toEqual(expect.arrayContaining(["GET issues/get", "GET issues/list-comments"]));
    expect(repeat).not.toContain("GET search/issues-and-pull-requests");
    expect(status(n)).toBe(before);

    // Resolved, then firing again while open: marked firing again, no new incident.
    mark = e2e.sim.requests.length;
    await post(payload("resolved", first, ["q-1"]));
    await until(() => status(n).includes("✅ resolved"), 10_000);
    // The status shows the first write: wait a little, so that a second write would be seen too.
    await settle();
    const resolved = calls(mark);
    figures.push(`resolved: ${resolved.length} (${resolved.filter((c) => !c.startsWith("GET")).length} writes)`);
    expect(resolved.filter((c) => !c.startsWith("GET"))).toEqual(["PATCH issues/update-comment"]);
    const again = new Date().toISOString();
    await post(payload("firing", again, ["q-1"]));
    await until(() => status(n).includes("🔥 firing"), 10_000);
    expect(incidentsTitled("QueueBacklog")).toHaveLength(1);

    // Closed by a maintainer: a repeat files nothing, a new firing files a new incident linking it.
    await e2e.sim.user("alice").comment(repo, n, "/close --force mitigated, write-up follows");
    await until(() => e2e.sim.issue(repo, n).state === "closed", 10_000);
    await post(payload("firing", again, ["q-1"]));
    await settle();
    expect(incidentsTitled("QueueBacklog")).toHaveLength(1);
    await post(payload("firing", new Date().toISOString(), ["q-1"]));
    await until(() => incidentsTitled("QueueBacklog").length === 2, 30_000);
    const newer = incidentsTitled("QueueBacklog").find((i) => i.number !== n)!;
    expect(newer.body).toContain(`**Fired before:** #${n} (closed)`);
    await until(() => status(newer.number) !== "", 10_000);
    expect(status(newer.number)).toContain(`fired before as #${n}`);
    expect(e2e.sim.issue(repo, n).state).toBe("closed");
    expectNoViolations(e2e.sim);
  }, 120_000);
});

describe("a failing GitHub", () => {
  it("loses no notification and files nothing twice when GitHub fails 30 % of requests (writes landing before the error)", async () => {
    const body = JSON.stringify(
      alertmanagerNotification({
        groupKey: '{}:{alertname="Flaky"}',
        truncatedAlerts: 0,
        status: "firing",
        groupLabels: { alertname: "Flaky" },
        commonLabels: { alertname: "Flaky", severity: "critical" },
        commonAnnotations: { summary: "flapping" },
        externalURL: "http://alertmanager.example:9093",
        alerts: [
          {
            labels: { alertname: "Flaky", severity: "critical" },
            startsAt: new Date().toISOString(),
            fingerprint: "00000000000f1a4e",
          },
        ],
      }),
    );
    const post = (): Promise<Response> => alertmanager(body, { authorization: `Bearer ${AM_TOKEN}` });
    const statusComments = (): number =>
      incidentsTitled("Flaky")
        .flatMap((i) => e2e.sim.comments(repo, i.number))
        .filter((c) => c.body.startsWith(STATUS)).length;
    e2e.sim.faults = { failRate: 0.3, statuses: [500, 502], seed: 13, applyWritesBeforeFailing: true };
    const mark = e2e.sim.requests.length;
    try {
      expect((await post()).status).toBe(202);
      const deadline = Date.now() + 40_000;
      while (Date.now() < deadline && statusComments() === 0) await new Promise((r) => setTimeout(r, 250));
    } finally {
      e2e.sim.faults = {};
    }
    const failed = e2e.sim.requests.slice(mark).filter((r) => r.status >= 500).length;
    console.log(
      `failing GitHub: ${e2e.sim.requests.length - mark} requests, ${failed} failed; status comment during the faults: ${statusComments()}`,
    );
    // The sender's next notification (its repeat) repairs whatever a failure left undone.
    expect((await post()).status).toBe(202);
    await until(() => statusComments() === 1, 30_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(incidentsTitled("Flaky")).toHaveLength(1);
    expect(statusComments()).toBe(1);
    expect(incidentsTitled("Flaky")[0]!.labels).toEqual(expect.arrayContaining(["incident", "sev:1"]));
  }, 90_000);
});

describe("receivers without a secret", () => {
  it("do not exist (404)", async () => {
    const bare = await startSimulatedApp({ env: {} });
    try {
      expect(
        (await fetch(`${bare.app.url}/api/incident-keeper/alerts/alertmanager`, { method: "POST", body: "{}" })).status,
      ).toBe(404);
      expect(
        (await fetch(`${bare.app.url}/api/incident-keeper/alerts/grafana`, { method: "POST", body: "{}" })).status,
      ).toBe(404);
    } finally {
      await bare.stop();
    }
  }, 60_000);
});
