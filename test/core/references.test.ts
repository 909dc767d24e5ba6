import { describe, expect, it } from "@jest/globals";
import {
  findRefsInText,
  formatRef,
  parseIssueUrl,
  parseRepo,
  resolveRef,
  sameIssue,
  type IssueRef,
} from "../../src/core/references.js";

const bare = (number: number): IssueRef => ({ owner: null, repo: null, number });
const full = (owner: string, repo: string, number: number): IssueRef => ({ owner, repo, number });

describe("findRefsInText", () => {
  const cases: [string, IssueRef[]][] = [
    ["#12", [bare(12)]],
    ["fixed by #12.", [bare(12)]],
    ["(#12), [#13], #14; #15's", [bare(12), bare(13), bare(14), bare(15)]],
    ["acme/platform#483", [full("acme", "platform", 483)]],
    ["see my-org/my.repo_v2#7 now", [full("my-org", "my.repo_v2", 7)]],
    ["#2147483647", [bare(2_147_483_647)]],
    ["#1 and #2", [bare(1), bare(2)]],
    ["abc#12", []],
    ["#12abc", []],
    ["#12_", []],
    ["é#12", []],
    ["##12", []],
    ["a/b/c#12", []],
    ["repo#12", []],
    ["@org/team#12", []],
    ["&#12", []],
    ["#0", []],
    ["#012", []],
    ["#2147483648", []],
    ["#99999999999", []],
    ["#", []],
    ["GH-12", []],
    ["-org/repo#1", []],
    ["org-/repo#1", []],
    ["a--b/repo#1", []],
    [`${"a".repeat(40)}/repo#1`, []],
  ];
  it.each(cases)("%j", (text, refs) => {
    expect(findRefsInText(text)).toEqual(refs);
  });
});

describe("parseIssueUrl", () => {
  const cases: [string, IssueRef | null][] = [
    ["https://github.com/acme/shop/issues/1410", full("acme", "shop", 1410)],
    ["https://github.com/acme/shop/pull/1399", full("acme", "shop", 1399)],
    ["https://github.com/acme/shop/pull/1399/files#diff-1", full("acme", "shop", 1399)],
    ["https://github.com/acme/shop/issues/12#issuecomment-99", full("acme", "shop", 12)],
    ["https://github.com/acme/shop/issues/12?foo=bar", full("acme", "shop", 12)],
    ["http://ghe.corp.example:8080/sre/certs/pull/9", full("sre", "certs", 9)],
    ["https://github.com/acme/shop/issues/new", null],
    ["https://github.com/acme/shop/issues/0", null],
    ["https://github.com/acme/shop/issues/01", null],
    ["https://github.com/acme/shop/issues/2147483648", null],
    ["https://github.com/acme/shop/discussions/4", null],
    ["https://github.com/acme/shop/pulls/4", null],
    ["https://gitlab.com/acme/shop/-/issues/3", null],
    ["https://api.github.com/repos/acme/shop/issues/3", null],
    ["ftp://github.com/acme/shop/issues/3", null],
    ["#12", null],
    ["/acme/shop/issues/3", null],
    ["not a url", null],
  ];
  it.each(cases)("%s", (url, ref) => {
    expect(parseIssueUrl(url)).toEqual(ref);
  });
});

describe("formatRef, resolveRef, sameIssue, parseRepo", () => {
  it("formats refs with their repository, the default one, or none", () => {
    expect(formatRef(full("acme", "shop", 3))).toBe("acme/shop#3");
    expect(formatRef(full("acme", "shop", 3), "other/repo")).toBe("acme/shop#3");
    expect(formatRef(bare(3), "acme/platform")).toBe("acme/platform#3");
    expect(formatRef(bare(3))).toBe("#3");
  });

  it("resolves bare refs in the context's repository only", () => {
    const context = { owner: "acme", repo: "platform" };
    expect(resolveRef(bare(5), context)).toEqual({ owner: "acme", repo: "platform", number: 5 });
    expect(resolveRef(full("x", "y", 5), context)).toEqual({ owner: "x", repo: "y", number: 5 });
  });

  it("compares owner and repository ignoring case", () => {
    const context = { owner: "Acme", repo: "Platform" };
    expect(sameIssue(bare(5), full("acme", "platform", 5), context)).toBe(true);
    expect(sameIssue(full("ACME", "PLATFORM", 5), full("acme", "platform", 5), context)).toBe(true);
    expect(sameIssue(bare(5), full("acme", "other", 5), context)).toBe(false);
    expect(sameIssue(bare(5), bare(6), context)).toBe(false);
  });

  it.each([
    ["acme/platform", { owner: "acme", repo: "platform" }],
    ["a/b.c", { owner: "a", repo: "b.c" }],
    ["acme", null],
    ["acme/", null],
    ["acme/platform/x", null],
    ["-acme/platform", null],
    ["acme/..", null],
  ])("parseRepo(%j)", (input, expected) => {
    expect(parseRepo(input)).toEqual(expected);
  });
});
