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
