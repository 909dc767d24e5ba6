import { describe, expect, test } from "@jest/globals";
import { parseSearchQuery, parseTimeRange, tokenize } from "../../simulator/src/search-query.js";

describe("tokenize", () => {
  test("keeps quoted values together", () => {
    expect(tokenize('repo:a/b label:"needs review" "acme/api#12" word')).toEqual([
      "repo:a/b",
      'label:"needs review"',
      '"acme/api#12"',
      "word",
    ]);
  });
});

describe("parseSearchQuery", () => {
  test("reads qualifiers and terms", () => {
    const query = parseSearchQuery(
      'repo:Acme/API is:issue state:open label:incident label:"sev:1","sev:2" -label:wontfix in:body "root cause" sort:updated-asc',
    );
    expect(query).toMatchObject({
      repos: ["acme/api"],
      is: ["issue", "open"],
      labelGroups: [["incident"], ["sev:1", "sev:2"]],
      excludedLabels: ["wontfix"],
      fields: ["body"],
      terms: ["root cause"],
      sort: { key: "updated", order: "asc" },
      unsupported: [],
    });
  });

  test.each(["mentions:alice", "OR", "is:draft", "-repo:a/b", "created:yesterday"])(
    "reports %s as unsupported",
    (token) => {
      expect(parseSearchQuery(`repo:a/b ${token}`).unsupported).toHaveLength(1);
    },
  );
});

describe("parseTimeRange", () => {
  const at = (iso: string): number => Date.parse(iso);
  test.each([
    [">2024-05-01", "2024-05-01T23:00:00Z", false],
    [">2024-05-01", "2024-05-02T00:00:00Z", true],
    [">=2024-05-01", "2024-05-01T00:00:00Z", true],
    ["<2024-05-01", "2024-04-30T23:59:59Z", true],
    ["<=2024-05-01", "2024-05-01T23:59:59Z", true],
    ["2024-05-01", "2024-05-01T12:00:00Z", true],
    ["2024-05-01..2024-05-03", "2024-05-03T12:00:00Z", true],
    ["2024-05-01..*", "2030-01-01T00:00:00Z", true],
    ["<2024-05-01T10:00:00Z", "2024-05-01T09:59:59Z", true],
  ])("%s against %s is %s", (range, instant, expected) => {
    expect(parseTimeRange(range)?.(at(instant))).toBe(expected);
  });
});
