/**
 * Security incidents (issue #14): an incident carrying `labels.security` (or `/security`) is moved to
 * the private `security.repository` with GraphQL `transferIssue`, mentions `teams.security` there
 * once, and runs the security SLA windows instead of the Sev x DevOps matrix. Pure.
 */
import { CATEGORIES } from "./classification.js";
import { labelsInclude } from "./labels.js";
import type { StatusState } from "./status-state.js";
import type { IncidentTrigger } from "./trigger.js";
import type { IncidentKeeperConfig } from "../config/schema.js";

/** Why a security incident was not moved: said once per reason to the maintainers, without details. */
export type NotMovedReason = "not-configured" | "not-found" | "public" | "failed";

/** What the snapshot read about the move (one GraphQL query: both repositories' node ids and visibility). */
export interface SecurityTarget {
  /** `owner/name` as configured. */
  repository: string;
  /** The target's node id; null when the installation cannot see it (absent, or not installed). */
  repositoryId: string | null;
  isPrivate: boolean;
  /** The incident's own node id (null when it could not be read). */
  issueId: string | null;
}

/** The move the applier carries out last, after the incident's other effects. */
export interface SecurityTransfer {
  issueId: string;
  repositoryId: string;
  /** `owner/name` of the private repository. */
  repository: string;
  /** `owner/name#N` of the incident before the move. */
  from: string;
  /** Who to mention in the private repository (`teams.security`). */
  mentions: string[];
}

/** The hidden state's `security` field: where a moved incident came from and when (shared with postmortem). */
export type SecurityState = NonNullable<StatusState["security"]>;

/** Is the incident a security incident: the label, or the hidden state says it was moved? */
export function isSecurityIncident(
  labels: readonly string[],
  state: Pick<StatusState, "security"> | null | undefined,
  config: Pick<IncidentKeeperConfig, "labels">,
): boolean {
  return state?.security !== undefined || labelsInclude(labels, config.labels.security);
}

/**
 * The config a security incident is judged by: the investigation window is `security.acknowledge_hours`,
 * and with `security.resolution_hours` set every category, severity and DevOps level gets that one
 * resolution window (null keeps the matrix). Reminders, the dashboard and the report use the same.
 */
export function securityConfig(config: IncidentKeeperConfig): IncidentKeeperConfig {
  const hours = config.security.resolution_hours;
  const row = { "1": hours, "2": hours, "3": hours, "4": hours };
  return {
    ...config,
    sla: {
      ...config.sla,
      investigation_hours: config.security.acknowledge_hours,
      ...(hours === null
        ? {}
        : {
            resolution_hours: { "1": row, "2": row, "3": row, "4": row, "5": row },
            resolution_categories: [...CATEGORIES],
          }),
    },
  };
}

/** The config that governs this incident: the security one for a security incident. */
export function configFor(
  config: IncidentKeeperConfig,
  labels: readonly string[],
  state: Pick<StatusState, "security"> | null | undefined,
): IncidentKeeperConfig {
  return isSecurityIncident(labels, state, config) ? securityConfig(config) : config;
}

/** The mentions of `teams.security`, as a list. */
export function securityMentions(config: IncidentKeeperConfig): string[] {
  const team = config.teams.security;
  return team === null ? [] : typeof team === "string" ? [team] : [...team];
}

/** Does the trigger ask for the move itself (`/security`, the label just added, filed with it)? */
export function asksForMove(trigger: IncidentTrigger, config: IncidentKeeperConfig): boolean {
  if (trigger.kind === "command") return trigger.commands.some((c) => c.name === "security");
  if (trigger.kind !== "issue") return false;
  if (trigger.action === "opened") return labelsInclude(trigger.issue.labels, config.labels.security);
  return (
    trigger.action === "labeled" &&
    trigger.changedLabel !== null &&
    trigger.changedLabel.toLowerCase() === config.labels.security.toLowerCase()
  );
}

/**
 * Must the move be attempted (and the target read) for this trigger? Never once moved, never in the
 * private repository itself, never for the app's own follow-up triggers. An explicit ask always
 * tries again; any other trigger (an edit, the sweep's repair) tries only a security incident whose
 * move was never refused, so a refused move is not retried on every event.
 */
export function wantsMove(args: {
  trigger: IncidentTrigger;
  labels: readonly string[];
  previous: StatusState;
  repo: { owner: string; repo: string };
  config: IncidentKeeperConfig;
}): boolean {
  const { trigger, previous, config } = args;
  if (previous.security !== undefined) return false;
  if (trigger.kind === "security-moved" || trigger.kind === "security-not-moved") return false;
  if (trigger.kind === "timeline-note" || trigger.kind === "alert") return false;
  const here = `${args.repo.owner}/${args.repo.repo}`.toLowerCase();
  if (config.security.repository !== null && config.security.repository.toLowerCase() === here) return false;
  if (asksForMove(trigger, config)) return true;
  return labelsInclude(args.labels, config.labels.security) && previous.securityNotMoved === undefined;
}

/** The hidden marker of the one note per reason that the move did not happen. */
export function notMovedMarker(reason: NotMovedReason): string {
  return `<!-- incident-keeper:security-not-moved ${reason} -->`;
}

/** The hidden marker of the one mention of the security team in the private repository. */
export const SECURITY_TEAM_MARKER = "<!-- incident-keeper:security-team -->";

/** Why the target read says the move cannot happen, or null when it can. */
export function refusalOf(
  target: SecurityTarget | null | undefined,
  config: IncidentKeeperConfig,
): NotMovedReason | null {
  if (config.security.repository === null) return "not-configured";
  if (!target || target.repositoryId === null) return "not-found";
  if (!target.isPrivate) return "public";
  if (target.issueId === null) return "failed";
  return null;
}

/** What the digest shows of a security incident's title: nothing of it (issue #14). */
export const WITHHELD_TITLE = "🔒 Security incident (details withheld)";

/**
 * The records a report filed in a repository may show (the weekly digest, issue #14): a security
 * incident keeps its figures but never its title. The link names only the private repository.
 */
export function redactSecurityIncidents<
  R extends { labels: string[]; status: Pick<StatusState, "security"> | null; title: string; repository: string },
>(records: readonly R[], configOf: (repository: string) => Pick<IncidentKeeperConfig, "labels">): R[] {
  return records.map((record) =>
    isSecurityIncident(record.labels, record.status, configOf(record.repository))
      ? { ...record, title: WITHHELD_TITLE }
      : record,
  );
}
