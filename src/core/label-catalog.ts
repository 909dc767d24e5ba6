/** Colour and description of every label the app may create. Pure. */
import {
  CATEGORIES,
  CATEGORY_TITLES,
  DEVOPS_LEVELS,
  DEVOPS_MEANINGS,
  SEVERITIES,
  SEVERITY_MEANINGS,
} from "./classification.js";
import type { IncidentKeeperConfig } from "../config/schema.js";

export interface LabelSpec {
  name: string;
  color: string;
  description: string;
}

const SEVERITY_COLORS = ["b60205", "d93f0b", "fbca04", "c2e0c6", "ededed"] as const;
const DEVOPS_COLORS = ["0e8a16", "5319e7", "1d76db", "0052cc"] as const;

/** Every label the app manages, keyed by lower-case name. */
export function labelCatalog(config: IncidentKeeperConfig): Map<string, LabelSpec> {
  const specs: LabelSpec[] = [
    { name: config.incident_label, color: "b60205", description: "An incident, tracked by incident-keeper" },
    ...CATEGORIES.map((c) => ({
      name: config.labels.category[c],
      color: "5319e7",
      description: `Incident category: ${CATEGORY_TITLES[c]}`,
    })),
    ...SEVERITIES.map((s, i) => ({
      name: config.labels.severity[`${s}`],
      color: SEVERITY_COLORS[i] ?? "ededed",
      description: `Sev ${s}: ${SEVERITY_MEANINGS[s]}`,
    })),
    ...DEVOPS_LEVELS.map((d, i) => ({
      name: config.labels.devops[`${d}`],
      color: DEVOPS_COLORS[i] ?? "ededed",
      description: `DevOps ${d}: ${DEVOPS_MEANINGS[d]}`,
    })),
    { name: config.labels.product, color: "c5def5", description: "Handed to the product team" },
    {
      name: config.labels.needs_writeup,
      color: "fef2c0",
      description: "Incident write-up (Timeline, RCA, Actions) incomplete",
    },
    { name: config.labels.sla_breached, color: "b60205", description: "An incident SLA deadline was breached" },
    { name: config.labels.sla_paused, color: "bfdadc", description: "Incident SLA clocks paused" },
    { name: config.labels.security, color: "000000", description: "A security incident, kept in a private repository" },
  ];
  return new Map(specs.map((s) => [s.name.toLowerCase(), s]));
}
