import { describe, expect, test } from "@jest/globals";
import { CONFIG_ERROR_MARKER, CONFIG_FIXED_MARKER, configCommentToMarkFixed } from "../../src/core/config-notice.js";

describe("configCommentToMarkFixed", () => {
  const cases = [
    { name: "no comments", comments: [], want: null },
    {
      name: "an error report",
      comments: [
        { id: 1, body: "status" },
        { id: 2, body: `${CONFIG_ERROR_MARKER}\n### bad` },
      ],
      want: 2,
    },
    {
      name: "already says fixed",
      comments: [{ id: 2, body: `${CONFIG_ERROR_MARKER}\n${CONFIG_FIXED_MARKER}\n### fixed` }],
      want: null,
    },
    {
      name: "a marker mid-comment is not the app's report",
      comments: [{ id: 3, body: `quoted ${CONFIG_ERROR_MARKER}` }],
      want: null,
    },
  ];
  test.each(cases)("$name", ({ comments, want }) => {
    expect(configCommentToMarkFixed(comments)).toBe(want);
  });
});
