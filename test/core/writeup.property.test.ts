import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { extractActionItems, type ActionItem } from "../../src/core/action-items.js";
import { analyzeSections, type SectionReport } from "../../src/core/sections.js";
import { setChecksForRef, setTaskChecked } from "../../src/core/task-list.js";

const RUNS = 500;

/** One UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
/** One code point anywhere in Unicode. */
const codePoint = fc.string({ unit: "binary", minLength: 1, maxLength: 1 });
const anyText = fc.string({ unit: fc.oneof(codePoint, codeUnit), maxLength: 400 });

const FRAGMENTS = [
  "\n",
  "\n\n",
  "\r\n",
  "\r",
  "# ",
  "## ",
  "### ",
  "###### ",
  "Timeline",
  "RCA",
  "Root cause",
  "Actions",
  "Action items",
  "**",
  "*",
  "_",
  "__",
  "~~",
  "`",
  "```\n",
  "~~~\n",
  "    ",
  "  ",
  "\t",
  "- ",
  "* ",
  "+ ",
  "1. ",
  "2) ",
  "> ",
  "- [ ] ",
  "- [x] ",
  "- [X] ",
  "[ ]",
  "[x]",
  "#12",
  "abc#3",
  "o/r#3",
  "#0",
  "#2147483648",
  ":",
  "https://github.com/o/r/issues/4",
  "<https://github.com/o/r/pull/5>",
  "[a](https://github.com/o/r/issues/6)",
  "[x][ref]",
  "\n[ref]: https://github.com/o/r/issues/7\n",
  "| a | b |\n|---|---|\n",
  "| ",
  " |",
  "<!--",
  "-->",
  "<img src=x>",
  "<details>",
  "_No response_",
  "TBD",
  "\uFEFF",
  "\uD800",
  "\uDC00",
  "💥",
  "\\",
  "---\n",
  "===\n",
  "word ",
];
const markdownish = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...FRAGMENTS) },
      { weight: 1, arbitrary: fc.string({ unit: fc.oneof(codePoint, codeUnit), maxLength: 6 }) },
    ),
    {
      maxLength: 80,
    },
  )
  .map((parts) => parts.join(""));

/** A body with an Actions section of task items (box characters vary) between arbitrary Markdown. */
const taskLine = fc
  .record({
    indent: fc.constantFrom("", "  ", "    "),
    marker: fc.constantFrom("-", "*", "+", "1.", "3)", "> -"),
    box: fc.constantFrom(" ", "x", "X", "\t"),
    text: fc.oneof(fc.constantFrom("fix #12", "o/r#3 then #4", "write runbook", "`#5` in code"), markdownish),
    eol: fc.constantFrom("\n", "\r\n"),
  })
  .map(({ indent, marker, box, text, eol }) => `${indent}${marker} [${box}] ${text}${eol}`);
const taskBody = fc
  .tuple(
    markdownish,
    fc.constantFrom("## Actions", "**Actions**", "### Follow-up actions"),
    fc.array(taskLine, { minLength: 1, maxLength: 8 }),
    markdownish,
  )
  .map(([before, heading, lines, after]) => `${before}\n\n${heading}\n\n${lines.join("")}\n${after}`);

function expectSane(body: string, reports: Record<string, SectionReport>, items: ActionItem[]): void {
  for (const report of Object.values(reports)) {
    expect(report.present).toBe(report.state !== "missing");
    expect(report.filled).toBe(report.state === "filled");
    if (report.startOffset !== null) {
      expect(report.startOffset).toBeGreaterThanOrEqual(0);
      expect(report.startOffset).toBeLessThanOrEqual(report.endOffset!);
      expect(report.endOffset).toBeLessThanOrEqual(body.length);
    }
  }
  const lines = body.split(/\r\n|\r|\n/).length;
  for (const item of items) {
    expect(item.text).toBe(item.text.trim());
    expect(item.ref).toEqual(item.refs[0] ?? null);
    expect(item.line).toBeGreaterThanOrEqual(1);
    expect(item.line).toBeLessThanOrEqual(lines);
    for (const ref of item.refs) {
      expect(Number.isInteger(ref.number) && ref.number > 0 && ref.number < 2 ** 31).toBe(true);
    }
    if (item.checkboxOffset !== null) {
      expect(body[item.checkboxOffset - 1]).toBe("[");
      expect(body[item.checkboxOffset + 1]).toBe("]");
      expect(item.checkbox === "checked").toBe("xX".includes(body[item.checkboxOffset]!));
    }
  }
}

const diffOffsets = (a: string, b: string): number[] =>
  [...Array(Math.max(a.length, b.length)).keys()].filter((i) => a[i] !== b[i]);

describe("parsing never throws", () => {
  it(`on any string of Unicode code points and lone surrogates (numRuns ${RUNS})`, () => {
    fc.assert(
      fc.property(anyText, (body) => {
        expectSane(body, analyzeSections(body), extractActionItems(body));
      }),
      { numRuns: RUNS },
    );
  });

  it(`on Markdown-like strings built from headings, lists, tasks, tables, code and refs (numRuns ${RUNS})`, () => {
    fc.assert(
      fc.property(markdownish, (body) => {
        expectSane(body, analyzeSections(body), extractActionItems(body));
      }),
      { numRuns: RUNS },
    );
  });

  it(`gives the same section states with LF or CRLF line endings (numRuns ${RUNS})`, () => {
    fc.assert(
      fc.property(
        markdownish.map((body) => body.replace(/\r/g, "")),
        (body) => {
          const states = (text: string) =>
            Object.values(analyzeSections(text)).map(({ state, heading }) => [state, heading]);
          expect(states(body.replace(/\n/g, "\r\n"))).toEqual(states(body));
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe("ticking checkboxes", () => {
  it(`changes exactly one character, at checkboxOffset, when the state changes (numRuns ${RUNS})`, () => {
    let toggled = 0;
    fc.assert(
      fc.property(taskBody, fc.boolean(), (body, checked) => {
        const items = extractActionItems(body);
        expectSane(body, analyzeSections(body), items);
        for (const item of items) {
          if (item.checkboxOffset === null) continue;
          const result = setTaskChecked(body, { checkboxOffset: item.checkboxOffset }, checked);
          expect(result).toHaveLength(body.length);
          const changes = diffOffsets(body, result);
          expect(changes).toEqual((item.checkbox === "checked") === checked ? [] : [item.checkboxOffset]);
          toggled += changes.length;
          // Idempotent.
          expect(setTaskChecked(result, { checkboxOffset: item.checkboxOffset }, checked)).toBe(result);
        }
      }),
      { numRuns: RUNS },
    );
    // The generator must actually produce task items, or the property says nothing.
    expect(toggled).toBeGreaterThan(RUNS / 2);
  });

  it(`ticking then unticking (or the reverse) restores the original (numRuns ${RUNS})`, () => {
    let restored = 0;
    fc.assert(
      fc.property(taskBody, (body) => {
        for (const item of extractActionItems(body)) {
          if (item.checkboxOffset === null) continue;
          const box = body[item.checkboxOffset];
          // `X` becomes `x` and a tab becomes a space once toggled: their round trip is not the identity.
          if (box !== " " && box !== "x") continue;
          const wasChecked = box === "x";
          const there = setTaskChecked(body, { checkboxOffset: item.checkboxOffset }, !wasChecked);
          expect(setTaskChecked(there, { checkboxOffset: item.checkboxOffset }, wasChecked)).toBe(body);
          restored += 1;
        }
      }),
      { numRuns: RUNS },
    );
    expect(restored).toBeGreaterThan(RUNS / 2);
  });

  it(`setChecksForRef changes only checkbox characters and is idempotent (numRuns ${RUNS})`, () => {
    let changedTotal = 0;
    fc.assert(
      fc.property(taskBody, fc.constantFrom(12, 3, 4, 5), fc.boolean(), (body, number, checked) => {
        const context = { owner: "o", repo: "r" };
        const boxes = new Set(
          extractActionItems(body).flatMap((item) => (item.checkboxOffset === null ? [] : [item.checkboxOffset])),
        );
        const result = setChecksForRef(body, { owner: null, repo: null, number }, context, checked);
        const changes = diffOffsets(body, result.body);
        expect(result.body).toHaveLength(body.length);
        expect(changes.every((offset) => boxes.has(offset))).toBe(true);
        expect(changes).toHaveLength(result.changed);
        changedTotal += result.changed;
        expect(setChecksForRef(result.body, { owner: null, repo: null, number }, context, checked)).toEqual({
          body: result.body,
          changed: 0,
        });
      }),
      { numRuns: RUNS },
    );
    expect(changedTotal).toBeGreaterThan(0);
  });
});
