/**
 * The notifications Alertmanager (`webhook_configs`, version 4) and Grafana (webhook contact point)
 * send, validated with zod and normalised into one shape. Everything in them is untrusted: strings
 * are bounded here and escaped when rendered.
 */
import { createHash } from "node:crypto";
import { z } from "zod";

export type AlertSource = "alertmanager" | "grafana";

/** Alertmanager's "zero time" for an alert that has not ended. */
const ZERO_TIME = /^0001-01-01T00:00:00/;

const text = z.string().max(100_000);
const labels = z.record(z.string().max(1_000), z.string().max(100_000)).nullish();
const instant = z.string().max(100).nullish();

const alertSchema = z
  .object({
    status: z.enum(["firing", "resolved"]),
    labels,
    annotations: labels,
    startsAt: instant,
    endsAt: instant,
    generatorURL: text.nullish(),
    fingerprint: z.string().max(200).nullish(),
    // Grafana only.
    silenceURL: text.nullish(),
    dashboardURL: text.nullish(),
    panelURL: text.nullish(),
    imageURL: text.nullish(),
  })
  .loose();

const notificationSchema = z
  .object({
    version: z.string().max(20).nullish(),
    groupKey: z.string().min(1).max(10_000),
    truncatedAlerts: z.number().int().min(0).nullish(),
    status: z.enum(["firing", "resolved"]),
    receiver: z.string().max(1_000).nullish(),
    groupLabels: labels,
    commonLabels: labels,
    commonAnnotations: labels,
    externalURL: text.nullish(),
    alerts: z.array(alertSchema).max(100_000),
  })
  .loose();

const grafanaSchema = notificationSchema.extend({
  orgId: z.number().int().nullish(),
  title: text.nullish(),
  state: z.string().max(50).nullish(),
  message: text.nullish(),
});

/** One alert of a group, normalised. */
export interface Alert {
  /** Stable identity of the alert (its label set). */
  fingerprint: string;
  status: "firing" | "resolved";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: Date | null;
  endsAt: Date | null;
  links: AlertLinks;
}

export interface AlertLinks {
  generator: string | null;
  silence: string | null;
  dashboard: string | null;
  panel: string | null;
}

/** One notification about one alert group, whichever sender. */
export interface AlertNotification {
  source: AlertSource;
  groupKey: string;
  status: "firing" | "resolved";
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalUrl: string | null;
  /** Alerts the sender left out (Alertmanager's `max_alerts`). */
  truncatedAlerts: number;
  /** Grafana's `title` (deprecated there), if any. */
  title: string | null;
  alerts: Alert[];
}

export type ParseResult = { ok: true; value: AlertNotification } | { ok: false; reason: string };

function instantOf(value: string | null | undefined): Date | null {
  if (!value || ZERO_TIME.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

function record(value: Record<string, string> | null | undefined): Record<string, string> {
  return value ? { ...value } : {};
}

/** The fingerprint Alertmanager would give, when the sender sent none: a hash of the sorted label set. */
export function labelFingerprint(set: Record<string, string>): string {
  const canonical = Object.entries(set).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex").slice(0, 16);
}

function reasonOf(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return "invalid payload";
  const path = first.path.length > 0 ? first.path.map(String).join(".") : "(body)";
  return `${path}: ${first.message}`.slice(0, 300);
}

/** Validates a parsed JSON body from `source`; the reason names the first bad field. */
export function parseAlertNotification(source: AlertSource, body: unknown): ParseResult {
  const parsed = (source === "grafana" ? grafanaSchema : notificationSchema).safeParse(body);
  if (!parsed.success) return { ok: false, reason: reasonOf(parsed.error) };
  const data = parsed.data;
  const alerts = data.alerts.map((alert): Alert => {
    const alertLabels = record(alert.labels);
    return {
      fingerprint:
        alert.fingerprint && /^[A-Za-z0-9_-]{1,64}$/.test(alert.fingerprint)
          ? alert.fingerprint
          : labelFingerprint(alertLabels),
      status: alert.status,
      labels: alertLabels,
      annotations: record(alert.annotations),
      startsAt: instantOf(alert.startsAt),
      endsAt: instantOf(alert.endsAt),
      links: {
        generator: alert.generatorURL ?? null,
        silence: alert.silenceURL ?? null,
        dashboard: alert.dashboardURL ?? null,
        panel: alert.panelURL ?? null,
      },
    };
  });
  const title = "title" in data && typeof data.title === "string" ? data.title : null;
  return {
    ok: true,
    value: {
      source,
      groupKey: data.groupKey,
      status: data.status,
      receiver: data.receiver ?? "",
      groupLabels: record(data.groupLabels),
      commonLabels: record(data.commonLabels),
      commonAnnotations: record(data.commonAnnotations),
      externalUrl: data.externalURL ?? null,
      truncatedAlerts: data.truncatedAlerts ?? 0,
      title,
      alerts,
    },
  };
}

/**
 * The group's identity on GitHub: a hash of sender and groupKey (the groupKey itself is long and
 * may carry anything). Written into the incident's body as a searchable token.
 */
export function groupToken(source: AlertSource, groupKey: string): string {
  return `ikalert${createHash("sha256").update(`${source}\n${groupKey}`).digest("hex").slice(0, 24)}`;
}
