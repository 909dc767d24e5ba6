/**
 * Words for incidents filed from alerts: the issue's title and body, and the alert section of the
 * status comment. Every string from an alert is untrusted: bounded, flattened where it sits on one
 * line or in a table cell, and escaped by the templates (`{{x}}`); URLs are kept only when they are
 * plain http(s) links, without credentials.
 */
import type { AlertGroupState } from "../core/alert-group.js";
import { alertName, investigationFromLine, oneLine } from "../core/alert-group.js";
import type { AlertNotification, AlertSource } from "../core/alert-payload.js";
import { formatUtc } from "../core/time-format.js";
import { escapeMarkdownText, render } from "./templates.js";

/** The hidden first line of an incident filed for an alert group; only the app's own issues count. */
export function alertGroupMarker(token: string): string {
  return `<!-- incident-keeper:alert-group ${token} -->`;
}

const SOURCE_NAMES: Record<AlertSource, string> = { alertmanager: "Alertmanager", grafana: "Grafana" };
const TITLE_MAX = 200;
const SUMMARY_MAX = 500;
const DESCRIPTION_MAX = 4_000;
const CELL_MAX = 200;
const LABELS_MAX = 30;
const LISTED_ALERTS_MAX = 50;

/** A link target, or null: http(s) only, no credentials, nothing that can end the Markdown link. */
export function safeUrl(value: string | null | undefined): string | null {
  if (!value || value.length > 2_000) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  url.username = "";
  url.password = "";
  const href = url.href.replace(
    /[()[\]@<>"'`\\ ]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
  return href.length > 1_000 ? null : href;
}

/** One table cell: one line, bounded, pipes escaped (the template escapes HTML and mentions). */
function cell(value: string, max = CELL_MAX): string {
  return oneLine(value, max).replace(/\|/g, "\\|");
}

/**
 * Multi-line untrusted text as a quotation: every line quoted (so nothing in it becomes a heading of
 * the issue, such as a forged write-up section), HTML and mentions escaped, bounded.
 */
function quoted(value: string): string {
  const bounded = value.length > DESCRIPTION_MAX ? `${value.slice(0, DESCRIPTION_MAX - 1)}…` : value;
  return bounded
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => `> ${escapeMarkdownText(line)}`.trimEnd())
    .join("\n");
}

function groupName(notification: AlertNotification): string {
  const name = notification.commonLabels.alertname ?? notification.groupLabels.alertname;
  if (name) return oneLine(name, 100);
  if (notification.title) return oneLine(notification.title, 100);
  const first = notification.alerts[0];
  return first ? alertName(first) : "alert";
}

function annotation(notification: AlertNotification, name: string): string | null {
  const value =
    notification.commonAnnotations[name] ??
    (notification.alerts.length === 1 ? notification.alerts[0]?.annotations[name] : undefined);
  return value && value.trim() !== "" ? value : null;
}

/** The issue title: alert name and summary, one line, plain text (GitHub titles render no Markdown). */
export function alertIssueTitle(notification: AlertNotification): string {
  const name = groupName(notification);
  const summary = annotation(notification, "summary");
  const title = render("alert-title", { name, summary: summary ? oneLine(summary, TITLE_MAX) : null });
  return oneLine(title, TITLE_MAX);
}

/** The issue body of a new incident for an alert group. */
export function alertIssueBody(args: {
  notification: AlertNotification;
  state: AlertGroupState;
  severity: number | null;
  severityLabel: string;
  headings: { timeline: string; rca: string; actions: string };
}): string {
  const { notification, state } = args;
  const summary = annotation(notification, "summary");
  const description = annotation(notification, "description") ?? annotation(notification, "message");
  const firing = notification.alerts.filter((a) => a.status === "firing");
  const starts = firing.map((a) => a.startsAt?.getTime()).filter((t): t is number => t !== undefined);
  const common = Object.entries(notification.commonLabels).sort(([a], [b]) => a.localeCompare(b));
  const links = [
    { name: "Source", url: safeUrl(firing[0]?.links.generator) },
    { name: "Dashboard", url: safeUrl(firing[0]?.links.dashboard) },
    { name: "Panel", url: safeUrl(firing[0]?.links.panel) },
    { name: "Silence", url: safeUrl(firing[0]?.links.silence) },
    { name: SOURCE_NAMES[notification.source], url: safeUrl(notification.externalUrl) },
  ].filter((link): link is { name: string; url: string } => link.url !== null);
  const listed = notification.alerts.slice(0, LISTED_ALERTS_MAX).map((alert) => ({
    name: cell(alertName(alert), 100),
    startsAt: alert.startsAt ? formatUtc(alert.startsAt) : "—",
    labels: cell(
      Object.entries(alert.labels)
        .filter(([name]) => notification.commonLabels[name] === undefined)
        .map(([name, value]) => `${name}=${value}`)
        .join(", "),
      300,
    ),
    url: safeUrl(alert.links.generator),
  }));
  const total = notification.alerts.length + notification.truncatedAlerts;
  const severityValue = notification.commonLabels[args.severityLabel];
  return render("alert-issue", {
    marker: alertGroupMarker(state.token),
    investigationLine: investigationFromLine(state.investigationFrom),
    token: state.token,
    sourceName: SOURCE_NAMES[notification.source],
    name: groupName(notification),
    summary: summary ? oneLine(summary, SUMMARY_MAX) : null,
    description: description ? quoted(description) : null,
    startsAt: starts.length > 0 ? formatUtc(new Date(Math.min(...starts))) : "unknown",
    alertCount: total,
    severity: args.severity,
    severityLabel: args.severityLabel,
    severityValue: severityValue ? cell(severityValue, 50) : null,
    previous: state.previousIncident,
    hasLinks: links.length > 0,
    links: links.map((link, index) => ({ ...link, last: index === links.length - 1 })),
    hasLabels: common.length > 0,
    labels: common.slice(0, LABELS_MAX).map(([name, value]) => ({ name: cell(name, 100), value: cell(value) })),
    hasAlerts: listed.length > 0,
    alerts: listed,
    more: total > listed.length ? total - listed.length : null,
    timelineHeading: args.headings.timeline,
    rcaHeading: args.headings.rca,
    actionsHeading: args.headings.actions,
  });
}

/** The alert section of the status comment (null for incidents not filed from an alert). */
export function alertSectionView(state: AlertGroupState | undefined, resolvedAt: string | null): object | null {
  if (!state) return null;
  const when = (at: string | null): string => (at ? formatUtc(new Date(at)) : "—");
  const firingCount = state.alerts.filter((a) => a.status === "firing").length;
  let groupState = state.firing
    ? `🔥 firing (${firingCount} of ${state.alerts.length} listed alerts)`
    : `✅ resolved ${when(state.resolvedAt)}`;
  if (!state.firing && state.resolvedIncident && resolvedAt) groupState += "; the incident's resolution is recorded";
  return {
    sourceName: SOURCE_NAMES[state.source],
    groupState,
    previous: state.previousIncident,
    alerts: state.alerts.map((a) => ({
      name: cell(a.name, 100),
      status: a.status === "firing" ? "🔥 firing" : "✅ resolved",
      startsAt: when(a.startsAt),
      endsAt: a.status === "resolved" ? when(a.endsAt) : "—",
    })),
    more: state.untracked > 0 ? state.untracked : null,
  };
}
