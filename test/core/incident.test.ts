import { describe, expect, test } from "@jest/globals";
import { isIncident } from "../../src/core/incident.js";

describe("isIncident", () => {
  test.each<{ name: string; labels: string[]; isPullRequest: boolean; incidentLabel: string; expected: boolean }>([
    {
      name: "the default label",
      labels: ["incident"],
      isPullRequest: false,
      incidentLabel: "incident",
      expected: true,
    },
    {
      name: "among other labels",
      labels: ["bug", "sev:1", "incident"],
      isPullRequest: false,
      incidentLabel: "incident",
      expected: true,
    },
    {
      name: "label case differs (GitHub label names ignore case)",
      labels: ["Incident"],
      isPullRequest: false,
      incidentLabel: "incident",
      expected: true,
    },
    {
      name: "configured label case differs",
      labels: ["outage"],
      isPullRequest: false,
      incidentLabel: "OUTAGE",
      expected: true,
    },
    { name: "no labels", labels: [], isPullRequest: false, incidentLabel: "incident", expected: false },
    {
      name: "only classification labels",
      labels: ["sev:1", "category:core-bug", "devops:1"],
      isPullRequest: false,
      incidentLabel: "incident",
      expected: false,
    },
    {
      name: "a label that merely contains the name",
      labels: ["incident:needs-writeup", "not-incident"],
      isPullRequest: false,
      incidentLabel: "incident",
      expected: false,
    },
    {
      name: "a label with surrounding space is a different label",
      labels: [" incident"],
      isPullRequest: false,
      incidentLabel: "incident",
      expected: false,
    },
    {
      name: "the default label when another is configured",
      labels: ["incident"],
      isPullRequest: false,
      incidentLabel: "outage",
      expected: false,
    },
    {
      name: "a pull request never is one, even labelled",
      labels: ["incident"],
      isPullRequest: true,
      incidentLabel: "incident",
      expected: false,
    },
    { name: "an unlabelled pull request", labels: [], isPullRequest: true, incidentLabel: "incident", expected: false },
  ])("$name -> $expected", ({ labels, isPullRequest, incidentLabel, expected }) => {
    expect(isIncident({ labels, isPullRequest }, incidentLabel)).toBe(expected);
  });
});
