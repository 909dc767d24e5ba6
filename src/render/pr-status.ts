/** The view model of a pull request's status comment: the incidents it works on and their checklists. */
import { shortRef, refKeyOf } from "../core/references.js";
import type { IncidentIssue } from "../core/incident.js";
import type { Classification } from "../core/classification.js";
import type { WriteupAssessment } from "../core/writeup.js";
import { render } from "./templates.js";

export const PR_STATUS_MARKER = "<!-- incident-keeper:pr-status -->";

export interface PrStatusIncident {
  owner: string;
  repo: string;
  issue: IncidentIssue;
  actionKey: string | null;
  classification: Classification;
  writeup: WriteupAssessment;
}

export function renderPrStatus(incidents: PrStatusIncident[], prRepo: { owner: string; repo: string }): string {
  return render("pr-status", {
    marker: PR_STATUS_MARKER,
    incidents: incidents.map((incident) => ({
      link: shortRef(refKeyOf(incident.owner, incident.repo, incident.issue.number), prRepo),
      title: incident.issue.title,
      severity: incident.classification.severity ? `Sev ${incident.classification.severity}` : "severity not set",
      done: incident.writeup.actions.filter((a) => a.done).length,
      total: incident.writeup.actions.length,
      actions: incident.writeup.actions.map((a) => ({
        box: a.done ? "x" : " ",
        text: a.key ?? a.text.slice(0, 120),
        title: a.title ?? "",
        mine: a.key === incident.actionKey,
      })),
    })),
  });
}
