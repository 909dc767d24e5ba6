/**
 * Alertmanager webhook notifications (payload version 4, as Alertmanager's webhook receiver
 * documents it: /work/shared/FORMATS.md) for tests: the envelope's fixed fields filled in, every
 * value the test cares about given by the test. An optional field left out is absent from the
 * payload, as Alertmanager omits it.
 */

/** "Still firing" in Alertmanager's `endsAt`. */
export const STILL_FIRING = "0001-01-01T00:00:00Z";

export interface AlertSpec {
  labels: Record<string, string>;
  startsAt: string;
  /** Default: the notification's status. */
  status?: "firing" | "resolved";
  /** Default: none. */
  annotations?: Record<string, string>;
  /** Default: still firing. */
  endsAt?: string;
  generatorURL?: string;
  fingerprint?: string;
}

export interface NotificationSpec {
  groupKey: string;
  status: "firing" | "resolved";
  alerts: AlertSpec[];
  /** Default: "incident-keeper". */
  receiver?: string;
  /** Default: none. */
  groupLabels?: Record<string, string>;
  /** Default: none. */
  commonLabels?: Record<string, string>;
  /** Default: none. */
  commonAnnotations?: Record<string, string>;
  /** Default: "". */
  externalURL?: string;
  truncatedAlerts?: number;
}

const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  value === undefined ? {} : ({ [key]: value } as Record<K, V>);

/** The notification as Alertmanager POSTs it (an object: `JSON.stringify` it for a request body). */
export function alertmanagerNotification(spec: NotificationSpec): Record<string, unknown> {
  return {
    version: "4",
    groupKey: spec.groupKey,
    ...optional("truncatedAlerts", spec.truncatedAlerts),
    status: spec.status,
    receiver: spec.receiver ?? "incident-keeper",
    groupLabels: spec.groupLabels ?? {},
    commonLabels: spec.commonLabels ?? {},
    commonAnnotations: spec.commonAnnotations ?? {},
    externalURL: spec.externalURL ?? "",
    alerts: spec.alerts.map((a) => ({
      status: a.status ?? spec.status,
      labels: a.labels,
      annotations: a.annotations ?? {},
      startsAt: a.startsAt,
      endsAt: a.endsAt ?? STILL_FIRING,
      ...optional("generatorURL", a.generatorURL),
      ...optional("fingerprint", a.fingerprint),
    })),
  };
}
