import { beforeEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import type { ProbotOctokit } from "probot";
import { UnthrottledOctokit } from "../support/probot.js";
import { parseYamlOnce, readConfigFiles } from "../../src/github/config-files.js";
import { GitHubCaches, prepareOctokit } from "../../src/github/prepare-octokit.js";
import { API } from "../support/github-mock.js";
import { useStrictNock } from "../support/strict-nock.js";

const PATH = ".github/incident-keeper.yml";
const fileUrl = (repo: string, path = PATH): string => `/repos/${repo}/contents/${encodeURIComponent(path)}`;
const Octokit = UnthrottledOctokit;
useStrictNock();
let caches = new GitHubCaches();
beforeEach(() => {
  caches = new GitHubCaches();
});
function client(): InstanceType<typeof ProbotOctokit> {
  const octokit = new Octokit({ auth: { token: "ghs_test" } });
  prepareOctokit(octokit, { installationId: 1, caches });
  return octokit;
}

type Answers = Array<[string, number, string, Record<string, string>?]>;
/** Each answer once (strict nock: a request not answered here, or an answer not asked for, fails). */
const answer = (answers: Answers): void => {
  for (const [url, status, body, headers] of answers) nock(API).get(url).reply(status, body, headers);
};
/** The plugin's answer, or its error's message. */
const settle = <T>(promise: Promise<T>): Promise<T | { error: string }> =>
  promise.catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));

describe("readConfigFiles reads what @probot/octokit-plugin-config reads, the same way", () => {
  const cases: [string, Answers][] = [
    ["the repository's own file", [[fileUrl("acme/api"), 200, "incident_label: outage\n"]]],
    [
      "the organisation's file when the repository has none",
      [
        [fileUrl("acme/api"), 404, "{}"],
        [fileUrl("acme/.github"), 200, "incident_label: org\n"],
      ],
    ],
    [
      "no file anywhere",
      [
        [fileUrl("acme/api"), 404, "{}"],
        [fileUrl("acme/.github"), 404, "{}"],
      ],
    ],
    ["an empty file", [[fileUrl("acme/api"), 200, ""]]],
    [
      "an _extends chain (repository, other owner, other path)",
      [
        [fileUrl("acme/api"), 200, "_extends: base\nincident_label: a\n"],
        [fileUrl("acme/base"), 200, "_extends: other/shared:configs/ik.yml\nsla: {}\n"],
        [fileUrl("other/shared", "configs/ik.yml"), 200, "labels: {}\n"],
      ],
    ],
    [
      "an _extends loop",
      [
        [fileUrl("acme/api"), 200, "_extends: base\n"],
        [fileUrl("acme/base"), 200, "_extends: base\n"],
      ],
    ],
    ["an invalid _extends", [[fileUrl("acme/api"), 200, "_extends: 'not a/valid/value'\n"]]],
    ["an _extends that is no string", [[fileUrl("acme/api"), 200, "_extends: [1]\n"]]],
    ["invalid YAML", [[fileUrl("acme/api"), 200, "a: [\n"]]],
    ["YAML that is a string", [[fileUrl("acme/api"), 200, "just words\n"]]],
    ["a directory", [[fileUrl("acme/api"), 200, "[]", { "content-type": "application/json; charset=utf-8" }]]],
  ];
  it.each(cases)("%s", async (_name, answers) => {
    answer(answers);
    const plugin = await settle(
      client()
        .config.get({ owner: "acme", repo: "api", path: PATH })
        .then((r) => r.files),
    );
    answer(answers);
    const ours = await settle(readConfigFiles(client(), { owner: "acme", repo: "api", path: PATH }));
    expect(ours).toEqual(plugin);
  });

  it("a GitHub error other than 404 is thrown as it came", async () => {
    answer([[fileUrl("acme/api"), 500, "{}"]]);
    await expect(readConfigFiles(client(), { owner: "acme", repo: "api", path: PATH })).rejects.toMatchObject({
      status: 500,
    });
  });
});

describe("each distinct text is parsed once, and no caller shares another's value", () => {
  it("the same text gives equal values, never the same object", () => {
    const text = "incident_label: memo-a\nlabels:\n  severity: [x]\n";
    const first = parseYamlOnce(text) as { labels: { severity: string[] } };
    first.labels.severity.push("mutated");
    const second = parseYamlOnce(text);
    expect(second).toEqual({ incident_label: "memo-a", labels: { severity: ["x"] } });
    expect(second).not.toBe(first);
  });

  it("a different text is its own value", () => {
    expect(parseYamlOnce("incident_label: memo-b\n")).toEqual({ incident_label: "memo-b" });
    expect(parseYamlOnce("incident_label: memo-c\n")).toEqual({ incident_label: "memo-c" });
  });

  it("through the kept 304: the chain's _extends deletion does not reach the next delivery", async () => {
    const octokit = client();
    const read = () => readConfigFiles(octokit, { owner: "acme", repo: "api", path: PATH });
    const text = "_extends: base\nincident_label: kept\n";
    nock(API).get(fileUrl("acme/api")).reply(200, text, { etag: 'W/"a"' });
    nock(API).get(fileUrl("acme/base")).reply(200, "sla: {}\n", { etag: 'W/"b"' });
    const first = await read();
    expect(first[0]?.config).toEqual({ incident_label: "kept" });
    nock(API).get(fileUrl("acme/api")).matchHeader("if-none-match", 'W/"a"').reply(304, "", { etag: 'W/"a"' });
    nock(API).get(fileUrl("acme/base")).matchHeader("if-none-match", 'W/"b"').reply(304, "", { etag: 'W/"b"' });
    // The second delivery still sees `_extends` (it reads the base again), though the first deleted it.
    const second = await read();
    expect(second.map((f) => f.config)).toEqual([{ incident_label: "kept" }, { sla: {} }]);
    expect(second[0]?.config).not.toBe(first[0]?.config);
    // A changed file is its new text, not the remembered one.
    nock(API).get(fileUrl("acme/api")).matchHeader("if-none-match", 'W/"a"').reply(200, "incident_label: new\n", {
      etag: 'W/"c"',
    });
    expect((await read())[0]?.config).toEqual({ incident_label: "new" });
  });
});
