import { describe, expect, test } from "@jest/globals";
import { MAX_PR_REFERENCES, pullRequestReferences } from "../../src/core/pr-references.js";
import type { ResolvedRef } from "../../src/core/references.js";

const REPO = { owner: "acme", repo: "api" };
const here = (number: number): ResolvedRef => ({ owner: "acme", repo: "api", number });
const ref = (owner: string, repo: string, number: number): ResolvedRef => ({ owner, repo, number });

describe("pullRequestReferences", () => {
  test.each<{ name: string; body: string; expected: ResolvedRef[] }>([
    { name: "empty body", body: "", expected: [] },
    { name: "no references", body: "Refactors the login handler.\n\nNo functional change.", expected: [] },
    { name: "Fixes #N", body: "Fixes #12", expected: [here(12)] },
    { name: "fixes, lower case, mid-sentence", body: "This fixes #12 for good.", expected: [here(12)] },
    { name: "closes owner/repo#N", body: "closes acme/web#3", expected: [ref("acme", "web", 3)] },
    {
      name: "Resolves other-org/repo.name#N",
      body: "Resolves other-org/repo.name#77",
      expected: [ref("other-org", "repo.name", 77)],
    },
    { name: "a bare mention without a keyword counts too", body: "Part of #5", expected: [here(5)] },
    { name: "full issue URL", body: "Fixes https://github.com/acme/web/issues/44", expected: [ref("acme", "web", 44)] },
    {
      name: "full pull URL with a fragment",
      body: "See https://github.com/acme/api/pull/45#discussion_r1",
      expected: [here(45)],
    },
    {
      name: "GitHub Enterprise URL",
      body: "Fixes https://ghe.example.com/ops/infra/issues/8",
      expected: [ref("ops", "infra", 8)],
    },
    {
      name: "Markdown link to an issue; its text is not a reference",
      body: "Fixes [the outage #99](https://github.com/acme/api/issues/7)",
      expected: [here(7)],
    },
    {
      name: "reference-style link: its definition's target counts",
      body: "Fixes [the incident][1]\n\n[1]: https://github.com/acme/api/issues/9",
      expected: [here(9)],
    },
    {
      name: "a reference-style link without a definition is plain text",
      body: "Fixes [the incident #8][nope]",
      expected: [here(8)],
    },
    {
      name: "a link whose target is not an issue contributes nothing, not even its text",
      body: "See [#12 in the docs](https://docs.example.com/x)",
      expected: [],
    },
    { name: "autolink in angle brackets", body: "Fixes <https://github.com/acme/api/issues/10>", expected: [here(10)] },
    {
      name: "several, in order of appearance",
      body: "Fixes #3, closes acme/web#1 and resolves #2",
      expected: [here(3), ref("acme", "web", 1), here(2)],
    },
    {
      name: "the same issue written three ways counts once",
      body: "Fixes #4, acme/api#4 and https://github.com/acme/api/issues/4",
      expected: [here(4)],
    },
    {
      name: "owner and repo differ only in case: one reference, first spelling kept",
      body: "ACME/API#4 then acme/api#4",
      expected: [ref("ACME", "API", 4)],
    },
    { name: "inline code is ignored", body: "Run `git log --grep #12` to see; fixes #13", expected: [here(13)] },
    { name: "fenced code is ignored", body: "```\nFixes #12\n```\nFixes #14", expected: [here(14)] },
    { name: "indented code is ignored", body: "Intro\n\n    Fixes #12\n\nDone", expected: [] },
    { name: "HTML comments are ignored (PR templates)", body: "<!-- Fixes #123 -->\nFixes #15", expected: [here(15)] },
    {
      name: "a heading and emphasis still count",
      body: "## Fixes #16\n\n**closes #17**",
      expected: [here(16), here(17)],
    },
    { name: "quotes count", body: "> Fixes #18", expected: [here(18)] },
    { name: "task lists count", body: "- [x] fixes #19", expected: [here(19)] },
    { name: "not inside a word or path", body: "abc#12 a/b/c#13 ##14 #15abc x@#16", expected: [] },
    { name: "#0 and leading zeros are not issues", body: "#0 #012", expected: [] },
    {
      name: "an issue number beyond 2^31-1 is not an issue",
      body: "#2147483648 #2147483647",
      expected: [here(2147483647)],
    },
    {
      name: "URLs that are not issues or pulls",
      body: "https://github.com/acme/api/commit/abc123 https://github.com/acme/api/blob/main/x.md https://github.com/acme",
      expected: [],
    },
    { name: "a non-http URL", body: "[x](ftp://github.com/acme/api/issues/3)", expected: [] },
  ])("$name", ({ body, expected }) => {
    expect(pullRequestReferences(body, REPO)).toEqual(expected);
  });

  test(`follows at most ${MAX_PR_REFERENCES} references, the first ones`, () => {
    const body = Array.from({ length: 15 }, (_, i) => `Fixes #${i + 1}`).join("\n\n");
    expect(MAX_PR_REFERENCES).toBe(10);
    expect(pullRequestReferences(body, REPO)).toEqual(Array.from({ length: 10 }, (_, i) => here(i + 1)));
  });

  test("duplicates do not use up the limit", () => {
    const body = `${"Fixes #1\n\n".repeat(20)}Fixes #2`;
    expect(pullRequestReferences(body, REPO)).toEqual([here(1), here(2)]);
  });

  test("reads only the first 64 KiB of a huge body", () => {
    const body = `Fixes #1\n\n${"a".repeat(70_000)}\n\nFixes #2`;
    expect(pullRequestReferences(body, REPO)).toEqual([here(1)]);
  });

  test("a body too complex to parse has no references and does not throw", () => {
    // 65 nested quote markers on one line exceed MARKDOWN_LIMITS.containerMarkersPerLine (64).
    expect(pullRequestReferences(`${"> ".repeat(65)}Fixes #1`, REPO)).toEqual([]);
    expect(pullRequestReferences(`${"> ".repeat(64)}Fixes #1`, REPO)).toEqual([here(1)]);
  });

  test("a bare #N resolves against the pull request's own repository", () => {
    expect(pullRequestReferences("Fixes #5", { owner: "other", repo: "svc" })).toEqual([ref("other", "svc", 5)]);
  });
});
