/**
 * The schema of `.github/incident-keeper.yml`. Every field is documented and defaulted; the defaults
 * reproduce the policy in the README (12 h investigation, Sev x DevOps resolution matrix).
 */
import { z } from "zod";
import { validateCalendar } from "../core/calendar.js";
import { PERMISSION_LEVELS } from "../core/permissions.js";
import { alertsConfigSchema } from "./alerts-schema.js";

/** A GitHub label name (GitHub's limit is 50 characters). */
const labelName = z.string().trim().min(1).max(50);

/** A team or user to mention, exactly as written by the repository's maintainers: `@org/team` or `@user`. */
const mention = z
  .string()
  .regex(
    /^@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\/[A-Za-z0-9._-]{1,100})?$/,
    "must be a mention like @acme/sre or @octocat",
  );

// The levels are the core's vocabulary; the schema validates against them (config -> core, never back).
export { PERMISSION_LEVELS };
const permissionLevel = z.enum(PERMISSION_LEVELS);

/** A window length in hours; null means "no window". At most two years. */
const windowHours = z.number().positive().max(17_520).nullable();

const devopsRow = (d1: number | null, d2: number | null, d3: number | null, d4: number | null) =>
  z
    .object({
      "1": windowHours.default(d1),
      "2": windowHours.default(d2),
      "3": windowHours.default(d3),
      "4": windowHours.default(d4),
    })
    .strict()
    .prefault({});

const WEEK_HOURS = 168;
const TWO_WEEKS_HOURS = 336;
const THREE_MONTHS_HOURS = 2_160;

const reminderOverride = z
  .object({
    /** Percent of the window after which an "approaching" reminder is sent. */
    approaching_percents: z.array(z.number().gt(0).lt(100)).max(10).optional(),
    /** Send a reminder when the deadline passes. */
    at_deadline: z.boolean().optional(),
    /** Repeat the overdue reminder every N hours after a breach; null = never. */
    repeat_after_breach_hours: z.number().min(1).max(8_760).nullable().optional(),
  })
  .strict();

const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM (24 h)");

export const configSchema = z
  .object({
    /** The label that makes an issue an incident. */
    incident_label: labelName.default("incident"),
    labels: z
      .object({
        /** One label per incident category. */
        category: z
          .object({
            "core-bug": labelName.default("category:core-bug"),
            "feature-request": labelName.default("category:feature-request"),
            "operator-error": labelName.default("category:operator-error"),
            "act-of-god": labelName.default("category:act-of-god"),
          })
          .strict()
          .prefault({}),
        /** One label per severity, 1 (complete outage) to 5 (false alarm). */
        severity: z
          .object({
            "1": labelName.default("sev:1"),
            "2": labelName.default("sev:2"),
            "3": labelName.default("sev:3"),
            "4": labelName.default("sev:4"),
            "5": labelName.default("sev:5"),
          })
          .strict()
          .prefault({}),
        /** One label per remediation difficulty, 1 (automatable config) to 4 (senior developers). */
        devops: z
          .object({
            "1": labelName.default("devops:1"),
            "2": labelName.default("devops:2"),
            "3": labelName.default("devops:3"),
            "4": labelName.default("devops:4"),
          })
          .strict()
          .prefault({}),
        /** Added when a feature request is handed to the product team. */
        product: labelName.default("product"),
        /** Present while a required write-up section is missing or empty. */
        needs_writeup: labelName.default("incident:needs-writeup"),
        /** Added when an SLA deadline is breached. */
        sla_breached: labelName.default("sla:breached"),
        /** While present, the SLA clocks are paused (e.g. waiting on a customer). */
        sla_paused: labelName.default("sla:paused"),
        /** Marks a security incident: it is moved to `security.repository` (issue #14). */
        security: labelName.default("incident:security"),
      })
      .strict()
      .prefault({}),
    teams: z
      .object({
        /** Mentioned on feature requests, operator errors and acts of God. */
        product: mention.nullable().default(null),
        /** Mentioned by reminders when the incident has no assignee. */
        responders: mention.nullable().default(null),
        /** Mentioned when a deadline is breached, per severity. */
        escalation: z
          .object({
            "1": mention.nullable().default(null),
            "2": mention.nullable().default(null),
            "3": mention.nullable().default(null),
            "4": mention.nullable().default(null),
            "5": mention.nullable().default(null),
          })
          .strict()
          .prefault({}),
        /**
         * Mentioned once in the private repository when a security incident is moved there, or filed or labelled
         * there with `labels.security`: a team or user, or a list of them.
         */
        security: z
          .union([mention, z.array(mention).min(1).max(10)])
          .nullable()
          .default(null),
      })
      .strict()
      .prefault({}),
    permissions: z
      .object({
        /** Least repository permission needed for slash commands. */
        commands: permissionLevel.default("triage"),
        /** Least repository permission needed for `/close --force`. */
        force_close: permissionLevel.default("maintain"),
        /** Least repository permission needed for `/postmortem` (a public write-up draft, issue #14). */
        publish: permissionLevel.default("maintain"),
      })
      .strict()
      .prefault({}),
    sla: z
      .object({
        /** Hours to investigate and classify, from `investigation_clock_start`. */
        investigation_hours: z.number().positive().max(17_520).default(12),
        /**
         * When the investigation clock starts: when the issue became an incident (label or `/incident`), or at
         * opening.
         */
        investigation_clock_start: z.enum(["became-incident", "opened"]).default("became-incident"),
        /**
         * When the resolution clock starts: at opening, at full classification, or when the investigation window
         * ends.
         */
        resolution_clock_start: z.enum(["opened", "classified", "end-of-investigation"]).default("classified"),
        /** Categories that get a resolution deadline. */
        resolution_categories: z
          .array(z.enum(["core-bug", "feature-request", "operator-error", "act-of-god"]))
          .default(["core-bug"]),
        /** Hours to resolve, by severity then DevOps level; null = no deadline. */
        resolution_hours: z
          .object({
            "1": devopsRow(12, 12, 48, WEEK_HOURS),
            "2": devopsRow(12, 12, 48, WEEK_HOURS),
            "3": devopsRow(TWO_WEEKS_HOURS, TWO_WEEKS_HOURS, THREE_MONTHS_HOURS, THREE_MONTHS_HOURS),
            "4": devopsRow(TWO_WEEKS_HOURS, TWO_WEEKS_HOURS, THREE_MONTHS_HOURS, THREE_MONTHS_HOURS),
            "5": devopsRow(null, null, null, null),
          })
          .strict()
          .prefault({}),
        /** Working calendar for windows listed in `business_hours_windows`; null = count every hour. */
        calendar: z
          .object({
            /** IANA time zone, e.g. Europe/Berlin. */
            time_zone: z.string().min(1).default("UTC"),
            /** ISO week days that are working days, 1 = Monday ... 7 = Sunday. */
            working_days: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
            /** Start of the working day, local time. */
            start_time: localTime.default("09:00"),
            /** End of the working day, local time. */
            end_time: localTime.default("17:00"),
            /** Local dates that are not working days. */
            holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD")).default([]),
          })
          .strict()
          .superRefine((calendar, ctx) => {
            const problems = validateCalendar({
              timeZone: calendar.time_zone,
              workingDays: calendar.working_days,
              startTime: calendar.start_time,
              endTime: calendar.end_time,
              holidays: calendar.holidays,
            });
            for (const message of problems) ctx.addIssue({ code: "custom", message });
          })
          .nullable()
          .default(null),
        /** Windows that count only calendar working time (needs `calendar`). */
        business_hours_windows: z.array(z.enum(["investigation", "resolution"])).default([]),
      })
      .strict()
      .prefault({}),
    writeup: z
      .object({
        /**
         * Headings that replace the built-in lexicon for a section (null = the built-in lexicon: Timeline,
         * Root cause, Action items and their variants, README "Write-up sections").
         */
        sections: z
          .object({
            timeline: z.array(z.string().min(1).max(100)).min(1).max(50).nullable().default(null),
            rca: z.array(z.string().min(1).max(100)).min(1).max(50).nullable().default(null),
            actions: z.array(z.string().min(1).max(100)).min(1).max(50).nullable().default(null),
          })
          .strict()
          .prefault({}),
        /** Headings added to a section's headings (the built-in lexicon, or `sections` where set). */
        extra_sections: z
          .object({
            timeline: z.array(z.string().min(1).max(100)).max(50).default([]),
            rca: z.array(z.string().min(1).max(100)).max(50).default([]),
            actions: z.array(z.string().min(1).max(100)).max(50).default([]),
          })
          .strict()
          .prefault({}),
        /** Where postmortem files live in a repository: Markdown files a pull request changes there get a check run. */
        paths: z
          .array(z.string().min(1).max(200))
          .max(50)
          .default(["postmortems/**", "docs/postmortems/**", "docs/incidents/**"]),
        /** When the write-up is required: before the incident may close, or never. */
        required: z.enum(["before-close", "never"]).default("before-close"),
        /** Severities that need a write-up. */
        severities: z.array(z.number().int().min(1).max(5)).default([1, 2, 3, 4, 5]),
        /** Categories that need a write-up. */
        categories: z
          .array(z.enum(["core-bug", "feature-request", "operator-error", "act-of-god"]))
          .default(["core-bug", "feature-request", "operator-error", "act-of-god"]),
        /**
         * A close as "not planned" (a duplicate, not an incident after all) still needs the write-up and every
         * action.
         */
        required_when_not_planned: z.boolean().default(false),
        /** Close the incident automatically once the write-up is complete and every action is done. */
        close_when_done: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    reminders: z
      .object({
        /** Post scheduled reminders at all. */
        enabled: z.boolean().default(true),
        /** Percent of a window after which an "approaching" reminder is sent. */
        approaching_percents: z.array(z.number().gt(0).lt(100)).max(10).default([50, 75]),
        /** Send a reminder when the deadline passes. */
        at_deadline: z.boolean().default(true),
        /** Repeat the overdue reminder every N hours after a breach; null = never. */
        repeat_after_breach_hours: z.number().min(1).max(8_760).nullable().default(24),
        /** Overrides by severity, e.g. `"1": { approaching_percents: [25, 50, 75] }`. */
        by_severity: z
          .object({
            "1": reminderOverride.optional(),
            "2": reminderOverride.optional(),
            "3": reminderOverride.optional(),
            "4": reminderOverride.optional(),
            "5": reminderOverride.optional(),
          })
          .strict()
          .prefault({}),
        /** Overrides by window. */
        by_window: z
          .object({ investigation: reminderOverride.optional(), resolution: reminderOverride.optional() })
          .strict()
          .prefault({}),
        /** Most writes one sweep makes in one installation; the rest waits for the next sweep, most urgent first. */
        operations_per_sweep: z.number().int().min(1).max(1_000).default(50),
      })
      .strict()
      .prefault({}),
    /** `/postmortem`: the public write-up drafted as a pull request (issue #14). */
    publish: z
      .object({
        /**
         * `owner/name` of the repository that receives the draft (in the same installation); null = `/postmortem` is
         * off.
         */
        repository: z
          .string()
          .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "must be owner/name")
          .nullable()
          .default(null),
        /**
         * Path of the draft in that repository; `{{date}}` (the incident's opening day) and `{{slug}}` (from its
         * title) are filled in.
         */
        path: z
          .string()
          .trim()
          .min(1)
          .max(300)
          .regex(
            /^[^/\\][^\\]*\.(?:md|markdown|mdx)$/,
            "must be a relative path to a Markdown file (.md, .markdown, .mdx)",
          )
          .refine((p) => !p.split("/").includes(".."), "must not contain ..")
          .default("content/blog/incidents/{{date}}-{{slug}}.md"),
        /** Branch the pull request targets; null = the publishing repository's default branch. */
        base: z
          .string()
          .trim()
          .min(1)
          .max(200)
          .regex(/^[A-Za-z0-9._/-]+$/, "must be a branch name")
          .nullable()
          .default(null),
      })
      .strict()
      .prefault({}),
    /** Security incidents (issue #14): moved to a private repository, with their own SLA windows. */
    security: z
      .object({
        /**
         * `owner/name` of the private repository security incidents move to (same owner, in the installation); null =
         * none.
         */
        repository: z
          .string()
          .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "must be owner/name")
          .nullable()
          .default(null),
        /** Hours to acknowledge (classify) a security incident: its investigation window. */
        acknowledge_hours: z.number().positive().max(17_520).default(1),
        /**
         * Hours to resolve a security incident, whatever its Sev x DevOps cell; null = the `sla.resolution_hours`
         * matrix.
         */
        resolution_hours: z.number().positive().max(17_520).nullable().default(24),
      })
      .strict()
      .prefault({}),
    /** Incidents from Alertmanager and Grafana alerts (see src/config/alerts-schema.ts). */
    alerts: alertsConfigSchema.prefault({}),
    report: z
      .object({
        /**
         * Age in days after which an open follow-up action counts as overdue, by the incident's severity
         * (Atlassian's priority-action SLOs: 4 weeks for Sev 1-2, 8 weeks for the rest), counted from
         * the incident's resolution (or its opening while unresolved).
         */
        action_slo_days: z
          .object({
            "1": z.number().int().min(1).max(3_650).default(28),
            "2": z.number().int().min(1).max(3_650).default(28),
            "3": z.number().int().min(1).max(3_650).default(56),
            "4": z.number().int().min(1).max(3_650).default(56),
            "5": z.number().int().min(1).max(3_650).default(56),
          })
          .strict()
          .prefault({}),
        /** The weekly digest: one report issue per ISO week in `repository`, posted by the sweep; null = none. */
        digest: z
          .object({
            /** `owner/name` of the repository that receives the digest issues (in the same installation). */
            repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "must be owner/name"),
            /** Day of the week the digest is due, 1 = Monday ... 7 = Sunday (ISO), in the calendar's time zone. */
            weekday: z.number().int().min(1).max(7).default(1),
            /** Local time of day it is due (HH:MM, 24 h; the calendar's time zone, else UTC). */
            time: localTime.default("09:00"),
          })
          .strict()
          .nullable()
          .default(null),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type IncidentKeeperConfig = z.output<typeof configSchema>;

/** The config every repository gets when it has no file. */
export const DEFAULT_CONFIG: IncidentKeeperConfig = configSchema.parse({});
