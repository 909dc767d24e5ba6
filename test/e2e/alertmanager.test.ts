/**
 * Incidents from alerts with the real sender: Debian's Alertmanager posts to the real app process
 * (basic auth, short group_wait/group_interval), the app files and updates the incident in the
 * GitHub simulator. One incident per group with the mapped severity; a repeat files nothing; a second
 * alert joins the group; the resolution is recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { SCENARIO, startSimulatedApp, type SimulatedApp } from "../../simulator/src/app-process.js";
import { alertmanagerUnavailable, startAlertmanager, type AlertmanagerServer } from "../support/alertmanager.js";
import { expectNoViolations } from "../support/e2e.js";

const unavailable = alertmanagerUnavailable();
if (unavailable) console.log(unavailable);
const maybe = unavailable ? describe.skip : describe;

const repo = SCENARIO.repo;
const STATUS = "<!-- incident-keeper:status -->";
const CONFIG = "alerts:\n  default_repo: acme/api\n  resolve_incident: true\n";

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 200));
  }
}

maybe("Alertmanager -> incident-keeper", () => {
  let e2e: SimulatedApp;
  let am: AlertmanagerServer;
  beforeAll(async () => {
    e2e = await startSimulatedApp({
      config: CONFIG,
      env: { ALERTS_ALERTMANAGER_BASIC_AUTH: "alertmanager:s3cret", ALERTS_CONFIG_REPO: repo, LOG_LEVEL: "info" },
    });
    am = await startAlertmanager(`
route:
  receiver: incident-keeper
  group_by: [alertname]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 3s
receivers:
  - name: incident-keeper
    webhook_configs:
      - url: ${e2e.app.url}/api/incident-keeper/alerts/alertmanager
        send_resolved: true
        http_config:
          basic_auth: { username: alertmanager, password: s3cret }
`);
  }, 60_000);
  afterAll(async () => {
    await am?.stop();
    await e2e?.stop();
  });

  const incidents = (): ReturnType<SimulatedApp["sim"]["issues"]> =>
    e2e.sim.issues(repo).filter((i) => i.labels.includes("incident"));
  const status = (n: number): string => e2e.sim.comments(repo, n).find((c) => c.body.startsWith(STATUS))?.body ?? "";

  it("files one incident per group, files nothing on repeats, lets a second alert join and records the resolution", async () => {
    const startsAt = new Date(Date.now() - 10 * 60_000).toISOString();
    await am.postAlerts([
      {
        labels: { alertname: "HighErrorRate", severity: "critical", instance: "api-1" },
        annotations: { summary: "5xx above 5 %", description: "Error rate @everyone <b>high</b>" },
        startsAt,
        generatorURL: "http://prometheus.local/graph?g0.expr=up",
      },
    ]);
    await until(() => incidents().length === 1 && status(incidents()[0]!.number) !== "", 30_000);
    const [incident] = incidents();
    expect(incident!.labels).toEqual(expect.arrayContaining(["incident", "sev:1"]));
    expect(incident!.title).toBe("HighErrorRate: 5xx above 5 %");
    expect(incident!.body).not.toContain("@everyone");
    expect(incident!.body).not.toContain("<b>");
    expect(status(incident!.number)).toContain("| HighErrorRate | 🔥 firing |");

    // Repeats (repeat_interval 3 s) and a re-post of the same alert: nothing new, no edit.
    const commentsBefore = e2e.sim.comments(repo, incident!.number).map((c) => `${c.id}:${c.body}`);
    await am.postAlerts([
      {
        labels: { alertname: "HighErrorRate", severity: "critical", instance: "api-1" },
        annotations: { summary: "5xx above 5 %" },
        startsAt,
      },
    ]);
    await new Promise((r) => setTimeout(r, 8_000));
    expect(incidents()).toHaveLength(1);
    expect(e2e.sim.comments(repo, incident!.number).map((c) => `${c.id}:${c.body}`)).toEqual(commentsBefore);

    // A second alert of the same group joins it: the same status comment, two rows.
    await am.postAlerts([
      {
        labels: { alertname: "HighErrorRate", severity: "critical", instance: "api-2" },
        annotations: { summary: "5xx above 5 %" },
      },
    ]);
    await until(() => (status(incident!.number).match(/\| HighErrorRate \| 🔥 firing \|/g) ?? []).length === 2, 30_000);
    expect(incidents()).toHaveLength(1);
    expect(e2e.sim.comments(repo, incident!.number).filter((c) => c.body.startsWith(STATUS))).toHaveLength(1);

    // Both resolve: the group resolves, the resolution is recorded, the incident stays open.
    const endsAt = new Date().toISOString();
    await am.postAlerts([
      { labels: { alertname: "HighErrorRate", severity: "critical", instance: "api-1" }, startsAt, endsAt },
      { labels: { alertname: "HighErrorRate", severity: "critical", instance: "api-2" }, endsAt },
    ]);
    await until(
      () => status(incident!.number).includes("✅ resolved") && !status(incident!.number).includes("🔥 firing"),
      30_000,
    );
    expect(status(incident!.number)).toContain("the incident's resolution is recorded");
    expect(e2e.sim.issue(repo, incident!.number).state).toBe("open");
    expect(incidents()).toHaveLength(1);
    expectNoViolations(e2e.sim);
  }, 120_000);
});
