/**
 * `/timeline --write`'s marked block is sealed with a hash of its text (issue #14): people's edits
 * inside it make it theirs (left alone, one reply), while GitHub's editor re-saving the body with
 * CRLF line endings or trailing spaces is no edit. The seal is kept in the hidden state too: with it
 * known, a block whose seal was removed, replaced or recomputed by a person is theirs; without it (a
 * state from before), a block written before seals is still the app's.
 */
import { describe, expect, test } from "@jest/globals";
import { DEFAULT_SECTION_RULES } from "../../src/core/sections.js";
import {
  blockEdited,
  bodySeal,
  sealBlock,
  TIMELINE_BLOCK_END,
  TIMELINE_BLOCK_START,
  timelineSlot,
  writeTimeline,
} from "../../src/core/timeline-write.js";

const block = sealBlock("- 2026-11-30 09:00 UTC: first error (bob)\n\n<sub>Times in UTC.</sub>");
const body = (inner: string): string =>
  `Summary.\n\n### Timeline\n\n${TIMELINE_BLOCK_START}\n${inner}\n${TIMELINE_BLOCK_END}\n\n### RCA\n\nx\n`;

describe("the sealed block", () => {
  const cases: Array<[string, string, boolean, ReturnType<typeof timelineSlot>]> = [
    ["as the app wrote it", body(block), false, "marked"],
    ["re-saved with CRLF line endings", body(block).replaceAll("\n", "\r\n"), false, "marked"],
    ["trailing spaces added by an editor", body(block.replace("(bob)", "(bob)   ")), false, "marked"],
    ["a line changed by a person", body(block.replace("first error", "first error, paged Dana")), true, "edited"],
    ["a line added by a person", body(block.replace("(bob)", "(bob)\n- 09:05 UTC: status page")), true, "edited"],
    [
      "the seal removed by a person, no seal in the hidden state (written before the state kept it)",
      body(block.replace(/\n<!-- incident-keeper:timeline-seal .* -->/, "")),
      false,
      "marked",
    ],
    ["written before seals (no seal)", body("- old line"), false, "marked"],
  ];
  test.each(cases)("%s", (_name, text, edited, slot) => {
    expect(blockEdited(text)).toBe(edited);
    expect(timelineSlot(text, DEFAULT_SECTION_RULES)).toBe(slot);
  });

  const known = bodySeal(body(block))!;
  const edited = "- 2026-11-30 09:00 UTC: first error, paged Dana (bob)\n\n<sub>Times in UTC.</sub>";
  const withState: Array<[string, string, boolean, ReturnType<typeof timelineSlot>]> = [
    ["as the app wrote it", body(block), false, "marked"],
    ["re-saved with CRLF line endings", body(block).replaceAll("\n", "\r\n"), false, "marked"],
    ["a line changed by a person", body(block.replace("first error", "first error, paged Dana")), true, "edited"],
    [
      "the seal removed by a person",
      body(block.replace(/\n<!-- incident-keeper:timeline-seal .* -->/, "")),
      true,
      "edited",
    ],
    ["text changed and its seal recomputed by a person (altered)", body(sealBlock(edited)), true, "edited"],
    ["the seal replaced by another", body(block.replace(known, "AAAAAAAAAAAAAAAA")), true, "edited"],
  ];
  test.each(withState)("the hidden state knows the seal: %s", (_name, text, isEdited, slot) => {
    expect(blockEdited(text, known)).toBe(isEdited);
    expect(timelineSlot(text, DEFAULT_SECTION_RULES, known)).toBe(slot);
    const next = sealBlock("- 2026-11-30 09:30 UTC: rolled back (alice)");
    expect(writeTimeline(text, next, DEFAULT_SECTION_RULES, known) === null).toBe(isEdited);
  });

  test("bodySeal reads the block's seal, null without one", () => {
    expect(known).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(bodySeal(body("- old line"))).toBeNull();
    expect(bodySeal("no block")).toBeNull();
  });

  test("an edited block is never rewritten; an unedited one is, in place", () => {
    const next = sealBlock("- 2026-11-30 09:00 UTC: first error (bob)\n- 2026-11-30 09:30 UTC: rolled back (alice)");
    const edited = body(block.replace("first error", "first error, paged Dana"));
    expect(writeTimeline(edited, next, DEFAULT_SECTION_RULES)).toBeNull();
    const rewritten = writeTimeline(body(block), next, DEFAULT_SECTION_RULES);
    expect(rewritten).toBe(body(next));
    expect(blockEdited(rewritten!)).toBe(false);
  });
});
