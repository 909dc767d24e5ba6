import { describe, expect, it } from "@jest/globals";
import { RepairLedger } from "../../src/sweep/repair-ledger.js";

const NOW = Date.parse("2026-11-30T12:00:00Z");

describe("RepairLedger", () => {
  const cases: Array<{ name: string; settled?: string; updatedAt: string; lookbackMinutes: number; changed: boolean }> =
    [
      {
        name: "unchanged since the app last looked: nothing to pay",
        settled: "2026-11-30T11:00:00Z",
        updatedAt: "2026-11-30T11:00:00Z",
        lookbackMinutes: 30,
        changed: false,
      },
      {
        name: "updated_at moved: repaired",
        settled: "2026-11-30T11:00:00Z",
        updatedAt: "2026-11-30T11:59:00Z",
        lookbackMinutes: 30,
        changed: true,
      },
      {
        name: "never seen, updated inside the lookback (lost while down)",
        updatedAt: "2026-11-30T11:45:00Z",
        lookbackMinutes: 30,
        changed: true,
      },
      {
        name: "never seen, older than the lookback: taken as is",
        updatedAt: "2026-11-30T10:00:00Z",
        lookbackMinutes: 30,
        changed: false,
      },
      { name: "never seen, lookback 0", updatedAt: "2026-11-30T11:59:59Z", lookbackMinutes: 0, changed: false },
    ];
  it.each(cases)("$name", ({ settled, updatedAt, lookbackMinutes, changed }) => {
    const ledger = new RepairLedger(lookbackMinutes * 60_000);
    if (settled) ledger.settle("k", settled);
    expect(ledger.changed("k", updatedAt, NOW)).toBe(changed);
  });
});
