import { describe, expect, test } from "@jest/globals";
import { labelCatalog, type LabelSpec } from "../../src/core/label-catalog.js";
import { configSchema, DEFAULT_CONFIG } from "../../src/config/schema.js";

/** Every label the app may create with the default config, written out by hand. */
const DEFAULT_SPECS: LabelSpec[] = [
  { name: "incident", color: "b60205", description: "An incident, tracked by incident-keeper" },
  { name: "category:core-bug", color: "5319e7", description: "Incident category: Core product bug" },
  { name: "category:feature-request", color: "5319e7", description: "Incident category: Feature request" },
  { name: "category:operator-error", color: "5319e7", description: "Incident category: Operator error" },
  { name: "category:act-of-god", color: "5319e7", description: "Incident category: Act of God" },
  { name: "sev:1", color: "b60205", description: "Sev 1: complete outage" },
  { name: "sev:2", color: "d93f0b", description: "Sev 2: major functionality broken, revenue affected" },
  { name: "sev:3", color: "fbca04", description: "Sev 3: minor problem" },
  { name: "sev:4", color: "c2e0c6", description: "Sev 4: redundant component failure" },
  { name: "sev:5", color: "ededed", description: "Sev 5: false alarm, nothing to fix" },
  { name: "devops:1", color: "0e8a16", description: "DevOps 1: config change that can be automated" },
  { name: "devops:2", color: "5319e7", description: "DevOps 2: config change by a junior technician" },
  { name: "devops:3", color: "1d76db", description: "DevOps 3: CI/CD or code change, 1-2 developers" },
  { name: "devops:4", color: "0052cc", description: "DevOps 4: hard-to-reproduce code bug, senior developers" },
  { name: "product", color: "c5def5", description: "Handed to the product team" },
  {
    name: "incident:needs-writeup",
    color: "fef2c0",
    description: "Incident write-up (Timeline, RCA, Actions) incomplete",
  },
  { name: "sla:breached", color: "b60205", description: "An incident SLA deadline was breached" },
  { name: "sla:paused", color: "bfdadc", description: "Incident SLA clocks paused" },
  // Issue #14: the security label.
  { name: "incident:security", color: "000000", description: "A security incident, kept in a private repository" },
];

describe("the default label catalog", () => {
  const catalog = labelCatalog(DEFAULT_CONFIG);

  test("holds exactly the 19 default labels, keyed by lower-case name, in this order", () => {
    expect([...catalog.keys()]).toEqual(DEFAULT_SPECS.map((s) => s.name));
    expect([...catalog.values()]).toEqual(DEFAULT_SPECS);
  });

  test.each(DEFAULT_SPECS)('$name: #$color, "$description"', (spec) => {
    expect(catalog.get(spec.name)).toEqual(spec);
  });

  test("every colour is six lower-case hex digits (GitHub rejects a leading #)", () => {
    for (const spec of catalog.values()) expect(spec.color).toMatch(/^[0-9a-f]{6}$/);
  });

  test("every description fits GitHub's 100-character limit", () => {
    for (const spec of catalog.values()) expect(spec.description.length).toBeLessThanOrEqual(100);
  });

  test("a label that is not the app's has no spec", () => {
    expect(catalog.get("bug")).toBeUndefined();
    expect(catalog.get("sev:6")).toBeUndefined();
    expect(catalog.get("Sev:1")).toBeUndefined(); // keys are lower case; callers look up `name.toLowerCase()`
  });
});

describe("configured label names", () => {
  const config = configSchema.parse({
    incident_label: "Outage",
    labels: {
      category: { "core-bug": "Kind: Bug", "act-of-god": "kind/act-of-god" },
      severity: { "1": "P0", "5": "P4-noise" },
      devops: { "4": "Effort: XL" },
      product: "Product Team",
      needs_writeup: "Needs Postmortem",
      sla_breached: "SLA!",
      sla_paused: "On Hold",
    },
  });
  const catalog = labelCatalog(config);

  test.each<{ key: string; spec: LabelSpec }>([
    {
      key: "outage",
      spec: { name: "Outage", color: "b60205", description: "An incident, tracked by incident-keeper" },
    },
    {
      key: "kind: bug",
      spec: { name: "Kind: Bug", color: "5319e7", description: "Incident category: Core product bug" },
    },
    {
      key: "kind/act-of-god",
      spec: { name: "kind/act-of-god", color: "5319e7", description: "Incident category: Act of God" },
    },
    {
      key: "category:feature-request",
      spec: { name: "category:feature-request", color: "5319e7", description: "Incident category: Feature request" },
    },
    { key: "p0", spec: { name: "P0", color: "b60205", description: "Sev 1: complete outage" } },
    {
      key: "sev:2",
      spec: { name: "sev:2", color: "d93f0b", description: "Sev 2: major functionality broken, revenue affected" },
    },
    { key: "p4-noise", spec: { name: "P4-noise", color: "ededed", description: "Sev 5: false alarm, nothing to fix" } },
    {
      key: "effort: xl",
      spec: {
        name: "Effort: XL",
        color: "0052cc",
        description: "DevOps 4: hard-to-reproduce code bug, senior developers",
      },
    },
    {
      key: "devops:1",
      spec: { name: "devops:1", color: "0e8a16", description: "DevOps 1: config change that can be automated" },
    },
    { key: "product team", spec: { name: "Product Team", color: "c5def5", description: "Handed to the product team" } },
    {
      key: "needs postmortem",
      spec: {
        name: "Needs Postmortem",
        color: "fef2c0",
        description: "Incident write-up (Timeline, RCA, Actions) incomplete",
      },
    },
    { key: "sla!", spec: { name: "SLA!", color: "b60205", description: "An incident SLA deadline was breached" } },
    { key: "on hold", spec: { name: "On Hold", color: "bfdadc", description: "Incident SLA clocks paused" } },
  ])("$key -> $spec.name", ({ key, spec }) => {
    expect(catalog.get(key)).toEqual(spec);
  });

  test("keeps the configured spelling in the spec and replaces the default names", () => {
    // 18 configured names and the default security label (issue #14).
    expect(catalog.size).toBe(19);
    for (const replaced of [
      "incident",
      "category:core-bug",
      "sev:1",
      "sev:5",
      "devops:4",
      "product",
      "incident:needs-writeup",
      "sla:breached",
      "sla:paused",
    ]) {
      expect(catalog.has(replaced)).toBe(false);
    }
  });

  test("two dimensions sharing a name collapse to one entry, the later spec winning", () => {
    const shared = labelCatalog(configSchema.parse({ labels: { product: "incident:needs-writeup" } }));
    expect(shared.size).toBe(18);
    expect(shared.get("incident:needs-writeup")).toEqual({
      name: "incident:needs-writeup",
      color: "fef2c0",
      description: "Incident write-up (Timeline, RCA, Actions) incomplete",
    });
  });
});
