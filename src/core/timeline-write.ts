/**
 * `/timeline --write` (issue #14): the reconstructed timeline goes into the body's Timeline section
 * only where nobody wrote one: the section is empty, still a placeholder (the form's or `_No
 * response_`), or holds the app's own marked block (rewritten in place). Text people wrote is never
 * overwritten. A body without a Timeline section gets one at its end. Pure.
 */
import { analyzeSections, type SectionRule } from "./sections.js";

export const TIMELINE_BLOCK_START = "<!-- incident-keeper:timeline -->";
export const TIMELINE_BLOCK_END = "<!-- /incident-keeper:timeline -->";

export type TimelineSlot = "marked" | "empty" | "placeholder" | "missing" | "filled";

/** Where the block would go, or `filled` when people wrote the section. */
export function timelineSlot(body: string, rules: readonly SectionRule[]): TimelineSlot {
  if (markedRange(body) !== null) return "marked";
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
 * null when people wrote the section (nothing changes) or the body would not change.
 */
export function writeTimeline(body: string, block: string, rules: readonly SectionRule[]): string | null {
  const marked = `${TIMELINE_BLOCK_START}\n${block.trim()}\n${TIMELINE_BLOCK_END}`;
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
