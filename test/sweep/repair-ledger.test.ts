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

describe("RepairLedger: an incident it does not know, against the app's status comment (GitHub's times)", () => {
  const cases: Array<{ name: string; updatedAt: string; statusWrittenAt: Date | null | undefined; changed: boolean }> =
    [
      {
        name: "the app's status comment is the last write: nothing to repair",
        updatedAt: "2026-11-30T11:50:00Z",
        statusWrittenAt: new Date("2026-11-30T11:50:00Z"),
        changed: false,
      },
      {
        name: "changed after the app's last write: repaired",
        updatedAt: "2026-11-30T11:55:00Z",
        statusWrittenAt: new Date("2026-11-30T11:50:00Z"),
        changed: true,
      },
      { name: "no status comment: repaired", updatedAt: "2026-11-30T11:55:00Z", statusWrittenAt: null, changed: true },
      {
        name: "status not read: repaired",
        updatedAt: "2026-11-30T11:55:00Z",
        statusWrittenAt: undefined,
        changed: true,
      },
      {
        name: "older than the lookback: taken as is",
        updatedAt: "2026-11-30T10:00:00Z",
        statusWrittenAt: null,
        changed: false,
      },
    ];
  it.each(cases)("$name", ({ updatedAt, statusWrittenAt, changed }) => {
    const ledger = new RepairLedger(30 * 60_000);
    expect(ledger.knows("k")).toBe(false);
    expect(ledger.changed("k", updatedAt, NOW, statusWrittenAt)).toBe(changed);
  });

  it("a known incident is judged on the ledger alone", () => {
    const ledger = new RepairLedger(30 * 60_000);
    ledger.settle("k", "2026-11-30T11:00:00Z");
    expect(ledger.changed("k", "2026-11-30T11:55:00Z", NOW, new Date("2026-11-30T11:59:00Z"))).toBe(true);
  });
});

describe("RepairLedger with a store (Redis): what another process saw", () => {
  it("loads the installation's entries and last pass at begin, saves them at finish", async () => {
    const saved: Array<{ installationId: number; seen: Map<string, string>; passMs: number }> = [];
    const store = {
      load: (installationId: number) =>
        Promise.resolve(
          installationId === 1
            ? { seen: new Map([["1:acme/api#7", "2026-11-30T11:00:00Z"]]), lastPassMs: NOW - 60_000 }
            : { seen: new Map<string, string>(), lastPassMs: null },
        ),
      save: (installationId: number, seen: Map<string, string>, passMs: number) => {
        saved.push({ installationId, seen: new Map(seen), passMs });
        return Promise.resolve();
      },
    };
    const fresh = new RepairLedger(30 * 60_000, 100_000, store);
    expect(fresh.lastPassMs(1)).toBeNull();
    await fresh.begin(1);
    expect(fresh.lastPassMs(1)).toBe(NOW - 60_000);
    expect(fresh.changed("1:acme/api#7", "2026-11-30T11:00:00Z", NOW)).toBe(false);
    expect(fresh.changed("1:acme/api#7", "2026-11-30T11:30:00Z", NOW)).toBe(true);
    fresh.settle("1:acme/api#8", "2026-11-30T11:40:00Z");
    fresh.settle("2:acme/web#1", "2026-11-30T11:40:00Z");
    await fresh.finish(1, NOW);
    expect(saved).toEqual([
      {
        installationId: 1,
        seen: new Map([
          ["1:acme/api#7", "2026-11-30T11:00:00Z"],
          ["1:acme/api#8", "2026-11-30T11:40:00Z"],
        ]),
        passMs: NOW,
      },
    ]);
    await fresh.begin(2);
    expect(fresh.lastPassMs(2)).toBeNull();
  });
});

describe("RepairLedger: settled by the app's own write (the write's answer carries GitHub's time)", () => {
  const cases: Array<{ name: string; updatedAt: string; changed: boolean }> = [
    { name: "the write's own updated_at: nothing to repair", updatedAt: "2026-11-30T11:50:02Z", changed: false },
    {
      name: "an earlier write of the same tick (labels): nothing to repair",
      updatedAt: "2026-11-30T11:50:01Z",
      changed: false,
    },
    { name: "someone changed it after the write: repaired", updatedAt: "2026-11-30T11:50:03Z", changed: true },
    { name: "an unreadable updated_at: repaired", updatedAt: "not a time", changed: true },
  ];
  it.each(cases)("$name", ({ updatedAt, changed }) => {
    const ledger = new RepairLedger(30 * 60_000);
    ledger.settleWritten("k", "2026-11-30T11:50:02.000Z");
    expect(ledger.knows("k")).toBe(true);
    expect(ledger.changed("k", updatedAt, NOW)).toBe(changed);
  });

  it("the entry goes through a store (Redis) as it is", async () => {
    const saved = new Map<string, string>();
    const store = {
      load: () => Promise.resolve({ seen: new Map(saved), lastPassMs: null }),
      save: (_id: number, seen: Map<string, string>) => {
        for (const [k, v] of seen) saved.set(k, v);
        return Promise.resolve();
      },
    };
    const first = new RepairLedger(0, 100, store);
    first.settleWritten("1:acme/api#7", "2026-11-30T11:50:02.000Z");
    await first.finish(1, NOW);
    const second = new RepairLedger(0, 100, store);
    await second.begin(1);
    expect(second.changed("1:acme/api#7", "2026-11-30T11:50:02Z", NOW)).toBe(false);
    expect(second.changed("1:acme/api#7", "2026-11-30T11:51:00Z", NOW)).toBe(true);
  });
});
