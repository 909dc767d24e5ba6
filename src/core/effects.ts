/**
 * What a decision asks for, as data: the applier (src/reconcile/apply-effects.ts) carries it out in
 * a fixed order, the status comment last. Every comment is a `Message` the renderer (src/render/
 * messages.ts) turns into words from templates/.
 *
 * To add an effect: a field here (or a `Message` variant), its step in the applier, and, for a
 * message, its template and view in src/render/messages.ts.
 */
import type { CommandError } from "./commands.js";
import type { ConfigIssue } from "./config-error.js";
import type { IncidentPlan, Notice } from "./incident-plan.js";
import type { LabelSpec } from "./label-catalog.js";
import type { OwedReminder } from "./incident-reminders.js";
import type { PermissionLevel } from "./permissions.js";
import type { OwnComment } from "./snapshot.js";
import type { ActionView, SectionKey, WriteupAssessment } from "./writeup.js";
import type { Severity } from "./classification.js";
import type { TimelineLine } from "./timeline.js";
import type { PostmortemOutcome, PublishEffect } from "./postmortem.js";
import type { NotMovedReason, SecurityTransfer } from "./security.js";

export type Message =
  /** A memo (operator error, act of God) or a product hand-off (feature request), once per category. */
  | { kind: "notice"; notice: Notice; title: string; body: string; openedAt: Date; severity: Severity | null }
  /** The incident was closed too early: what is missing (once per close, by its marker). */
  | { kind: "reopened"; marker: string; sections: SectionKey[]; actions: ActionView[] }
  /** The write-up and every action are done (once). */
  | { kind: "writeup-complete"; marker: string; actionsTotal: number }
  /** An SLA reminder (once per key, by its marker). */
  | {
      kind: "reminder";
      marker: string;
      owed: OwedReminder;
      assignees: string[];
      severity: Severity | null;
      /** A security incident: the window is named as its acknowledge window (`windowWords`). */
      security?: boolean;
    }
  /**
   * A command from someone lacking the permission: one short reply, if `post` and the reply limiter
   * (memory, per person) allows it; the limiter is asked either way so a storm is counted.
   */
  | {
      kind: "command-refused";
      marker: string;
      login: string;
      command: string;
      required: PermissionLevel;
      actual: PermissionLevel;
      post: boolean;
      limitKey: string;
    }
  /** Commands that could not be read. */
  | { kind: "command-errors"; marker: string; login: string; errors: CommandError[] }
  /** The config is invalid: one comment naming each problem, edited in place (`replaces`). */
  | { kind: "config-error"; issues: ConfigIssue[]; replaces: OwnComment | null }
  /** `/timeline --write` found the body's Timeline section written by people: left alone (issue #14). */
  | { kind: "timeline-not-written"; marker: string; login: string }
  /** `/postmortem` drafted nothing (not configured, a security incident, the repository unreachable), issue #14. */
  | { kind: "postmortem-reply"; marker: string; login: string; outcome: PostmortemOutcome }
  /** A security incident was not moved to the private repository: one short note per reason, no details (issue #14). */
  | { kind: "security-not-moved"; marker: string; reason: NotMovedReason; login: string | null }
  /**
   * A security incident in the private repository: the security team mentioned once (issue #14).
   * `from` is where it was moved from; null when it was filed or labelled there.
   */
  | { kind: "security-team"; marker: string; mentions: string[]; from: string | null };

/** A checkbox to set: the first task item referencing `key` (`owner/name#N`). */
export interface CheckChange {
  key: string;
  done: boolean;
}

export interface IncidentEffects {
  /** Labels that go with the trigger's own messages (the breach label with its reminder), added right after them. */
  leadLabels: string[];
  /** Ticks and unticks of action checkboxes (the body is re-read first unless `bodyFresh`). */
  checks: { changes: CheckChange[]; bodyFresh: boolean } | null;
  /** Labels the repository may lack (created with colour and description first). */
  ensureLabels: LabelSpec[];
  addLabels: string[];
  removeLabels: string[];
  /** Reopen (a close that was too early): before the comment that says why. */
  reopen: boolean;
  /** Comments to post (or edit, for a config error), in order. */
  messages: Message[];
  /**
   * Close: `done` (everything done, `close_when_done`) after the comments; `forced` (`/close --force`)
   * after the status comment, which records who forced it and why.
   */
  close: "done" | "forced" | null;
  /** The status comment to render (edited only when its fingerprint changes); null = leave it alone. */
  status: { plan: IncidentPlan; writeup: WriteupAssessment } | null;
  /**
   * `/timeline --write`: the timeline's lines into the body's Timeline section (the body is re-read
   * first unless `bodyFresh`; written only where nobody wrote the section). Absent = nothing to write.
   */
  timelineWrite?: { lines: TimelineLine[]; timeZone: string | null; bodyFresh: boolean };
  /**
   * `/postmortem` (issue #14): the draft to write in the publishing repository, before the status
   * comment (which then records and links the pull request), with its reply. Absent = none.
   */
  publish?: PublishEffect;
  /**
   * Move the incident to the private repository (GraphQL `transferIssue`), the very last step; the
   * reconciler then reconciles it in its new repository (issue #14). Absent = no move.
   */
  transfer?: SecurityTransfer;
  /** The id of an earlier config-error comment to edit, now that the config is valid (after the status). */
  configFixed: number | null;
}

/** No effects at all. */
export function noEffects(): IncidentEffects {
  return {
    leadLabels: [],
    checks: null,
    ensureLabels: [],
    addLabels: [],
    removeLabels: [],
    reopen: false,
    messages: [],
    close: null,
    status: null,
    configFixed: null,
  };
}
