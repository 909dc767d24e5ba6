/**
 * The sweep inside the running server: on its own schedule, and started by the authenticated HTTP
 * trigger for external schedulers.
 */
import { afterEach, describe, expect, it } from "@jest/globals";
import { SCENARIO, startSimulatedApp, type SimulatedApp } from "../../simulator/src/app-process.js";
import { expectNoViolations } from "../support/e2e.js";

let running: SimulatedApp | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

const hoursAgo = (hours: number): Date => new Date(Date.now() - hours * 3_600_000);
const reminders = (e2e: SimulatedApp, n: number): string[] =>
  e2e.sim
    .comments(SCENARIO.repo, n)
    .map((c) => c.body)
    .filter((b) => b.includes("<!-- incident-keeper:reminder "));

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
}

describe("the HTTP sweep trigger", () => {
  it("refuses a missing or wrong bearer token and sweeps with the right one", async () => {
    running = await startSimulatedApp({ env: { SWEEP_TRIGGER_TOKEN: "s3cret-trigger", SWEEP_INTERVAL_MINUTES: "0" } });
    const e2e = running;
    const n = e2e.sim.seed.issue(SCENARIO.repo, {
      title: "Old",
      labels: ["incident", "incident:needs-writeup"],
      createdAt: hoursAgo(10),
    });
    const url = `${e2e.app.url}/api/incident-keeper/sweep?wait=1`;
    expect((await fetch(url, { method: "POST" })).status).toBe(401);
    expect((await fetch(url, { method: "POST", headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    expect((await fetch(url, { method: "GET", headers: { authorization: "Bearer s3cret-trigger" } })).status).toBe(405);
    expect(reminders(e2e, n)).toEqual([]);
    const response = await fetch(url, { method: "POST", headers: { authorization: "Bearer s3cret-trigger" } });
    expect(response.status).toBe(200);
    const report = (await response.json()) as { installations: Array<{ found: number; posted: number }> };
    expect(report.installations).toEqual([expect.objectContaining({ found: 1, posted: 1 })]);
    // 10 h of 12: the 75 % reminder, and not also the stale 50 % one.
    expect(reminders(e2e, n)).toEqual([expect.stringContaining("<!-- incident-keeper:reminder investigation:75@")]);
    expectNoViolations(e2e.sim);
  }, 60_000);

  it("does not exist without a configured secret", async () => {
    running = await startSimulatedApp({ env: { SWEEP_INTERVAL_MINUTES: "0" } });
    expect(
      (
        await fetch(`${running.app.url}/api/incident-keeper/sweep`, {
          method: "POST",
          headers: { authorization: "Bearer " },
        })
      ).status,
    ).toBe(404);
  }, 60_000);
});

describe("the in-server scheduler", () => {
  it("sweeps on its interval and never posts a reminder twice", async () => {
    running = await startSimulatedApp({ env: { SWEEP_INTERVAL_MINUTES: "0.03" } }); // ~2 s
    const e2e = running;
    const n = e2e.sim.seed.issue(SCENARIO.repo, {
      title: "Old",
      labels: ["incident", "incident:needs-writeup"],
      createdAt: hoursAgo(7),
    });
    await until(() => reminders(e2e, n).length > 0, 30_000);
    await new Promise((r) => setTimeout(r, 5_000)); // two more intervals
    expect(reminders(e2e, n)).toEqual([expect.stringContaining("<!-- incident-keeper:reminder investigation:50@")]);
    expectNoViolations(e2e.sim);
  }, 60_000);
});
