import { describe, expect, test } from "@jest/globals";
import { digestMarker, dueDigest } from "../../src/core/digest.js";

describe("when the weekly digest is due (reports the previous ISO week)", () => {
  test.each<{
    name: string;
    weekday: number;
    time: string;
    timeZone: string | null;
    now: string;
    expected: { week: string; since: string; until: string; dueAt: string } | null;
  }>([
    {
      name: "Monday 09:00 UTC, at 08:59: not yet",
      weekday: 1,
      time: "09:00",
      timeZone: null,
      now: "2026-03-09T08:59:59Z",
      expected: null,
    },
    {
      name: "Monday 09:00 UTC, at 09:00: due, week 10",
      weekday: 1,
      time: "09:00",
      timeZone: null,
      now: "2026-03-09T09:00:00Z",
      expected: {
        week: "2026-W10",
        since: "2026-03-02T00:00:00.000Z",
        until: "2026-03-09T00:00:00.000Z",
        dueAt: "2026-03-09T09:00:00.000Z",
      },
    },
    {
      name: "still the same digest on Sunday night",
      weekday: 1,
      time: "09:00",
      timeZone: null,
      now: "2026-03-15T23:59:00Z",
      expected: {
        week: "2026-W10",
        since: "2026-03-02T00:00:00.000Z",
        until: "2026-03-09T00:00:00.000Z",
        dueAt: "2026-03-09T09:00:00.000Z",
      },
    },
    {
      name: "Friday 17:00 Berlin (CET, UTC+1) is 16:00 UTC",
      weekday: 5,
      time: "17:00",
      timeZone: "Europe/Berlin",
      now: "2026-03-13T16:00:00Z",
      expected: {
        week: "2026-W10",
        since: "2026-03-02T00:00:00.000Z",
        until: "2026-03-09T00:00:00.000Z",
        dueAt: "2026-03-13T16:00:00.000Z",
      },
    },
    {
      name: "after the spring change (CEST, UTC+2) it is 15:00 UTC",
      weekday: 5,
      time: "17:00",
      timeZone: "Europe/Berlin",
      now: "2026-04-03T15:00:00Z",
      expected: {
        week: "2026-W13",
        since: "2026-03-23T00:00:00.000Z",
        until: "2026-03-30T00:00:00.000Z",
        dueAt: "2026-04-03T15:00:00.000Z",
      },
    },
    {
      name: "Monday 00:30 in Tokyo is still Sunday in UTC: Tokyo's week counts",
      weekday: 1,
      time: "00:30",
      timeZone: "Asia/Tokyo",
      now: "2026-03-08T15:30:00Z",
      expected: {
        week: "2026-W10",
        since: "2026-03-02T00:00:00.000Z",
        until: "2026-03-09T00:00:00.000Z",
        dueAt: "2026-03-08T15:30:00.000Z",
      },
    },
  ])("$name", ({ weekday, time, timeZone, now, expected }) => {
    const due = dueDigest({ weekday, time, timeZone }, new Date(now));
    expect(
      due === null
        ? null
        : {
            week: due.week,
            since: due.since.toISOString(),
            until: due.until.toISOString(),
            dueAt: due.dueAt.toISOString(),
          },
    ).toEqual(expected);
  });

  test("the marker names the reported week", () => {
    expect(digestMarker("2026-W10")).toBe("<!-- incident-keeper:digest 2026-W10 -->");
  });
});
