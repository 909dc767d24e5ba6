/**
 * `npm run readme-images` still runs: the built script (`node simulator/lib/demo/readme-images.js
 * --out DIR`) plays the demo against the simulator and the real app, screenshots the status comment
 * and the reminder in chromium and copies the report's chart. Skips with one line without chromium.
 */
import { describe, expect, it } from "@jest/globals";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../simulator/src/app-process.js";
import { chromiumMissing } from "../../simulator/src/browser.js";

const unavailable = chromiumMissing("the README images test");
if (unavailable) console.log(unavailable);
const describeWithBrowser = unavailable ? describe.skip : describe;

function run(out: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, ["simulator/lib/demo/readme-images.js", "--out", out], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), 150_000);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Width and height from a PNG's IHDR chunk; throws unless the file is a PNG. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describeWithBrowser("npm run readme-images", () => {
  it("writes the status comment and reminder screenshots and the report chart from the real app's output", async () => {
    const out = mkdtempSync(join(tmpdir(), "ik-readme-images-test-"));
    try {
      const { code, stdout, stderr } = await run(out);
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
      expect(stdout).toContain(`wrote status-comment.png, reminder.png and report-sla-compliance.svg to ${out}`);
      const status = pngSize(join(out, "status-comment.png"));
      const reminder = pngSize(join(out, "reminder.png"));
      // The comment box is 820 px wide plus its border; the status comment is much taller than a reminder.
      expect(status.width).toBeGreaterThanOrEqual(800);
      expect(reminder.width).toBeGreaterThanOrEqual(800);
      expect(status.height).toBeGreaterThan(reminder.height);
      expect(reminder.height).toBeGreaterThan(60);
      const chart = readFileSync(join(out, "report-sla-compliance.svg"), "utf8");
      expect(chart).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(chart).toContain("Sev 1");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 160_000);
});
