/**
 * What GitHub writes into an issue filed from `.github/ISSUE_TEMPLATE/incident.yml`: every field as a
 * `### Label` heading followed by the answer, `_No response_` where a field was left empty.
 */

/** The template's fields, in its order, with the labels GitHub renders as headings. */
export const INCIDENT_FORM_FIELDS = {
  summary: "Summary",
  impact: "Impact",
  category: "Category",
  severity: "Severity",
  devops: "Remediation difficulty",
  timeline: "Timeline",
  rca: "RCA",
  actions: "Actions",
} as const;

export type IncidentFormAnswers = Partial<Record<keyof typeof INCIDENT_FORM_FIELDS, string>>;

/** The issue body of a submission of the incident form with these answers. */
export function incidentFormBody(answers: IncidentFormAnswers): string {
  return (Object.keys(INCIDENT_FORM_FIELDS) as Array<keyof typeof INCIDENT_FORM_FIELDS>)
    .map((field) => `### ${INCIDENT_FORM_FIELDS[field]}\n\n${answers[field] ?? "_No response_"}`)
    .join("\n\n");
}
