import { describe, expect, it } from "@jest/globals";
import { runLint } from "../../src/cli/lint.js";
import type { LintIo } from "../../src/cli/lint.js";

function io(files: Record<string, string>): LintIo & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    readFile: (path) =>
      path in files ? Promise.resolve(files[path] as string) : Promise.reject(new Error(`ENOENT ${path}`)),
    stdin: () => Promise.resolve(""),
    stdout: (text) => void (out += text),
    stderr: (text) => void (err += text),
    out: () => out,
    err: () => err,
  };
}

const writeup =
  "# Outage\n\n## Logbook\n\n- 10:00 x\n\n## Root Causes\n\nthe cache\n\n## Fix list\n\n- [ ] #4\n\n## Lessons learned\n\n### What went wrong\n\nslow paging\n";

describe("lint --config", () => {
  const cases: [string, string, number, string][] = [
    ["no config: Logbook and Fix list are not sections", "", 1, "not ok: Timeline missing, Actions missing"],
    [
      "extra_sections add the team's headings",
      "writeup:\n  extra_sections:\n    timeline: [Logbook]\n    actions: [Fix list]\n",
      0,
      "ok: the write-up is complete",
    ],
    [
      "sections replace: Root Causes no longer counts",
      "writeup:\n  sections:\n    rca: [Why]\n  extra_sections:\n    timeline: [Logbook]\n    actions: [Fix list]\n",
      1,
      "not ok: RCA missing",
    ],
  ];
  it.each(cases)("%s", async (_, config, code, last) => {
    const files = { "pm.md": writeup, "c.yml": config };
    const fake = io(files);
    expect(await runLint(config === "" ? ["pm.md"] : ["pm.md", "--config", "c.yml"], fake)).toBe(code);
    expect(fake.out().trim().split("\n").at(-1)).toBe(last);
  });

  it.each([
    ["an invalid key", "writeup:\n  sektions: {}\n", "writeup: Unrecognized key"],
    ["a wrong value", "writeup:\n  sections:\n    rca: []\n", "writeup.sections.rca: Too small"],
    ["broken YAML", "writeup: [\n", "cannot read config c.yml"],
  ])("%s: exit 2, naming it", async (_, config, message) => {
    const fake = io({ "pm.md": writeup, "c.yml": config });
    expect(await runLint(["pm.md", "--config", "c.yml"], fake)).toBe(2);
    expect(fake.err()).toContain(message);
    expect(fake.out()).toBe("");
  });

  it("a missing config file is exit 2", async () => {
    const fake = io({ "pm.md": writeup });
    expect(await runLint(["pm.md", "--config", "nope.yml"], fake)).toBe(2);
    expect(fake.err()).toContain("cannot read config nope.yml");
  });
});

describe("lint --explain", () => {
  it("says which heading was taken for which section and why, and lists the references", async () => {
    const fake = io({
      "pm.md": writeup,
      "c.yml": "writeup:\n  extra_sections:\n    timeline: [Logbook]\n    actions: [Fix list]\n",
    });
    expect(await runLint(["pm.md", "--config", "c.yml", "--explain", "--repo", "acme/web"], fake)).toBe(0);
    const out = fake.out();
    expect(out).toContain(
      'line 3    ## "Logbook" matches "Logbook" [writeup.sections in the config]\n             -> timeline: the timeline section',
    );
    expect(out).toContain('## "Root Causes" matches "Root cause" (plural)');
    expect(out).toContain('-> -: a subsection of "Lessons learned", not a section of its own: not the RCA');
    expect(out).toMatch(/references:\n {2}line 13 {3}acme\/web#4 {11}task: #4\n$/u);
  });

  it("adds the decisions to --json under explain", async () => {
    const fake = io({ "pm.md": writeup });
    expect(await runLint(["pm.md", "--explain", "--json"], fake)).toBe(1);
    const document = JSON.parse(fake.out()) as {
      explain: { headings: { line: number; section: string | null }[] };
      ok: boolean;
    };
    expect(document.explain.headings.map((h) => [h.line, h.section])).toEqual([
      [1, null],
      [3, null],
      [7, "rca"],
      [11, null],
      [15, null],
      [17, null],
    ]);
  });

  it("--json without --explain keeps the stable shape", async () => {
    const fake = io({ "pm.md": writeup });
    await runLint(["pm.md", "--json"], fake);
    expect(Object.keys(JSON.parse(fake.out()) as object)).toEqual(["sections", "actions", "ok"]);
  });
});
