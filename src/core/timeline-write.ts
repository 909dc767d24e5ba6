/**
 * `/timeline --write` (issue #14): the reconstructed timeline goes into the body's Timeline section
 * only where nobody wrote one: the section is empty, still a placeholder (the form's or `_No
 * response_`), or holds the app's own marked block (rewritten in place). Text people wrote is never
 * overwritten. A body without a Timeline section gets one at its end. Pure.
 *
 * The block the app writes ends with a seal (a hash of its text), and the seal is kept in the status
 * comment's (signed) hidden state too: once people edit inside the marked block, or remove or alter
 * its seal, it is theirs (left alone, like a section they wrote). The body alone is not trusted: a
 * seal the state does not know is people's text. With no seal in the state (written before the state
 * kept it), a block whose seal matches its text, or without a seal (written before seals), is the app's.
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

/** The seal of the body's marked block as written there (null: no block, or no seal). */
export function bodySeal(body: string): string | null {
  const inner = markedInner(body);
  return inner === null ? null : (SEAL.exec(inner)?.[1] ?? null);
}

/**
 * Did people edit inside the app's marked block? Its seal no longer matches its text, or it is not
 * `known` (the seal the hidden state recorded for the block the app last wrote): removed or altered.
 * `known` absent (a state from before it was kept): the body's own seal decides, and a block without
 * one is the app's.
 */
export function blockEdited(body: string, known?: string): boolean {
  const inner = markedInner(body);
  if (inner === null) return false;
  const seal = SEAL.exec(inner);
  if (known !== undefined && seal?.[1] !== known) return true;
  if (!seal) return false;
  return seal[1] !== sealOf(inner.replace(SEAL, ""));
}

/** Where the block would go, or `filled` / `edited` when people wrote the section or changed the block. */
export function timelineSlot(body: string, rules: readonly SectionRule[], known?: string): TimelineSlot {
  if (markedRange(body) !== null) return blockEdited(body, known) ? "edited" : "marked";
  const report = analyzeSections(body, rules).timeline;
  if (report.state === "filled") return "filled";
  return report.state;
}

/** The text between the block's markers, line endings as `\n`; null without a block. */
function markedInner(body: string): string | null {
  const range = markedRange(body);
  if (range === null) return null;
  return body
    .slice(range.start + TIMELINE_BLOCK_START.length, range.end - TIMELINE_BLOCK_END.length)
    .replace(/\r\n?/g, "\n");
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
export function writeTimeline(
  body: string,
  block: string,
  rules: readonly SectionRule[],
  known?: string,
): string | null {
  const marked = `${TIMELINE_BLOCK_START}\n${block.trim()}\n${TIMELINE_BLOCK_END}`;
  if (blockEdited(body, known)) return null;
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
