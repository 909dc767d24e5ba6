/**
 * The core's inputs from configuration: one typed policy per concern, in the core's own terms. The
 * core never sees the YAML-shaped config: `src/config/policies.ts` builds a `Policies` bundle from the
 * validated file once per config load, and every core decision reads only what it names here.
 */
import type { BusinessCalendar } from "./calendar.js";
import type { Category, DevopsLevel, LabelScheme, Severity } from "./classification.js";
import type { LabelSpec } from "./label-catalog.js";
import type { PermissionLevel } from "./permissions.js";
import type { ReminderPolicy, WindowName } from "./reminders.js";
import type { SectionRule } from "./sections.js";
import type { ResolutionClockStart, SlaWindowName } from "./sla.js";

/** When the investigation clock starts: when the issue became an incident, or at opening. */
export type InvestigationClockStart = "became-incident" | "opened";

/** The SLA windows: lengths, the Sev x DevOps matrix, the working calendar, when each clock starts. */
export interface SlaPolicy {
  investigationHours: number;
  investigationClockStart: InvestigationClockStart;
  resolutionClockStart: ResolutionClockStart;
  /** Hours to resolve, by severity then DevOps level; null = no resolution window. */
  resolutionHours: Record<`${Severity}`, Record<`${DevopsLevel}`, number | null>>;
  /** Categories that get a resolution window at all (default: core bugs only). */
  resolutionCategories: readonly Category[];
  /** Working calendar for the windows in `businessHoursWindows`; null = every hour counts. */
  calendar: BusinessCalendar | null;
  businessHoursWindows: readonly SlaWindowName[];
}

/** The label names the app reads and writes, besides the classification scheme. */
export interface LabelNames extends LabelScheme {
  /** The label that makes an issue an incident. */
  incident: string;
  product: string;
  needsWriteup: string;
  slaBreached: string;
  slaPaused: string;
  /** Marks a security incident (issue #14). */
  security: string;
}

/** Every label name, and the colour and description of each label the app may create. */
export interface LabelPolicy extends LabelNames {
  /** Keyed by lower-case name (see `labelCatalog`). */
  catalog: ReadonlyMap<string, LabelSpec>;
}

/** A reminder setting that replaces the base one for a severity or a window; unset fields inherit. */
export type ReminderOverride = Partial<ReminderPolicy>;

/** When reminders are sent: the base policy, overrides by window then severity, the sweep's budget. */
export interface RemindersPolicy extends ReminderPolicy {
  enabled: boolean;
  byWindow: Partial<Record<WindowName, ReminderOverride>>;
  bySeverity: Partial<Record<`${Severity}`, ReminderOverride>>;
  /** Most writes one sweep makes in one installation. */
  operationsPerSweep: number;
}

/** What the write-up is and when it is required. */
export interface WriteupPolicy {
  /** The headings of each section: `writeup.sections` (or the built-in lexicon) plus `writeup.extra_sections`. */
  sections: readonly SectionRule[];
  /** Where postmortem files live in a repository (glob patterns). */
  paths: readonly string[];
  required: "before-close" | "never";
  severities: readonly number[];
  categories: readonly Category[];
  requiredWhenNotPlanned: boolean;
  closeWhenDone: boolean;
}

/** The least repository permission each kind of command needs. */
export interface PermissionPolicy {
  commands: PermissionLevel;
  forceClose: PermissionLevel;
  /** `/postmortem` (issue #14). */
  publish: PermissionLevel;
}

/** `/postmortem`'s public write-up draft (issue #14): where it goes. */
export interface PublishPolicy {
  /** `owner/name` of the publishing repository; null = `/postmortem` is off. */
  repository: string | null;
  /** Path of the draft, with `{{date}}` and `{{slug}}`. */
  path: string;
  /** Branch the pull request targets; null = the repository's default branch. */
  base: string | null;
}

/** The teams the app mentions (as written in the config: `@org/team` or `@user`), or null. */
export interface TeamPolicy {
  product: string | null;
  responders: string | null;
  escalation: Record<`${Severity}`, string | null>;
  /** Mentioned once in the private repository when a security incident is moved there. */
  security: readonly string[];
}

/** Security incidents (issue #14): where they move and their own SLA windows. */
export interface SecurityPolicy {
  /** `owner/name` of the private repository; null = none configured. */
  repository: string | null;
  /** The investigation (acknowledge & classify) window of a security incident. */
  acknowledgeHours: number;
  /** One resolution window for every cell; null = the Sev x DevOps matrix. */
  resolutionHours: number | null;
}

/** One alert route: all `match` labels equal, all `matchRe` patterns match the whole value. */
export interface AlertRoute {
  match: Readonly<Record<string, string>>;
  matchRe: Readonly<Record<string, string>>;
  repo: string;
}

/** Where alert groups go and how their incidents are filed. */
export interface AlertPolicy {
  routes: readonly AlertRoute[];
  defaultRepo: string | null;
  severityLabel: string;
  /** Alert label value (lower-cased) -> severity. */
  severities: Readonly<Record<string, number>>;
  investigationStart: "starts_at" | "filed";
  resolveIncident: boolean;
}

/** The report's and the weekly digest's settings. */
export interface ReportPolicy {
  /** Days after which an open follow-up action is overdue, by severity. */
  actionSloDays: Record<`${Severity}`, number>;
  digest: { repository: string; weekday: number; time: string } | null;
}

/** Every policy the core reads, built once per config load. */
export interface Policies {
  labels: LabelPolicy;
  sla: SlaPolicy;
  reminders: RemindersPolicy;
  writeup: WriteupPolicy;
  permissions: PermissionPolicy;
  teams: TeamPolicy;
  alerts: AlertPolicy;
  report: ReportPolicy;
  security: SecurityPolicy;
  publish: PublishPolicy;
}
