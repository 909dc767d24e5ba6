import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { readIssueForm } from "../../src/core/issue-form.js";
import { INCIDENT_FORM_FIELDS, incidentFormBody } from "../../simulator/src/index.js";

const template = parse(readFileSync(new URL("../../.github/ISSUE_TEMPLATE/incident.yml", import.meta.url), "utf8")) as {
  body: Array<{ type: string; attributes: { label?: string } }>;
};

describe("incidentFormBody", () => {
  it("renders the real template's fields, in its order", () => {
    const labels = template.body.filter((field) => field.type !== "markdown").map((field) => field.attributes.label);
    expect(Object.values(INCIDENT_FORM_FIELDS)).toEqual(labels);
  });

  it("writes each answer under its heading and _No response_ for the empty ones", () => {
    expect(incidentFormBody({ summary: "Down.", severity: "Sev 1 - complete outage" })).toBe(
      "### Summary\n\nDown.\n\n### Impact\n\n_No response_\n\n### Category\n\n_No response_\n\n### Severity\n\nSev 1 - complete outage\n\n" +
        "### Remediation difficulty\n\n_No response_\n\n### Timeline\n\n_No response_\n\n### RCA\n\n_No response_\n\n### Actions\n\n_No response_",
    );
    expect(readIssueForm(incidentFormBody({ severity: "Sev 1 - complete outage" }))).toEqual({
      category: null,
      severity: 1,
      devops: null,
    });
  });
});
