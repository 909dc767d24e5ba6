/**
 * View models: the words of every comment the core asks for (`Message`) and the status comment's
 * write-up and action rows. Sentences come from templates/; this file only fills them in.
 */
import { CATEGORY_TITLES, SEVERITY_MEANINGS } from "../core/classification.js";
import { CONFIG_ERROR_MARKER } from "../core/decide.js";
import type { Message } from "../core/effects.js";
import { formatDuration, formatRelative, formatUtc } from "../core/time-format.js";
import { shortRef } from "../core/references.js";
import {
  actionDisplayText,
  SECTION_KEYS,
  SECTION_TITLES,
  type ActionView,
  type WriteupAssessment,
} from "../core/writeup.js";
import type { Policies } from "../core/policy.js";
import type { StatusExtras } from "./status-comment.js";
import { renderPostmortemReply } from "./postmortem.js";
import { windowWords, type NotMovedReason } from "../core/security.js";
import { render } from "./templates.js";

export const ACTION_WORDS: Record<ActionView["state"], { icon: string; state: string }> = {
  open: { icon: "⬜", state: "open" },
  "in-review": { icon: "🔍", state: "in review" },
  done: { icon: "✅", state: "done" },
  "not-doing": { icon: "➖", state: "not doing" },
  "closed-unmerged": { icon: "⬜", state: "closed without merging" },
  unknown: { icon: "❓", state: "unknown (not found, or outside this installation)" },
  "task-open": { icon: "⬜", state: "to do" },
  "task-done": { icon: "✅", state: "done" },
  "ticked-by-hand": { icon: "☑️", state: "done" },
  untracked: {
    icon: "➖",
    state: "not followed (only the first 100 referenced actions are followed; this one does not block the close)",
  },
};

type Repo = { owner: string; repo: string };

/** The status comment's write-up and action rows. */
export function statusExtras(writeup: WriteupAssessment, repo: Repo): StatusExtras {
  const sectionWords = {
    filled: "filled in",
    missing: "missing",
    empty: "empty",
    placeholder: "still the placeholder",
  } as const;
  return {
    writeup: {
      sections: SECTION_KEYS.map((key) => {
        const section = writeup.sections[key];
        return {
          icon: section.filled ? "✅" : writeup.required ? "❌" : "➖",
          name: SECTION_TITLES[key],
          state: sectionWords[section.state],
        };
      }),
    },
    actions: writeup.actions.map((a) => ({
      icon: ACTION_WORDS[a.state].icon,
      link: shortRef(a.key, repo),
      title: a.key ? a.title : a.text.slice(0, 200),
      state:
        ACTION_WORDS[a.state].state +
        (a.by ? ` (ticked by @${a.by})` : "") +
        (a.reviews.length > 0 ? ` (${a.reviews.join(", ")})` : ""),
      done: a.done,
    })),
  };
}

/** The body of one comment the core asked for. */
export function renderMessage(message: Message, ctx: { policies: Policies; repo: Repo; now: Date }): string {
  const { policies, repo, now } = ctx;
  switch (message.kind) {
    case "notice": {
      const { notice, severity } = message;
      if (notice.kind === "handoff")
        return render("handoff", {
          marker: notice.marker,
          productLabel: policies.labels.product,
          productTeam: policies.teams.product,
        });
      return render("memo", {
        marker: notice.marker,
        categoryTitle: CATEGORY_TITLES[notice.category],
        title: message.title,
        severity: severity ? `Sev ${severity}: ${SEVERITY_MEANINGS[severity]}` : "severity not yet set",
        openedAt: formatUtc(message.openedAt),
        operatorError: notice.category === "operator-error",
        actOfGod: notice.category === "act-of-god",
        summary: summaryOf(message.body),
        productTeam: policies.teams.product,
      });
    }
    case "reopened":
      return render("reopened", {
        marker: message.marker,
        sections: message.sections.map((key) => SECTION_TITLES[key]),
        hasSections: message.sections.length > 0,
        actions: message.actions.map((a) => ({
          link: shortRef(a.key, repo),
          text: actionDisplayText(a).slice(0, 200),
          state: ACTION_WORDS[a.state].state,
        })),
        hasActions: message.actions.length > 0,
      });
    case "writeup-complete": {
      const total = message.actionsTotal;
      return render("writeup-complete", {
        marker: message.marker,
        closeWhenDone: policies.writeup.closeWhenDone,
        actionsTotal: total,
        noActions: total === 0,
        oneAction: total === 1,
        manyActions: total > 1,
      });
    }
    case "reminder":
      return renderReminder(message, policies, now);
    case "command-refused": {
      const { marker, login, command, required, actual } = message;
      return render("command-refused", { marker, login, command, required, actual });
    }
    case "command-errors":
      return render("command-errors", { marker: message.marker, login: message.login, errors: message.errors });
    case "timeline-not-written":
      return render("timeline-not-written", { marker: message.marker, login: message.login });
    case "postmortem-reply":
      return renderPostmortemReply(message);
    case "security-not-moved":
      return render("security-not-moved", {
        marker: message.marker,
        login: message.login,
        why: notMovedWhy(message.reason, policies.security.repository),
      });
    case "security-team": {
      const hours = policies.security.resolutionHours;
      return render("security-team", {
        marker: message.marker,
        mentions: message.mentions.join(" "),
        moved: message.from !== null,
        from: message.from ?? "",
        acknowledge: formatDuration(policies.security.acknowledgeHours * 3_600_000),
        resolve:
          hours === null
            ? "within the Sev x DevOps matrix's window"
            : `within **${formatDuration(hours * 3_600_000)}** of the resolution clock's start`,
      });
    }
    case "config-error": {
      // Each problem is a table row: a `|` in a message (zod's `"read"|"triage"`) would end its cell early.
      const cell = (text: string): string => text.replace(/\|/g, "\\|");
      const issues = message.issues.map((issue) => ({ path: cell(issue.path), message: cell(issue.message) }));
      return render("config-error", { marker: CONFIG_ERROR_MARKER, issues });
    }
  }
}

/** Why the move did not happen, in words that name no detail of the incident. */
function notMovedWhy(reason: NotMovedReason, repository: string | null): string {
  const target = repository ? `\`${repository}\`` : "";
  switch (reason) {
    case "not-configured":
      return "no private repository is configured (`security.repository`)";
    case "not-found":
      return `the configured repository ${target} does not exist or the app is not installed on it`;
    case "public":
      return `the configured repository ${target} is public`;
    case "failed":
      return (
        `GitHub did not complete the transfer to ${target} ` +
        "(the app needs issues: write on both repositories, which must have the same owner)"
      );
  }
}

function renderReminder(message: Extract<Message, { kind: "reminder" }>, policies: Policies, now: Date): string {
  const { reminder } = message.owed;
  const assignees = message.assignees.map((a) => `@${a}`);
  const mentions = assignees.length > 0 ? assignees.join(" ") : (policies.teams.responders ?? "");
  const escalation =
    reminder.kind !== "approaching" && message.severity !== null
      ? policies.teams.escalation[`${message.severity}`]
      : null;
  return render("reminder", {
    marker: message.marker,
    windowName: windowWords(reminder.window, message.security === true).noun,
    approaching: reminder.kind === "approaching",
    breach: reminder.kind === "breach",
    overdue: reminder.kind === "overdue",
    investigation: reminder.window === "investigation",
    resolution: reminder.window === "resolution",
    deadline: formatUtc(reminder.deadline),
    relative: formatRelative(reminder.deadline, now),
    percent: reminder.percent,
    remaining: formatDuration(reminder.remainingMs),
    overdueBy: formatDuration(reminder.overdueMs),
    pausedLabel: policies.labels.slaPaused,
    rearmedFrom: message.owed.rearmedFrom ? formatUtc(message.owed.rearmedFrom) : null,
    mentions,
    escalation,
  });
}

/** First paragraph of real text in the body, one line, at most 300 characters. */
export function summaryOf(body: string): string | null {
  const text = body
    .replace(/<!--[\s\S]*?-->/g, "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#") && l !== "_No response_")
    .slice(0, 5)
    .join(" ");
  if (text === "") return null;
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
