import { describe, expect, it } from "@jest/globals";
import { planRedeliveries, type DeliveryAttempt } from "../../src/core/redelivery.js";

const NOW = new Date("2026-11-30T12:00:00Z");
const HOUR = 3_600_000;
const at = (hoursAgo: number): Date => new Date(NOW.getTime() - hoursAgo * HOUR);
const attempt = (id: number, guid: string, statusCode: number, hoursAgo = 1): DeliveryAttempt => ({
  id,
  guid,
  statusCode,
  deliveredAt: at(hoursAgo),
  event: "issues",
});

describe("planRedeliveries", () => {
  const cases: Array<{
    name: string;
    attempts: DeliveryAttempt[];
    asked?: string[];
    failed: number;
    redeliver: number[];
  }> = [
    { name: "nothing listed", attempts: [], failed: 0, redeliver: [] },
    {
      name: "every delivery answered 2xx (202 included)",
      attempts: [attempt(1, "a", 200), attempt(2, "b", 202)],
      failed: 0,
      redeliver: [],
    },
    { name: "a 503 is redelivered", attempts: [attempt(1, "a", 503)], failed: 1, redeliver: [1] },
    { name: "the app unreachable (status 0)", attempts: [attempt(1, "a", 0)], failed: 1, redeliver: [1] },
    {
      name: "failed, then delivered by a later attempt",
      attempts: [attempt(2, "a", 200), attempt(1, "a", 500)],
      failed: 0,
      redeliver: [],
    },
    {
      name: "failed twice: the newest attempt is redelivered",
      attempts: [attempt(3, "a", 502), attempt(1, "a", 500)],
      failed: 1,
      redeliver: [3],
    },
    {
      name: "already asked for (this or another instance)",
      attempts: [attempt(1, "a", 500)],
      asked: ["a"],
      failed: 1,
      redeliver: [],
    },
    { name: "older than the window", attempts: [attempt(1, "a", 500, 73)], failed: 0, redeliver: [] },
    {
      name: "oldest delivery first",
      attempts: [attempt(9, "late", 500), attempt(5, "early", 500), attempt(7, "mid", 404)],
      failed: 3,
      redeliver: [5, 7, 9],
    },
  ];
  it.each(cases)("$name", ({ attempts, asked, failed, redeliver }) => {
    const plan = planRedeliveries({ attempts, asked: new Set(asked ?? []), now: NOW, maxAgeMs: 72 * HOUR });
    expect(plan.failed).toBe(failed);
    expect(plan.redeliver.map((a) => a.id)).toEqual(redeliver);
  });
});

describe("planRedeliveries: deliveries whose handling failed in the app after a 2xx answer", () => {
  const inInstallation = (a: DeliveryAttempt, installationId: number | null): DeliveryAttempt => ({
    ...a,
    installationId,
  });
  const cases: Array<{
    name: string;
    attempts: DeliveryAttempt[];
    failedHere: string[];
    asked?: string[];
    redeliver: number[];
    installations: number[];
  }> = [
    {
      name: "answered 202 ('still processing'), then failed: redelivered",
      attempts: [inInstallation(attempt(1, "a", 202), 7)],
      failedHere: ["a"],
      redeliver: [1],
      installations: [7],
    },
    {
      name: "answered 200 and handled: nothing",
      attempts: [inInstallation(attempt(1, "a", 200), 7)],
      failedHere: [],
      redeliver: [],
      installations: [],
    },
    {
      name: "failed here and already asked for: not asked again, nothing newly lost",
      attempts: [inInstallation(attempt(1, "a", 202), 7)],
      failedHere: ["a"],
      asked: ["a"],
      redeliver: [],
      installations: [],
    },
    {
      name: "installations of failed deliveries, each once, app-level ones left out",
      attempts: [
        inInstallation(attempt(1, "a", 503), 9),
        inInstallation(attempt(2, "b", 503), 7),
        inInstallation(attempt(3, "c", 0), 9),
        inInstallation(attempt(4, "d", 500), null),
      ],
      failedHere: [],
      redeliver: [1, 2, 3, 4],
      installations: [7, 9],
    },
  ];
  it.each(cases)("$name", ({ attempts, failedHere, asked, redeliver, installations }) => {
    const plan = planRedeliveries({
      attempts,
      asked: new Set(asked ?? []),
      failedHere: new Set(failedHere),
      now: NOW,
      maxAgeMs: 72 * HOUR,
    });
    expect(plan.redeliver.map((a) => a.id)).toEqual(redeliver);
    expect(plan.installations).toEqual(installations);
  });
});
