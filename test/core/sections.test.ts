import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import {
  analyzeSections,
  DEFAULT_PLACEHOLDERS,
  DEFAULT_SECTION_RULES,
  normalizeSectionName,
  sectionRulesFrom,
  type SectionKey,
  type SectionReport,
  type SectionState,
} from "../../src/core/sections.js";
import { MARKDOWN_LIMITS, markdownComplexity } from "../../src/core/markdown.js";
import { cpuNow } from "../support/cpu-time.js";

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/writeups/${name}`, import.meta.url), "utf8");

type Expected = [SectionState, string | null];

describe("analyzeSections on real-world-shaped write-ups", () => {
  const cases: [string, Record<SectionKey, Expected>][] = [
    ["issue-form.md", { timeline: ["filled", "Timeline"], rca: ["filled", "RCA"], actions: ["filled", "Actions"] }],
    [
      "issue-form-unfilled.md",
      { timeline: ["placeholder", "Timeline"], rca: ["placeholder", "RCA"], actions: ["placeholder", "Actions"] },
    ],
    [
      "handwritten-postmortem.md",
      {
        timeline: ["filled", "Timeline"],
        rca: ["filled", "Root Cause Analysis"],
        actions: ["filled", "Follow-up actions"],
      },
    ],
    [
      "bold-pseudo-headings.md",
      { timeline: ["filled", "Timeline"], rca: ["filled", "Root cause:"], actions: ["filled", "Actions"] },
    ],
    ["crlf.md", { timeline: ["filled", "Timeline"], rca: ["filled", "RCA"], actions: ["filled", "Actions"] }],
    [
      "table-actions.md",
      { timeline: ["filled", "Timeline"], rca: ["filled", "What went wrong"], actions: ["filled", "Action items"] },
    ],
    ["code-blocks.md", { timeline: ["filled", "Timeline"], rca: ["filled", "RCA"], actions: ["filled", "Actions"] }],
    [
      "placeholders.md",
      { timeline: ["empty", "Timeline"], rca: ["placeholder", "RCA"], actions: ["empty", "Actions"] },
    ],
    ["empty-sections.md", { timeline: ["empty", "Timeline"], rca: ["missing", null], actions: ["empty", "Actions"] }],
    ["malformed.md", { timeline: ["filled", "Timeline"], rca: ["filled", "RCA"], actions: ["filled", "Actions"] }],
    [
      "nested-lists.md",
      { timeline: ["filled", "Timeline"], rca: ["filled", "Root cause"], actions: ["filled", "Corrective actions"] },
    ],
    [
      "numbered-headings.md",
      {
        timeline: ["filled", "1. Timeline (all times UTC)"],
        rca: ["filled", "2. Root-cause analysis:"],
        actions: ["filled", "3. 🛠 Follow up actions"],
      },
    ],
    [
      "large-65536.md",
      { timeline: ["filled", "Timeline"], rca: ["filled", "Root cause analysis"], actions: ["filled", "Actions"] },
    ],
  ];

  it.each(cases)("%s", (name, expected) => {
    const reports = analyzeSections(fixture(name));
    const actual = Object.fromEntries(
      Object.entries(reports).map(([key, report]) => [key, [report.state, report.heading]]),
    );
    expect(actual).toEqual(expected);
    for (const report of Object.values(reports)) expectConsistent(report);
  });

  it.each(cases)("%s gives the same answers with CRLF line endings", (name) => {
    const body = fixture(name).replace(/\r?\n/g, "\n");
    const summary = (text: string) =>
      Object.values(analyzeSections(text)).map(({ key, state, heading }) => ({ key, state, heading }));
    expect(summary(body.replace(/\n/g, "\r\n"))).toEqual(summary(body));
  });

  it("the CRLF fixture really has CRLF line endings (guards against git normalising it)", () => {
    const body = fixture("crlf.md");
    expect(body.split("\r\n").length).toBeGreaterThan(10);
    expect(body.replace(/\r\n/g, "")).not.toContain("\n");
  });

  it("the large fixture is exactly GitHub's 65,536-character body limit", () => {
    expect(fixture("large-65536.md")).toHaveLength(65_536);
  });

  it("analyzes the 65,536-character body without super-linear blow-up", () => {
    const body = fixture("large-65536.md");
    analyzeSections(body); // warm up the parser
    const started = cpuNow();
    analyzeSections(body);
    // Measured ~50-200 ms on a busy 2-core machine; a quadratic regression takes tens of seconds.
    expect(cpuNow() - started).toBeLessThan(3_000);
  });
});

describe("section content offsets", () => {
  it("covers exactly the text between a section's heading and the next heading", () => {
    const body = fixture("issue-form.md");
    const { timeline, rca, actions } = analyzeSections(body);
    expect(body.slice(timeline.startOffset!, timeline.endOffset!)).toBe(
      body.slice(body.indexOf("### Timeline") + "### Timeline".length, body.indexOf("### RCA")),
    );
    expect(body.slice(rca.startOffset!, rca.endOffset!).trim()).toMatch(/^A config change[\s\S]*for the change\.$/);
    expect(actions.endOffset).toBe(body.length);
  });

  it("starts after a bold lead-in label and its colon", () => {
    const body = "**Root cause:** the cache expired\n\n**Actions**\n\n- [ ] #1\n";
    const { rca } = analyzeSections(body);
    expect(body.slice(rca.startOffset!, rca.endOffset!)).toBe(" the cache expired\n\n");
  });

  it("ignores a heading inside a fenced code block", () => {
    const body = fixture("code-blocks.md");
    const { rca } = analyzeSections(body);
    expect(rca.startOffset).toBe(body.indexOf("\n\nThe migration"));
  });

  it("indexes the original string when it starts with a byte-order mark", () => {
    const body = "\uFEFF## Timeline\n\nsomething happened\n";
    const { timeline } = analyzeSections(body);
    expect(timeline.state).toBe("filled");
    expect(timeline.startOffset).toBe(body.indexOf("\n"));
    expect(timeline.endOffset).toBe(body.length);
  });

  it("reports null offsets for a missing section", () => {
    expect(analyzeSections("nothing here").rca).toEqual({
      key: "rca",
      present: false,
      filled: false,
      heading: null,
      state: "missing",
      startOffset: null,
      endOffset: null,
    });
  });
});

describe("where a section starts and ends", () => {
  const cases: [string, string, SectionState, string | null][] = [
    ["bold pseudo-heading", "**Timeline**\n\n10:00 alert", "filled", "Timeline"],
    ["colon inside the bold", "**Timeline:**\n\n10:00 alert", "filled", "Timeline:"],
    ["colon after the bold", "**Timeline**:\n\n10:00 alert", "filled", "Timeline"],
    ["underscore bold", "__Timeline__\n\n10:00 alert", "filled", "Timeline"],
    ["bold and italic", "***Timeline***\n\n10:00 alert", "filled", "Timeline"],
    ["bold label on its own line", "**Timeline**\n10:00 alert", "filled", "Timeline"],
    ["bold label with inline content", "**Timeline:** 10:00 alert", "filled", "Timeline:"],
    ["bold label with an outside colon", "**Timeline**: 10:00 alert", "filled", "Timeline"],
    ["bold words in a sentence", "**Timeline** of events was long\n\nfoo", "missing", null],
    ["bold after other text", "Our **Timeline**\n\nfoo", "missing", null],
    ["bold inside a list item", "- **Timeline**\n  foo", "missing", null],
    ["heading inside a block quote", "> ## Timeline\n> foo", "missing", null],
    ["heading in a fenced block", "```\n## Timeline\n```\n", "missing", null],
    ["heading in an indented code block", "    ## Timeline\n", "missing", null],
    ["heading in an HTML comment", "<!--\n## Timeline\n-->\n", "missing", null],
    ["setext heading", "Timeline\n--------\n\n10:00 alert", "filled", "Timeline"],
    ["sub-headings stay inside", "### Timeline\n\n#### Morning\n\n10:00 alert\n\n## Next\n", "filled", "Timeline"],
    ["a higher heading ends it", "### Timeline\n\n## Next\n\n10:00 alert", "empty", "Timeline"],
    ["a same-level heading ends it", "## Timeline\n\n## Impact\n\n10:00 alert", "empty", "Timeline"],
    ["a pseudo-heading does not end a real heading", "## Timeline\n\n**Morning**\n\n10:00 alert", "filled", "Timeline"],
    ["a known section ends any section", "## Timeline\n\n**RCA**\n\nthe cause", "empty", "Timeline"],
    ["a pseudo-heading ends a pseudo-heading", "**Timeline**\n\n**Impact**\n\nlots", "empty", "Timeline"],
    ["a heading ends a pseudo-heading", "**Timeline**\n\n###### Impact\n\nlots", "empty", "Timeline"],
    ["an ordinary bold lead-in does not end it", "**Timeline**\n\n**Note:** all times UTC", "filled", "Timeline"],
    ["empty heading text", "##\n\n## Timeline\n\nfoo", "filled", "Timeline"],
  ];

  it.each(cases)("%s", (_, body, state, heading) => {
    const { timeline } = analyzeSections(body);
    expect([timeline.state, timeline.heading]).toEqual([state, heading]);
  });

  it("reports the best of repeated sections (a written one after the form's blank field)", () => {
    const body = "### Timeline\n\n_No response_\n\n### RCA\n\nx\n\n## Timeline\n\n10:00 alert\n";
    const { timeline } = analyzeSections(body);
    expect(timeline.state).toBe("filled");
    expect(timeline.startOffset).toBe(body.indexOf("\n\n10:00"));
  });

  it("reports the first of equally good repeated sections", () => {
    const body = "## Timeline\n\nTBD\n\n## Timeline\n\nTODO\n";
    expect(analyzeSections(body).timeline.startOffset).toBe("## Timeline".length);
  });
});

describe("section names", () => {
  const matching: [string, SectionKey][] = [
    ["timeline", "timeline"],
    ["TIMELINE", "timeline"],
    ["Timeline:", "timeline"],
    ["  Timeline  ", "timeline"],
    ["🕐 Timeline", "timeline"],
    ["1. Timeline", "timeline"],
    ["Timeline (UTC)", "timeline"],
    ["Root cause", "rca"],
    ["Root-cause analysis", "rca"],
    ["root cause analysis:", "rca"],
    ["What went wrong?", "rca"],
    ["RCA", "rca"],
    ["Action items", "actions"],
    ["Follow-up Actions", "actions"],
    ["Follow up actions", "actions"],
    ["Corrective actions", "actions"],
    // Plurals and synonyms count since issue #15 (they were in the list below before).
    ["Timelines", "timeline"],
    ["Timeline of events", "timeline"],
    ["Action", "actions"],
  ];
  it.each(matching)("%j is the %s section", (name, key) => {
    expect(analyzeSections(`## ${name}\n\nwritten\n`)[key].state).toBe("filled");
  });

  const notMatching = ["No timeline", "Root", "Impact", "Actions taken so far are listed", "Timeline review meeting"];
  it.each(notMatching)("%j is no section", (name) => {
    const reports = analyzeSections(`## ${name}\n\nwritten\n`);
    expect(Object.values(reports).map((report) => report.state)).toEqual(["missing", "missing", "missing"]);
  });

  it("normalises names the same way for rules and headings", () => {
    expect(normalizeSectionName("## Root–Cause Analysis (draft):")).toBe("root cause analysis");
    expect(normalizeSectionName("ii) Follow_up actions")).toBe("follow up actions");
  });

  it("uses configured names instead of the defaults", () => {
    // "Chronology" and "Remediation" joined the default lexicon (issue #15): names outside it keep the intent.
    const rules = sectionRulesFrom({ timeline: ["Logbook"], rca: ["Why"], actions: ["Fix list"] });
    const body = "## Logbook\n\nx\n\n## Why\n\ny\n\n## Fix list\n\n- [ ] #1\n\n## Timeline\n\nz\n";
    const reports = analyzeSections(body, rules);
    expect(Object.values(reports).map((report) => report.heading)).toEqual(["Logbook", "Why", "Fix list"]);
    expect(analyzeSections("## Logbook\n\nx\n").timeline.state).toBe("missing");
  });

  it("the default rules are the lexicon's (see the README): every earlier default name still among them", () => {
    expect(DEFAULT_SECTION_RULES.map((rule) => rule.key)).toEqual(["timeline", "rca", "actions"]);
    const names = Object.fromEntries(DEFAULT_SECTION_RULES.map((rule) => [rule.key, rule.names]));
    expect(names.timeline).toEqual(expect.arrayContaining(["Timeline"]));
    expect(names.rca).toEqual(expect.arrayContaining(["RCA", "Root cause", "Root cause analysis", "What went wrong"]));
    expect(names.actions).toEqual(
      expect.arrayContaining(["Actions", "Action items", "Follow-up actions", "Corrective actions"]),
    );
    expect(DEFAULT_SECTION_RULES.map((rule) => [rule.key, rule.names.length])).toEqual([
      ["timeline", 7],
      ["rca", 14],
      ["actions", 14],
    ]);
  });
});

describe("filled, empty or placeholder", () => {
  const cases: [string, string, SectionState][] = [
    ["nothing", "", "empty"],
    ["whitespace", "   \n\n  ", "empty"],
    ["an HTML comment", "<!-- Describe what happened -->", "empty"],
    ["a multi-line HTML comment", "<!--\nOne line per event.\n-->", "empty"],
    ["an empty task item", "- [ ] ", "empty"],
    ["empty task items", "- [ ]\n- [x]\n* [ ]", "empty"],
    ["a task item with only a comment", "- [ ] <!-- action -->", "empty"],
    ["a header-only table", "| Time | Event |\n|---|---|", "empty"],
    ["an empty code block", "```\n```", "empty"],
    ["a thematic break", "---", "empty"],
    ["the issue form's blank answer", "_No response_", "placeholder"],
    ["TBD", "TBD", "placeholder"],
    ["tbd with a full stop", "tbd.", "placeholder"],
    ["emphasised TODO", "*TODO*", "placeholder"],
    ["N/A", "N/A", "placeholder"],
    ["an ellipsis", "...", "placeholder"],
    ["placeholders on every line", "- TBD\n- TBD", "placeholder"],
    ["the form's pre-filled text", "To be written once the incident is resolved.", "placeholder"],
    ["a comment and a placeholder", "<!-- fill in -->\n\nTODO", "placeholder"],
    ["placeholder with real text", "TBD: waiting on the vendor's logs", "filled"],
    ["a sentence", "The cache expired.", "filled"],
    ["a word", "None", "filled"],
    ["a time", "10:00", "filled"],
    ["a table row", "| Time | Event |\n|---|---|\n| 10:00 | alert |", "filled"],
    ["a pasted screenshot", '<img width="400" alt="" src="https://github.com/user-attachments/assets/1">', "filled"],
    ["a Markdown image", "![](https://example.com/graph.png)", "filled"],
    ["a code block", "```\nERROR timeout\n```", "filled"],
    ["a task with text", "- [ ] add an alert", "filled"],
    ["a quote", "> customers saw 500s", "filled"],
    ["a bare link", "<https://status.example.com>", "filled"],
  ];

  it.each(cases)("%s", (_, content, state) => {
    const { timeline } = analyzeSections(`### Timeline\n\n${content}\n\n### RCA\n\nx\n`);
    expect(timeline.state).toBe(state);
    expect(timeline.filled).toBe(state === "filled");
  });

  it("accepts a custom placeholder list that replaces the defaults", () => {
    const body = "## Timeline\n\nPending review\n\n## RCA\n\nTBD\n";
    const reports = analyzeSections(body, DEFAULT_SECTION_RULES, { placeholders: ["pending review"] });
    expect([reports.timeline.state, reports.rca.state]).toEqual(["placeholder", "filled"]);
  });

  it("the default placeholders include the issue form's blank answer", () => {
    expect(DEFAULT_PLACEHOLDERS).toContain("_No response_");
  });
});

describe("bodies the parser should not be given", () => {
  it.each([
    ["thousands of emphasis markers in one paragraph", `## Timeline\n\n${"*a".repeat(20_000)}`],
    ["deeply nested lists", `## Timeline\n\n${"- ".repeat(5_000)}x`],
    ["deeply nested quotes", `## Timeline\n\n${"> ".repeat(30_000)}x`],
  ])("%s: reports every section missing, fast, without throwing", (_, body) => {
    expect(markdownComplexity(body)).not.toBeNull();
    const started = cpuNow();
    const reports = analyzeSections(body);
    expect(cpuNow() - started).toBeLessThan(1_000);
    expect(Object.values(reports).map((report) => report.state)).toEqual(["missing", "missing", "missing"]);
  });

  it("still parses logs full of markers inside a code fence", () => {
    const log = `${"ERROR *retry* __init__ ~x~ ".repeat(40)}\n`.repeat(100);
    const body = `## Timeline\n\n\`\`\`\n${log}\`\`\`\n`;
    expect(markdownComplexity(body)).toBeNull();
    expect(analyzeSections(body).timeline.state).toBe("filled");
  });

  it("allows nesting well beyond real write-ups", () => {
    expect(MARKDOWN_LIMITS.containerMarkersPerLine).toBeGreaterThanOrEqual(32);
    const nested = Array.from({ length: 20 }, (_, depth) => `${"  ".repeat(depth)}- level ${depth}`).join("\n");
    expect(markdownComplexity(nested)).toBeNull();
  });
});

function expectConsistent(report: SectionReport): void {
  expect(report.present).toBe(report.state !== "missing");
  expect(report.filled).toBe(report.state === "filled");
  expect(report.heading === null).toBe(report.state === "missing");
  if (report.startOffset !== null && report.endOffset !== null)
    expect(report.startOffset).toBeLessThanOrEqual(report.endOffset);
}

describe("CRLF line endings (GitHub's editor)", () => {
  it("a setext heading spanning two lines reads the same with CRLF as with LF (found by the LF/CRLF property)", () => {
    const body = "Timeline\n[ref]: https://github.com/o/r/issues/7\n===\n";
    const states = (text: string) => Object.values(analyzeSections(text)).map(({ state, heading }) => [state, heading]);
    expect(states(body.replace(/\n/g, "\r\n"))).toEqual(states(body));
  });
});
