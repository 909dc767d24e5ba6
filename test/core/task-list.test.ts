import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { extractActionItems } from "../../src/core/action-items.js";
import { sectionRulesFrom } from "../../src/core/sections.js";
import { setChecksForRef, setTaskChecked } from "../../src/core/task-list.js";

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/writeups/${name}`, import.meta.url), "utf8");

/** Offsets at which two equally long strings differ. */
const diffOffsets = (a: string, b: string): number[] => {
  expect(b).toHaveLength(a.length);
  return [...a].flatMap((_, i) => (a[i] === b[i] ? [] : [i]));
};

describe("setTaskChecked", () => {
  const cases: [string, boolean, string][] = [
    ["- [ ] a", true, "- [x] a"],
    ["- [ ] a", false, "- [ ] a"],
    ["- [x] a", false, "- [ ] a"],
    ["- [x] a", true, "- [x] a"],
    ["- [X] a", true, "- [X] a"],
    ["- [X] a", false, "- [ ] a"],
    ["- [\t] a", true, "- [x] a"],
    ["- [\t] a", false, "- [\t] a"],
  ];
  it.each(cases)("%j set to %s gives %j", (body, checked, expected) => {
    expect(setTaskChecked(body, { checkboxOffset: 3 }, checked)).toBe(expected);
    // Idempotent.
    expect(setTaskChecked(expected, { checkboxOffset: 3 }, checked)).toBe(expected);
  });

  it.each([
    ["not a checkbox", "- [ ] a", 5],
    ["the opening bracket", "- [ ] a", 2],
    ["before the start", "[ ] a", -1],
    ["past the end", "- [ ]", 5],
    ["a fraction", "- [ ] a", 3.5],
    ["another character in brackets", "- [o] a", 3],
  ])("refuses an offset that is %s", (_, body, offset) => {
    expect(() => setTaskChecked(body, { checkboxOffset: offset }, true)).toThrow(RangeError);
  });

  it("changes only the box character of a CRLF body", () => {
    const body = fixture("crlf.md");
    const [first] = extractActionItems(body);
    const ticked = setTaskChecked(body, { checkboxOffset: first!.checkboxOffset! }, true);
    expect(diffOffsets(body, ticked)).toEqual([first!.checkboxOffset]);
    expect(ticked.split("\r\n")).toHaveLength(body.split("\r\n").length);
  });
});

describe("setChecksForRef", () => {
  const context = { owner: "acme", repo: "platform" };

  it("ticks the item whose first reference is the closed issue, and nothing else", () => {
    const body = fixture("issue-form.md");
    const result = setChecksForRef(body, { owner: "acme", repo: "platform", number: 512 }, context, true);
    expect(result.changed).toBe(1);
    const offset = body.indexOf("- [ ] Add a CI check") + 3;
    expect(diffOffsets(body, result.body)).toEqual([offset]);
    expect(result.body[offset]).toBe("x");
  });

  it("is idempotent", () => {
    const body = fixture("issue-form.md");
    const once = setChecksForRef(body, { owner: null, repo: null, number: 512 }, context, true);
    const twice = setChecksForRef(once.body, { owner: null, repo: null, number: 512 }, context, true);
    expect(twice).toEqual({ body: once.body, changed: 0 });
  });

  it("unticks (reopened issue) and matches owner and repository ignoring case", () => {
    const body = fixture("issue-form.md");
    const result = setChecksForRef(body, { owner: "ACME", repo: "Platform", number: 483 }, context, false);
    expect(result.changed).toBe(1);
    expect(result.body).toBe(body.replace("- [x] Roll back", "- [ ] Roll back"));
  });

  it("resolves bare #N in the incident's repository only", () => {
    const body = fixture("issue-form.md");
    expect(setChecksForRef(body, { owner: "other", repo: "platform", number: 512 }, context, true).changed).toBe(0);
    expect(
      setChecksForRef(body, { owner: "acme", repo: "platform", number: 512 }, { owner: "acme", repo: "other" }, true)
        .changed,
    ).toBe(0);
  });

  it("ticks items that link the issue by URL", () => {
    const body = "## Actions\n\n- [ ] fix https://github.com/acme/shop/issues/7\n";
    const result = setChecksForRef(body, { owner: "acme", repo: "shop", number: 7 }, context, true);
    expect(result).toEqual({ body: body.replace("[ ]", "[x]"), changed: 1 });
  });

  it("only looks at an item's first reference", () => {
    const body = "## Actions\n\n- [ ] Fix #1 (follow-up of #2)\n";
    expect(setChecksForRef(body, { owner: null, repo: null, number: 2 }, context, true).changed).toBe(0);
    expect(setChecksForRef(body, { owner: null, repo: null, number: 1 }, context, true).changed).toBe(1);
  });

  it("ticks every item that tracks the issue, keeping CRLF line endings", () => {
    const body = "## Actions\r\n\r\n- [ ] a #4\r\n  - [ ] b #4\r\n- [X] c #4\r\n- [ ] d #5\r\n";
    const result = setChecksForRef(body, { owner: null, repo: null, number: 4 }, context, true);
    expect(result).toEqual({
      body: "## Actions\r\n\r\n- [x] a #4\r\n  - [x] b #4\r\n- [X] c #4\r\n- [ ] d #5\r\n",
      changed: 2,
    });
  });

  it("leaves tasks outside Actions, in code, and plain bullets alone", () => {
    const body = [
      "## Timeline\n\n- [ ] #4\n",
      "## Actions\n\n```\n- [ ] #4\n```\n\n- see #4\n",
      "## Lessons learned\n\n- [ ] #4\n",
    ].join("\n");
    expect(setChecksForRef(body, { owner: null, repo: null, number: 4 }, context, true)).toEqual({ body, changed: 0 });
  });

  it("uses configured section names", () => {
    // "Remediation" joined the default lexicon (issue #15): a name outside it keeps this test's intent.
    const rules = sectionRulesFrom({ timeline: ["Timeline"], rca: ["RCA"], actions: ["Fix list"] });
    const body = "## Fix list\n\n- [ ] #4\n";
    expect(setChecksForRef(body, { owner: null, repo: null, number: 4 }, context, true).changed).toBe(0);
    expect(setChecksForRef(body, { owner: null, repo: null, number: 4 }, context, true, { rules }).changed).toBe(1);
  });
});
