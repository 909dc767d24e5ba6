/**
 * The dashboard in a real browser: Debian's chromium driven by playwright-core, against the real app
 * process and the simulator. Incidents come from a webhook (the status write records them) and from
 * seeding (the sweep reads the ones the view does not know). Both access ways are on: the token, and
 * GitHub sign-in (clicked through the simulator's authorize page). Skips with one line without chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { encodeState, STATUS_MARKER, statusStateSchema, type StatusState } from "../../src/core/status-state.js";
import { PROJECT_ROOT, SCENARIO, startSimulatedApp, type SimulatedApp } from "../../simulator/src/app-process.js";
import { chromiumMissing, launchChromium } from "../../simulator/src/browser.js";
import { GitHubSimulator } from "../../simulator/src/index.js";
import { expectNoViolations } from "../support/e2e.js";

const skipReason = chromiumMissing("the dashboard browser test");
if (skipReason) console.warn(skipReason);
const describeWithBrowser = skipReason ? describe.skip : describe;

const TOKEN = "dashboard-secret-for-tests";
const SWEEP_TOKEN = "sweep-secret-for-tests";
const HOUR_MS = 3_600_000;
const repo = SCENARIO.repo;
const oauth = new GitHubSimulator({ appId: SCENARIO.appId, webhookSecret: "unused" }).oauthClient;
/** The screenshot, kept as a test artifact (and copied to docs/dashboard.png for the README). */
const SCREENSHOT = join(PROJECT_ROOT, "test-artifacts", "dashboard.png");

const hoursAgo = (hours: number): Date => new Date(Math.floor((Date.now() - hours * HOUR_MS) / 1000) * 1000);
const status = (fields: Partial<StatusState>): string =>
  `${STATUS_MARKER}\n### 🚨 Incident status\n\n${encodeState(statusStateSchema.parse({ v: 1, ...fields }))}`;

let e2e: SimulatedApp;
let context: BrowserContext;
let profile: string;
const numbers: Record<string, number> = {};
/** Console errors and page errors, per page. */
const problems: Record<string, string[]> = {};

describeWithBrowser("the dashboard in chromium", () => {
  beforeAll(async () => {
    e2e = await startSimulatedApp({
      env: {
        DASHBOARD_TOKEN: TOKEN,
        SWEEP_TRIGGER_TOKEN: SWEEP_TOKEN,
        SWEEP_INTERVAL_MINUTES: "0",
        GITHUB_CLIENT_ID: oauth.clientId,
        GITHUB_CLIENT_SECRET: oauth.clientSecret,
      },
    });
    const seed = e2e.sim.seed;
    // Sev 1 core bug classified 29 h ago: its 12 h resolution window was breached 17 h ago.
    numbers.action = seed.issue(repo, { title: "Add a payments canary", createdAt: hoursAgo(28) });
    const body = `## Timeline\n\nsomething\n\n## Actions\n\n- [ ] #${numbers.action} canary\n`;
    numbers.breached = seed.issue(repo, {
      title: "Payments down",
      body,
      labels: ["incident", "category:core-bug", "sev:1", "devops:1"],
      createdAt: hoursAgo(30),
    });
    const action = {
      found: true as const,
      kind: "issue" as const,
      state: "open" as const,
      stateReason: null,
      title: "Add a payments canary",
    };
    seed.comment(repo, numbers.breached, {
      body: status({ classifiedAt: hoursAgo(29).toISOString(), actions: { [`${repo}#${numbers.action}`]: action } }),
      viaApp: true,
      createdAt: hoursAgo(29),
    });
    // Unclassified, 11 h old: investigation due in about an hour.
    numbers.soon = seed.issue(repo, { title: "Slow search", labels: ["incident"], createdAt: hoursAgo(11) });
    // Paused: no running deadline, so last.
    numbers.paused = seed.issue(repo, {
      title: "Waiting on the vendor",
      labels: ["incident", "sla:paused"],
      createdAt: hoursAgo(3),
    });
    seed.comment(repo, numbers.paused, {
      body: status({ pauses: [{ start: hoursAgo(2).toISOString(), end: null }] }),
      viaApp: true,
      createdAt: hoursAgo(2),
    });
    // Filed now through a webhook: the app's status write puts it on the dashboard (due in 12 h).
    const filed = await e2e.sim.user("alice").openIssue(repo, { title: "Login <b>errors</b>", labels: ["incident"] });
    numbers.filed = filed.data.number;
    await e2e.sim.settle();
    // A sweep adds the incidents this process has not seen yet.
    const sweep = await fetch(`${e2e.app.url}/api/incident-keeper/sweep?wait=1`, {
      method: "POST",
      headers: { authorization: `Bearer ${SWEEP_TOKEN}` },
    });
    expect(sweep.status).toBe(200);
    await e2e.sim.settle();

    profile = mkdtempSync(join(tmpdir(), "ik-chromium-"));
    context = await launchChromium(profile, { width: 1100, height: 640 });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await e2e?.stop();
  });

  const watch = (page: Page, name: string): Page => {
    const list: string[] = [];
    problems[name] = list;
    page.on("console", (message) => {
      if (message.type() === "error") list.push(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => list.push(`page error: ${error.message}`));
    return page;
  };

  it("refuses without the token and shows no incident data", async () => {
    const page = watch(await context.newPage(), "refused");
    const response = await page.goto(`${e2e.app.url}/incident-keeper/dashboard`);
    expect(response?.status()).toBe(401);
    expect(await page.getByLabel("Access token").count()).toBe(1);
    const text = await page.content();
    expect(text).not.toContain("Payments down");
    expect(text).not.toContain("acme/api");
    await page.getByLabel("Access token").fill("not-the-token");
    await page.getByRole("button", { name: "Open the dashboard" }).click();
    expect(await page.getByRole("alert").textContent()).toBe("That token is not right.");
    expect(await page.content()).not.toContain("Payments down");
    await page.close();
  }, 60_000);

  it("with the token (the form's cookie): the incidents in urgency order, the breach marked, a countdown ticking, 0 API calls", async () => {
    const before = e2e.sim.requests.length;
    const signIn = await context.newPage();
    await signIn.goto(`${e2e.app.url}/incident-keeper/dashboard`);
    await signIn.getByLabel("Access token").fill(TOKEN);
    await signIn.getByRole("button", { name: "Open the dashboard" }).click();
    await signIn.waitForSelector("table");
    await signIn.close();
    // The cookie is the context's: a new page opens straight on the dashboard.
    const page = watch(await context.newPage(), "dashboard");
    expect((await page.goto(`${e2e.app.url}/incident-keeper/dashboard`))?.status()).toBe(200);
    await page.waitForSelector("table");
    const rows = await page.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-incident")));
    expect(rows).toEqual([numbers.breached, numbers.soon, numbers.filed, numbers.paused].map((n) => `${repo}#${n}`));

    const breachedRow = page.locator(`tr[data-incident="${repo}#${numbers.breached}"]`);
    expect(await breachedRow.getAttribute("class")).toContain("breached");
    expect(await breachedRow.locator(".badge.breached").textContent()).toBe("breached");
    expect(await breachedRow.getByRole("link", { name: `${repo}#${numbers.action}` }).count()).toBe(1);
    // A title with HTML in it is text, not markup.
    expect(await page.locator(`tr[data-incident="${repo}#${numbers.filed}"] th`).textContent()).toContain(
      "Login <b>errors</b>",
    );
    expect(await page.locator(`tr[data-incident="${repo}#${numbers.paused}"] .badge.paused`).count()).toBe(1);

    const countdown = page.locator(`tr[data-incident="${repo}#${numbers.soon}"] time[data-countdown]`).first();
    await page.waitForFunction((el) => / s\)$/.test(el?.textContent ?? ""), await countdown.elementHandle());
    const first = await countdown.textContent();
    await page.waitForFunction(({ el, was }) => el?.textContent !== was, {
      el: await countdown.elementHandle(),
      was: first,
    });
    const second = await countdown.textContent();
    expect(first).toMatch(/\(in (0 h )?\d{2} min \d{2} s\)$|\(in 1 h \d{2} min \d{2} s\)$/);
    expect(second).not.toBe(first);

    await page.reload();
    await page.waitForSelector("table");
    expect(e2e.sim.requests.length - before).toBe(0);

    mkdirSync(join(PROJECT_ROOT, "test-artifacts"), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    if (process.env.UPDATE_DOCS_SCREENSHOT === "1")
      copyFileSync(SCREENSHOT, join(PROJECT_ROOT, "docs", "dashboard.png"));
    expect(existsSync(SCREENSHOT)).toBe(true);
    await page.close();
  }, 60_000);

  it("a bearer header works without the form; a wrong one gets the sign-in page and no data", async () => {
    const ok = await fetch(`${e2e.app.url}/incident-keeper/dashboard`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(await ok.text()).toContain("Payments down");
    const wrong = await fetch(`${e2e.app.url}/incident-keeper/dashboard`, {
      headers: { authorization: "Bearer nope" },
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain("Payments down");
  }, 30_000);

  it("GitHub sign-in, clicked through: the readable repository's incidents, then sign-out", async () => {
    await context.clearCookies(); // no token cookie: only the GitHub session opens the page
    e2e.sim.signInBrowser("mallory"); // reads acme/api
    const page = watch(await context.newPage(), "sign-in");
    expect((await page.goto(`${e2e.app.url}/incident-keeper/dashboard`))?.status()).toBe(401);
    await page.getByRole("link", { name: "Sign in with GitHub" }).click();
    await page.waitForSelector("table");
    expect(new URL(page.url()).pathname).toBe("/incident-keeper/dashboard");
    const rows = await page.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-incident")));
    expect(rows).toContain(`${repo}#${numbers.breached}`);
    const cookies = await context.cookies();
    expect(cookies.map((c) => c.name).sort()).toEqual(["ik_session"]);
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/incident-keeper" });
    expect(cookies[0]!.value).not.toMatch(/ghu_/);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForSelector("text=Sign in with GitHub");
    expect(await page.content()).not.toContain("Payments down");
    // The only console lines: the browser noting the 401 answers (before sign-in, after sign-out).
    expect(problems["sign-in"]!.every((line) => line.includes("status of 401"))).toBe(true);
    await page.close();
  }, 60_000);

  it("no console errors (the CSP allowed everything the page uses) and no violations", () => {
    // The refused page's only console lines are the browser noting its own 401 answers (first view, wrong token).
    expect(problems.refused).toEqual(
      Array<string>(2).fill(
        "console: Failed to load resource: the server responded with a status of 401 (Unauthorized)",
      ),
    );
    expect(problems.dashboard).toEqual([]);
    expectNoViolations(e2e.sim);
  });
});
