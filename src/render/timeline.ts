/** The timeline's words: the status comment's section and the block `/timeline --write` puts in the body. */
import {
  MAX_TIMELINE_ENTRIES,
  TIMELINE_FOLD_AT,
  type Timeline,
  type TimelineLine,
  timelineLines,
} from "../core/timeline.js";
import { render } from "./templates.js";

/** The status comment's view of the timeline (null = no entries yet). */
export function timelineView(
  timeline: Timeline | undefined,
  timeZone: string | null,
): { lines: TimelineLine[]; folded: boolean; count: number; compacted: number; zone: string; limit: number } | null {
  if (!timeline) return null;
  // People's notes only: the app's own events (labels, commands, closes, reminders) stay in the
  // hidden state and go into `--write`. Their order within a second is unknowable (GitHub's times
  // are whole seconds), and the status comment must read the same however deliveries arrived.
  const notes = { ...timeline, entries: timeline.entries.filter((e) => e.kind === "note") };
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
  return render("timeline-block", { lines, zone: timeZone ?? "UTC" });
}
