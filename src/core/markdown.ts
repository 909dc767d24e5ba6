/**
 * The one place the app parses Markdown: GitHub Flavored Markdown (tables, task lists, autolink
 * literals, strikethrough, footnotes) into an mdast tree whose offsets index the original string, for
 * write-ups; and `parseBlocks`, the block structure only, for untrusted comments (commands) and the
 * issue form. Pure.
 */
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import type { Definition, ListItem, Nodes, Root } from "mdast";

const BOM = "\uFEFF";

// Built once: the extensions are stateless (remark-gfm reuses them across parses too), and building
// them on every parse cost ~0.3 ms, several times per delivery (measured: 0.42 -> 0.09 ms for a short body).
const MICROMARK_EXTENSIONS = [gfm()];
const MDAST_EXTENSIONS = [gfmFromMarkdown()];

/**
 * Limits that keep one parse fast. micromark's cost grows faster than linearly with container nesting
 * and with emphasis delimiters inside one paragraph: a 65,536-character body of `*a*a*a...` takes
 * minutes, 4,000 nested `- ` overflow the stack. No real write-up comes near these limits.
 */
export const MARKDOWN_LIMITS = {
  /** Quote and list markers opening on one line (`> - > 1. x` is 4). */
  containerMarkersPerLine: 64,
  /** Leading indentation of a line outside code fences, in columns (tabs count 4). */
  indentColumns: 200,
  /** `*`, `~` and word-boundary `_` in one paragraph outside code fences. */
  emphasisDelimitersPerParagraph: 2_000,
} as const;

/** Thrown by {@link parseMarkdown} for a body it will not parse; `message` says why. */
export class MarkdownTooComplexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MarkdownTooComplexError";
  }
}

/**
 * Parses `body` as GitHub Flavored Markdown. Every `position.*.offset` in the result is an index into
 * `body` itself, so callers may edit the source at those offsets.
 * @throws MarkdownTooComplexError when the body exceeds {@link MARKDOWN_LIMITS} or the parser fails.
 */
export function parseMarkdown(body: string): Root {
  // One trigger parses the same body several times (action keys, write-up, checkboxes): the last few
  // trees are kept (a pure computation; callers only read the tree).
  const known = recentTrees.get(body);
  if (known) return known;
  const tree = parseUncached(body);
  if (recentTrees.size >= RECENT_TREES) recentTrees.delete(recentTrees.keys().next().value as string);
  recentTrees.set(body, tree);
  return tree;
}

const RECENT_TREES = 8;
const recentTrees = new Map<string, Root>();

function parseUncached(body: string): Root {
  const reason = markdownComplexity(body);
  if (reason !== null) throw new MarkdownTooComplexError(reason);
  // micromark drops a leading byte-order mark before counting offsets; parse without it and shift
  // the offsets back so they still index `body`.
  const hasBom = body.startsWith(BOM);
  let tree: Root;
  try {
    tree = fromMarkdown(hasBom ? body.slice(BOM.length) : body, {
      extensions: MICROMARK_EXTENSIONS,
      mdastExtensions: MDAST_EXTENSIONS,
    });
  } catch (error) {
    throw new MarkdownTooComplexError(
      `the Markdown parser failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (hasBom) shiftOffsets(tree, BOM.length);
  return tree;
}

/**
 * Why {@link parseMarkdown} would refuse `body`, or null when it parses it. A linear scan of lines that
 * over-approximates nesting and per-paragraph delimiters; it never decides structure.
 */
export function markdownComplexity(body: string): string | null {
  let fence: { char: string; length: number } | null = null;
  let delimiters = 0;
  let lineNumber = 0;
  for (const line of body.split(/\r\n|\r|\n/)) {
    lineNumber += 1;
    const fenceMatch = /^[ \t>]*(`{3,}|~{3,})/.exec(line);
    if (fence !== null) {
      if (fenceMatch?.[1]?.[0] === fence.char && fenceMatch[1].length >= fence.length) fence = null;
      continue;
    }
    if (fenceMatch?.[1] !== undefined) {
      fence = { char: fenceMatch[1][0] ?? "`", length: fenceMatch[1].length };
      continue;
    }
    const { markers, indent, rest } = linePrefix(line);
    if (markers > MARKDOWN_LIMITS.containerMarkersPerLine) {
      return `line ${lineNumber} opens more than ${MARKDOWN_LIMITS.containerMarkersPerLine} nested quotes or lists`;
    }
    if (indent > MARKDOWN_LIMITS.indentColumns) {
      return `line ${lineNumber} is indented by more than ${MARKDOWN_LIMITS.indentColumns} columns`;
    }
    // A blank line or a new block (list item, heading, table row) starts a new paragraph.
    if (rest.trim() === "" || markers > 0 || rest.startsWith("#") || rest.startsWith("|")) delimiters = 0;
    delimiters += countEmphasisDelimiters(rest);
    if (delimiters > MARKDOWN_LIMITS.emphasisDelimitersPerParagraph) {
      const limit = MARKDOWN_LIMITS.emphasisDelimitersPerParagraph;
      return `the paragraph at line ${lineNumber} has more than ${limit} emphasis markers (*, _ or ~)`;
    }
  }
  return null;
}

/** Leading quote/list markers of a line, its indentation in columns, and the text after them. */
function linePrefix(line: string): { markers: number; indent: number; rest: string } {
  let markers = 0;
  let indent = 0;
  let i = 0;
  for (;;) {
    while (line[i] === " " || line[i] === "\t") {
      indent += line[i] === "\t" ? 4 : 1;
      i += 1;
    }
    const char = line[i];
    if (char === ">") {
      markers += 1;
      i += 1;
      continue;
    }
    const afterMarker = char === "-" || char === "+" || char === "*" ? i + 1 : orderedMarkerEnd(line, i);
    const next = line[afterMarker];
    if (afterMarker > i && (next === undefined || next === " " || next === "\t")) {
      markers += 1;
      i = afterMarker;
      continue;
    }
    return { markers, indent, rest: line.slice(i) };
  }
}

/** Index just past `12.` / `3)` starting at `start`, or `start` when there is none. */
function orderedMarkerEnd(line: string, start: number): number {
  let i = start;
  while (i - start < 9 && line.charCodeAt(i) >= 48 && line.charCodeAt(i) <= 57) i += 1;
  return i > start && (line[i] === "." || line[i] === ")") ? i + 1 : start;
}

function countEmphasisDelimiters(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === "*" || char === "~") count += 1;
    // `snake_case` underscores can neither open nor close emphasis.
    else if (char === "_" && !(isWordChar(text[i - 1]) && isWordChar(text[i + 1]))) count += 1;
  }
  return count;
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[A-Za-z0-9]/.test(char);
}

/** Offset in the source where `node` starts (0 when the parser gave no position). */
export function startOffset(node: Nodes): number {
  return node.position?.start.offset ?? 0;
}

/** Offset in the source just past the end of `node` (0 when the parser gave no position). */
export function endOffset(node: Nodes): number {
  return node.position?.end.offset ?? 0;
}

/** 1-based line where `node` starts (1 when the parser gave no position). */
export function startLine(node: Nodes): number {
  return node.position?.start.line ?? 1;
}

/**
 * The offset of the checkbox character of a task item: the item starts at its list marker, followed
 * by spaces (or a line ending and indentation) and `[ ]`. Null when the source does not look like
 * that, so that nothing is ever written at a wrong offset.
 */
export function checkboxOffsetOf(body: string, item: ListItem): number | null {
  let i = startOffset(item);
  const marker = /^(?:[-+*]|[0-9]{1,9}[.)])/u.exec(body.slice(i, i + 11));
  if (!marker) return null;
  i += marker[0].length;
  while (i < body.length && /[ \t\r\n>]/u.test(body[i] ?? "")) i += 1;
  const box = body.slice(i, i + 3);
  return /^\[[ \txX]\]$/u.test(box) ? i + 1 : null;
}

/**
 * Remembers the tree of `after`, a copy of `before` whose task-list checkboxes at the offsets of
 * `toggles` (the character between `[` and `]`) were ticked (`true`) or unticked, without parsing it:
 * only such a character changed, always to another one the parser reads as a checkbox, so the tree of
 * `after` is the tree of `before` with those list items' `checked` set (same offsets, same text).
 * Nothing is remembered unless `before`'s tree is already known, `after` differs from `before` at
 * exactly those offsets, and each offset is a checkbox of that tree. The new tree is a copy: the
 * tree of `before` is left as it was.
 */
export function rememberToggledChecks(before: string, after: string, toggles: ReadonlyMap<number, boolean>): void {
  const tree = recentTrees.get(before);
  if (!tree || toggles.size === 0 || recentTrees.has(after) || !onlyCheckboxesDiffer(before, after, toggles)) return;
  const copy = structuredClone(tree);
  let found = 0;
  const visit = (node: Nodes): void => {
    if (node.type === "listItem" && typeof node.checked === "boolean") {
      const checked = toggles.get(checkboxOffsetOf(before, node) ?? -1);
      if (checked !== undefined) {
        node.checked = checked;
        found += 1;
      }
    }
    if ("children" in node) for (const child of node.children) visit(child);
  };
  visit(copy);
  if (found !== toggles.size) return;
  if (recentTrees.size >= RECENT_TREES) recentTrees.delete(recentTrees.keys().next().value as string);
  recentTrees.set(after, copy);
}

function onlyCheckboxesDiffer(before: string, after: string, toggles: ReadonlyMap<number, boolean>): boolean {
  if (before.length !== after.length) return false;
  let from = 0;
  for (const offset of [...toggles.keys()].sort((a, b) => a - b)) {
    const wanted = toggles.get(offset) ? "xX" : " ";
    const was = before[offset];
    const now = after[offset];
    if (was === undefined || now === undefined || !wanted.includes(now) || " \txX".indexOf(was) < 0) return false;
    if (before.slice(from, offset) !== after.slice(from, offset)) return false;
    from = offset + 1;
  }
  return before.slice(from) === after.slice(from);
}

/** Link reference definitions (`[id]: url`) of a document, by normalised identifier. */
export function collectDefinitions(tree: Root): Map<string, Definition> {
  const definitions = new Map<string, Definition>();
  const visit = (node: Nodes): void => {
    if (node.type === "definition") {
      // CommonMark: the first definition of a label wins.
      if (!definitions.has(node.identifier)) definitions.set(node.identifier, node);
      return;
    }
    if ("children" in node) for (const child of node.children) visit(child);
  };
  visit(tree);
  return definitions;
}

function shiftOffsets(node: Nodes, by: number): void {
  const position = node.position;
  if (position) {
    if (position.start.offset !== undefined) position.start.offset += by;
    if (position.end.offset !== undefined) position.end.offset += by;
  }
  if ("children" in node) for (const child of node.children) shiftOffsets(child, by);
}

/**
 * Inline constructs, switched off when only block structure matters: micromark's inline tokenizer is
 * super-linear on hostile text (64 KB of `*_` takes minutes), and commands are whole lines anyway.
 */
const INLINE_CONSTRUCTS = [
  "attention",
  "autolink",
  "characterEscape",
  "characterReference",
  "codeText",
  "hardBreakEscape",
  "htmlText",
  "labelEnd",
  "labelStartImage",
  "labelStartLink",
];

/** List bullets, ordered-list numbers and quote marks at the start of a line (chained: `- - > x`). */
const CONTAINER_MARKER = /[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))/y;
/** Most container markers (weighted by indentation) in one text: list items cost micromark quadratic time. */
const MAX_CONTAINER_WEIGHT = 1_000;
/** Most (deepest line's container weight) x (line count): lines continuing deep containers cost quadratic time. */
const MAX_DEPTH_TIMES_LINES = 5_000;

/**
 * The block structure of untrusted Markdown (inline content left as plain text), or null when the
 * text nests or repeats lists and quotes so much that micromark would take seconds to minutes
 * (64 KB of `- - a` lines: about a minute). Real comments and issue bodies stay far below the bounds.
 */
export function parseBlocks(text: string): Root | null {
  const lines = text.split(/\r\n|\r|\n/);
  let total = 0;
  let deepest = 0;
  for (const line of lines) {
    let weight = 0;
    CONTAINER_MARKER.lastIndex = 0;
    for (let marker = CONTAINER_MARKER.exec(line); marker !== null; marker = CONTAINER_MARKER.exec(line)) {
      const indent = marker[0].length - marker[0].trimStart().length;
      weight += 1 + Math.floor(indent / 2);
    }
    total += weight;
    deepest = Math.max(deepest, weight);
    if (total > MAX_CONTAINER_WEIGHT || deepest * lines.length > MAX_DEPTH_TIMES_LINES) return null;
  }
  return fromMarkdown(text, { extensions: [{ disable: { null: INLINE_CONSTRUCTS } }] });
}
