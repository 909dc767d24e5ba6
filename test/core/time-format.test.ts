import { describe, expect, test } from "@jest/globals";
import { formatDuration, formatRelative, formatUtc, formatWindowHours } from "../../src/core/time-format.js";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

describe("formatUtc", () => {
  test.each<[string, string]>([
    ["2026-11-23T18:00:00Z", "2026-11-23 18:00 UTC"],
    ["2026-01-05T03:07:59.999Z", "2026-01-05 03:07 UTC"],
    ["2026-03-29T01:30:00+02:00", "2026-03-28 23:30 UTC"],
    ["2024-02-29T00:00:00Z", "2024-02-29 00:00 UTC"],
    ["2026-12-31T23:59:00Z", "2026-12-31 23:59 UTC"],
  ])("%s -> %s", (input, expected) => {
    expect(formatUtc(new Date(input))).toBe(expected);
  });
});

describe("formatDuration", () => {
  test.each<[number, string]>([
    [0, "less than a minute"],
    [29_999, "less than a minute"],
    [30_000, "1 minute"],
    [MINUTE_MS, "1 minute"],
    [2 * MINUTE_MS, "2 minutes"],
    [45 * MINUTE_MS, "45 minutes"],
    [59 * MINUTE_MS, "59 minutes"],
    [59.5 * MINUTE_MS, "1 hour"],
    [HOUR_MS, "1 hour"],
    [89 * MINUTE_MS, "1 hour"],
    [90 * MINUTE_MS, "2 hours"],
    [11 * HOUR_MS, "11 hours"],
    [47 * HOUR_MS, "47 hours"],
    [48 * HOUR_MS, "2 days"],
    [3 * DAY_MS, "3 days"],
    [13 * DAY_MS, "13 days"],
    [14 * DAY_MS, "2 weeks"],
    [35 * DAY_MS, "5 weeks"],
    [-3 * DAY_MS, "3 days"],
    [-45 * MINUTE_MS, "45 minutes"],
  ])("%d ms -> %s", (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

describe("formatRelative", () => {
  const now = new Date("2026-03-02T12:00:00Z");
  const at = (deltaMs: number): Date => new Date(now.getTime() + deltaMs);
  test.each<[number, string]>([
    [0, "now"],
    [59_999, "now"],
    [-59_999, "now"],
    [MINUTE_MS, "in 1 minute"],
    [-MINUTE_MS, "1 minute ago"],
    [11 * HOUR_MS, "in 11 hours"],
    [-3 * DAY_MS, "3 days ago"],
    [5 * 7 * DAY_MS, "in 5 weeks"],
  ])("%d ms from now -> %s", (delta, expected) => {
    expect(formatRelative(at(delta), now)).toBe(expected);
  });
});

describe("formatWindowHours", () => {
  // The default matrix's lengths first, then the edges of each unit.
  test.each<[number, string]>([
    [12, "12 hours"],
    [48, "48 hours"],
    [168, "1 week"],
    [336, "2 weeks"],
    [2_160, "3 months"],
    [1, "1 hour"],
    [0.5, "0.5 hours"],
    [24, "24 hours"],
    [72, "3 days"],
    [96, "4 days"],
    [100, "100 hours"],
    [504, "3 weeks"],
    [720, "30 days"],
    [4_320, "6 months"],
    [17_520, "730 days"],
  ])("%d h -> %s", (hours, expected) => {
    expect(formatWindowHours(hours)).toBe(expected);
  });
});
