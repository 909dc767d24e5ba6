import { describe, expect, test } from "@jest/globals";
import { findIssueReferences } from "../../simulator/src/references.js";

describe("findIssueReferences", () => {
  test.each([
    ["see #12", [{ fullName: "acme/api", number: 12, closing: false }]],
    [
      "Fixes #3 and closes acme/web#4",
      [
        { fullName: "acme/api", number: 3, closing: true },
        { fullName: "acme/web", number: 4, closing: true },
      ],
    ],
    ["Resolved: #5", [{ fullName: "acme/api", number: 5, closing: true }]],
    ["fixed #5, mentioned #5 again", [{ fullName: "acme/api", number: 5, closing: true }]],
    ["https://github.com/acme/web/issues/9", [{ fullName: "acme/web", number: 9, closing: false }]],
    ["prefix#12 and a#b and ##", []],
    ["issue acme/api#12x", []],
    ["#0 is not an issue", []],
  ])("%s", (text, expected) => {
    expect(findIssueReferences(text, "acme/api")).toEqual(expected);
  });
});
