import { describe, expect, test } from "@jest/globals";
import type { Classification } from "../../src/core/classification.js";
import { readIssueForm } from "../../src/core/issue-form.js";
import { cpuNow } from "../support/cpu-time.js";

const none: Classification = { category: null, severity: null, devops: null };

/** An issue body as GitHub renders a submission of `.github/ISSUE_TEMPLATE/incident.yml`. */
function formBody(
  answers: { summary?: string; category?: string; severity?: string; devops?: string; timeline?: string } = {},
): string {
  const field = (label: string, answer: string | undefined): string => `### ${label}\n\n${answer ?? "_No response_"}`;
  return [
    field("Summary", answers.summary ?? "Checkout returns 502 for EU customers since 09:12 UTC."),
    field("Impact", undefined),
    field("Category", answers.category),
    field("Severity", answers.severity),
    field("Remediation difficulty", answers.devops),
    field("Timeline", answers.timeline),
    field("RCA", undefined),
    field("Actions", undefined),
  ].join("\n\n");
}

describe("a GitHub issue-form submission", () => {
  test.each<{ name: string; answers: Parameters<typeof formBody>[0]; expected: Classification }>([
    {
      name: "every dropdown answered",
      answers: {
        category: "Core product bug",
        severity: "Sev 2 - major functionality broken, revenue affected",
        devops: "DevOps 3 - CI/CD or code change, 1-2 developers",
      },
      expected: { category: "core-bug", severity: 2, devops: 3 },
    },
    { name: "nothing answered (_No response_)", answers: {}, expected: none },
    {
      name: "only the category",
      answers: { category: "Feature request" },
      expected: { category: "feature-request", severity: null, devops: null },
    },
    {
      name: "operator error",
      answers: { category: "Operator error" },
      expected: { category: "operator-error", severity: null, devops: null },
    },
    {
      name: "act of God",
      answers: { category: "Act of God" },
      expected: { category: "act-of-god", severity: null, devops: null },
    },
    { name: "Sev 1", answers: { severity: "Sev 1 - complete outage" }, expected: { ...none, severity: 1 } },
    { name: "Sev 5", answers: { severity: "Sev 5 - false alarm, nothing to fix" }, expected: { ...none, severity: 5 } },
    {
      name: "DevOps 1",
      answers: { devops: "DevOps 1 - config change, can be automated" },
      expected: { ...none, devops: 1 },
    },
    {
      name: "DevOps 4",
      answers: { devops: "DevOps 4 - hard-to-reproduce code bug, senior developers" },
      expected: { ...none, devops: 4 },
    },
    {
      name: "hand-typed bare numbers",
      answers: { severity: "2", devops: "4 (we think)" },
      expected: { ...none, severity: 2, devops: 4 },
    },
    {
      name: "the category's machine name",
      answers: { category: "core-bug" },
      expected: { ...none, category: "core-bug" },
    },
    {
      name: "case-insensitive answers",
      answers: { category: "CORE PRODUCT BUG", severity: "sev 3", devops: "devops 2" },
      expected: { category: "core-bug", severity: 3, devops: 2 },
    },
    { name: "Sev 6 is not a severity", answers: { severity: "Sev 6 - worse than an outage" }, expected: none },
    { name: "Sev 12 is not Sev 1", answers: { severity: "Sev 12" }, expected: none },
    { name: "DevOps 5 is not a level", answers: { devops: "DevOps 5" }, expected: none },
    { name: "a bare 9 is out of range", answers: { severity: "9", devops: "7" }, expected: none },
    {
      name: "junk answers",
      answers: { category: "Banana", severity: "very bad", devops: "¯\\_(ツ)_/¯" },
      expected: none,
    },
    {
      name: "a severity mentioned in another field does not count",
      answers: { summary: "Looks like Sev 1, DevOps 1 and a Core product bug" },
      expected: none,
    },
  ])("$name", ({ answers, expected }) => {
    expect(readIssueForm(formBody(answers))).toEqual(expected);
  });
});

describe("bodies that are not (quite) the form", () => {
  test.each<{ name: string; body: string | null | undefined; expected: Classification }>([
    { name: "null", body: null, expected: none },
    { name: "undefined", body: undefined, expected: none },
    { name: "empty", body: "", expected: none },
    { name: "prose without headings", body: "Severity: Sev 1\nCategory: Core product bug", expected: none },
    { name: "a heading with nothing under it", body: "### Severity", expected: none },
    {
      name: "headings of any level",
      body: "## Category\nCore product bug\n# Severity\nSev 4",
      expected: { category: "core-bug", severity: 4, devops: null },
    },
    { name: "the DevOps field under its other names", body: "### DevOps level\n\n2", expected: { ...none, devops: 2 } },
    { name: "the DevOps field titled just DevOps", body: "### DevOps\n\nDevOps 3", expected: { ...none, devops: 3 } },
    {
      name: "the first of two Severity headings wins",
      body: "### Severity\n\nSev 2\n\n### Severity\n\nSev 1",
      expected: { ...none, severity: 2 },
    },
    {
      name: "an HTML comment under the heading is skipped",
      body: "### Severity\n\n<!-- pick one -->\n\nSev 3",
      expected: { ...none, severity: 3 },
    },
    {
      name: "CRLF line endings",
      body: "### Category\r\n\r\nCore product bug\r\n\r\n### Severity\r\n\r\nSev 2 - x\r\n",
      expected: { ...none, category: "core-bug", severity: 2 },
    },
    { name: "a heading inside a code block is not a field", body: "```\n### Severity\n\nSev 1\n```", expected: none },
    { name: "a heading inside a quote is not a field", body: "> ### Severity\n>\n> Sev 1", expected: none },
    { name: "junk", body: "\u0000\uFFFF### \n\n###\n\n#", expected: none },
  ])("$name", ({ body, expected }) => {
    expect(readIssueForm(body)).toEqual(expected);
  });

  test("answers past 65,536 characters are not read", () => {
    const body = `### Summary\n\n${"x".repeat(70_000)}\n\n### Severity\n\nSev 1`;
    expect(readIssueForm(body)).toEqual(none);
  });

  test.each<{ name: string; filler: string }>([
    { name: "64 KB of nested list lines", filler: "- - a\n".repeat(11_000) },
    { name: "64 KB of emphasis delimiters", filler: "*_".repeat(32_000) },
    { name: "a deep list followed by lazy lines", filler: `${"- ".repeat(100)}a\n${"b\n".repeat(30_000)}` },
  ])("a hostile summary ($name) is dealt with quickly", ({ filler }) => {
    const start = cpuNow();
    const result = readIssueForm(formBody({ severity: "Sev 2", summary: filler }).slice(0, 65_536));
    expect(cpuNow() - start).toBeLessThan(2_000);
    // Either the answers are read or, past the parser's bounds, none are: never a wrong answer.
    expect([none, { ...none, severity: 2 }]).toContainEqual(result);
  });
});
