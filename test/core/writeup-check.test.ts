import { describe, expect, it } from "@jest/globals";
import { checkConfigText, checkWriteupFiles, isPostmortemFile } from "../../src/core/writeup-check.js";
import { validateConfig } from "../../src/config/load.js";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { writeupCheckOutput, MAX_ANNOTATIONS } from "../../src/render/checks.js";
import { policiesOf } from "../../src/config/policies.js";

describe("which changed files are postmortems", () => {
  const paths = DEFAULT_CONFIG.writeup.paths;
  const cases: [string, boolean][] = [
    ["postmortems/2026-11-30.md", true],
    ["postmortems/2026/q4/db.markdown", true],
    ["docs/postmortems/a.md", true],
    ["docs/incidents/a.MD", true],
    ["docs/incidents/a.png", false],
    ["docs/guide.md", false],
    ["src/postmortems/a.md", false],
    ["README.md", false],
  ];
  it.each(cases)("%s: %s", (path, expected) => {
    expect(isPostmortemFile(path, paths)).toBe(expected);
  });
});

describe("config check: each issue on its line", () => {
  const cases: [string, string, [string, number][]][] = [
    ["valid", "incident_label: incident\n", []],
    ["a wrong value", "sla:\n  investigation_hours: -1\n", [["sla.investigation_hours", 2]]],
    ["an unknown key", "labels:\n  product: product\n  colour: red\n", [["labels", 3]]],
    ["an item of a list", "writeup:\n  severities:\n    - 1\n    - 9\n", [["writeup.severities.1", 4]]],
    ["a YAML syntax error", "sla: [\n", [["(file)", 1]]],
    ["not a mapping", "- a\n- b\n", [["(root)", 1]]],
  ];
  it.each(cases)("%s", (_, text, expected) => {
    const result = checkConfigText(text, validateConfig);
    expect(result.ok).toBe(expected.length === 0);
    expect(result.issues.map((issue) => [issue.path, issue.line])).toEqual(expected);
  });
});

describe("write-up check output", () => {
  it("caps annotations at GitHub's 50 per request and says how many files were not checked", () => {
    const files = Array.from({ length: 20 }, (_, i) => ({ path: `postmortems/${i}.md`, body: "# nothing\n" }));
    const output = writeupCheckOutput(checkWriteupFiles(files, policiesOf(DEFAULT_CONFIG).writeup.sections), 3);
    expect(output.annotations).toHaveLength(MAX_ANNOTATIONS);
    expect(output.title).toBe("20 of 20 postmortems not complete");
    expect(output.summary).toContain("3 more changed postmortem files were not checked (at most 20 per run).");
  });

  it("succeeds when every file is complete", () => {
    const body = "## Timeline\n\nx\n\n## Root cause\n\ny\n\n## Action items\n\n- [ ] #1\n";
    const output = writeupCheckOutput(
      checkWriteupFiles([{ path: "postmortems/a.md", body }], policiesOf(DEFAULT_CONFIG).writeup.sections),
      0,
    );
    expect([output.conclusion, output.annotations]).toEqual(["success", []]);
    expect(output.summary).not.toContain("not checked");
  });
});
