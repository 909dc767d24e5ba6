import { describe, expect, test } from "@jest/globals";
import {
  isNoChange,
  labelFor,
  labelIndex,
  planClassificationLabels,
  readClassification,
  setDimensions,
  type Classification,
  type LabelScheme,
} from "../../src/core/classification.js";
import { configSchema, DEFAULT_CONFIG } from "../../src/config/schema.js";

const SCHEME: LabelScheme = DEFAULT_CONFIG.labels;
/** A team that names its labels its own way (from config). */
const CUSTOM: LabelScheme = configSchema.parse({
  labels: {
    category: {
      "core-bug": "Bug",
      "feature-request": "Enhancement",
      "operator-error": "Ops mistake",
      "act-of-god": "Force majeure",
    },
    severity: { "1": "P0", "2": "P1", "3": "P2", "4": "P3", "5": "Not a problem" },
    devops: { "1": "fix: automated", "2": "fix: junior", "3": "fix: dev", "4": "fix: senior" },
  },
}).labels;

const none: Classification = { category: null, severity: null, devops: null };
const c = (partial: Partial<Classification>): Classification => ({ ...none, ...partial });

describe("readClassification", () => {
  test.each<{ name: string; labels: string[]; newest?: string; scheme?: LabelScheme; expected: Classification }>([
    { name: "no labels", labels: [], expected: none },
    {
      name: "unrelated labels only",
      labels: ["incident", "bug", "sev", "sev:6", "devops:0", "category:"],
      expected: none,
    },
    {
      name: "one label per dimension",
      labels: ["incident", "category:core-bug", "sev:2", "devops:3"],
      expected: c({ category: "core-bug", severity: 2, devops: 3 }),
    },
    {
      name: "case-insensitive",
      labels: ["Category:Core-Bug", "SEV:1", "DevOps:4"],
      expected: c({ category: "core-bug", severity: 1, devops: 4 }),
    },
    { name: "two severities: the last listed wins", labels: ["sev:1", "sev:3"], expected: c({ severity: 3 }) },
    {
      name: "two severities: the newest wins over list order",
      labels: ["sev:1", "sev:3"],
      newest: "sev:1",
      expected: c({ severity: 1 }),
    },
    {
      name: "newest matched case-insensitively",
      labels: ["sev:1", "Sev:3"],
      newest: "SEV:1",
      expected: c({ severity: 1 }),
    },
    {
      name: "a newest label no longer on the issue is ignored",
      labels: ["sev:1", "sev:3"],
      newest: "sev:2",
      expected: c({ severity: 3 }),
    },
    {
      name: "a newest label of another dimension does not disturb severity order",
      labels: ["sev:1", "sev:3", "devops:2"],
      newest: "devops:2",
      expected: c({ severity: 3, devops: 2 }),
    },
    {
      name: "two categories, newest wins",
      labels: ["category:feature-request", "category:core-bug"],
      newest: "category:feature-request",
      expected: c({ category: "feature-request" }),
    },
    {
      name: "custom names",
      labels: ["Bug", "P1", "fix: dev"],
      scheme: CUSTOM,
      expected: c({ category: "core-bug", severity: 2, devops: 3 }),
    },
    {
      name: "custom names, case-insensitive",
      labels: ["force MAJEURE", "not a problem"],
      scheme: CUSTOM,
      expected: c({ category: "act-of-god", severity: 5 }),
    },
    {
      name: "default names mean nothing under a custom scheme",
      labels: ["category:core-bug", "sev:2", "devops:3"],
      scheme: CUSTOM,
      expected: none,
    },
  ])("$name", ({ labels, newest, scheme = SCHEME, expected }) => {
    expect(readClassification(labels, scheme, newest)).toEqual(expected);
  });
});

describe("planClassificationLabels", () => {
  test.each<{
    name: string;
    labels: string[];
    wanted?: Partial<Classification>;
    newest?: string;
    scheme?: LabelScheme;
    classification: Classification;
    add: string[];
    remove: string[];
  }>([
    { name: "nothing to do", labels: ["incident"], classification: none, add: [], remove: [] },
    {
      name: "one per dimension already",
      labels: ["category:core-bug", "sev:2", "devops:3"],
      classification: c({ category: "core-bug", severity: 2, devops: 3 }),
      add: [],
      remove: [],
    },
    {
      name: "duplicate severities: the older goes",
      labels: ["sev:1", "sev:3"],
      newest: "sev:3",
      classification: c({ severity: 3 }),
      add: [],
      remove: ["sev:1"],
    },
    {
      name: "duplicate severities: newest sev:1 stays",
      labels: ["sev:1", "sev:3"],
      newest: "sev:1",
      classification: c({ severity: 1 }),
      add: [],
      remove: ["sev:3"],
    },
    {
      name: "three devops labels collapse to the newest",
      labels: ["devops:1", "devops:2", "devops:4"],
      newest: "devops:2",
      classification: c({ devops: 2 }),
      add: [],
      remove: ["devops:1", "devops:4"],
    },
    {
      name: "removals keep the issue's own spelling",
      labels: ["SEV:1", "sev:3"],
      newest: "sev:3",
      classification: c({ severity: 3 }),
      add: [],
      remove: ["SEV:1"],
    },
    {
      name: "wanted adds missing labels",
      labels: ["incident"],
      wanted: { category: "core-bug", severity: 2, devops: 3 },
      classification: c({ category: "core-bug", severity: 2, devops: 3 }),
      add: ["category:core-bug", "sev:2", "devops:3"],
      remove: [],
    },
    {
      name: "wanted overrides a label",
      labels: ["sev:2"],
      wanted: { severity: 4 },
      classification: c({ severity: 4 }),
      add: ["sev:4"],
      remove: ["sev:2"],
    },
    {
      name: "wanted overrides even the newest label",
      labels: ["sev:2"],
      newest: "sev:2",
      wanted: { severity: 1 },
      classification: c({ severity: 1 }),
      add: ["sev:1"],
      remove: ["sev:2"],
    },
    {
      name: "wanted nulls change nothing",
      labels: ["sev:2", "devops:1"],
      wanted: { severity: null, devops: null, category: null },
      classification: c({ severity: 2, devops: 1 }),
      add: [],
      remove: [],
    },
    {
      name: "wanted equal to the label (other case) adds nothing",
      labels: ["Sev:2"],
      wanted: { severity: 2 },
      classification: c({ severity: 2 }),
      add: [],
      remove: [],
    },
    {
      name: "only one dimension wanted, the others keep their winners",
      labels: ["category:act-of-god", "sev:5", "sev:4"],
      wanted: { devops: 1 },
      classification: c({ category: "act-of-god", severity: 4, devops: 1 }),
      add: ["devops:1"],
      remove: ["sev:5"],
    },
    {
      name: "unrelated labels are never removed",
      labels: ["incident", "bug", "sev:2", "sev:3", "p1"],
      classification: c({ severity: 3 }),
      add: [],
      remove: ["sev:2"],
    },
    {
      name: "custom scheme: adds and removes custom names",
      labels: ["Bug", "P0", "P2"],
      scheme: CUSTOM,
      wanted: { devops: 4 },
      newest: "P0",
      classification: c({ category: "core-bug", severity: 1, devops: 4 }),
      add: ["fix: senior"],
      remove: ["P2"],
    },
  ])("$name", ({ labels, wanted, newest, scheme = SCHEME, classification, add, remove }) => {
    const plan = planClassificationLabels({ labels, scheme, wanted, newest });
    expect(plan.classification).toEqual(classification);
    expect(plan.change).toEqual({ add, remove });
    expect(isNoChange(plan.change)).toBe(add.length === 0 && remove.length === 0);
  });

  test("applying a plan leaves exactly one label per dimension and is then a no-op", () => {
    const labels = ["incident", "sev:1", "SEV:3", "devops:2", "devops:4", "category:core-bug", "category:act-of-god"];
    const first = planClassificationLabels({
      labels,
      scheme: SCHEME,
      newest: "devops:2",
      wanted: { category: "feature-request" },
    });
    const after = [...labels.filter((l) => !first.change.remove.includes(l)), ...first.change.add];
    expect(after.sort()).toEqual(["SEV:3", "category:feature-request", "devops:2", "incident"].sort());
    expect(isNoChange(planClassificationLabels({ labels: after, scheme: SCHEME }).change)).toBe(true);
  });
});

describe("labelIndex and labelFor", () => {
  test("every default label maps back to its value", () => {
    const index = labelIndex(SCHEME);
    expect(index.size).toBe(13);
    for (const [name, value] of index) expect(labelFor(SCHEME, value).toLowerCase()).toBe(name);
    expect(index.get("sev:5")).toEqual({ dimension: "severity", value: 5 });
    expect(index.get("category:act-of-god")).toEqual({ dimension: "category", value: "act-of-god" });
  });

  test("custom names are indexed lower-case but written as configured", () => {
    expect(labelIndex(CUSTOM).get("fix: senior")).toEqual({ dimension: "devops", value: 4 });
    expect(labelFor(CUSTOM, { dimension: "category", value: "operator-error" })).toBe("Ops mistake");
  });
});

describe("setDimensions", () => {
  test("keeps only the dimensions that have a value", () => {
    expect(setDimensions({ category: null, severity: 2, devops: null })).toEqual({ severity: 2 });
    expect(setDimensions({ category: "core-bug", severity: 1, devops: 4 })).toEqual({
      category: "core-bug",
      severity: 1,
      devops: 4,
    });
    expect(setDimensions({ category: null, severity: null, devops: null })).toEqual({});
  });
});
