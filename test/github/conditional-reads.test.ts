import { beforeEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import type { ProbotOctokit } from "probot";
import { UnthrottledOctokit } from "../support/probot.js";
import { GitHubCaches, prepareOctokit } from "../../src/github/prepare-octokit.js";
import { API } from "../support/github-mock.js";
import { useStrictNock } from "../support/strict-nock.js";

const FILE = "/repos/acme/api/contents/.github%2Fincident-keeper.yml";
const Octokit = UnthrottledOctokit;
useStrictNock();
// A fresh app per test: its caches die with it.
let caches = new GitHubCaches();
beforeEach(() => {
  caches = new GitHubCaches();
});

function client(installationId: number): InstanceType<typeof ProbotOctokit> {
  const octokit = new Octokit({ auth: { token: "ghs_test" } });
  prepareOctokit(octokit, { installationId, caches });
  prepareOctokit(octokit, { installationId, caches }); // idempotent: one wrap
  return octokit;
}
const read = (octokit: InstanceType<typeof ProbotOctokit>): Promise<string> =>
  octokit.config
    .get({ owner: "acme", repo: "api", path: ".github/incident-keeper.yml" })
    .then(({ files }) => JSON.stringify(files[0]?.config));
/**
 * One answer of the file; `ifNoneMatch` is the header the request must carry (undefined: must not
 * carry it). A request that does not match fails the test (strict nock: unmatched and unused both fail).
 */
const file = (status: number, body: string, etag: string | undefined, ifNoneMatch: string | undefined): nock.Scope => {
  const scope =
    ifNoneMatch === undefined
      ? nock(API, { badheaders: ["if-none-match"] }).get(FILE)
      : nock(API).get(FILE).matchHeader("if-none-match", ifNoneMatch);
  return scope.reply(status, body, etag ? { etag } : {});
};

describe("conditional reads of repository files", () => {
  it("sends the last ETag and serves the kept answer on 304; a changed file is read afresh", async () => {
    const octokit = client(1);
    file(200, "incident_label: incident\n", 'W/"a"', undefined);
    expect(await read(octokit)).toBe('{"incident_label":"incident"}');
    file(304, "", 'W/"a"', 'W/"a"');
    expect(await read(octokit)).toBe('{"incident_label":"incident"}');
    file(200, "incident_label: outage\n", 'W/"b"', 'W/"a"');
    expect(await read(octokit)).toBe('{"incident_label":"outage"}');
    file(304, "", 'W/"b"', 'W/"b"');
    expect(await read(octokit)).toBe('{"incident_label":"outage"}');
  });

  it("never shares an answer across installations, and keeps it across octokits of one installation", async () => {
    file(200, "incident_label: incident\n", 'W/"a"', undefined);
    await read(client(1));
    file(200, "incident_label: incident\n", 'W/"a"', undefined); // installation 2 knows nothing
    await read(client(2));
    file(304, "", 'W/"a"', 'W/"a"');
    expect(await read(client(1))).toBe('{"incident_label":"incident"}'); // a later event: a new octokit, the same installation
  });

  it("forgets a file that is gone, and keeps nothing without an ETag", async () => {
    const octokit = client(1);
    file(200, "incident_label: incident\n", 'W/"a"', undefined);
    await read(octokit);
    file(404, "{}", undefined, 'W/"a"');
    nock(API).get("/repos/acme/.github/contents/.github%2Fincident-keeper.yml").reply(404, "{}"); // then the org's
    expect(await read(octokit)).toBe("null"); // no config anywhere
    file(200, "incident_label: incident\n", undefined, undefined);
    await read(octokit);
    file(200, "incident_label: incident\n", undefined, undefined);
    await read(octokit);
  });
});
