/**
 * Security incidents (issue #14): an incident carrying `labels.security` (or `/security`) is moved to
 * the private `security.repository` with GraphQL `transferIssue`, mentions `teams.security` there
 * once (also when filed or labelled there directly), and runs the security SLA windows instead of the
 * Sev x DevOps matrix. Pure.
 */
import { CATEGORIES } from "./classification.js";
import { labelsInclude } from "./labels.js";
import type { SlaWindowName } from "./sla.js";
import type { StatusState } from "./status-state.js";
import type { IncidentTrigger } from "./trigger.js";
import type { Policies } from "./policy.js";

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
  policies: Pick<Policies, "labels">,
): boolean {
  return state?.security !== undefined || labelsInclude(labels, policies.labels.security);
}

/**
 * The policies a security incident is judged by: the investigation window is `security.acknowledge_hours`,
 * and with `security.resolution_hours` set every category, severity and DevOps level gets that one
 * resolution window (null keeps the matrix). Reminders, the dashboard and the report use the same.
 */
export function securityPolicies(policies: Policies): Policies {
  const hours = policies.security.resolutionHours;
  const row = { "1": hours, "2": hours, "3": hours, "4": hours };
  return {
    ...policies,
    sla: {
      ...policies.sla,
      investigationHours: policies.security.acknowledgeHours,
      ...(hours === null
        ? {}
        : {
            resolutionHours: { "1": row, "2": row, "3": row, "4": row, "5": row },
            resolutionCategories: [...CATEGORIES],
          }),
    },
  };
}

/** The policies that govern this incident: the security ones for a security incident. */
export function policiesFor(
  policies: Policies,
  labels: readonly string[],
  state: Pick<StatusState, "security"> | null | undefined,
): Policies {
  return isSecurityIncident(labels, state, policies) ? securityPolicies(policies) : policies;
}

/** How a window is named: `title` in the status comment's row, `noun` in a reminder's sentence. */
export interface WindowWords {
  title: string;
  noun: string;
}

const WINDOW_WORDS: Record<"investigation" | "acknowledge" | "resolution", WindowWords> = {
  investigation: { title: "Investigate & classify", noun: "investigation & classification" },
  acknowledge: { title: "Acknowledge & classify", noun: "acknowledgement & classification" },
  resolution: { title: "Resolve", noun: "resolution" },
};

/**
 * The words of an SLA window wherever it is named (the status comment's row, reminders, the dashboard):
 * a security incident's investigation window is its acknowledge window (`security.acknowledge_hours`),
 * however it became one (moved, filed or labelled in `security.repository`, or labelled where the move
 * was refused). `security` is `isSecurityIncident`, the rule that picks the windows themselves.
 */
export function windowWords(window: SlaWindowName, security: boolean): WindowWords {
  if (window === "resolution") return WINDOW_WORDS.resolution;
  return security ? WINDOW_WORDS.acknowledge : WINDOW_WORDS.investigation;
}

/** The mentions of `teams.security`, as a list. */
export function securityMentions(policies: Policies): string[] {
  return [...policies.teams.security];
}

/** Does the trigger ask for the move itself (`/security`, the label just added, filed with it)? */
export function asksForMove(trigger: IncidentTrigger, policies: Policies): boolean {
  if (trigger.kind === "command") return trigger.commands.some((c) => c.name === "security");
  if (trigger.kind !== "issue") return false;
  if (trigger.action === "opened") return labelsInclude(trigger.issue.labels, policies.labels.security);
  return (
    trigger.action === "labeled" &&
    trigger.changedLabel !== null &&
    trigger.changedLabel.toLowerCase() === policies.labels.security.toLowerCase()
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
  policies: Policies;
}): boolean {
  const { trigger, previous, policies } = args;
  if (previous.security !== undefined) return false;
  if (trigger.kind === "security-moved" || trigger.kind === "security-not-moved") return false;
  if (trigger.kind === "timeline-note" || trigger.kind === "alert") return false;
  const here = `${args.repo.owner}/${args.repo.repo}`.toLowerCase();
  const target = policies.security.repository;
  if (target !== null && target.toLowerCase() === here) return false;
  if (asksForMove(trigger, policies)) return true;
  return labelsInclude(args.labels, policies.labels.security) && previous.securityNotMoved === undefined;
}

/** The hidden marker of the one note per reason that the move did not happen. */
export function notMovedMarker(reason: NotMovedReason): string {
  return `<!-- incident-keeper:security-not-moved ${reason} -->`;
}

/** The hidden marker of the one mention of the security team in the private repository. */
export const SECURITY_TEAM_MARKER = "<!-- incident-keeper:security-team -->";

/**
 * Must the security team be mentioned now, in the private repository itself: an open incident there
 * carrying `labels.security` (filed with it, labelled with it, or become an incident with it) whose
 * thread has no `security-team` mention yet. Once per incident: the marker is in the app's own
 * comments, so a move's mention counts too. Never outside `security.repository` (a public one).
 */
export function wantsTeamMention(args: {
  repo: { owner: string; repo: string };
  labels: readonly string[];
  state: "open" | "closed";
  markers: ReadonlySet<string>;
  policies: Pick<Policies, "labels" | "security" | "teams">;
}): boolean {
  const { policies } = args;
  const target = policies.security.repository;
  if (target === null || target.toLowerCase() !== `${args.repo.owner}/${args.repo.repo}`.toLowerCase()) return false;
  if (policies.teams.security.length === 0 || args.markers.has(SECURITY_TEAM_MARKER)) return false;
  return args.state === "open" && labelsInclude(args.labels, policies.labels.security);
}

/** Why the target read says the move cannot happen, or null when it can. */
export function refusalOf(
  target: SecurityTarget | null | undefined,
  policies: Pick<Policies, "security">,
): NotMovedReason | null {
  if (policies.security.repository === null) return "not-configured";
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
>(records: readonly R[], policiesOf: (repository: string) => Pick<Policies, "labels">): R[] {
  return records.map((record) =>
    isSecurityIncident(record.labels, record.status, policiesOf(record.repository))
      ? { ...record, title: WITHHELD_TITLE }
      : record,
  );
}
