import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { expectNoViolations, startE2E, type E2EContext } from "../support/e2e.js";

let e2e: E2EContext;

beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(() => e2e?.stop());

describe("e2e harness", () => {
  test("the real app process answers a signed delivery with 200", async () => {
    const status = await e2e.sim.deliver("ping", { zen: "Keep it logically awesome.", hook_id: 1 });
    expect({ status, logs: e2e.app.logs }).toMatchObject({ status: 200 });
  });

  test("and refuses a badly signed one with 400", async () => {
    const status = await e2e.sim.deliver(
      "ping",
      { zen: "forged", hook_id: 1 },
      { signature: `sha256=${"0".repeat(64)}` },
    );
    expect(status).toBe(400);
  });

  test("the simulator saw no contract violations", async () => {
    await e2e.sim.settle();
    expectNoViolations(e2e.sim);
  });
});

describe("the e2e app's installation", () => {
  test("grants exactly what app.yml declares, so a request app.yml does not allow is a violation", async () => {
    const { APP_EVENTS, APP_PERMISSIONS } = await import("../../src/github/app-manifest.js");
    const wanted = Object.fromEntries(Object.entries(APP_PERMISSIONS).map(([name, need]) => [name, need.access]));
    expect(e2e.sim.grants.permissions).toEqual(wanted);
    expect([...e2e.sim.grants.events].sort()).toEqual(Object.keys(APP_EVENTS).sort());
  });
});
