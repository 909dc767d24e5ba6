/**
 * What Prometheus Alertmanager's `webhook_configs` receiver sends (notification version 4), built for
 * the demo and posted to the app's receiver with the basic-auth credentials the demo gives the app.
 * No Alertmanager runs: the demo stays offline and fast (test/e2e/alertmanager.test.ts uses the real one).
 */

/** One alert of the group, as the demo tells it. */
export interface DemoAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: Date;
  /** Set once the alert resolved. */
  endsAt: Date | null;
}

/** The receiver's `user:password` (`ALERTS_ALERTMANAGER_BASIC_AUTH` of the app process). */
export const DEMO_ALERTMANAGER_AUTH = "alertmanager:demo-only-secret";

/** The receiver's path on the app's server. */
export const ALERTMANAGER_PATH = "/api/incident-keeper/alerts/alertmanager";

const ZERO_TIME = "0001-01-01T00:00:00Z";

/** The notification body for a group whose alerts are `alerts` (firing unless every one ended). */
export function alertmanagerNotification(input: { groupBy: string[]; alerts: DemoAlert[] }): Record<string, unknown> {
  const resolved = input.alerts.every((a) => a.endsAt !== null);
  const first = input.alerts[0];
  const common = (pick: (a: DemoAlert) => Record<string, string>): Record<string, string> =>
    Object.fromEntries(
      Object.entries(first ? pick(first) : {}).filter(([key, value]) =>
        input.alerts.every((a) => pick(a)[key] === value),
      ),
    );
  const commonLabels = common((a) => a.labels);
  const groupLabels = Object.fromEntries(input.groupBy.map((key) => [key, commonLabels[key] ?? ""]));
  return {
    version: "4",
    groupKey: `{}:{${input.groupBy.map((key) => `${key}="${groupLabels[key] ?? ""}"`).join(", ")}}`,
    truncatedAlerts: 0,
    status: resolved ? "resolved" : "firing",
    receiver: "incident-keeper",
    groupLabels,
    commonLabels,
    commonAnnotations: common((a) => a.annotations),
    externalURL: "http://alertmanager.acme.internal:9093",
    alerts: input.alerts.map((a) => ({
      status: a.endsAt ? "resolved" : "firing",
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt.toISOString(),
      endsAt: a.endsAt ? a.endsAt.toISOString() : ZERO_TIME,
      generatorURL: "http://prometheus.acme.internal:9090/graph?g0.expr=checkout_errors_ratio",
      fingerprint: "c0ffee0123456789",
    })),
  };
}

/** POSTs a notification to the app's Alertmanager receiver; throws unless the app accepts it. */
export async function postAlertmanager(appUrl: string, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${appUrl}${ALERTMANAGER_PATH}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Basic ${Buffer.from(DEMO_ALERTMANAGER_AUTH).toString("base64")}`,
      "user-agent": "Alertmanager/0.27.0",
    },
    body: JSON.stringify(body),
  });
  if (response.status >= 300)
    throw new Error(`the alert receiver answered ${response.status}: ${await response.text()}`);
}
