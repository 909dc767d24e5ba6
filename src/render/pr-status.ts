/** The view model of a pull request's status comment: the incidents it works on and their checklists. */
import { shortRef, refKeyOf } from "../core/references.js";
import type { IncidentIssue } from "../core/incident.js";
import type { Classification } from "../core/classification.js";
import type { WriteupAssessment } from "../core/writeup.js";
import { WITHHELD_TITLE } from "../core/security.js";
import { render } from "./templates.js";

export const PR_STATUS_MARKER = "<!-- incident-keeper:pr-status -->";

export interface PrStatusIncident {
  owner: string;
  repo: string;
  issue: IncidentIssue;
  actionKey: string | null;
  classification: Classification;
  writeup: WriteupAssessment;
  /** A security incident (`isSecurityIncident`): outside its own repository, nothing of it is shown. */
  security?: boolean;
}

export function renderPrStatus(incidents: PrStatusIncident[], prRepo: { owner: string; repo: string }): string {
  return render("pr-status", {
    marker: PR_STATUS_MARKER,
    incidents: incidents.map((incident) =>
      // A pull request elsewhere (the public repository a security incident moved out of) says only that
      // it is linked to one: no link, number, title, severity or action (issue #14).
      incident.security === true &&
      `${incident.owner}/${incident.repo}`.toLowerCase() !== `${prRepo.owner}/${prRepo.repo}`.toLowerCase()
        ? { withheld: WITHHELD_TITLE }
        : shownIncident(incident, prRepo),
    ),
  });
}

function shownIncident(incident: PrStatusIncident, prRepo: { owner: string; repo: string }): object {
  return {
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
  };
}
