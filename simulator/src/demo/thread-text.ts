/**
 * An issue thread as a person reads it on github.com, for a terminal: title, state, labels, the body,
 * then comments and events (labels, close, reopen, mentions) in order. The app's hidden markers and
 * base64 state are dropped, Markdown tables are aligned, HTML entities decoded. Pure.
 */
import type { CommentView, IssueView, TimelineView } from "../views.js";

const pad = (n: number): string => String(n).padStart(2, "0");

/**
 * `2026-11-23 18:00 UTC`, as the app writes instants (its `formatUtc`, src/core/time-format.ts; the
 * simulator does not import the app, test/e2e/demo.test.ts checks that the two agree).
 */
export function formatTime(at: Date): string {
  const day = `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
  return `${day} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())} UTC`;
}

/** What {@link renderThread} needs: snapshots from the simulator. */
export interface ThreadInput {
  /** `owner/name`. */
  repo: string;
  issue: IssueView;
  /** The issue's comments, oldest first. */
  comments: readonly CommentView[];
  /** The issue's timeline, oldest first (its `commented` entries are matched to `comments` in order). */
  timeline: readonly TimelineView[];
}

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
  "&#64;": "@",
};

/** A Markdown table's rows as aligned columns (the delimiter row dropped). */
function alignTable(rows: string[]): string[] {
  const cells = rows
    .filter((row) => !/^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/.test(row))
    .map((row) =>
      row
        .trim()
        .replace(/^\||\|$/g, "")
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replace(/\\\|/g, "|")),
    );
  const widths: number[] = [];
  for (const row of cells) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return cells.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - [...cell].length)))
      .join("   ")
      .trimEnd(),
  );
}

/** A comment or issue body as readable text: no hidden markers or state, tables aligned, headings plain. */
export function readableBody(markdown: string | null): string {
  const text = (markdown ?? "")
    .replace(/\r\n?/g, "\n")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<\/?sub>/g, "")
    .replace(/\*\*(\S(?:[^*\n]*\S)?)\*\*/g, "$1")
    .replace(/&(?:amp|lt|gt|quot|#39|#64);/g, (entity) => ENTITIES[entity] ?? entity);
  const out: string[] = [];
  let table: string[] = [];
  const flush = (): void => {
    if (table.length > 0) out.push(...alignTable(table));
    table = [];
  };
  for (const raw of text.split("\n")) {
    const line = raw.trimEnd();
    if (line.trimStart().startsWith("|")) {
      table.push(line);
      continue;
    }
    flush();
    out.push(line.replace(/^#{1,6}\s+/, ""));
  }
  flush();
  return out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const indent = (text: string, by = "    "): string =>
  text
    .split("\n")
    .map((line) => (line === "" ? "" : by + line))
    .join("\n");

/** `a`, `a and b`, `a, b and c`. */
function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** One line for a run of label events by one person at one moment. */
function labelLine(events: TimelineView[]): string {
  const added = events.filter((e) => e.event === "labeled").map((e) => e.detail ?? "?");
  const removed = events.filter((e) => e.event === "unlabeled").map((e) => e.detail ?? "?");
  const parts = [
    added.length > 0 ? `added ${list(added)}` : "",
    removed.length > 0 ? `removed ${list(removed)}` : "",
  ].filter(Boolean);
  return `${events[0]!.actor} ${parts.join(" and ")}`;
}

function eventLine(event: TimelineView): string | null {
  switch (event.event) {
    case "closed":
      return `${event.actor} closed this${event.detail === "not_planned" ? " as not planned" : " as completed"}`;
    case "reopened":
      return `${event.actor} reopened this`;
    case "cross-referenced":
      return `${event.actor} mentioned this in ${event.detail ?? "another issue"}`;
    case "assigned":
      return `${event.actor} assigned ${event.detail ?? "someone"}`;
    case "renamed":
      return `${event.actor} changed the title`;
    default:
      return null;
  }
}

/** The whole thread as text. */
export function renderThread(input: ThreadInput): string {
  const { issue } = input;
  const state =
    issue.state === "open"
      ? "open"
      : `closed${issue.stateReason === "not_planned" ? " (not planned)" : " (completed)"}`;
  const lines: string[] = [
    `${input.repo}#${issue.number}  ${issue.title}`,
    `state: ${state}    labels: ${[...issue.labels].sort().join(", ") || "none"}`,
    "",
    `● ${issue.user} opened this on ${formatTime(issue.createdAt)}`,
    indent(readableBody(issue.body)),
  ];
  const comments = [...input.comments];
  const timeline = input.timeline;
  for (let i = 0; i < timeline.length; i++) {
    const event = timeline[i]!;
    const at = formatTime(event.createdAt);
    if (event.event === "commented") {
      const comment = comments.shift();
      if (!comment) continue;
      const edited =
        comment.updatedAt.getTime() - comment.createdAt.getTime() >= 60_000
          ? ` (edited ${formatTime(comment.updatedAt)})`
          : "";
      lines.push(
        "",
        `● ${comment.user} commented on ${formatTime(comment.createdAt)}${edited}`,
        indent(readableBody(comment.body)),
      );
      continue;
    }
    if (event.event === "labeled" || event.event === "unlabeled") {
      const run = [event];
      while (i + 1 < timeline.length) {
        const next = timeline[i + 1]!;
        if (
          (next.event !== "labeled" && next.event !== "unlabeled") ||
          next.actor !== event.actor ||
          formatTime(next.createdAt) !== at
        )
          break;
        run.push(next);
        i++;
      }
      lines.push("", `  · ${labelLine(run)} on ${at}`);
      continue;
    }
    const line = eventLine(event);
    if (line) lines.push("", `  · ${line} on ${at}`);
  }
  // Comments the timeline did not list (none on a consistent simulator) still show.
  for (const comment of comments)
    lines.push(
      "",
      `● ${comment.user} commented on ${formatTime(comment.createdAt)}`,
      indent(readableBody(comment.body)),
    );
  return `${lines.join("\n")}\n`;
}
