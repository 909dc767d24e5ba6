/** The README must stay true: its configuration block is exactly the defaults, and its commands exist. */
import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { configSchema, DEFAULT_CONFIG } from "../../src/config/schema.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  scripts: Record<string, string>;
};

describe("README", () => {
  it("documents every config key with its real default", () => {
    const block = /## Configuration[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const parsed = configSchema.safeParse(parse(block!));
    expect(parsed.success ? parsed.data : parsed.error.issues).toEqual(DEFAULT_CONFIG);
  });

  it("shows the two commands a newcomer runs, and they exist", () => {
    expect(readme).toContain("npm ci && npm run demo");
    expect(readme).toContain("npm ci && npm test");
    expect(Object.keys(pkg.scripts)).toEqual(expect.arrayContaining(["demo", "test", "start", "build", "lint"]));
  });
});
