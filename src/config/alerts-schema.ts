/**
 * The `alerts` section of `.github/incident-keeper.yml`: where alerts from Alertmanager or Grafana
 * go (read from the repository named by ALERTS_CONFIG_REPO) and how an incident is filed from them
 * (read from the repository the alert is routed to).
 */
import { z } from "zod";

/** `owner/name` of a repository. */
const repoName = z.string().regex(/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/, "must be owner/name");

/** An alert label name, as Prometheus allows them. */
const alertLabelName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/, "must be a Prometheus label name");

/** A regular expression that must match a whole label value (anchored, like Alertmanager's match_re). */
const labelPattern = z
  .string()
  .max(500)
  .refine((source) => {
    try {
      new RegExp(`^(?:${source})$`, "u");
      return true;
    } catch {
      return false;
    }
  }, "must be a valid regular expression");

const route = z
  .object({
    /** Labels that must equal these values. */
    match: z.record(alertLabelName, z.string().max(500)).default({}),
    /** Labels whose whole value must match these regular expressions. */
    match_re: z.record(alertLabelName, labelPattern).default({}),
    /** Where a matching alert group's incident is filed. */
    repo: repoName,
  })
  .strict();

/** The severity words most alerting set-ups use (GitLab's mapping as precedent), lower-cased. */
export const DEFAULT_ALERT_SEVERITIES: Record<string, number> = {
  critical: 1,
  emergency: 1,
  p1: 1,
  s1: 1,
  high: 2,
  major: 2,
  page: 2,
  p2: 2,
  s2: 2,
  error: 3,
  warning: 3,
  p3: 3,
  s3: 3,
  low: 4,
  p4: 4,
  s4: 4,
  info: 5,
  none: 5,
  p5: 5,
  s5: 5,
};

export const alertsConfigSchema = z
  .object({
    /** First matching route wins (evaluated on the group's common labels). */
    routes: z.array(route).max(200).default([]),
    /** Where alerts that match no route go; null = nowhere (they are answered 202 and logged). */
    default_repo: repoName.nullable().default(null),
    /** The alert label that carries the severity. */
    severity_label: alertLabelName.default("severity"),
    /** Label value (case-insensitive) -> Sev 1-5; values not listed leave the severity to people. */
    severities: z.record(z.string().min(1).max(50), z.number().int().min(1).max(5)).default(DEFAULT_ALERT_SEVERITIES),
    /** When the investigation window of an alert's incident starts: the alert's startsAt, or the filing. */
    investigation_start: z.enum(["starts_at", "filed"]).default("starts_at"),
    /** When the whole group resolves, record the incident as resolved (as `/resolved` does). */
    resolve_incident: z.boolean().default(false),
  })
  .strict();

export type AlertsConfig = z.output<typeof alertsConfigSchema>;
