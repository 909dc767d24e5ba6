import { describe, expect, it } from "@jest/globals";
import { configSchema } from "../../src/config/schema.js";
import { validateConfig } from "../../src/config/load.js";
import { analyzeWriteup } from "../../src/core/action-items.js";
import { policiesOf } from "../../src/config/policies.js";

const body =
  "## Chronology\n\nx\n\n## Why it broke\n\ny\n\n## Root cause\n\nz\n\n## Fix list\n\n- [ ] #1\n\n## Action items\n\n- [ ] #2\n";

describe("config headings extend or replace the built-in lexicon", () => {
  const cases: [string, object, [string | null, string | null, string | null], number[]][] = [
    ["defaults", {}, ["Chronology", "Root cause", "Action items"], [2]],
    [
      "extra_sections add",
      { extra_sections: { actions: ["Fix list"] } },
      ["Chronology", "Root cause", "Fix list"],
      [1, 2],
    ],
    [
      "sections replace one section",
      { sections: { rca: ["Why it broke"] } },
      ["Chronology", "Why it broke", "Action items"],
      [2],
    ],
    [
      "replace and extend",
      { sections: { actions: ["Fix list"] }, extra_sections: { actions: ["Tasks"], rca: ["Why it broke"] } },
      ["Chronology", "Why it broke", "Fix list"],
      [1],
    ],
  ];
  it.each(cases)("%s", (_, writeup, headings, refs) => {
    const config = configSchema.parse({ writeup });
    const analysis = analyzeWriteup(body, { rules: policiesOf(config).writeup.sections });
    expect([
      analysis.sections.timeline.heading,
      analysis.sections.rca.heading,
      analysis.sections.actions.heading,
    ]).toEqual(headings);
    expect(analysis.actions.map((item) => item.ref?.number)).toEqual(refs);
  });

  it.each([
    [{ writeup: { sections: { rca: [] } } }, "writeup.sections.rca"],
    [{ writeup: { extra_sections: { why: ["x"] } } }, "writeup.extra_sections"],
    [{ writeup: { paths: "postmortems/**" } }, "writeup.paths"],
  ])("rejects %j naming %s", (raw, path) => {
    const result = validateConfig(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.issues.map((issue) => issue.path)).toContain(path);
  });
});
