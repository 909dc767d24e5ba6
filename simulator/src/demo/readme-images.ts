/**
 * `npm run readme-images [-- --out DIR]`: the README's pictures, from the real app's output. Plays the
 * demo's story (play.ts) against the simulator and the real app process, takes the status comment and
 * the first reminder exactly as the app posted them, renders their Markdown to HTML as GitHub does
 * (micromark with GFM; github-markdown-css; HTML comments hidden, as GitHub hides them) inside a
 * comment box, and screenshots them in Debian's chromium (playwright-core). The report's SVG chart
 * comes from `incident-keeper report --format md --out`. Writes to docs/ unless `--out DIR`:
 * status-comment.png, reminder.png, report-sla-compliance.svg. (docs/dashboard.png is the dashboard
 * browser test's screenshot.) Exit 0 when every image is written; 1 with the reason otherwise.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";
import type { BrowserContext } from "playwright-core";
import { PROJECT_ROOT, SCENARIO, startSimulatedApp, type SimulatedApp } from "../app-process.js";
import { launchChromium } from "../browser.js";
import { wallNow } from "../clock.js";
import { DEMO_CONFIG, demoAppEnv, playIncident } from "./play.js";
import { runReport } from "./report-step.js";

const STATUS_MARKER = "<!-- incident-keeper:status -->";
const repo = SCENARIO.repo;

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);

/** A comment's Markdown as GitHub renders it: GFM, the app's HTML kept (GitHub allows <sub>, comments). */
function renderCommentHtml(markdown: string): string {
  return micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
}

/** A page with one timeline comment box in GitHub's light style around the rendered Markdown. */
function commentPage(input: { author: string; when: string; markdown: string; css: string }): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><style>
${input.css}
body { margin: 0; padding: 16px; background: #ffffff; width: 820px; }
.comment { border: 1px solid #d1d9e0; border-radius: 6px; overflow: hidden; }
.header { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; color: #59636e;
  font: 14px -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
.header strong { color: #1f2328; }
.badge { border: 1px solid #d1d9e0; border-radius: 2em; padding: 0 7px; font-size: 12px; margin-left: 4px; }
.markdown-body { padding: 16px; font-size: 14px; }
</style></head><body>
<div class="comment" id="comment">
  <div class="header"><strong>${escapeHtml(input.author)}</strong><span class="badge">bot</span>
    commented ${escapeHtml(input.when)}</div>
  <div class="markdown-body">${renderCommentHtml(input.markdown)}</div>
</div>
</body></html>`;
}

function githubMarkdownCss(): string {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve("github-markdown-css/github-markdown-light.css"), "utf8");
}

async function screenshot(context: BrowserContext, html: string, file: string): Promise<void> {
  const page = await context.newPage();
  await page.setContent(html, { waitUntil: "load" });
  await page.locator("#comment").screenshot({ path: file });
  await page.close();
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: "string" } } });
  const out = resolve(values.out ?? join(PROJECT_ROOT, "docs"));
  mkdirSync(out, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), "ik-readme-images-"));
  let running: SimulatedApp | null = null;
  let context: BrowserContext | null = null;
  try {
    running = await startSimulatedApp({ config: DEMO_CONFIG, env: demoAppEnv() });
    const outcome = await playIncident(running, () => undefined);
    const { sim } = running;
    if (sim.violations.length > 0) throw new Error(`the simulator recorded ${sim.violations.length} violation(s)`);
    const status = sim.comments(repo, outcome.incident).find((c) => c.body.startsWith(STATUS_MARKER));
    const reminder = sim.comments(repo, outcome.incident).find((c) => c.body === outcome.reminderBody);
    if (!status || !reminder) throw new Error("the app's status comment or reminder is missing");

    const report = await runReport({
      simulatorHost: running.app.simulatorHost,
      privateKey: running.app.privateKey,
      repo,
      since: outcome.alertStartedAt,
      until: new Date(wallNow()),
      args: ["--format", "md", "--out", join(work, "report.md")],
    });
    if (report.code !== 0) throw new Error(`the report exited with ${String(report.code)}: ${report.stderr}`);
    copyFileSync(join(work, "report-charts", "sla-compliance.svg"), join(out, "report-sla-compliance.svg"));

    const profile = join(work, "chromium-profile");
    context = await launchChromium(profile, { width: 860, height: 600 }, 1);
    const css = githubMarkdownCss();
    await screenshot(
      context,
      commentPage({ author: status.user, when: "on the incident", markdown: status.body, css }),
      join(out, "status-comment.png"),
    );
    await screenshot(
      context,
      commentPage({ author: reminder.user, when: "7 hours after the alert", markdown: reminder.body, css }),
      join(out, "reminder.png"),
    );
    process.stdout.write(
      `readme-images: wrote status-comment.png, reminder.png and report-sla-compliance.svg to ${out}\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`readme-images failed: ${error instanceof Error ? error.message : String(error)}\n`);
    const logs = running?.app.logs.slice(-20) ?? [];
    if (logs.length > 0) process.stderr.write(`last lines of the app's log:\n${logs.join("\n")}\n`);
    return 1;
  } finally {
    await context?.close();
    await running?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

process.exitCode = await main();
