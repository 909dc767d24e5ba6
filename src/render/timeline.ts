/** The timeline's words: the status comment's section and the block `/timeline --write` puts in the body. */
import {
  MAX_TIMELINE_ENTRIES,
  TIMELINE_FOLD_AT,
  type Timeline,
  type TimelineLine,
  timelineLines,
} from "../core/timeline.js";
import { shownInStatus } from "../core/timeline-github.js";
import { sealBlock } from "../core/timeline-write.js";
import { render } from "./templates.js";

/** The status comment's view of the timeline (null = no entries yet). */
export function timelineView(
  timeline: Timeline | undefined,
  timeZone: string | null,
): { lines: TimelineLine[]; folded: boolean; count: number; compacted: number; zone: string; limit: number } | null {
  if (!timeline) return null;
  // People's notes and GitHub's keyed events (labels, follow-up actions, pull requests, alerts): the
  // same however deliveries arrived. The app's own bookkeeping (the opening, what each command in the
  // thread above said, closes, reminders) stays in the hidden state and goes into `--write`.
  const notes = { ...timeline, entries: timeline.entries.filter(shownInStatus) };
  if (notes.entries.length === 0) return null;
  const lines = timelineLines(notes, timeZone);
  return {
    lines,
    folded: lines.length >= TIMELINE_FOLD_AT,
    count: lines.length,
    compacted: timeline.compacted,
    zone: timeZone ?? "UTC",
    limit: MAX_TIMELINE_ENTRIES,
  };
}

/** The Markdown block `/timeline --write` writes (between the app's markers). */
export function renderTimelineBlock(lines: readonly TimelineLine[], timeZone: string | null): string {
  // Sealed: people's edits inside the block make it theirs (core/timeline-write.ts).
  return sealBlock(render("timeline-block", { lines, zone: timeZone ?? "UTC" }));
}
