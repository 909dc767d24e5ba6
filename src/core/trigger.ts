/**
 * Every reason the app looks at an incident, as one tagged union. A handler turns a delivery into
 * triggers; the reconciler loads a snapshot for each and the core's `decide` switches over `kind`.
 *
 * To add a trigger (the next ones: `alert` from an alert receiver, `timeline-note` from a comment that
 * adds to the Timeline): add a variant here, a case in `decide` (core/decide.ts, the compiler points
 * at it), the reads it needs in core/reads.ts, and the adapter that builds it. See docs/ARCHITECTURE.md.
 */
import type { AlertGroupState } from "./alert-group.js";
import type { AlertNotification } from "./alert-payload.js";
import type { Command, CommandError } from "./commands.js";
import type { IncidentIssue } from "./incident.js";
import type { RemoteState } from "./writeup.js";

export type IssueAction = "opened" | "labeled" | "unlabeled" | "edited" | "closed" | "reopened";

export type IncidentTrigger =
  /** An `issues` delivery about the incident itself; `issue` is the payload's copy. */
  | {
      kind: "issue";
      action: IssueAction;
      issue: IncidentIssue;
      changedLabel: string | null;
      /** Who did it (the delivery's sender), for the timeline. */
      actor?: string;
    }
  /** Slash commands in a comment on the incident (`issue` is the payload's copy). */
  | {
      kind: "command";
      issue: IncidentIssue;
      commands: Command[];
      errors: CommandError[];
      login: string;
      commentId: number;
      /** When the comment was created (ISO 8601, as the payload says); an edit's: when it was saved. */
      commentAt: string;
      /**
       * The comment was edited (its new commands): when it was created, the time its `/timeline`
       * notes are read against (as the `timeline-note` trigger of the same edit reads them).
       */
      edit?: { createdAt: string };
    }
  /** One of the incident's follow-up actions changed state (`actionKey` = `owner/name#N`). */
  | {
      kind: "action-state";
      actionKey: string;
      observed: RemoteState;
      /** When GitHub says it happened (the delivery's `closed_at` / `updated_at`), for the timeline. */
      at?: string;
    }
  /**
   * A pull request referencing the incident (`actionKey` null) or one of its actions; `known` holds
   * action states read moments before in the same delivery (not read again).
   */
  | {
      kind: "pull-request";
      prKey: string;
      actionKey: string | null;
      open: boolean;
      known: ReadonlyMap<string, RemoteState>;
      /** GitHub's `created_at` of the `known` actions (same reads), for the timeline's "opened" entry. */
      knownOpenedAt?: ReadonlyMap<string, string>;
      /** GitHub's `closed_at` of the closed `known` actions (same reads), for the timeline's close entry. */
      knownDoneAt?: ReadonlyMap<string, string>;
      /** GitHub's time of what happened (`created_at` while open, else `merged_at` / `closed_at`), for the timeline. */
      at?: string;
      /** Closed by a merge (for the timeline). */
      merged?: boolean;
    }
  /**
   * The reminder sweep found the incident may owe a reminder; `becameIncidentAt` is what its check
   * read from the timeline when the app had no state yet (not read again).
   */
  | { kind: "tick"; becameIncidentAt?: Date | null }
  /**
   * The sweep's repair pass: the incident changed since the app last looked (its events may have been
   * lost), so labels, ticks, the close guard and the status comment are brought in line with GitHub.
   * `becameIncidentAt`: what the sweep's reminder check read from the timeline (not read again).
   */
  | { kind: "repair"; becameIncidentAt?: Date | null }
  /**
   * A comment holding (or having held) a `/timeline` note was edited or deleted (issue #14): its
   * entry follows the comment. `body` null = deleted.
   */
  | {
      kind: "timeline-note";
      commentId: number;
      body: string | null;
      login: string;
      commentAt: string;
      /** The comment's `updated_at` (its version): an older edit delivered late changes nothing. */
      updatedAt?: string;
    }
  /**
   * A notification about the alert group this incident was filed for (src/reconcile/alert-incident.ts).
   * `filed`: the group's state when the adapter just filed the incident for it; else `decide` works it
   * out from the notification and the group's state in the status comment.
   */
  | { kind: "alert"; notification: AlertNotification; token: string; filed: AlertGroupState | null }
  /**
   * The app just moved this security incident here, to the private repository (issue #14): record
   * where it came from, mention `mentions` once. Built by the reconciler after a transfer.
   */
  | { kind: "security-moved"; from: string; movedAt: string; mentions: string[] }
  /** The app's transfer of this security incident failed (issue #14): say so once, record it. */
  | { kind: "security-not-moved"; reason: "failed"; login: string | null };

export type TriggerKind = IncidentTrigger["kind"];
