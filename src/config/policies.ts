/**
 * Builds the core's typed policies (src/core/policy.ts) from a validated `.github/incident-keeper.yml`:
 * the one place that knows both the YAML's shape and the core's terms. Memoised per config object, so
 * a config read once per delivery (or per sweep pass) is translated once.
 */
import type { AlertPolicy, Policies, ReminderOverride } from "../core/policy.js";
import { labelCatalog } from "../core/label-catalog.js";
import { DEFAULT_SECTION_RULES, SECTION_KEYS } from "../core/sections.js";
import type { AlertsConfig } from "./alerts-schema.js";
import { DEFAULT_CONFIG, type IncidentKeeperConfig } from "./schema.js";

const built = new WeakMap<IncidentKeeperConfig, Policies>();

/** The policies of a validated config (the same object for the same config). */
export function policiesOf(config: IncidentKeeperConfig): Policies {
  const cached = built.get(config);
  if (cached) return cached;
  const policies = buildPolicies(config);
  built.set(config, policies);
  return policies;
}

/** The policies of the default config (a repository without a file). */
export const DEFAULT_POLICIES: Policies = policiesOf(DEFAULT_CONFIG);

type RawOverride = IncidentKeeperConfig["reminders"]["by_window"]["investigation"];

function override(raw: RawOverride): ReminderOverride | undefined {
  if (raw === undefined) return undefined;
  return {
    ...(raw.approaching_percents !== undefined ? { approachingPercents: raw.approaching_percents } : {}),
    ...(raw.at_deadline !== undefined ? { atDeadline: raw.at_deadline } : {}),
    ...(raw.repeat_after_breach_hours !== undefined ? { repeatAfterBreachHours: raw.repeat_after_breach_hours } : {}),
  };
}

function defined<T>(record: Record<string, T | undefined>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, T] => entry[1] !== undefined));
}

/** The `alerts` section in the core's terms. */
export function alertPolicyOf(alerts: AlertsConfig): AlertPolicy {
  return {
    routes: alerts.routes.map((route) => ({ match: route.match, matchRe: route.match_re, repo: route.repo })),
    defaultRepo: alerts.default_repo,
    severityLabel: alerts.severity_label,
    severities: alerts.severities,
    investigationStart: alerts.investigation_start,
    resolveIncident: alerts.resolve_incident,
  };
}

function buildPolicies(config: IncidentKeeperConfig): Policies {
  const { sla, labels, writeup, reminders, alerts, report, teams, permissions } = config;
  const names = {
    incident: config.incident_label,
    category: labels.category,
    severity: labels.severity,
    devops: labels.devops,
    product: labels.product,
    needsWriteup: labels.needs_writeup,
    slaBreached: labels.sla_breached,
    slaPaused: labels.sla_paused,
    security: labels.security,
  };
  return {
    labels: { ...names, catalog: labelCatalog(names) },
    sla: {
      investigationHours: sla.investigation_hours,
      investigationClockStart: sla.investigation_clock_start,
      resolutionClockStart: sla.resolution_clock_start,
      resolutionHours: sla.resolution_hours,
      resolutionCategories: sla.resolution_categories,
      calendar: sla.calendar
        ? {
            timeZone: sla.calendar.time_zone,
            workingDays: sla.calendar.working_days,
            startTime: sla.calendar.start_time,
            endTime: sla.calendar.end_time,
            holidays: sla.calendar.holidays,
          }
        : null,
      businessHoursWindows: sla.business_hours_windows,
    },
    reminders: {
      enabled: reminders.enabled,
      approachingPercents: reminders.approaching_percents,
      atDeadline: reminders.at_deadline,
      repeatAfterBreachHours: reminders.repeat_after_breach_hours,
      byWindow: defined({
        investigation: override(reminders.by_window.investigation),
        resolution: override(reminders.by_window.resolution),
      }),
      bySeverity: defined(Object.fromEntries(Object.entries(reminders.by_severity).map(([s, o]) => [s, override(o)]))),
      operationsPerSweep: reminders.operations_per_sweep,
    },
    writeup: {
      sections: SECTION_KEYS.map((key) => {
        const base = writeup.sections[key] ?? DEFAULT_SECTION_RULES.find((rule) => rule.key === key)?.names ?? [];
        return { key, names: [...base, ...writeup.extra_sections[key]] };
      }),
      paths: writeup.paths,
      required: writeup.required,
      severities: writeup.severities,
      categories: writeup.categories,
      requiredWhenNotPlanned: writeup.required_when_not_planned,
      closeWhenDone: writeup.close_when_done,
    },
    permissions: { commands: permissions.commands, forceClose: permissions.force_close, publish: permissions.publish },
    teams: {
      product: teams.product,
      responders: teams.responders,
      escalation: teams.escalation,
      security:
        teams.security === null ? [] : typeof teams.security === "string" ? [teams.security] : [...teams.security],
    },
    alerts: alertPolicyOf(alerts),
    report: { actionSloDays: report.action_slo_days, digest: report.digest },
    security: {
      repository: config.security.repository,
      acknowledgeHours: config.security.acknowledge_hours,
      resolutionHours: config.security.resolution_hours,
    },
    publish: { repository: config.publish.repository, path: config.publish.path, base: config.publish.base },
  };
}
