/** README: "without it those tests are skipped with a line saying so" — the line is printed once per run. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";

const notice = new URL("../support/redis-notice.mjs", import.meta.url).href;
const run = (path: string) =>
  spawnSync(
    process.execPath,
    ["--input-type=module", "-e", `const m = await import(${JSON.stringify(notice)}); m.default();`],
    { env: { PATH: path }, encoding: "utf8" },
  );

describe("the Redis skip line (jest globalSetup)", () => {
  it("says so on stderr when redis-server is not on PATH", () => {
    const bin = mkdtempSync(join(tmpdir(), "no-redis-"));
    symlinkSync(process.execPath, join(bin, "node"));
    const result = run(bin);
    expect(result.stderr).toContain(
      "redis-server is not installed: skipping the multi-process tests (apt-get install -y redis-server, as .ci/run does)",
    );
  });
});
