/**
 * An incident filed by an alert notification is on the dashboard at once: the filing's status write
 * records it in the app's dashboard view, with no sweep in between (issue #16).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { SCENARIO, startSimulatedApp, type SimulatedApp } from "../../simulator/src/app-process.js";
import { expectNoViolations } from "../support/e2e.js";
import { alertmanagerNotification } from "../support/alert-notifications.js";

const repo = SCENARIO.repo;
const AM_TOKEN = "am-bearer-token";
const DASHBOARD_TOKEN = "dashboard-token-for-tests";

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 200));
  }
}

let e2e: SimulatedApp;
beforeAll(async () => {
  e2e = await startSimulatedApp({
    config: "alerts:\n  default_repo: acme/api\n",
    env: {
      ALERTS_CONFIG_REPO: repo,
      ALERTS_ALERTMANAGER_TOKEN: AM_TOKEN,
      DASHBOARD_TOKEN,
      SWEEP_INTERVAL_MINUTES: "0",
    },
  });
}, 60_000);
afterAll(() => e2e?.stop());

describe("an alert-filed incident on the dashboard", () => {
  it("shows as soon as the app filed it, before its status comment is written, without a sweep", async () => {
    const body = JSON.stringify(
      alertmanagerNotification({
        groupKey: '{}:{alertname="QueueBacklog"}',
        truncatedAlerts: 0,
        status: "firing",
        groupLabels: { alertname: "QueueBacklog" },
        commonLabels: { alertname: "QueueBacklog", severity: "warning" },
        commonAnnotations: { summary: "The order queue is backing up" },
        externalURL: "http://alertmanager.example:9093",
        alerts: [
          {
            labels: { alertname: "QueueBacklog", severity: "warning" },
            annotations: { summary: "The order queue is backing up" },
            startsAt: new Date(Date.now() - 60_000).toISOString(),
            generatorURL: "http://prometheus.example:9090/graph",
            fingerprint: "00000000000000a1",
          },
        ],
      }),
    );
    const answer = await fetch(`${e2e.app.url}/api/incident-keeper/alerts/alertmanager`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${AM_TOKEN}` },
      body,
    });
    expect(answer.status).toBe(202);
    const filed = () => e2e.sim.issues(repo).find((i) => i.title.startsWith("QueueBacklog"));
    const statusWritten = (number: number): boolean =>
      e2e.sim.comments(repo, number).some((c) => c.body.includes("<!-- incident-keeper:status -->"));
    const dashboard = async (): Promise<string> => {
      const page = await fetch(`${e2e.app.url}/incident-keeper/dashboard`, {
        headers: { authorization: `Bearer ${DASHBOARD_TOKEN}` },
      });
      expect(page.status).toBe(200);
      return page.text();
    };
    await until(() => filed() !== undefined, 30_000);
    const number = filed()!.number;
    // The status comment waits behind GitHub's spacing of content-creating requests (seconds after the
    // filing): the incident is on the dashboard before it, not only once it is written or after a sweep.
    let shownBeforeStatus: boolean | null = null;
    const deadline = Date.now() + 30_000;
    while (shownBeforeStatus === null && Date.now() < deadline) {
      const written = statusWritten(number);
      if ((await dashboard()).includes(`data-incident="${repo}#${number}"`)) shownBeforeStatus = !written;
      else await new Promise((r) => setTimeout(r, 50));
    }
    expect(shownBeforeStatus).toBe(true);
    await until(() => statusWritten(number), 30_000);
    await e2e.sim.settle();
    const before = e2e.sim.requests.length;
    const html = await dashboard();
    expect(html).toContain("The order queue is backing up");
    expect(e2e.sim.requests.length - before).toBe(0);
    expectNoViolations(e2e.sim);
  }, 60_000);
});
