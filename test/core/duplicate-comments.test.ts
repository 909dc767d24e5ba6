import { describe, expect, test } from "@jest/globals";
import { laterDuplicates } from "../../src/core/duplicate-comments.js";

const R = "<!-- incident-keeper:reminder investigation:breach@2026-11-23T18:00:00.000Z -->";
const S = "<!-- incident-keeper:status -->";
const c = (id: number, marker: string) => ({ id, body: `${marker}\nwords` });

describe("laterDuplicates: the later of two identical app comments deletes itself", () => {
  const cases = [
    { name: "alone: keep", comments: [c(10, R)], mine: [10], want: [] },
    { name: "mine is the earlier copy: keep", comments: [c(10, R), c(11, R)], mine: [10], want: [] },
    { name: "mine is the later copy: delete it", comments: [c(10, R), c(11, R)], mine: [11], want: [11] },
    { name: "order of the list does not matter", comments: [c(11, R), c(10, R)], mine: [11], want: [11] },
    { name: "status comments too", comments: [c(10, S), c(12, R), c(11, S), c(13, R)], mine: [11, 13], want: [11, 13] },
    {
      name: "another process's later copy is not mine to delete",
      comments: [c(10, R), c(11, R)],
      mine: [10],
      want: [],
    },
    {
      name: "three copies: both later ones go (each process deletes its own)",
      comments: [c(10, R), c(11, R), c(12, R)],
      mine: [12],
      want: [12],
    },
    {
      name: "different reminders are not duplicates",
      comments: [c(10, R), c(11, R.replace("breach", "75"))],
      mine: [11],
      want: [],
    },
    {
      name: "no marker line: never a duplicate",
      comments: [
        { id: 10, body: "hello" },
        { id: 11, body: "hello" },
      ],
      mine: [11],
      want: [],
    },
  ];
  test.each(cases)("$name", ({ comments, mine, want }) => {
    expect(laterDuplicates(comments, mine)).toEqual(want);
  });
});
