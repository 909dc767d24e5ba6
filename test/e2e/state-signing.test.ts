/**
 * Issue #10 item 6, end to end: the real app process signs its hidden state by default (the key is
 * derived from its private key; no setting needed), so a state someone re-encoded by hand does not
 * verify and is rebuilt from the issue's history at the next event. With `STATE_SIGNING=off` the same
 * forgery is trusted: the contrast shows the signature is what protects the state.
 */
import { afterEach, describe, expect, it } from "@jest/globals";
import { SCENARIO, startSimulatedApp, type SimulatedApp } from "../../simulator/src/app-process.js";
import { decodeState, encodeState, STATUS_MARKER } from "../../src/core/status-state.js";
import { expectNoViolations } from "../support/e2e.js";

const repo = SCENARIO.repo;
const CONFIG = "incident_label: incident\n";
const STATE_LINE = /<!-- incident-keeper:state [A-Za-z0-9+/=]+(?: sig=[A-Za-z0-9_-]+)? -->/;

let e2e: SimulatedApp | undefined;
afterEach(async () => {
  if (!e2e) return;
  try {
    expectNoViolations(e2e.sim);
  } finally {
    await e2e.stop();
    e2e = undefined;
  }
});

/** Files a classified incident through a maintainer's commands; returns its number and status comment. */
async function classifiedIncident(app: SimulatedApp): Promise<{ number: number; statusId: number; body: string }> {
  const number = app.sim.seed.issue(repo, {
    title: "Payments time out",
    body: "Card payments time out for 20% of requests.",
    labels: ["incident"],
    user: "alice",
  });
  await app.sim.user("bob").comment(repo, number, "/category core-bug\n/sev 2\n/devops 3");
  await app.sim.settle();
  const status = app.sim.comments(repo, number).find((c) => c.viaApp && c.body.startsWith(STATUS_MARKER));
  if (!status) throw new Error("no status comment");
  return { number, statusId: status.id, body: status.body };
}

/** A state written by hand: "classified in 2020, closed by force by mallory", without the app's key. */
function forge(body: string): string {
  const forged = encodeState({
    ...decodeState(body),
    classifiedAt: "2020-01-01T00:00:00.000Z",
    forcedClose: { by: "mallory", reason: "forged", at: "2020-01-01T00:00:00.000Z" },
  });
  expect(forged).not.toContain(" sig="); // the test process has no key
  return body.replace(STATE_LINE, forged);
}

async function forgeAndTouch(app: SimulatedApp, incident: { number: number; statusId: number; body: string }) {
  // carol (admin) may edit anyone's comment on GitHub; then a label change makes the app look again.
  await app.sim.user("carol").editComment(repo, incident.statusId, forge(incident.body));
  await app.sim.settle();
  await app.sim.user("bob").addLabels(repo, incident.number, ["customer-facing"]);
  await app.sim.settle();
  const status = app.sim.comments(repo, incident.number).find((c) => c.id === incident.statusId);
  return decodeState(status?.body ?? "");
}

describe("the hidden state is signed by default", () => {
  it("the app signs without any setting, and a forged state is rebuilt from history at the next event", async () => {
    e2e = await startSimulatedApp({ config: CONFIG });
    e2e.sim.seed.permission(repo, "carol", "admin");
    const incident = await classifiedIncident(e2e);
    expect(incident.body).toMatch(/<!-- incident-keeper:state [A-Za-z0-9+/=]+ sig=[A-Za-z0-9_-]{43} -->/);
    const classifiedAt = decodeState(incident.body).classifiedAt;
    expect(classifiedAt).not.toBeNull();
    // A responder's note, which a rebuild must not lose (an upgrade from unsigned states meets the same).
    await e2e.sim.user("bob").comment(repo, incident.number, "/timeline --mitigated failover to eu-west done");
    await e2e.sim.settle();
    incident.body = e2e.sim.comments(repo, incident.number).find((c) => c.id === incident.statusId)!.body;
    expect(decodeState(incident.body).timeline?.entries.map((e) => e.text)).toContain("failover to eu-west done");

    const state = await forgeAndTouch(e2e, incident);
    // Rebuilt from the label timeline: the real classification moment, the forged forced close dropped.
    expect(state.forcedClose).toBeNull();
    expect(state.timeline?.entries.map((e) => e.text)).toContain("failover to eu-west done");
    expect(state.tags?.mitigated).toBeDefined();
    expect(state.classifiedAt).not.toBe("2020-01-01T00:00:00.000Z");
    expect(Date.parse(state.classifiedAt ?? "")).toBeGreaterThanOrEqual(Date.parse(classifiedAt!) - 1000);
    const rewritten = e2e.sim.comments(repo, incident.number).find((c) => c.id === incident.statusId)!.body;
    expect(rewritten).toMatch(/ sig=[A-Za-z0-9_-]{43} -->/);
    expect(e2e.sim.issue(repo, incident.number).state).toBe("open");
  }, 90_000);

  it("with STATE_SIGNING=off the app writes no signature and the same forgery is trusted", async () => {
    e2e = await startSimulatedApp({ config: CONFIG, env: { STATE_SIGNING: "off" } });
    e2e.sim.seed.permission(repo, "carol", "admin");
    const incident = await classifiedIncident(e2e);
    expect(incident.body).toMatch(STATE_LINE);
    expect(incident.body).not.toContain(" sig=");

    const state = await forgeAndTouch(e2e, incident);
    expect(state.classifiedAt).toBe("2020-01-01T00:00:00.000Z");
    expect(state.forcedClose?.by).toBe("mallory");
  }, 90_000);

  it("an unknown STATE_SIGNING value stops the app at start-up with a clear message", async () => {
    await expect(
      startSimulatedApp({ config: CONFIG, env: { STATE_SIGNING: "yes" }, startTimeoutMs: 15_000 }),
    ).rejects.toThrow(/STATE_SIGNING must be "on" or "off"/);
  }, 60_000);
});
