/** The exact-call-list helper for calls made at once: each group as a multiset, the steps in order. */
import { describe, expect, it } from "@jest/globals";
import { atOnce, callGroupsMismatch, expectCallGroups, type CallStep } from "./call-groups.js";

const STEPS: CallStep[] = [
  atOnce("GET repos/get-content", "GET repos/get-collaborator-permission-level", "GET issues/list-comments"),
  "GET issues/get",
  "PATCH issues/update",
];

describe("expectCallGroups", () => {
  it.each<[string, string[], boolean]>([
    [
      "the app's order",
      [
        "GET repos/get-content",
        "GET repos/get-collaborator-permission-level",
        "GET issues/list-comments",
        "GET issues/get",
        "PATCH issues/update",
      ],
      true,
    ],
    [
      "a group's calls reversed",
      [
        "GET issues/list-comments",
        "GET repos/get-collaborator-permission-level",
        "GET repos/get-content",
        "GET issues/get",
        "PATCH issues/update",
      ],
      true,
    ],
    [
      "a call added inside the group",
      [
        "GET repos/get-content",
        "GET repos/get-content",
        "GET repos/get-collaborator-permission-level",
        "GET issues/list-comments",
        "GET issues/get",
        "PATCH issues/update",
      ],
      false,
    ],
    [
      "a call added at the end",
      [
        "GET repos/get-content",
        "GET repos/get-collaborator-permission-level",
        "GET issues/list-comments",
        "GET issues/get",
        "PATCH issues/update",
        "PATCH issues/update",
      ],
      false,
    ],
    [
      "a call removed from the group",
      ["GET repos/get-content", "GET issues/list-comments", "GET issues/get", "PATCH issues/update"],
      false,
    ],
    [
      "a call removed after the group",
      [
        "GET repos/get-content",
        "GET repos/get-collaborator-permission-level",
        "GET issues/list-comments",
        "PATCH issues/update",
      ],
      false,
    ],
    [
      "a dependent call moved into the group",
      [
        "GET repos/get-content",
        "GET issues/get",
        "GET repos/get-collaborator-permission-level",
        "GET issues/list-comments",
        "PATCH issues/update",
      ],
      false,
    ],
    [
      "two dependent calls swapped",
      [
        "GET repos/get-content",
        "GET repos/get-collaborator-permission-level",
        "GET issues/list-comments",
        "PATCH issues/update",
        "GET issues/get",
      ],
      false,
    ],
    [
      "one call of the group replaced by another",
      [
        "GET repos/get-content",
        "GET repos/get-content",
        "GET issues/list-comments",
        "GET issues/get",
        "PATCH issues/update",
      ],
      false,
    ],
  ])("%s", (_name, actual, matches) => {
    expect(callGroupsMismatch(actual, STEPS) === null).toBe(matches);
    if (matches) expect(() => expectCallGroups(actual, STEPS)).not.toThrow();
    else expect(() => expectCallGroups(actual, STEPS)).toThrow(/calls differ/);
  });

  it("shows both lists when they differ", () => {
    const actual = ["GET repos/get-content", "GET issues/list-comments", "PATCH issues/update"];
    expect(() => expectCallGroups(actual, STEPS)).toThrow(
      [
        'calls differ: step 1 (calls 1-3): expected the group ["GET repos/get-content","GET repos/get-collaborator-permission-level","GET issues/list-comments"] (any order), got ["GET repos/get-content","GET issues/list-comments","PATCH issues/update"]',
        "",
        "expected (a group's calls in any order, the steps in this order):",
        "  [any order: GET repos/get-content, GET repos/get-collaborator-permission-level, GET issues/list-comments]",
        "  GET issues/get",
        "  PATCH issues/update",
        "",
        "actual (in arrival order):",
        "  GET repos/get-content",
        "  GET issues/list-comments",
        "  PATCH issues/update",
      ].join("\n"),
    );
  });

  it("an empty list matches no steps only", () => {
    expect(() => expectCallGroups([], [])).not.toThrow();
    expect(() => expectCallGroups([], ["GET issues/get"])).toThrow(/step 1/);
    expect(() => expectCallGroups(["GET issues/get"], [])).toThrow(/1 call\(s\) more than expected/);
    expect(() => expectCallGroups(undefined, [])).toThrow(/no list of calls recorded/);
  });
});
