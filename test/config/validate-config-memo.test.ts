/**
 * validateConfig is memoised by content (issue #12): a memo keyed wrongly (or a shared result mutated)
 * would hand one repository's config to another. Each pair below must come out different.
 */
import { describe, expect, it } from "@jest/globals";
import { parse } from "yaml";
import { validateConfig, VALIDATED_CONFIGS_KEPT } from "../../src/config/load.js";

const sla = (hours: unknown): object => ({ sla: { investigation_hours: hours } });
const isValid = (r: ReturnType<typeof validateConfig>): boolean => r.ok;

describe("validateConfig memo", () => {
  it("answers the same parsed YAML with the same frozen result", () => {
    const text = 'teams:\n  responders: "@acme/oncall"\nsla:\n  investigation_hours: 6\n';
    const first = validateConfig(parse(text));
    const second = validateConfig(parse(text));
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    if (!first.ok) throw new Error("expected a valid config");
    expect(Object.isFrozen(first.value.teams)).toBe(true);
    expect(Object.isFrozen(first.policies)).toBe(true);
    expect(() => {
      (first.value.sla as { investigation_hours: number }).investigation_hours = 1;
    }).toThrow(TypeError);
    expect(validateConfig(parse(text))).toEqual(first);
  });

  // [case, a, b, check]: validating `a` first must not change what `b` yields, and the two differ.
  const pairs: [
    string,
    unknown,
    unknown,
    (a: ReturnType<typeof validateConfig>, b: ReturnType<typeof validateConfig>) => void,
  ][] = [
    [
      "a nested value differs",
      { teams: { responders: "@acme/oncall" } },
      { teams: { responders: "@acme/sre" } },
      (a, b) => expect(a.ok && b.ok && a.value.teams.responders !== b.value.teams.responders).toBe(true),
    ],
    ["NaN is not null (JSON writes both as null)", sla(Number.NaN), sla(null), (a, b) => expect(a).not.toEqual(b)],
    ["Infinity is not null", sla(Number.POSITIVE_INFINITY), sla(null), (a, b) => expect(a).not.toEqual(b)],
    ["a number is not its string", sla(6), sla("6"), (a, b) => expect([isValid(a), isValid(b)]).toEqual([true, false])],
    [
      "a Date is not its ISO string",
      { incident_label: new Date("2026-01-01T00:00:00Z") },
      { incident_label: "2026-01-01T00:00:00.000Z" },
      (a, b) => expect([isValid(a), isValid(b)]).toEqual([false, true]),
    ],
    ["absent is the defaults", null, undefined, (a, b) => expect(b).toEqual(a)],
    [
      "an undefined value is validated as absent (and not memoised)",
      {},
      { sla: undefined },
      (a, b) => expect(b).toEqual(a),
    ],
  ];
  it.each(pairs)("%s", (_name, a, b, check) => {
    const fresh = (raw: unknown) => structuredClone(validateConfig(raw));
    const resultA = fresh(a);
    const resultB = fresh(b);
    check(resultA, resultB);
    // In the other order too, and again (now from the memo): the same answers.
    expect(fresh(b)).toEqual(resultB);
    expect(fresh(a)).toEqual(resultA);
  });

  it("keeps at most VALIDATED_CONFIGS_KEPT results, the least recently used out first", () => {
    const kept = validateConfig({ teams: { responders: "@acme/kept" } });
    const dropped = validateConfig({ teams: { responders: "@acme/dropped" } });
    for (let i = 0; i < VALIDATED_CONFIGS_KEPT - 1; i += 1) {
      validateConfig({ teams: { responders: `@acme/team-${i}` } });
      if (i % 10 === 0) validateConfig({ teams: { responders: "@acme/kept" } });
    }
    expect(validateConfig({ teams: { responders: "@acme/kept" } })).toBe(kept);
    const again = validateConfig({ teams: { responders: "@acme/dropped" } });
    expect(again).not.toBe(dropped);
    expect(again).toEqual(dropped);
  });
});
