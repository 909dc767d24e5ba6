/** An incident issue as the domain core sees it (built from webhook payloads or API reads). */
import { labelsInclude } from "./labels.js";

export interface IncidentIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  stateReason: string | null;
  labels: string[];
  assignees: string[];
  author: string;
  createdAt: Date;
  closedAt: Date | null;
  /** When GitHub last changed the issue, as the payload or answer says (absent when unknown). */
  updatedAt?: Date;
  isPullRequest: boolean;
}

/** True when the issue carries the incident label. */
export function isIncident(issue: Pick<IncidentIssue, "labels" | "isPullRequest">, incidentLabel: string): boolean {
  return !issue.isPullRequest && labelsInclude(issue.labels, incidentLabel);
}
