import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { analyzeWriteup, extractActionItems, formatRef, type ActionItem } from "../../src/core/action-items.js";
import { analyzeSections, sectionRulesFrom } from "../../src/core/sections.js";

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/writeups/${name}`, import.meta.url), "utf8");

/** [text, refs as `owner/repo#N` or `#N`, checkbox, source] */
type Row = [string, string[], ActionItem["checkbox"], ActionItem["source"]];

const rows = (items: ActionItem[]): Row[] =>
  items.map((item) => [item.text, item.refs.map((ref) => formatRef(ref)), item.checkbox, item.source]);

/** The 1-based line of the first line of `body` that contains `needle`. */
const lineOf = (body: string, needle: string): number => body.slice(0, body.indexOf(needle)).split(/\r\n|\r|\n/).length;

describe("extractActionItems on real-world-shaped write-ups", () => {
  const cases: [string, Row[]][] = [
    [
      "issue-form.md",
      [
        ["Add a CI check that pool size * replicas <= max_connections #512", ["#512"], "unchecked", "task"],
        ["Roll back the pool size (acme/platform#483)", ["acme/platform#483"], "checked", "task"],
        ["Document the database connection budget in the runbook", [], "unchecked", "task"],
      ],
    ],
    ["issue-form-unfilled.md", []],
    [
      "handwritten-postmortem.md",
      [
        [
          "Point production at the real processor endpoint — https://github.com/acme/shop/pull/1399",
          ["acme/shop#1399"],
          "checked",
          "task",
        ],
        ["Re-enable canary deploys (acme/deploy-tools#77)", ["acme/deploy-tools#77"], "unchecked", "task"],
        ["Add an alert when the canary stage is skipped #1405", ["#1405"], "unchecked", "task"],
        ["Pin TLS settings explicitly in every service tracking issue", ["acme/shop#1410"], null, "bullet"],
        [
          "Contract tests against the processor sandbox: acme/shop#1411, acme/shop#1412",
          ["acme/shop#1411", "acme/shop#1412"],
          null,
          "bullet",
        ],
      ],
    ],
    [
      "bold-pseudo-headings.md",
      [
        ["Restore cache eviction (#91)", ["#91"], "unchecked", "task"],
        ["Clean up the volume by hand", [], "checked", "task"],
        ["Alert on disk usage above 80% infra/monitoring#14", ["infra/monitoring#14"], "unchecked", "task"],
      ],
    ],
    [
      "crlf.md",
      [
        ["Move analytics to a dedicated replica #301", ["#301"], "unchecked", "task"],
        ["Kill runaway queries after 10 minutes #302", ["#302"], "checked", "task"],
        ["Write the runbook entry", [], "unchecked", "task"],
      ],
    ],
    [
      "table-actions.md",
      [
        [
          "1 | Stagger ingress restarts | @carol | https://github.com/acme/infra/issues/204",
          ["acme/infra#204"],
          null,
          "table",
        ],
        ["2 | Alert on expiring certificates | @dave | acme/infra#205", ["acme/infra#205"], null, "table"],
        ["3 | Review rotation schedule | @erin | PR", ["sre/certs#9"], null, "table"],
      ],
    ],
    [
      "code-blocks.md",
      [
        ["Fix the lock in migrate #15 (abc#16 is not a reference, nor is this anchor)", [], "unchecked", "task"],
        ["Track with #0 and #2147483648, neither of which is a valid number", [], "unchecked", "task"],
        ["Edge of the range #2147483647", ["#2147483647"], "unchecked", "task"],
        ["Retry policy for migrations (#18)", ["#18"], null, "bullet"],
      ],
    ],
    ["placeholders.md", []],
    ["empty-sections.md", []],
    [
      "malformed.md",
      [
        // `[x]#12` is no checkbox, and the next line is a lazy continuation of the same paragraph.
        [
          "[x]#12 is not a task (no space after the box) -[ ] not a list item either #13",
          ["#12", "#13"],
          null,
          "bullet",
        ],
        ["a real task #14", ["#14"], "unchecked", "task"],
      ],
    ],
    [
      "nested-lists.md",
      [
        ["Raise the autoscaler maximum #701", ["#701"], "unchecked", "task"],
        ["Get budget approval", [], "checked", "task"],
        ["Load test at 2x peak acme/perf#12", ["acme/perf#12"], "unchecked", "task"],
        ["Observability (#702)", ["#702"], null, "bullet"],
        ["Quote-nested task #703", ["#703"], "unchecked", "task"],
      ],
    ],
    [
      "numbered-headings.md",
      [["Guard the rebuild script against running on the primary (#55)", ["#55"], "unchecked", "task"]],
    ],
  ];

  it.each(cases)("%s", (name, expected) => {
    const body = fixture(name);
    const items = extractActionItems(body);
    expect(rows(items)).toEqual(expected);
    for (const item of items) {
      const anchor = item.source === "table" ? item.text.split(" | ")[1]! : item.text.split(" ").slice(0, 2).join(" ");
      expect(item.line).toBe(lineOf(body, anchor));
      expect(item.ref).toEqual(item.refs[0] ?? null);
      if (item.checkbox === null) expect(item.checkboxOffset).toBeNull();
      else
        expect(body.slice(item.checkboxOffset! - 1, item.checkboxOffset! + 2).toLowerCase()).toBe(
          item.checkbox === "checked" ? "[x]" : "[ ]",
        );
    }
  });

  it("finds every action of the 65,536-character body", () => {
    const items = extractActionItems(fixture("large-65536.md"));
    expect(items).toHaveLength(41);
    expect(items.filter((item) => item.checkbox === "checked")).toHaveLength(14);
    expect(rows(items.slice(0, 3)).map((row) => row[1])).toEqual([
      ["#2000"],
      ["acme/storage#3001"],
      ["acme/metadata#402"],
    ]);
    expect(items.at(-1)?.ref).toBeNull();
  });

  it("analyzeWriteup agrees with analyzeSections and extractActionItems", () => {
    for (const [name] of cases) {
      const body = fixture(name);
      expect(analyzeWriteup(body)).toEqual({ sections: analyzeSections(body), actions: extractActionItems(body) });
    }
  });
});

describe("what counts as an action item", () => {
  const cases: [string, string, Row[]][] = [
    ["a task without a reference", "- [ ] write the runbook", [["write the runbook", [], "unchecked", "task"]]],
    ["a plain bullet without a reference", "- write the runbook", []],
    ["a plain bullet with a reference", "- write the runbook #4", [["write the runbook #4", ["#4"], null, "bullet"]]],
    ["an ordered item", "1) runbook #7", [["runbook #7", ["#7"], null, "bullet"]]],
    ["an ordered task", "1. [x] runbook #8", [["runbook #8", ["#8"], "checked", "task"]]],
    ["a capital X", "- [X] runbook", [["runbook", [], "checked", "task"]]],
    ["an empty task", "- [ ] ", []],
    ["a task with only a comment", "- [ ] <!-- describe -->", []],
    ["a reference in inline code", "- [ ] `#12` only in code", [["#12 only in code", [], "unchecked", "task"]]],
    ["a bullet with a reference in inline code only", "- run `git revert #12`", []],
    [
      "an autolink",
      "- see <https://github.com/o/r/issues/5>",
      [["see https://github.com/o/r/issues/5", ["o/r#5"], null, "bullet"]],
    ],
    [
      "a literal URL",
      "- see https://github.com/o/r/pull/6/files",
      [["see https://github.com/o/r/pull/6/files", ["o/r#6"], null, "bullet"]],
    ],
    [
      "a GHE URL",
      "- http://ghe.corp.local/team/svc/issues/7",
      [["http://ghe.corp.local/team/svc/issues/7", ["team/svc#7"], null, "bullet"]],
    ],
    [
      "a link whose text is another ref",
      "- [#8](https://github.com/o/r/issues/9)",
      [["#8", ["o/r#9"], null, "bullet"]],
    ],
    ["a link to an anchor", "- [docs](#10)", []],
    ["a link to another site", "- [ticket](https://jira.example.com/browse/OPS-12)", []],
    [
      "a reference-style link",
      "- fixed in [the PR][pr]\n\n[pr]: https://github.com/o/r/pull/11",
      [["fixed in the PR", ["o/r#11"], null, "bullet"]],
    ],
    ["GH- prefixes", "- GH-12", []],
    ["the same ref twice", "- #12 and #12 again", [["#12 and #12 again", ["#12"], null, "bullet"]]],
    [
      "the same ref in another case",
      "- Acme/Shop#1 acme/shop#1",
      [["Acme/Shop#1 acme/shop#1", ["Acme/Shop#1"], null, "bullet"]],
    ],
    [
      "refs after emphasis",
      "- **urgent**: #3 and _also_ #4",
      [["urgent: #3 and also #4", ["#3", "#4"], null, "bullet"]],
    ],
    ["struck-through refs", "- ~~#5~~ replaced by #6", [["#5 replaced by #6", ["#5", "#6"], null, "bullet"]]],
    [
      "nested items keep their own refs",
      "- Parent #1\n  - Child #2\n    - [ ] Grandchild",
      [
        ["Parent #1", ["#1"], null, "bullet"],
        ["Child #2", ["#2"], null, "bullet"],
        ["Grandchild", [], "unchecked", "task"],
      ],
    ],
    [
      "a loose item with two paragraphs",
      "- [ ] first part\n\n  second part #9\n\n- [x] next",
      [
        ["first part second part #9", ["#9"], "unchecked", "task"],
        ["next", [], "checked", "task"],
      ],
    ],
    ["a code block in an item", "- [ ] fix\n\n  ```\n  #12\n  ```", [["fix", [], "unchecked", "task"]]],
    ["a table header row", "| #1 | #2 |\n|---|---|\n| x | y |", []],
    ["a table body row", "| Action | Issue |\n|---|---|\n| alert | #3 |", [["alert | #3", ["#3"], null, "table"]]],
    // Changed by issue #15: references anywhere in the actions section count, prose included.
    ["a paragraph with a ref", "Tracked in #4.", [["Tracked in #4.", ["#4"], null, "prose"]]],
  ];

  it.each(cases)("%s", (_, content, expected) => {
    expect(rows(extractActionItems(`## Actions\n\n${content}\n`))).toEqual(expected);
  });

  it("ignores items outside the Actions section", () => {
    const body = "## Timeline\n\n- [ ] #1\n\n## RCA\n\n- #2\n\n## Actions\n\n- [ ] #3\n\n## Appendix\n\n- [ ] #4\n";
    expect(extractActionItems(body).map((item) => item.ref?.number)).toEqual([3]);
  });

  // Changed by issue #15: the text after a lead-in label is prose of the section, and its references count.
  it("takes the references of a bold lead-in label's text, not the label", () => {
    expect(
      extractActionItems("**Actions:** see #12 and #13\n").map((item) => [
        item.text,
        item.refs.map((ref) => ref.number),
        item.source,
      ]),
    ).toEqual([["see #12 and #13", [12, 13], "prose"]]);
    expect(extractActionItems("**Actions #9:** none\n")).toEqual([]);
  });

  it("collects every Actions section", () => {
    const body = "### Actions\n\n- [ ] #1\n\n### RCA\n\nx\n\n## Follow-up actions\n\n- [ ] #2\n";
    expect(extractActionItems(body).map((item) => item.ref?.number)).toEqual([1, 2]);
  });

  it("uses configured section names", () => {
    const rules = sectionRulesFrom({ timeline: ["Timeline"], rca: ["RCA"], actions: ["Remediation"] });
    const body = "## Remediation\n\n- [ ] #1\n\n## Actions\n\n- [ ] #2\n";
    expect(extractActionItems(body, { rules }).map((item) => item.ref?.number)).toEqual([1]);
  });

  it("points checkboxOffset at the box character, in quotes, ordered lists and after tabs", () => {
    for (const body of [
      "## Actions\n\n> - [x] q #1\n",
      "## Actions\n\n12. [ ] q #1\n",
      "## Actions\n\n-\t[X]\tq #1\n",
      "\uFEFF## Actions\n\n- [ ] q\n",
    ]) {
      const [item] = extractActionItems(body);
      expect(item).toBeDefined();
      expect(body[item!.checkboxOffset! - 1]).toBe("[");
      expect(" xX").toContain(body[item!.checkboxOffset!]);
      expect(body[item!.checkboxOffset! + 1]).toBe("]");
    }
  });

  it("reports 1-based lines, counting CRLF and CR line endings", () => {
    const lf = "## Actions\n\n- [ ] a #1\n- [ ] b #2\n";
    const crlf = lf.replace(/\n/g, "\r\n");
    expect(extractActionItems(lf).map((item) => item.line)).toEqual([3, 4]);
    expect(extractActionItems(crlf).map((item) => item.line)).toEqual([3, 4]);
  });

  it("has none in a body too complex to parse", () => {
    expect(extractActionItems(`## Actions\n\n- [ ] #1 ${"*a".repeat(20_000)}`)).toEqual([]);
  });
});
