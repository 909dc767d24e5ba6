/**
 * No receiver or trigger credential in the app's logs, even as JSON at trace level (Probot's HTTP
 * log would otherwise print every request header, Authorization included).
 */
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { createHmac } from "node:crypto";
import { SCENARIO, startSimulatedApp, type SimulatedApp } from "../../simulator/src/app-process.js";
import { alertmanagerNotification } from "../support/alert-notifications.js";

const SECRETS = {
  ALERTS_ALERTMANAGER_TOKEN: "am-token-6d1f0c",
  ALERTS_ALERTMANAGER_BASIC_AUTH: "alertmanager:am-pass-93ab77",
  ALERTS_GRAFANA_TOKEN: "grafana-token-0e4f2a",
  ALERTS_GRAFANA_HMAC_SECRET: "grafana-hmac-7c2d91",
  SWEEP_TRIGGER_TOKEN: "sweep-token-55e1b0",
};

let e2e: SimulatedApp;
beforeAll(async () => {
  e2e = await startSimulatedApp({
    config: "alerts:\n  default_repo: acme/api\n",
    env: {
      ...SECRETS,
      ALERTS_CONFIG_REPO: SCENARIO.repo,
      LOG_LEVEL: "trace",
      LOG_FORMAT: "json",
      SWEEP_INTERVAL_MINUTES: "0",
    },
  });
}, 60_000);
afterAll(() => e2e?.stop());

it("logs requests without their credentials", async () => {
  const body = JSON.stringify(
    alertmanagerNotification({
      groupKey: "g",
      status: "firing",
      receiver: "r",
      commonLabels: { alertname: "LogCheck" },
      alerts: [{ labels: { alertname: "LogCheck" }, startsAt: new Date().toISOString() }],
    }),
  );
  const basic = `Basic ${Buffer.from(SECRETS.ALERTS_ALERTMANAGER_BASIC_AUTH).toString("base64")}`;
  const am = `${e2e.app.url}/api/incident-keeper/alerts/alertmanager`;
  const grafana = `${e2e.app.url}/api/incident-keeper/alerts/grafana`;
  const statuses = [
    (
      await fetch(am, {
        method: "POST",
        headers: { authorization: `Bearer ${SECRETS.ALERTS_ALERTMANAGER_TOKEN}` },
        body,
      })
    ).status,
    (await fetch(am, { method: "POST", headers: { authorization: basic }, body: "{broken" })).status,
    (
      await fetch(am, {
        method: "POST",
        headers: { authorization: `Bearer ${SECRETS.ALERTS_ALERTMANAGER_TOKEN}x` },
        body,
      })
    ).status,
    (
      await fetch(grafana, {
        method: "POST",
        headers: {
          authorization: `Bearer ${SECRETS.ALERTS_GRAFANA_TOKEN}`,
          "x-grafana-alerting-signature": createHmac("sha256", SECRETS.ALERTS_GRAFANA_HMAC_SECRET)
            .update(body)
            .digest("hex"),
        },
        body,
      })
    ).status,
    (
      await fetch(`${e2e.app.url}/api/incident-keeper/sweep?wait=1`, {
        method: "POST",
        headers: { authorization: `Bearer ${SECRETS.SWEEP_TRIGGER_TOKEN}` },
      })
    ).status,
  ];
  expect(statuses).toEqual([202, 400, 401, 202, 200]);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && !e2e.sim.issues(SCENARIO.repo).some((i) => i.title.startsWith("LogCheck")))
    await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, 1_000));
  const logs = e2e.app.logs.join("\n");
  expect(logs).toContain("/api/incident-keeper/alerts/alertmanager"); // the request lines are there...
  const secrets = [...Object.values(SECRETS), basic.slice("Basic ".length), "am-pass-93ab77"];
  expect(secrets.filter((secret) => logs.includes(secret))).toEqual([]); // ...without a credential
});
