/**
 * `incident-keeper sweep` as cron would run it: a child process, one pass over every installation,
 * against the simulator. Incidents are seeded with creation times in the past so that deadlines fall
 * due against the sweep's real clock.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { EMPTY_STATE, encodeState, STATUS_MARKER } from "../../src/core/status-state.js";
import {
  SCENARIO,
  startSimulatedApp,
  type ProcessOutcome,
  type SimulatedApp,
} from "../../simulator/src/app-process.js";
import type { RequestRecord } from "../../simulator/src/request-log.js";
import { expectNoViolations, runSweepCli } from "../support/e2e.js";

const repo = SCENARIO.repo;
const HOUR_MS = 3_600_000;
const CONFIG = ["teams:", '  responders: "@acme/oncall"', "  escalation:", '    "1": "@acme/sre-leads"', ""].join("\n");

let e2e: SimulatedApp;
beforeAll(async () => {
  // The server's own scheduler is off: only the CLI sweeps.
  e2e = await startSimulatedApp({ config: CONFIG, env: { SWEEP_INTERVAL_MINUTES: "0" } });
  // The app resolves its identity (GET /app) on its first event: do it now, so that the requests
  // counted below are the sweep's alone (the app answers the echoes of the sweep's writes with none).
  await e2e.sim.user("bob").openIssue(repo, { title: "A question, not an incident" });
  await e2e.sim.settle();
}, 60_000);
afterAll(() => e2e?.stop());

/** Whole seconds, as GitHub's timestamps are. */
const hoursAgo = (hours: number): Date => new Date(Math.floor((Date.now() - hours * HOUR_MS) / 1000) * 1000);
const reminders = (n: number): string[] =>
  e2e.sim
    .comments(repo, n)
    .map((c) => c.body)
    .filter((b) => b.includes("<!-- incident-keeper:reminder "));
const SUMMARY =
  /^swept 1 installation\(s\) in \d+ ms: (\d+) open incident\(s\), (\d+) read, (\d+) reminder\(s\) posted, (\d+) deferred, (\d+) write\(s\), 0 error\(s\)$/m;

/** Runs the CLI; returns its outcome, the summary's numbers and the requests made meanwhile. */
async function sweep(
  env: Record<string, string> = {},
): Promise<{ outcome: ProcessOutcome; summary: number[]; requests: RequestRecord[] }> {
  await e2e.sim.settle();
  const from = e2e.sim.requests.length;
  const outcome = await runSweepCli(e2e, env);
  await e2e.sim.settle(); // the app's answers to the webhooks the sweep's writes caused
  const match = SUMMARY.exec(outcome.stdout);
  expect({ code: outcome.code, stdout: outcome.stdout, stderr: outcome.stderr, summary: match !== null }).toMatchObject(
    { code: 0, stderr: "", summary: true },
  );
  return { outcome, summary: match!.slice(1).map(Number), requests: e2e.sim.requests.slice(from) };
}
const writesOf = (requests: RequestRecord[]): string[] =>
  requests
    .filter((r) => r.method !== "GET" && !r.path.endsWith("/access_tokens") && r.graphql?.operation !== "query")
    .map((r) => `${r.method} ${r.path}`);

describe("the sweep command line", () => {
  it("posts each due reminder once, the most severe one, with the right mentions", async () => {
    const seed = e2e.sim.seed;
    const approachingAt = hoursAgo(7); // 7 h of 12: the 50 % reminder
    const approaching = seed.issue(repo, {
      title: "Slow checkout",
      labels: ["incident"],
      assignees: ["alice"],
      createdAt: approachingAt,
    });
    const breachedAt = hoursAgo(13); // 50 %, 75 % and the deadline all passed: one reminder, the breach
    const breached = seed.issue(repo, { title: "Payments down", labels: ["incident", "sev:1"], createdAt: breachedAt });
    // Paused 5 h ago (as the app recorded when the label came), 2 h into the window: owes nothing.
    const paused = seed.issue(repo, {
      title: "Waiting on the customer",
      labels: ["incident", "sla:paused"],
      createdAt: hoursAgo(7),
    });
    const pausedStatus = `${STATUS_MARKER}\n### 🚨 Incident status\n\n${encodeState({ ...EMPTY_STATE, pauses: [{ start: hoursAgo(5).toISOString(), end: null }] })}`;
    seed.comment(repo, paused, { body: pausedStatus, viaApp: true, createdAt: hoursAgo(5) });
    // Closed and not an incident: never read.
    seed.issue(repo, {
      title: "Old outage",
      labels: ["incident"],
      createdAt: hoursAgo(30),
      state: "closed",
      closedAt: hoursAgo(20),
    });
    seed.issue(repo, { title: "Feature idea", createdAt: hoursAgo(30) });

    const first = await sweep();
    // found 3 open incidents, read 2, posted 2: the paused one cannot owe anything before its 12 h
    // deadline (the reminder horizon), so it is not read at all.
    expect(first.summary.slice(0, 4)).toEqual([3, 2, 2, 0]);

    const approachingDeadline = new Date(approachingAt.getTime() + 12 * HOUR_MS);
    expect(reminders(approaching)).toEqual([
      expect.stringContaining(
        `<!-- incident-keeper:reminder investigation:50@${approachingDeadline.toISOString()} -->`,
      ),
    ]);
    const due = reminders(approaching)[0]!;
    expect(due).toContain("### ⏰ SLA reminder: investigation & classification due in 5 hours"); // 4 h 59 min and some seconds, rounded
    expect(due).toContain(
      `The **investigation & classification** deadline of this incident is **${approachingDeadline.toISOString().slice(0, 16).replace("T", " ")} UTC** (50% of the window has passed, 5 hours left).`,
    );
    expect(due.trimEnd().endsWith("@alice")).toBe(true);
    expect(due).not.toContain("escalating");

    const breachDeadline = new Date(breachedAt.getTime() + 12 * HOUR_MS);
    expect(reminders(breached)).toEqual([
      expect.stringContaining(`<!-- incident-keeper:reminder investigation:breach@${breachDeadline.toISOString()} -->`),
    ]);
    const breach = reminders(breached)[0]!;
    expect(breach).toContain("### 🔥 SLA breached: investigation & classification deadline passed");
    expect(breach).toContain(
      `deadline of this incident is **${breachDeadline.toISOString().slice(0, 16).replace("T", " ")} UTC**, 1 hour ago.`,
    );
    expect(breach.trimEnd().endsWith("@acme/oncall · escalating to @acme/sre-leads")).toBe(true);
    expect(e2e.sim.issue(repo, breached).labels).toContain("sla:breached");
    expect(e2e.sim.issue(repo, approaching).labels).not.toContain("sla:breached");

    expect(reminders(paused)).toEqual([]);
    expect(e2e.sim.comments(repo, paused).map((c) => c.body)).toEqual([pausedStatus]);
    expect(e2e.sim.issue(repo, paused).labels).toEqual(["incident", "sla:paused"]);

    // Pages and writes of the whole pass: one search page, then per incident what it needs.
    const searches = first.requests.filter((r) => r.path === "/search/issues");
    expect(searches).toHaveLength(1);
    // Pages and writes of the whole pass: one search page, the config once, the own comments of the
    // incidents past their reminder horizon in one GraphQL query (again through REST under the lock
    // for the two that owe a reminder: no Redis, so another sweep may post at any moment), then the
    // writes, then one more GraphQL query for both: did another sweep post the same? (the arbiter)
    const lines = (requests: RequestRecord[]): string[] =>
      requests
        .filter((r) => !r.path.endsWith("/access_tokens"))
        .map((r) => `${r.method} ${r.path.replace(/\/comments\/\d+$/, "/comments/ID")}`);
    const api = "/repos/acme/api";
    expect(lines(first.requests).sort()).toEqual(
      [
        "GET /app/installations", // it names the app too (app_id, app_slug): no GET /app for the identity
        "GET /app/hook/deliveries", // the redelivery pass: every delivery succeeded, nothing asked again
        "GET /installation/repositories", // whose configs name the incident labels to search for
        "GET /search/issues",
        "POST /api/graphql", // both incidents' comments: nodes(ids:), 1 point
        `GET ${api}/contents/.github%2Fincident-keeper.yml`,
        `GET ${api}/issues/${approaching}/comments`, // under the lock
        `GET ${api}/issues/${breached}/comments`,
        "POST /api/graphql", // after writing, both incidents at once (issue #12: was one REST read each)
        `GET ${api}/issues/${approaching}/timeline`, // no state yet: when did it become an incident?
        `GET ${api}/issues/${breached}/timeline`,
        `GET ${api}/labels`,
        `POST ${api}/issues/${breached}/comments`, // the reminder
        `POST ${api}/labels`, // sla:breached, created with its colour
        `POST ${api}/issues/${breached}/labels`,
        `POST ${api}/labels`, // incident:needs-writeup
        `POST ${api}/issues/${breached}/labels`,
        `POST ${api}/issues/${breached}/comments`, // the status comment
        `POST ${api}/issues/${approaching}/comments`,
        `POST ${api}/issues/${approaching}/labels`,
        `POST ${api}/issues/${approaching}/comments`,
      ].sort(),
    );
    expect(first.summary[4]).toBe(9); // the summary counts every write request
    const graphql = first.requests.filter((r) => r.graphql);
    const usage = graphql.map((r) => [r.graphql?.operation, r.graphql?.cost, r.graphql?.rejected]);
    expect(usage).toEqual([
      ["query", 1, false],
      ["query", 1, false],
    ]);
    expectNoViolations(e2e.sim);

    // Again: nothing new, nothing written.
    const second = await sweep();
    expect(second.summary.slice(0, 5)).toEqual([3, 2, 0, 0, 0]);
    expect(writesOf(second.requests)).toEqual([]);
    expect(reminders(approaching)).toHaveLength(1);
    expect(reminders(breached)).toHaveLength(1);
    expectNoViolations(e2e.sim);
  }, 90_000);

  it("with SWEEP_WRITE_BUDGET=1 does the most urgent first and the rest in later runs", async () => {
    const seed = e2e.sim.seed;
    const late = seed.issue(repo, { title: "Late", labels: ["incident"], createdAt: hoursAgo(14) });
    const soon = seed.issue(repo, { title: "Soon", labels: ["incident"], createdAt: hoursAgo(10) });
    const later = seed.issue(repo, { title: "Later", labels: ["incident"], createdAt: hoursAgo(7) });
    // Budget 1: the most urgent (the breach) alone, even though it takes 4 writes; the rest waits.
    // (Read: 5 of 6, the paused incident of the test above is before its reminder horizon.)
    const one = await sweep({ SWEEP_WRITE_BUDGET: "1" });
    expect(one.summary).toEqual([6, 5, 1, 2, 4]);
    expect(writesOf(one.requests).every((w) => w.startsWith(`POST /repos/acme/api/issues/${late}/`))).toBe(true);
    expect(reminders(late)).toEqual([expect.stringContaining("<!-- incident-keeper:reminder investigation:breach@")]);
    expect([reminders(soon), reminders(later)]).toEqual([[], []]);

    // The next run: the next most urgent (earliest deadline), and still not the last.
    const two = await sweep({ SWEEP_WRITE_BUDGET: "1" });
    expect(two.summary).toEqual([6, 5, 1, 1, 3]);
    expect(reminders(soon)).toEqual([expect.stringContaining("<!-- incident-keeper:reminder investigation:75@")]);
    expect(reminders(later)).toEqual([]);

    // Without the override (config default 50 writes): the rest; then nothing is left.
    const three = await sweep();
    expect(three.summary).toEqual([6, 5, 1, 0, 3]);
    expect(reminders(later)).toEqual([expect.stringContaining("<!-- incident-keeper:reminder investigation:50@")]);
    const four = await sweep({ SWEEP_WRITE_BUDGET: "1" });
    expect(four.summary).toEqual([6, 5, 0, 0, 0]);
    expect([late, soon, later].map((n) => reminders(n).length)).toEqual([1, 1, 1]);
    expectNoViolations(e2e.sim);
  }, 90_000);

  it("with SWEEP_REPORT_JSON=1 prints the JSON alone on stdout (logs and the summary go to stderr)", async () => {
    await e2e.sim.settle();
    const outcome = await runSweepCli(e2e, { SWEEP_REPORT_JSON: "1", LOG_LEVEL: "info" });
    await e2e.sim.settle();
    expect(outcome.code).toBe(0);
    const report = JSON.parse(outcome.stdout) as { installations: Array<{ found: number }> };
    expect(report.installations).toHaveLength(1);
    expect(outcome.stderr).toMatch(SUMMARY);
    expect(outcome.stderr).toContain('"msg":"sweep: installation done"');
  }, 60_000);

  it("the hint names a README section that exists", async () => {
    const { readFile } = await import("node:fs/promises");
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    const outcome = await runSweepCli(e2e, { APP_ID: "" });
    const section = /see README '([^']+)'/.exec(outcome.stderr)?.[1];
    expect(readme.split("\n")).toContain(`## ${section}`);
  }, 30_000);

  it("exits 2 with a clear message without an app id, or with a bad budget", async () => {
    const noId = await runSweepCli(e2e, { APP_ID: "" });
    expect(noId).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "incident-keeper sweep: set APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH); see README 'Running the reminder sweep'.\n",
    });
    const badBudget = await runSweepCli(e2e, { SWEEP_WRITE_BUDGET: "lots" });
    expect(badBudget).toEqual({
      code: 2,
      stdout: "",
      stderr: 'incident-keeper sweep: SWEEP_WRITE_BUDGET must be a positive integer, got "lots".\n',
    });
    const badSigning = await runSweepCli(e2e, { STATE_SIGNING: "yes" });
    expect(badSigning).toEqual({
      code: 2,
      stdout: "",
      stderr: 'incident-keeper sweep: STATE_SIGNING must be "on" or "off" (unset means on), not "yes".\n',
    });
  }, 30_000);
});
