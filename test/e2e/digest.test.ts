/**
 * The weekly digest, end to end: two sweep processes (the CLI, as two cron runs or two instances)
 * after the digest's scheduled time post exactly one digest issue, linking the week's incidents.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { dueDigest } from "../../src/core/digest.js";
import { encodeState, STATUS_MARKER, statusStateSchema } from "../../src/core/status-state.js";
import { SCENARIO, startSimulatedApp, type SimulatedApp } from "../../simulator/src/app-process.js";
import { expectNoViolations, runSweepCli } from "../support/e2e.js";

const repo = SCENARIO.repo;
const DAY_MS = 86_400_000;
// Due from 00:00 UTC today (today's ISO weekday): a sweep now is past it.
const weekday = new Date().getUTCDay() || 7;
const CONFIG = `report:\n  digest:\n    repository: ${repo}\n    weekday: ${weekday}\n    time: "00:00"\n`;
const due = dueDigest({ weekday, time: "00:00", timeZone: null }, new Date())!;

let e2e: SimulatedApp;
const numbers: number[] = [];
beforeAll(async () => {
  e2e = await startSimulatedApp({ config: CONFIG, env: { SWEEP_INTERVAL_MINUTES: "0" } });
  const seed = e2e.sim.seed;
  // Last week: a Sev 2 resolved in 5 h, and a feature request still open.
  const opened = new Date(due.since.getTime() + DAY_MS + 9 * 3_600_000);
  const a = seed.issue(repo, {
    title: "Checkout errors",
    labels: ["incident", "category:core-bug", "sev:2", "devops:1"],
    createdAt: opened,
    state: "closed",
    closedAt: new Date(opened.getTime() + 5 * 3_600_000),
  });
  seed.comment(repo, a, {
    body: `${STATUS_MARKER}\n${encodeState(statusStateSchema.parse({ v: 1, classifiedAt: new Date(opened.getTime() + 3_600_000).toISOString(), resolvedAt: new Date(opened.getTime() + 5 * 3_600_000).toISOString() }))}`,
    viaApp: true,
    createdAt: opened,
  });
  const b = seed.issue(repo, {
    title: "Export to CSV",
    labels: ["incident", "category:feature-request"],
    createdAt: new Date(opened.getTime() + DAY_MS),
  });
  numbers.push(a, b);
}, 60_000);
afterAll(() => e2e?.stop());

const digests = (): { number: number; title: string; body: string }[] =>
  e2e.sim
    .issues(repo)
    .filter((i) => i.labels.includes("incident-keeper:digest"))
    .map((i) => ({ number: i.number, title: i.title, body: i.body ?? "" }));

describe("the weekly digest", () => {
  it("is posted once across two sweeps, linking the week's incidents", async () => {
    const first = await runSweepCli(e2e);
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: "" });
    await e2e.sim.settle();
    expect(digests()).toHaveLength(1);
    const [digest] = digests();
    const last = new Date(due.until.getTime() - DAY_MS).toISOString().slice(0, 10);
    expect(digest!.title).toBe(
      `Incident digest: week ${due.week} (${due.since.toISOString().slice(0, 10)} to ${last})`,
    );
    expect(digest!.body.startsWith(`<!-- incident-keeper:digest ${due.week} -->`)).toBe(true);
    expect(digest!.body).toContain("**2** incident(s) opened in this range, **1** closed");
    expect(digest!.body).toContain("| time to resolve (MTTR) | 1 | 5 h | 5 h | 5 h |");
    for (const n of numbers) expect(digest!.body).toContain(`(http://${e2e.app.simulatorHost}/${repo}/issues/${n})`);

    const second = await runSweepCli(e2e);
    expect(second.code).toBe(0);
    await e2e.sim.settle();
    expect(digests()).toEqual([digest]);
    // The second process found the week's digest and, its figures unchanged, wrote nothing for it.
    const issueWrites = e2e.sim.requests.filter((r) => r.method !== "GET" && /\/issues(\/\d+)?$/.test(r.path));
    expect(issueWrites).toHaveLength(1); // the first run's POST /issues only
    expectNoViolations(e2e.sim);
  }, 120_000);
});
