import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { configJsonSchema } from "../../src/config/json-schema.js";
import { validateConfig } from "../../src/config/load.js";

const committed = JSON.parse(
  readFileSync(new URL("../../schema/incident-keeper.schema.json", import.meta.url), "utf8"),
) as object;
const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("the committed JSON Schema of .github/incident-keeper.yml", () => {
  it("is what the zod schema generates (regenerate: npm run build && node scripts/generate-config-schema.mjs)", () => {
    expect(committed).toEqual(configJsonSchema());
  });

  it("is referenced from the README", () => {
    expect(readme).toContain("schema/incident-keeper.schema.json");
  });

  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(committed);
  const cases: [string, unknown, boolean][] = [
    [
      "the README's defaults block",
      parse(/## Configuration[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1] ?? ""),
      true,
    ],
    ["an empty file's mapping", {}, true],
    ["_extends", { _extends: "acme/.github" }, true],
    ["a team's headings", { writeup: { sections: { rca: ["Why"] }, extra_sections: { actions: ["Fix list"] } } }, true],
    ["an unknown key", { writeup: { sektions: {} } }, false],
    ["a wrong type", { sla: { investigation_hours: "twelve" } }, false],
    ["a wrong enum value", { permissions: { commands: "owner" } }, false],
    ["an empty replacement list", { writeup: { sections: { rca: [] } } }, false],
  ];
  it.each(cases)("%s: JSON Schema and the app agree (%s)", (_, raw, valid) => {
    expect(validate(raw)).toBe(valid);
    expect(validateConfig(raw).ok).toBe(valid);
  });
});
