import { describe, expect, it } from "@jest/globals";
import {
  analyzeSections,
  isTemplatePrompt,
  outlineSections,
  sectionRulesFrom,
  type SectionKey,
  type SectionState,
} from "../../src/core/sections.js";
import { SECTION_LEXICON, normalizeSectionName, withoutQualifier } from "../../src/core/section-lexicon.js";
import { parseMarkdown } from "../../src/core/markdown.js";
import { extractActionItems } from "../../src/core/action-items.js";

const states = (body: string): Record<SectionKey, SectionState> => {
  const reports = analyzeSections(body);
  return { timeline: reports.timeline.state, rca: reports.rca.state, actions: reports.actions.state };
};

describe("the lexicon", () => {
  it("names a source for every entry, and no name twice", () => {
    for (const entry of SECTION_LEXICON) expect(entry.source.length).toBeGreaterThan(5);
    const names = SECTION_LEXICON.map((entry) => normalizeSectionName(entry.name));
    expect(new Set(names).size).toBe(names.length);
  });

  const headings: [string, SectionKey | null][] = [
    ["Root Causes", "rca"],
    ["Contributing Factors", "rca"],
    ["Five whys", "rca"],
    ["Root cause and mitigation", "rca"],
    ["What caused the incident", "rca"],
    ["Incident timeline", "timeline"],
    ["Chain of events", "timeline"],
    ["Chronology", "timeline"],
    ["Timeline (UTC)", "timeline"],
    ["Timeline [UTC]", "timeline"],
    ["Timeline UTC", "timeline"],
    ["Timeline — 14 March", "timeline"],
    ["Timeline - 2026-03-14", "timeline"],
    ["Root cause: five whys", "rca"],
    ["Root cause: a stale cache entry", "rca"],
    ["Action Items", "actions"],
    ["Action items and follow-ups", "actions"],
    ["Corrective and preventative measures", "actions"],
    ["Remediation and prevention", "actions"],
    ["Next steps", "actions"],
    ["What we are doing about this", "actions"],
    ["Follow-ups", "actions"],
    ["Actions, owners and due dates", "actions"],
    ["Section 3: Action items", "actions"],
    ["🛠️ Next steps", "actions"],
    ["Summary", null],
    ["Impact", null],
    ["Resolution", null],
    ["Lessons learned", null],
    ["What went well", null],
    ["Postmortem: root cause of the outage", null],
    ["Timeline review", null],
  ];
  it.each(headings)("%j is %s", (heading, key) => {
    const reports = analyzeSections(`## ${heading}\n\nwritten\n`);
    const found = (Object.keys(reports) as SectionKey[]).filter((k) => reports[k].present);
    expect(found).toEqual(key === null ? [] : [key]);
  });

  it("drops trailing qualifiers only at a separator", () => {
    expect(withoutQualifier("Timeline (all times UTC)")).toBe("Timeline ");
    expect(withoutQualifier("Follow-up actions")).toBeNull();
    expect(withoutQualifier("Root cause: five whys")).toBe("Root cause");
  });
});

describe("structure", () => {
  const cases: [string, string, Record<SectionKey, SectionState>][] = [
    [
      "closed ATX headings",
      "## Timeline ##\n\n10:00 x\n\n## RCA ###\n\ny\n\n## Actions #\n\n- [ ] #1\n",
      { timeline: "filled", rca: "filled", actions: "filled" },
    ],
    [
      "setext headings",
      "Timeline\n---\n\nx\n\nRCA\n===\n\ny\n\nActions\n---\n\n- [ ] #1\n",
      { timeline: "filled", rca: "filled", actions: "filled" },
    ],
    [
      "a title and bold pseudo-headings",
      "# Outage\n\n**Timeline**\n\nx\n\n**RCA**\n\ny\n\n**Actions**\n\n- [ ] #1\n",
      { timeline: "filled", rca: "filled", actions: "filled" },
    ],
    [
      "plain labels under a title",
      "# Outage\n\nTimeline:\n- 10:00 x\n\nRoot cause: the cache.\n\nActions:\n- [ ] #1\n",
      { timeline: "filled", rca: "filled", actions: "filled" },
    ],
    [
      "a plain label needs a known name",
      "Note: Timeline is below\n",
      { timeline: "missing", rca: "missing", actions: "missing" },
    ],
    [
      "time sub-headings",
      "## Timeline\n\n### 09:14\n\nx\n\n### 09:20\n\ny\n\n## RCA\n\nz\n",
      { timeline: "filled", rca: "filled", actions: "missing" },
    ],
    [
      "time pseudo-headings under a pseudo-heading",
      "**Timeline**\n\n**09:14**\n\nalert\n\n**RCA**\n\nz\n",
      { timeline: "filled", rca: "filled", actions: "missing" },
    ],
    [
      "time headings alone are entries",
      "## Timeline\n\n### 09:14 alert fires\n",
      { timeline: "filled", rca: "missing", actions: "missing" },
    ],
    [
      "sub-headings alone are not content",
      "## Follow-up\n\n### Short term\n\n### Long term\n",
      { timeline: "missing", rca: "missing", actions: "empty" },
    ],
    [
      "subsections belong to their section",
      "## Follow-up\n\n### Short term\n\n- [ ] #1\n",
      { timeline: "missing", rca: "missing", actions: "filled" },
    ],
    [
      "another known section ends a section",
      "## Root cause\n\n### Impact\n\nmany users\n",
      { timeline: "missing", rca: "empty", actions: "missing" },
    ],
    [
      "a heading under an unknown one stands as a section",
      "## Details\n\n### Timeline\n\nx\n",
      { timeline: "filled", rca: "missing", actions: "missing" },
    ],
    [
      "inconsistent levels under a summary",
      "## Summary\n\nx\n\n### Timeline\n\ny\n\n### Root cause\n\nz\n",
      { timeline: "filled", rca: "filled", actions: "missing" },
    ],
  ];
  it.each(cases)("%s", (_, body, expected) => {
    expect(states(body)).toEqual(expected);
  });
});

describe('the ambiguous "What went wrong"', () => {
  const cases: [string, string, SectionState][] = [
    ["alone at the top: the RCA", "# X\n\n## What went wrong\n\nthe cache\n", "filled"],
    ["under Lessons learned: not the RCA", "## Lessons learned\n\n### What went wrong\n\nthe cache\n", "missing"],
    [
      "beside What went well: not the RCA",
      "## What went well\n\nalerts\n\n## What went wrong\n\nthe cache\n",
      "missing",
    ],
    [
      "a TBD Root Causes wins over a written lessons subsection",
      "## Root Causes\n\nTBD\n\n## Lessons Learned\n\n### What went wrong\n\nthe cache\n",
      "placeholder",
    ],
    ["another root-cause heading decides", "## Root cause\n\nTODO\n\n## What went wrong\n\nthe cache\n", "placeholder"],
    ["as a bold pseudo-heading alone", "**What went wrong**\n\nthe cache\n", "filled"],
  ];
  it.each(cases)("%s", (_, body, state) => {
    expect(analyzeSections(body).rca.state).toBe(state);
  });

  it("explains why it was not taken", () => {
    const { decisions } = outlineSections(parseMarkdown("## Lessons learned\n\n### What went wrong\n\nthe cache\n"));
    expect(decisions.map((d) => [d.line, d.heading, d.section, d.reason])).toEqual([
      [1, "Lessons learned", null, 'names the other section "Lessons learned"'],
      [3, "What went wrong", null, 'a subsection of "Lessons learned", not a section of its own: not the RCA'],
    ]);
  });
});

describe("placeholders and template prompts", () => {
  const cases: [string, boolean][] = [
    ["<Describe what happened>", true],
    ["[Root cause here]", true],
    ["{{timeline}}", true],
    ["_Explain the root cause here._", true],
    ["List the follow-up actions here, each with its issue.", true],
    ["Describe how the service was restored, e.g. a rollback.", true],
    ["Add an alert on the queue age.", false],
    ["Add an alert on queue depth, e.g. at 1,000 messages", false],
    ["Add the key times here: when it started, when it ended.", true],
    ["Describe the cache to new hires (#12)", false],
    ["The cache expired here and there.", false],
  ];
  it.each(cases)("%j is a prompt: %s", (text, expected) => {
    expect(isTemplatePrompt(text)).toBe(expected);
  });

  it.each(["-", "—", "N/A", "TBD", "- [ ] TODO", "_No response_"])("%j alone leaves a section unfilled", (content) => {
    expect(analyzeSections(`## RCA\n\n${content}\n`).rca.filled).toBe(false);
  });
});

describe("config names extend or replace the lexicon", () => {
  it("a configured name is a section; with replace-only rules a lexicon name is not", () => {
    const rules = sectionRulesFrom({ timeline: ["Logbook"], rca: ["Why"], actions: ["Fix list"] });
    const body = "## Logbook\n\nx\n\n## Root cause\n\ny\n";
    const reports = analyzeSections(body, rules);
    expect([reports.timeline.state, reports.rca.state]).toEqual(["filled", "missing"]);
    // The lexicon's names still end a section: "Root cause" is not part of the Logbook.
    expect(body.slice(reports.timeline.startOffset!, reports.timeline.endOffset!)).toBe("\n\nx\n\n");
  });
});

describe("action references anywhere in the actions section", () => {
  const body = [
    "## Action items",
    "",
    "We will fix the retries (acme/api#7) and see https://github.com/acme/api/issues/8?x=1#top.",
    "",
    "| What | Issue |",
    "| --- | --- |",
    "| alert | [link](https://github.com/acme/api/pull/9/files) |",
    "",
    "- [ ] [docs][d]",
    "- plain item #10",
    "",
    "[d]: https://github.com/acme/docs/issues/11",
    "",
  ].join("\n");
  it("finds prose, URLs with query and fragment, tables, reference links and bare numbers", () => {
    const refs = extractActionItems(body).flatMap((item) =>
      item.refs.map((ref) => `${ref.owner ?? ""}/${ref.repo ?? ""}#${ref.number}`),
    );
    expect(refs).toEqual(["acme/api#7", "acme/api#8", "acme/api#9", "acme/docs#11", "/#10"]);
  });
});
