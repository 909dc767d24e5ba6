/**
 * Incident classification: one label per dimension (category, severity, remediation difficulty).
 * Pure: works on label names and the configured label scheme only.
 */
import { labelsInclude } from "./labels.js";

export const CATEGORIES = ["core-bug", "feature-request", "operator-error", "act-of-god"] as const;
export type Category = (typeof CATEGORIES)[number];
export const SEVERITIES = [1, 2, 3, 4, 5] as const;
export type Severity = (typeof SEVERITIES)[number];
export const DEVOPS_LEVELS = [1, 2, 3, 4] as const;
export type DevopsLevel = (typeof DEVOPS_LEVELS)[number];
export type Dimension = "category" | "severity" | "devops";
export const DIMENSIONS: readonly Dimension[] = ["category", "severity", "devops"];

export interface Classification {
  category: Category | null;
  severity: Severity | null;
  devops: DevopsLevel | null;
}

/** Label names for every value of every dimension (from config). */
export interface LabelScheme {
  category: Record<Category, string>;
  severity: Record<`${Severity}`, string>;
  devops: Record<`${DevopsLevel}`, string>;
}

export const SEVERITY_MEANINGS: Record<Severity, string> = {
  1: "complete outage",
  2: "major functionality broken, revenue affected",
  3: "minor problem",
  4: "redundant component failure",
  5: "false alarm, nothing to fix",
};

export const DEVOPS_MEANINGS: Record<DevopsLevel, string> = {
  1: "config change that can be automated",
  2: "config change by a junior technician",
  3: "CI/CD or code change, 1-2 developers",
  4: "hard-to-reproduce code bug, senior developers",
};

export const CATEGORY_TITLES: Record<Category, string> = {
  "core-bug": "Core product bug",
  "feature-request": "Feature request",
  "operator-error": "Operator error",
  "act-of-god": "Act of God",
};

export type DimensionValue =
  | { dimension: "category"; value: Category }
  | { dimension: "severity"; value: Severity }
  | { dimension: "devops"; value: DevopsLevel };

/** Only the dimensions that have a value (e.g. the answers an issue form gave). */
export function setDimensions(classification: Classification): Partial<Classification> {
  return Object.fromEntries(Object.entries(classification).filter(([, value]) => value !== null));
}

/** Every (label name -> dimension value) pair of the scheme. */
export function labelIndex(scheme: LabelScheme): Map<string, DimensionValue> {
  const index = new Map<string, DimensionValue>();
  for (const category of CATEGORIES)
    index.set(scheme.category[category].toLowerCase(), { dimension: "category", value: category });
  for (const severity of SEVERITIES)
    index.set(scheme.severity[`${severity}`].toLowerCase(), { dimension: "severity", value: severity });
  for (const devops of DEVOPS_LEVELS)
    index.set(scheme.devops[`${devops}`].toLowerCase(), { dimension: "devops", value: devops });
  return index;
}

/** The label name the scheme uses for a dimension value. */
export function labelFor(scheme: LabelScheme, value: DimensionValue): string {
  switch (value.dimension) {
    case "category":
      return scheme.category[value.value];
    case "severity":
      return scheme.severity[`${value.value}`];
    case "devops":
      return scheme.devops[`${value.value}`];
  }
}

/**
 * Reads the classification from an issue's labels. When a dimension carries several labels the one
 * named `newest` wins (the label just added), otherwise the last in the list.
 */
export function readClassification(labels: readonly string[], scheme: LabelScheme, newest?: string): Classification {
  const index = labelIndex(scheme);
  const result: Classification = { category: null, severity: null, devops: null };
  const ordered = newest ? [...labels.filter((l) => l.toLowerCase() !== newest.toLowerCase()), newest] : labels;
  for (const label of ordered) {
    if (!labelsInclude(labels, label)) continue;
    const hit = index.get(label.toLowerCase());
    if (!hit) continue;
    assign(result, hit);
  }
  return result;
}

function assign(target: Classification, hit: DimensionValue): void {
  if (hit.dimension === "category") target.category = hit.value;
  else if (hit.dimension === "severity") target.severity = hit.value;
  else target.devops = hit.value;
}

/** Label additions and removals that take an issue from its current labels to the wanted classification. */
export interface LabelChange {
  add: string[];
  remove: string[];
}

/**
 * Plans the label changes that leave exactly one label per dimension: `wanted` values (from commands
 * or the issue form) override; otherwise the current winner (see {@link readClassification}) stays and
 * any other label of the same dimension is removed.
 */
export function planClassificationLabels(args: {
  labels: readonly string[];
  scheme: LabelScheme;
  wanted?: Partial<Classification>;
  newest?: string;
}): { classification: Classification; change: LabelChange } {
  const { labels, scheme, wanted = {}, newest } = args;
  const classification = readClassification(labels, scheme, newest);
  for (const dimension of DIMENSIONS) {
    const value = wanted[dimension];
    if (value !== undefined && value !== null) assign(classification, { dimension, value } as DimensionValue);
  }
  const index = labelIndex(scheme);
  const keep = new Set<string>();
  for (const dimension of DIMENSIONS) {
    const value = classification[dimension];
    if (value !== null) keep.add(labelFor(scheme, { dimension, value } as DimensionValue).toLowerCase());
  }
  const present = new Set(labels.map((l) => l.toLowerCase()));
  const remove = labels.filter((l) => index.has(l.toLowerCase()) && !keep.has(l.toLowerCase()));
  const add: string[] = [];
  for (const dimension of DIMENSIONS) {
    const value = classification[dimension];
    if (value === null) continue;
    const name = labelFor(scheme, { dimension, value } as DimensionValue);
    if (!present.has(name.toLowerCase())) add.push(name);
  }
  return { classification, change: { add, remove } };
}

/** True when nothing would change. */
export function isNoChange(change: LabelChange): boolean {
  return change.add.length === 0 && change.remove.length === 0;
}
