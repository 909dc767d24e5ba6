/** Fixtures shared by the decision tests: one open incident issue as the core sees it. */
import type { IncidentIssue } from "../../src/core/incident.js";

/** Issue #7 "Checkout fails", open, labelled `incident`, opened 2026-11-23 06:00 UTC by alice. */
export function incidentIssue(overrides: Partial<IncidentIssue> = {}): IncidentIssue {
  return {
    number: 7,
    title: "Checkout fails",
    body: "",
    state: "open",
    stateReason: null,
    labels: ["incident"],
    assignees: [],
    author: "alice",
    createdAt: new Date("2026-11-23T06:00:00Z"),
    closedAt: null,
    isPullRequest: false,
    ...overrides,
  };
}
