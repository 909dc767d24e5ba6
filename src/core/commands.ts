/**
 * Slash commands in issue comments (`/sev 2`, `/devops 3`, `/category core-bug`, `/incident`,
 * `/resolved`, `/close --force REASON`). Pure: parses untrusted comment text with a Markdown parser
 * (so commands in code, quotes or mid-sentence never run) and zod (for arguments).
 */
import type { Nodes, Root } from "mdast";
import { parseBlocks } from "./markdown.js";
import { z } from "zod";
import { CATEGORIES, type Category, type DevopsLevel, type Severity } from "./classification.js";
import { parseTimelineArgs, type TimelineNote } from "./timeline.js";

export type Command =
  | { name: "incident" }
  | { name: "sev"; severity: Severity }
  | { name: "devops"; devops: DevopsLevel }
  | { name: "category"; category: Category }
  | { name: "resolved" }
  | { name: "close-force"; reason: string }
  /** `/timeline [--tag] [time] text`: a note on the incident's timeline (issue #14). */
  | { name: "timeline"; note: TimelineNote }
  /** `/timeline --write`: the timeline into the body's Timeline section where nobody wrote one. */
  | { name: "timeline-write" }
  /** `/action done owner/repo#N` (or `#N`): a person ticks an action the app cannot see (issue #10 item 9). */
  | { name: "action-done"; ref: string }
  /** `/security`: a security incident, moved to the private `security.repository` (issue #14). */
  | { name: "security" };

export type CommandName = Command["name"];

export interface CommandError {
  line: string;
  message: string;
}

export interface ParsedCommands {
  commands: Command[];
  errors: CommandError[];
}

/** Longest comment the app reads commands from; longer text is cut there (GitHub caps comments at 65,536). */
export const MAX_COMMENT_CHARS = 65_536;
const MAX_COMMANDS = 20;

/** A level is plain decimal digits: `Number()` alone would also take `0x2`, `1e0` or `2.`. */
const levelArg = (max: number) =>
  z
    .string()
    .regex(/^\d{1,3}$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(max));
const severityArg = levelArg(5);
const devopsArg = levelArg(4);
const categoryArg = z
  .string()
  .transform((raw) =>
    raw
      .trim()
      .toLowerCase()
      .replace(/[\s_]+/g, "-"),
  )
  .pipe(z.enum(CATEGORIES));

const KNOWN = new Set([
  "incident",
  "sev",
  "severity",
  "devops",
  "category",
  "resolved",
  "close",
  "action",
  "timeline",
  "security",
]);
/** An action reference for `/action done`: `owner/repo#N` or `#N` (this repository). */
const ACTION_REF = /^(?:[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100})?#\d{1,9}$/;

/** Could the text hold a known command at all? (A superset of what {@link parseCommands} accepts.) */
const CANDIDATE = /\/(?:incident|sev|severity|devops|category|resolved|close|action|timeline|security)(?![a-z-])/i;

/** Parses every command line of a comment. Unknown `/words` are ignored: other bots share the namespace. */
export function parseCommands(body: string): ParsedCommands {
  const result: ParsedCommands = { commands: [], errors: [] };
  const text = body.slice(0, MAX_COMMENT_CHARS);
  const candidate = CANDIDATE.exec(text) ?? NEAR_CANDIDATE.exec(text);
  if (!candidate) return result; // most comments: no Markdown parse at all
  const tree = parseBlocks(text);
  if (tree === null) {
    const lineStart = text.lastIndexOf("\n", candidate.index) + 1;
    const lineEnd = text.indexOf("\n", candidate.index);
    const line = text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd).trim();
    result.errors.push({
      line: line.slice(0, 200),
      message:
        "this comment nests lists or quotes too deeply to read commands from safely; post the commands in a short comment of their own",
    });
    return result;
  }
  for (const source of commandLines(text, tree)) {
    for (const line of CANDIDATE.test(source.slice(1)) ? splitCommandLine(source) : [source]) {
      if (result.commands.length + result.errors.length >= MAX_COMMANDS) return result;
      const match = /^\/([a-z][a-z-]*)(?:\s+(.*))?$/i.exec(line);
      const word = (match?.[1] ?? "").toLowerCase();
      if (!match || !KNOWN.has(word)) {
        const near = nearMiss(line);
        if (near !== null) result.errors.push({ line: line.slice(0, 200), message: near });
        continue;
      }
      const parsed = parseOne(word, (match[2] ?? "").trim());
      if ("message" in parsed) result.errors.push({ line: line.slice(0, 200), message: parsed.message });
      else result.commands.push(parsed);
    }
  }
  return result;
}

/** Could the text hold a near-miss of a command (`/sev1`, `/sevv 2`, `/devop 3`)? */
const NEAR_CANDIDATE = /(?:^|\s)\/[a-z]{2,9}\d*(?:\s|$)/im;

/** Commands whose misspelling is worth a correction: a level or a category follows them. */
const CORRECTABLE: Record<string, { canonical: string; arg: RegExp }> = {
  sev: { canonical: "sev", arg: /^\d{1,3}$/ },
  severity: { canonical: "sev", arg: /^\d{1,3}$/ },
  devops: { canonical: "devops", arg: /^\d{1,3}$/ },
  category: { canonical: "category", arg: new RegExp(`^(?:${CATEGORIES.join("|")})$`, "i") },
};

/**
 * The correction for a line that is almost a command (issue #10 item 5): a known word glued to its
 * level (`/sev1`), or one typo away from `/sev`, `/severity`, `/devops` or `/category` with an
 * argument of the right shape (`/sevv 2`, `/devop 3`, `/categroy core-bug`). Null for anything else:
 * other bots share the `/word` namespace, so only near-misses with a plausible argument are answered.
 */
export function nearMiss(line: string): string | null {
  const glued = /^\/([a-z]+)(\d{1,3})$/i.exec(line);
  if (glued) {
    const entry = CORRECTABLE[(glued[1] ?? "").toLowerCase()];
    return entry ? `\`${line}\` needs a space: \`/${entry.canonical} ${glued[2] ?? ""}\`` : null;
  }
  const spaced = /^\/([a-z][a-z-]{1,12})\s+(\S+)$/i.exec(line);
  if (!spaced) return null;
  const word = (spaced[1] ?? "").toLowerCase();
  const arg = spaced[2] ?? "";
  for (const [known, entry] of Object.entries(CORRECTABLE)) {
    if (known.length >= 3 && withinOneEdit(word, known) && entry.arg.test(arg)) {
      return `\`/${word}\` is not a command: did you mean \`/${entry.canonical} ${arg}\`?`;
    }
  }
  return null;
}

/** Optimal string alignment distance of at most 1 (one insertion, deletion, substitution or swap). */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return false;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** A known command word after whitespace: where a second command on the same line starts. */
const NEXT_COMMAND = /\s+(?=\/(?:incident|sev|severity|devops|category|resolved|close|action|security)(?![a-z-]))/i;

/**
 * `/sev 2 /devops 3` on one line is two commands. `/close --force REASON` takes the rest of its line
 * as the reason, and `/timeline` its text, so nothing after them is split off.
 */
export function splitCommandLine(line: string): string[] {
  const parts: string[] = [];
  let rest = line;
  while (!/^\/(?:close|timeline)(?![a-z-])/i.test(rest)) {
    const next = NEXT_COMMAND.exec(rest);
    if (!next) break;
    parts.push(rest.slice(0, next.index));
    rest = rest.slice(next.index + next[0].length);
  }
  parts.push(rest);
  return parts;
}

function parseOne(word: string, args: string): Command | { message: string } {
  switch (word) {
    case "incident":
      return args === "" ? { name: "incident" } : { message: "`/incident` takes no arguments" };
    case "resolved":
      return args === "" ? { name: "resolved" } : { message: "`/resolved` takes no arguments" };
    case "security":
      return args === "" ? { name: "security" } : { message: "`/security` takes no arguments" };
    case "sev":
    case "severity": {
      const parsed = severityArg.safeParse(args.replace(/^sev\s*/i, ""));
      return parsed.success
        ? { name: "sev", severity: parsed.data as Severity }
        : { message: "`/sev` takes a severity from 1 to 5, e.g. `/sev 2`" };
    }
    case "devops": {
      const parsed = devopsArg.safeParse(args.replace(/^devops\s*/i, ""));
      return parsed.success
        ? { name: "devops", devops: parsed.data as DevopsLevel }
        : { message: "`/devops` takes a level from 1 to 4, e.g. `/devops 3`" };
    }
    case "category": {
      const parsed = categoryArg.safeParse(args);
      return parsed.success
        ? { name: "category", category: parsed.data }
        : { message: `\`/category\` takes one of ${CATEGORIES.map((c) => `\`${c}\``).join(", ")}` };
    }
    case "close": {
      const force = /^--force(?:\s+(.+))?$/s.exec(args);
      const reason = force?.[1]?.trim() ?? "";
      if (!force) return { message: "`/close` needs `--force REASON` (close with a missing write-up or open actions)" };
      return reason === ""
        ? { message: "`/close --force` needs a reason, e.g. `/close --force duplicate of #12`" }
        : { name: "close-force", reason: reason.slice(0, 500) };
    }
    case "timeline": {
      const parsed = parseTimelineArgs(args);
      if ("message" in parsed) return parsed;
      return parsed.write ? { name: "timeline-write" } : { name: "timeline", note: parsed.note };
    }
    case "action": {
      const done = /^done\s+(\S+)$/i.exec(args);
      const ref = done?.[1] ?? "";
      return ACTION_REF.test(ref)
        ? { name: "action-done", ref: ref.toLowerCase() }
        : { message: "`/action` takes `done` and the action's reference, e.g. `/action done acme/web#12`" };
    }
    default:
      return { message: `unknown command /${word}` };
  }
}

/** A GFM table delimiter row such as `--- | :---:` or `|-|-|` (a pipe is required: `---` alone is a heading underline). */
const TABLE_DELIMITER_ROW = /^[ \t]*(?=[^|]*\|)\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

/** Source lines of the comment's paragraphs that start with a slash, outside code, quotes and tables. */
function commandLines(body: string, tree: Root): string[] {
  const lines: string[] = [];
  const visit = (node: Nodes): void => {
    if (node.type === "code" || node.type === "blockquote" || node.type === "html" || node.type === "table") return;
    if (node.type === "paragraph") {
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      if (start === undefined || end === undefined) return;
      const raw = body.slice(start, end).split(/\r\n|\r|\n/);
      // The parser runs without GFM (its table construct is slow on hostile text), so a pipe table
      // arrives as paragraph lines: from a header line followed by a delimiter row on, it is a table.
      const header = raw.findIndex((_, i) => TABLE_DELIMITER_ROW.test(raw[i + 1] ?? ""));
      for (const line of (header === -1 ? raw : raw.slice(0, header)).map((l) => l.trim())) {
        if (line.startsWith("/")) lines.push(line);
      }
      return;
    }
    if ("children" in node) for (const child of node.children) visit(child);
  };
  visit(tree);
  return lines;
}

export { parseBlocks };

/**
 * The commands and errors of an edited comment that its previous text did not already hold (issue #10
 * item 5): an edit that fixes a typo or adds a line applies only what it adds, never an unchanged one again.
 */
export function newInEdit(before: string, after: string): ParsedCommands {
  const previous = parseCommands(before);
  const current = parseCommands(after);
  const take = <T>(items: T[], had: T[]): T[] => {
    const left = had.map((item) => JSON.stringify(item));
    return items.filter((item) => {
      const at = left.indexOf(JSON.stringify(item));
      if (at === -1) return true;
      left.splice(at, 1);
      return false;
    });
  };
  return { commands: take(current.commands, previous.commands), errors: take(current.errors, previous.errors) };
}
