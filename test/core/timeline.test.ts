import { describe, expect, it } from "@jest/globals";
import { parseCommands } from "../../src/core/commands.js";
import {
  MAX_TIMELINE_ENTRIES,
  addEntries,
  compact,
  noteInstant,
  parseTimelineArgs,
  replaceNote,
  tagsOf,
  timelineLines,
  type Timeline,
  type TimelineEntry,
  type TimelineNote,
} from "../../src/core/timeline.js";
import {
  timelineSlot,
  writeTimeline,
  TIMELINE_BLOCK_START,
  TIMELINE_BLOCK_END,
} from "../../src/core/timeline-write.js";
import { DEFAULT_SECTION_RULES } from "../../src/core/sections.js";

const note = (at: string, text: string, extra: Partial<TimelineEntry> = {}): TimelineEntry => ({
  at,
  kind: "note",
  text,
  ...extra,
});
const event = (at: string, text: string): TimelineEntry => ({ at, kind: "event", text });

describe("/timeline arguments", () => {
  const cases: Array<[string, ReturnType<typeof parseTimelineArgs>]> = [
    [
      "14:02 failover started",
      { write: false, note: { time: { date: null, clock: "14:02" }, tag: null, text: "failover started" } },
    ],
    [
      "2026-11-30 23:50 first error seen",
      { write: false, note: { time: { date: "2026-11-30", clock: "23:50" }, tag: null, text: "first error seen" } },
    ],
    ["DNS record rolled back", { write: false, note: { time: null, tag: null, text: "DNS record rolled back" } }],
    [
      "--detected 09:14 UTC alert fired",
      { write: false, note: { time: { date: null, clock: "09:14" }, tag: "detected", text: "alert fired" } },
    ],
    ["--MITIGATED traffic drained", { write: false, note: { time: null, tag: "mitigated", text: "traffic drained" } }],
    ["--write", { write: true }],
    [
      "--later oops",
      { message: "`/timeline` tags are `--start`, `--detected`, `--mitigated`, `--resolved` (or `--write`)" },
    ],
    ["14:02", { message: "`/timeline` needs a text, e.g. `/timeline 14:02 failover started`" }],
    ["", { message: "`/timeline` needs a text, e.g. `/timeline 14:02 failover started`" }],
    [
      "1402 is a number, not a time",
      { write: false, note: { time: null, tag: null, text: "1402 is a number, not a time" } },
    ],
  ];
  it.each(cases)("%j", (args, expected) => {
    expect(parseTimelineArgs(args)).toEqual(expected);
  });

  it("reads as a command that keeps the rest of its line (a /sev in the text is text)", () => {
    expect(parseCommands("/timeline 10:00 ran /sev 2 by mistake").commands).toEqual([
      { name: "timeline", note: { time: { date: null, clock: "10:00" }, tag: null, text: "ran /sev 2 by mistake" } },
    ]);
    expect(parseCommands("`/timeline 10:00 in code`").commands).toEqual([]);
  });
});

describe("the instant of a note", () => {
  const at = (clock: string, date: string | null = null): TimelineNote => ({
    time: { date, clock },
    tag: null,
    text: "x",
  });
  const cases: Array<[string, TimelineNote, string, string | null, string | null]> = [
    [
      "no time: the comment's",
      { time: null, tag: null, text: "x" },
      "2026-11-30T10:00:30Z",
      null,
      "2026-11-30T10:00:30.000Z",
    ],
    ["a time earlier today (UTC)", at("09:14"), "2026-11-30T10:00:00Z", null, "2026-11-30T09:14:00.000Z"],
    ["a later time of day is yesterday's", at("23:50"), "2026-12-01T00:10:00Z", null, "2026-11-30T23:50:00.000Z"],
    ["the comment's own minute is now", at("10:00"), "2026-11-30T10:00:00Z", null, "2026-11-30T10:00:00.000Z"],
    ["a full date and time", at("23:50", "2026-11-29"), "2026-11-30T10:00:00Z", null, "2026-11-29T23:50:00.000Z"],
    ["a date in the future is refused", at("08:00", "2026-12-02"), "2026-11-30T10:00:00Z", null, null],
    ["25:00 is not a time", at("25:00"), "2026-11-30T10:00:00Z", null, null],
    ["an impossible date", at("10:00", "2026-02-30"), "2026-11-30T10:00:00Z", null, null],
    [
      "Berlin wall clock (UTC+1 in winter)",
      at("09:14"),
      "2026-11-30T10:00:00Z",
      "Europe/Berlin",
      "2026-11-30T08:14:00.000Z",
    ],
    ["Berlin's local day, not UTC's", at("00:30"), "2026-11-30T23:45:00Z", "Europe/Berlin", "2026-11-30T23:30:00.000Z"],
    ["New York, a day behind UTC", at("20:00"), "2026-12-01T02:00:00Z", "America/New_York", "2026-12-01T01:00:00.000Z"],
  ];
  it.each(cases)("%s", (_name, parsed, commentAt, zone, expected) => {
    expect(noteInstant(parsed, new Date(commentAt), zone)?.toISOString() ?? null).toBe(expected);
  });
});

describe("ordering, compaction, tags", () => {
  it("keeps entries in time order, equal times in the order they came", () => {
    const timeline = addEntries({ entries: [note("2026-11-30T10:00:00Z", "b")], compacted: 0 }, [
      note("2026-11-30T09:00:00Z", "a"),
      note("2026-11-30T10:00:00Z", "c"),
    ]);
    expect(timeline.entries.map((e) => e.text)).toEqual(["a", "b", "c"]);
  });

  it("compacts the oldest app events first, then the oldest untagged notes, never tagged ones, and counts them", () => {
    const entries: TimelineEntry[] = [
      note("2026-11-01T00:00:00Z", "start", { tag: "start" }),
      ...Array.from({ length: MAX_TIMELINE_ENTRIES }, (_, i) =>
        note(new Date(Date.UTC(2026, 10, 2, 0, i)).toISOString(), `note ${i}`),
      ),
      event("2026-11-30T00:00:00Z", "late event"),
    ];
    const result = compact({ entries, compacted: 3 });
    expect(result.entries).toHaveLength(MAX_TIMELINE_ENTRIES);
    expect(result.compacted).toBe(5);
    expect(result.entries[0]?.text).toBe("start");
    expect(result.entries.map((e) => e.text)).not.toContain("late event");
    expect(result.entries.map((e) => e.text)).not.toContain("note 0");
    expect(result.entries[1]?.text).toBe("note 1");
  });

  const tagCases: Array<[string, TimelineEntry[], ReturnType<typeof tagsOf>]> = [
    ["none", [note("2026-11-30T09:00:00Z", "x")], {}],
    [
      "each tag's latest entry",
      [
        note("2026-11-30T08:00:00Z", "a", { tag: "start" }),
        note("2026-11-30T09:00:00Z", "b", { tag: "detected" }),
        note("2026-11-30T09:30:00Z", "c", { tag: "detected" }),
        note("2026-11-30T11:00:00Z", "d", { tag: "mitigated" }),
      ],
      { start: "2026-11-30T08:00:00Z", detected: "2026-11-30T09:30:00Z", mitigated: "2026-11-30T11:00:00Z" },
    ],
  ];
  it.each(tagCases)("tags: %s", (_name, entries, expected) => {
    expect(tagsOf({ entries, compacted: 0 })).toEqual(expected);
  });
});

describe("edits and deletions of note comments", () => {
  const base: Timeline = {
    entries: [
      note("2026-11-30T09:00:00Z", "first error", { comment: 11, tag: "start" }),
      event("2026-11-30T09:05:00Z", "Severity: Sev 2"),
      note("2026-11-30T10:00:00Z", "rolled back", { comment: 12 }),
    ],
    compacted: 0,
  };
  const cases: Array<[string, number, TimelineEntry[], string[], ReturnType<typeof tagsOf>]> = [
    [
      "edited text and time",
      11,
      [note("2026-11-30T08:55:00Z", "first error seen", { comment: 11, tag: "start" })],
      ["first error seen", "Severity: Sev 2", "rolled back"],
      { start: "2026-11-30T08:55:00Z" },
    ],
    ["deleted (its tag goes with it)", 11, [], ["Severity: Sev 2", "rolled back"], {}],
    [
      "edited into two notes",
      12,
      [note("2026-11-30T10:00:00Z", "a", { comment: 12 }), note("2026-11-30T10:01:00Z", "b", { comment: 12 })],
      ["first error", "Severity: Sev 2", "a", "b"],
      { start: "2026-11-30T09:00:00Z" },
    ],
    [
      "another comment's edit changes nothing",
      99,
      [],
      ["first error", "Severity: Sev 2", "rolled back"],
      { start: "2026-11-30T09:00:00Z" },
    ],
  ];
  it.each(cases)("%s", (_name, comment, replacement, texts, tags) => {
    const result = replaceNote(base, comment, replacement);
    expect(result.entries.map((e) => e.text)).toEqual(texts);
    expect(tagsOf(result)).toEqual(tags);
  });
});

describe("lines for people, in UTC or the calendar's zone", () => {
  const timeline: Timeline = {
    entries: [note("2026-11-30T23:50:00Z", "first error", { by: "octocat", tag: "detected" })],
    compacted: 0,
  };
  it.each([
    [null, "2026-11-30 23:50 UTC"],
    ["Europe/Berlin", "2026-12-01 00:50"],
    ["Asia/Kolkata", "2026-12-01 05:20"],
  ])("%s", (zone, time) => {
    expect(timelineLines(timeline, zone)).toEqual([{ time, tag: "detected", text: "first error", by: "octocat" }]);
  });
});

describe("/timeline --write only where nobody wrote the Timeline", () => {
  const block = "- 2026-11-30 09:00: first error";
  const marked = `${TIMELINE_BLOCK_START}\n${block}\n${TIMELINE_BLOCK_END}`;
  const cases: Array<[string, string, ReturnType<typeof timelineSlot>, string | null]> = [
    [
      "empty section",
      "### Timeline\n\n### RCA\nbad config",
      "empty",
      `### Timeline\n\n${marked}\n\n### RCA\nbad config`,
    ],
    [
      "the form's blank answer",
      "### Timeline\n\n_No response_\n\n### RCA\n\nx",
      "placeholder",
      `### Timeline\n\n${marked}\n\n### RCA\n\nx`,
    ],
    ["no section: appended", "Something broke.", "missing", `Something broke.\n\n### Timeline\n\n${marked}\n`],
    ["people's text", "### Timeline\n\n- 09:00 we saw it\n\n### RCA\n\nx", "filled", null],
    [
      "the app's own block: rewritten in place",
      `### Timeline\n\n${TIMELINE_BLOCK_START}\n- old\n${TIMELINE_BLOCK_END}\n\nkept note\n`,
      "marked",
      `### Timeline\n\n${marked}\n\nkept note\n`,
    ],
    ["the same block again: no change", `### Timeline\n\n${marked}\n`, "marked", null],
  ];
  it.each(cases)("%s", (_name, body, slot, expected) => {
    expect(timelineSlot(body, DEFAULT_SECTION_RULES)).toBe(slot);
    expect(writeTimeline(body, block, DEFAULT_SECTION_RULES)).toBe(expected);
  });
});
