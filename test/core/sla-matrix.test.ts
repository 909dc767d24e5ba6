/**
 * What test/core/sla.test.ts leaves out: every Sev x DevOps cell under every resolution clock-start
 * mode, each with the exact boundary (on track 1 ms before and AT the deadline, breached 1 ms after;
 * resolved at the deadline is met, 1 ms later breached), and the clock-start modes' edge cases.
 */
import { describe, expect, test } from "@jest/globals";
import type { Classification, DevopsLevel, Severity } from "../../src/core/classification.js";
import {
  evaluateSla,
  HOUR_MS,
  type IncidentTimes,
  type ResolutionClockStart,
  type SlaPolicy,
} from "../../src/core/sla.js";
import { configSchema, DEFAULT_CONFIG } from "../../src/config/schema.js";
import { policiesOf } from "../../src/config/policies.js";

const at = (iso: string): Date => new Date(iso);
const plus = (date: Date, ms: number): Date => new Date(date.getTime() + ms);

const OPENED = at("2026-03-02T09:00:00.000Z");
const CLASSIFIED = at("2026-03-02T10:30:00.000Z");
/** 12 h after opening. */
const INVESTIGATION_END = at("2026-03-02T21:00:00.000Z");
const START: Record<ResolutionClockStart, Date> = {
  opened: OPENED,
  classified: CLASSIFIED,
  "end-of-investigation": INVESTIGATION_END,
};

/** The README's matrix, written out again by hand: hours by severity, then DevOps 1-4. */
const README_MATRIX: Record<Severity, [number | null, number | null, number | null, number | null]> = {
  1: [12, 12, 48, 168],
  2: [12, 12, 48, 168],
  3: [336, 336, 2160, 2160],
  4: [336, 336, 2160, 2160],
  5: [null, null, null, null],
};
const MODES: ResolutionClockStart[] = ["opened", "classified", "end-of-investigation"];
const policyFor = (mode: ResolutionClockStart): SlaPolicy =>
  policiesOf(configSchema.parse({ sla: { resolution_clock_start: mode } })).sla;
const coreBug = (severity: Severity, devops: DevopsLevel): Classification => ({
  category: "core-bug",
  severity,
  devops,
});
const times = (resolvedAt: Date | null = null, overrides: Partial<IncidentTimes> = {}): IncidentTimes => ({
  openedAt: OPENED,
  classifiedAt: CLASSIFIED,
  resolvedAt,
  ...overrides,
});

const cells = MODES.flatMap((mode) =>
  ([1, 2, 3, 4, 5] as Severity[]).flatMap((severity) =>
    ([1, 2, 3, 4] as DevopsLevel[]).map((devops) => ({
      mode,
      severity,
      devops,
      hours: README_MATRIX[severity][devops - 1]!,
    })),
  ),
);

describe("every Sev x DevOps cell under every clock-start mode", () => {
  test("the default config is the README's matrix, resolution clock from classification", () => {
    expect(DEFAULT_CONFIG.sla.resolution_hours).toEqual({
      "1": { "1": 12, "2": 12, "3": 48, "4": 168 },
      "2": { "1": 12, "2": 12, "3": 48, "4": 168 },
      "3": { "1": 336, "2": 336, "3": 2160, "4": 2160 },
      "4": { "1": 336, "2": 336, "3": 2160, "4": 2160 },
      "5": { "1": null, "2": null, "3": null, "4": null },
    });
    expect(DEFAULT_CONFIG.sla.resolution_clock_start).toBe("classified");
  });

  test.each(cells.filter((c) => c.hours !== null))(
    "$mode, Sev $severity / DevOps $devops: $hours h, exact at the deadline",
    ({ mode, severity, devops, hours }) => {
      const policy = policyFor(mode);
      const classification = coreBug(severity, devops);
      const deadline = plus(START[mode], hours * HOUR_MS);
      const look = (now: Date, resolvedAt: Date | null = null) =>
        evaluateSla({ times: times(resolvedAt), classification, policy, now }).resolution;

      expect(look(plus(deadline, -1))).toEqual({
        window: "resolution",
        state: "on-track",
        startedAt: START[mode],
        deadline,
        durationHours: hours,
        satisfiedAt: null,
      });
      expect(look(deadline).state).toBe("on-track"); // the deadline instant itself is still on time
      expect(look(plus(deadline, 1)).state).toBe("breached");
      expect(look(plus(deadline, 1), deadline)).toEqual({
        window: "resolution",
        state: "met",
        startedAt: START[mode],
        deadline,
        durationHours: hours,
        satisfiedAt: deadline,
      });
      expect(look(plus(deadline, 1), plus(deadline, 1)).state).toBe("breached");
      expect(look(plus(deadline, 10 * HOUR_MS), plus(deadline, -1)).state).toBe("met");
    },
  );

  test.each(cells.filter((c) => c.hours === null))(
    "$mode, Sev $severity / DevOps $devops: no resolution window",
    ({ mode, severity, devops }) => {
      const { resolution } = evaluateSla({
        times: times(),
        classification: coreBug(severity, devops),
        policy: policyFor(mode),
        now: plus(OPENED, 1000 * HOUR_MS),
      });
      expect(resolution).toEqual({
        window: "resolution",
        state: "not-applicable",
        startedAt: null,
        deadline: null,
        durationHours: null,
        satisfiedAt: null,
      });
    },
  );

  test("the hand-written deadlines of a few cells agree (no DST in UTC; 2,160 h = 90 days)", () => {
    const deadline = (mode: ResolutionClockStart, severity: Severity, devops: DevopsLevel): string | undefined =>
      evaluateSla({
        times: times(),
        classification: coreBug(severity, devops),
        policy: policyFor(mode),
        now: OPENED,
      }).resolution.deadline?.toISOString();
    expect(deadline("opened", 1, 1)).toBe("2026-03-02T21:00:00.000Z");
    expect(deadline("opened", 4, 4)).toBe("2026-05-31T09:00:00.000Z");
    expect(deadline("classified", 2, 4)).toBe("2026-03-09T10:30:00.000Z");
    expect(deadline("end-of-investigation", 1, 2)).toBe("2026-03-03T09:00:00.000Z");
    expect(deadline("end-of-investigation", 3, 1)).toBe("2026-03-16T21:00:00.000Z");
    expect(deadline("end-of-investigation", 3, 3)).toBe("2026-05-31T21:00:00.000Z");
  });
});

describe("the investigation window at its deadline, under every mode", () => {
  test.each(MODES)(
    "%s: on track 1 ms before and at 21:00Z, breached 1 ms after; classified at 21:00Z is met",
    (mode) => {
      const policy = policyFor(mode);
      const unclassified: Classification = { category: null, severity: null, devops: null };
      const look = (now: Date, classifiedAt: Date | null = null) =>
        evaluateSla({ times: times(null, { classifiedAt }), classification: unclassified, policy, now }).investigation;
      expect(look(plus(INVESTIGATION_END, -1)).state).toBe("on-track");
      expect(look(INVESTIGATION_END).state).toBe("on-track");
      expect(look(plus(INVESTIGATION_END, 1)).state).toBe("breached");
      expect(look(plus(INVESTIGATION_END, 1), INVESTIGATION_END).state).toBe("met");
      expect(look(plus(INVESTIGATION_END, 1), plus(INVESTIGATION_END, 1)).state).toBe("breached");
      expect(look(OPENED).deadline).toEqual(INVESTIGATION_END);
    },
  );
});

describe("clock-start edge cases", () => {
  const sev1devops1 = coreBug(1, 1);

  test("opened: the resolution clock runs from opening even when classification is late", () => {
    // Classified 13 h after opening: a Sev 1 / DevOps 1 opened at 09:00 was due at 21:00 already.
    const late = at("2026-03-02T22:00:00.000Z");
    const { investigation, resolution } = evaluateSla({
      times: times(null, { classifiedAt: late }),
      classification: sev1devops1,
      policy: policyFor("opened"),
      now: late,
    });
    expect(investigation.state).toBe("breached");
    expect(resolution).toEqual({
      window: "resolution",
      state: "breached",
      startedAt: OPENED,
      deadline: INVESTIGATION_END,
      durationHours: 12,
      satisfiedAt: null,
    });
  });

  test("end-of-investigation: a late classification still starts the clock at the investigation deadline", () => {
    const late = at("2026-03-03T05:00:00.000Z");
    const { resolution } = evaluateSla({
      times: times(null, { classifiedAt: late }),
      classification: sev1devops1,
      policy: policyFor("end-of-investigation"),
      now: late,
    });
    expect(resolution).toEqual({
      window: "resolution",
      state: "on-track",
      startedAt: INVESTIGATION_END,
      deadline: at("2026-03-03T09:00:00.000Z"),
      durationHours: 12,
      satisfiedAt: null,
    });
  });

  test("end-of-investigation: while the investigation clock is paused there is no start yet", () => {
    const pauses = [{ start: at("2026-03-02T10:00:00.000Z"), end: null }];
    const { investigation, resolution } = evaluateSla({
      times: times(null, { pauses }),
      classification: sev1devops1,
      policy: policyFor("end-of-investigation"),
      now: at("2026-03-02T23:00:00.000Z"),
    });
    expect(investigation.state).toBe("met"); // classified at 10:30 while paused: satisfied, no deadline
    expect(investigation.deadline).toBeNull();
    expect(resolution).toEqual({
      window: "resolution",
      state: "pending",
      startedAt: null,
      deadline: null,
      durationHours: 12,
      satisfiedAt: null,
    });
  });

  test.each(MODES)("%s: a pause of 2 h moves the resolution deadline by 2 h exactly", (mode) => {
    const pauses = [{ start: at("2026-03-02T22:00:00.000Z"), end: at("2026-03-03T00:00:00.000Z") }];
    const policy = policyFor(mode);
    const withPause = evaluateSla({
      times: times(null, { pauses }),
      classification: coreBug(2, 3),
      policy,
      now: OPENED,
    }).resolution.deadline!;
    const without = evaluateSla({ times: times(), classification: coreBug(2, 3), policy, now: OPENED }).resolution
      .deadline!;
    expect(withPause.getTime() - without.getTime()).toBe(2 * HOUR_MS);
  });

  test.each(MODES)("%s: a resolution before the clock even started is met", (mode) => {
    const resolvedAt = at("2026-03-02T10:00:00.000Z");
    const { resolution } = evaluateSla({
      times: times(resolvedAt),
      classification: sev1devops1,
      policy: policyFor(mode),
      now: at("2026-04-01T00:00:00.000Z"),
    });
    expect(resolution.state).toBe("met");
    expect(resolution.satisfiedAt).toEqual(resolvedAt);
  });
});
