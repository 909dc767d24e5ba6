/**
 * `/timeline --write` (issue #14): the reconstructed timeline goes into the body's Timeline section
 * only where nobody wrote one: the section is empty, still a placeholder (the form's or `_No
 * response_`), or holds the app's own marked block (rewritten in place). Text people wrote is never
 * overwritten. A body without a Timeline section gets one at its end. Pure.
 *
 * The block the app writes ends with a seal (a hash of its text): once people edit inside the marked
 * block, the seal no longer matches and the block is theirs (left alone, like a section they wrote).
 * A block without a seal (written before seals existed) is still the app's.
 */
import { createHash } from "node:crypto";
import { analyzeSections, type SectionRule } from "./sections.js";

export const TIMELINE_BLOCK_START = "<!-- incident-keeper:timeline -->";
export const TIMELINE_BLOCK_END = "<!-- /incident-keeper:timeline -->";

const SEAL = /\n?<!-- incident-keeper:timeline-seal ([A-Za-z0-9_-]{1,32}) -->\s*$/;

/** `filled`: people wrote the section; `edited`: people changed the app's marked block (theirs now). */
export type TimelineSlot = "marked" | "empty" | "placeholder" | "missing" | "filled" | "edited";

/** The block's text as hashed: line endings and trailing spaces as GitHub's editor may change them. */
function sealOf(text: string): string {
  const normal = text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .trim();
  return createHash("sha256").update(normal).digest("base64url").slice(0, 16);
}

/** The rendered block with its seal, as `/timeline --write` puts it between the markers. */
export function sealBlock(block: string): string {
  return `${block.trim()}\n<!-- incident-keeper:timeline-seal ${sealOf(block)} -->`;
}

/** Did people edit inside the app's marked block (its seal no longer matches its text)? */
export function blockEdited(body: string): boolean {
  const range = markedRange(body);
  if (range === null) return false;
  const inner = body.slice(range.start + TIMELINE_BLOCK_START.length, range.end - TIMELINE_BLOCK_END.length);
  const seal = SEAL.exec(inner.replace(/\r\n?/g, "\n"));
  if (!seal) return false;
  return seal[1] !== sealOf(inner.replace(/\r\n?/g, "\n").replace(SEAL, ""));
}

/** Where the block would go, or `filled` / `edited` when people wrote the section or changed the block. */
export function timelineSlot(body: string, rules: readonly SectionRule[]): TimelineSlot {
  if (markedRange(body) !== null) return blockEdited(body) ? "edited" : "marked";
  const report = analyzeSections(body, rules).timeline;
  if (report.state === "filled") return "filled";
  return report.state;
}

function markedRange(body: string): { start: number; end: number } | null {
  const start = body.indexOf(TIMELINE_BLOCK_START);
  if (start === -1) return null;
  const endMarker = body.indexOf(TIMELINE_BLOCK_END, start);
  if (endMarker === -1) return null;
  return { start, end: endMarker + TIMELINE_BLOCK_END.length };
}

/**
 * The body with `block` (already rendered Markdown, without markers) in the Timeline section, or
 * null when people wrote the section or edited the app's block (nothing changes) or the body would
 * not change.
 */
export function writeTimeline(body: string, block: string, rules: readonly SectionRule[]): string | null {
  const marked = `${TIMELINE_BLOCK_START}\n${block.trim()}\n${TIMELINE_BLOCK_END}`;
  if (blockEdited(body)) return null;
  const range = markedRange(body);
  let next: string;
  if (range !== null) {
    next = body.slice(0, range.start) + marked + body.slice(range.end);
  } else {
    const report = analyzeSections(body, rules).timeline;
    if (report.state === "filled") return null;
    if (report.state === "missing" || report.startOffset === null || report.endOffset === null) {
      next = `${body.trimEnd()}\n\n### Timeline\n\n${marked}\n`;
    } else {
      const rest = body.slice(report.endOffset);
      next = `${body.slice(0, report.startOffset)}\n\n${marked}\n${rest === "" ? "" : `\n${rest.replace(/^\s+/, "")}`}`;
    }
  }
  return next === body ? null : next;
}
