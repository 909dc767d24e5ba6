/** Which labels the sweep searches for (issue #10 item 1). */
import { afterEach, beforeAll, describe, expect, it, test } from "@jest/globals";
import nock from "nock";
import { ProbotOctokit } from "probot";
import pino from "pino";
import { fixedClock } from "../../src/clock.js";
import { configSchema } from "../../src/config/schema.js";
import type { ConfigResult } from "../../src/config/load.js";
import { KeyedLock } from "../../src/runtime/keyed-lock.js";
import { DueCache } from "../../src/sweep/due-cache.js";
import { incidentLabelsOf, mayHoldOpenIncidents } from "../../src/sweep/incident-labels.js";
import { sweepInstallation } from "../../src/sweep/sweep.js";
import { API } from "../support/github-mock.js";
import { APP_ID, BOT_LOGIN } from "../support/payloads.js";

const ok = (yaml: object): ConfigResult => ({ ok: true, value: configSchema.parse(yaml) }) as ConfigResult;

describe("incidentLabelsOf", () => {
  const cases: { name: string; configs: Record<string, ConfigResult | Error>; want: string[] }[] = [
    { name: "defaults everywhere", configs: { "acme/api": ok({}), "acme/web": ok({}) }, want: ["incident"] },
    {
      name: "one custom, one default",
      configs: { "acme/api": ok({ incident_label: "Outage" }), "acme/web": ok({}) },
      want: ["incident", "outage"],
    },
    {
      name: "all custom: the default is not searched",
      configs: { "acme/api": ok({ incident_label: "outage" }), "acme/web": ok({ incident_label: "sev" }) },
      want: ["outage", "sev"],
    },
    {
      name: "an invalid config adds the default",
      configs: {
        "acme/api": ok({ incident_label: "outage" }),
        "acme/web": { ok: false, error: { issues: [] } } as unknown as ConfigResult,
      },
      want: ["incident", "outage"],
    },
    {
      name: "a failed read adds the default",
      configs: { "acme/api": ok({ incident_label: "outage" }), "acme/web": new Error("500") },
      want: ["incident", "outage"],
    },
    { name: "no repositories: nothing to search", configs: {}, want: [] },
  ];
  test.each(cases)("$name", async ({ configs, want }) => {
    const configOf = (owner: string, repo: string): Promise<ConfigResult> => {
      const found = configs[`${owner}/${repo}`];
      return found instanceof Error ? Promise.reject(found) : Promise.resolve(found!);
    };
    expect(await incidentLabelsOf(Object.keys(configs), configOf)).toEqual(want);
  });
});

describe("mayHoldOpenIncidents", () => {
  test.each([
    { repo: { open_issues_count: 3 }, want: true },
    { repo: { open_issues_count: 0 }, want: false },
    { repo: { open_issues_count: 3, archived: true }, want: false },
    { repo: { open_issues_count: 3, has_issues: false }, want: false },
    { repo: {}, want: true },
  ])("%j", ({ repo, want }) => expect(mayHoldOpenIncidents(repo)).toBe(want));
});

describe("a sweep with a custom incident label", () => {
  const octokit = new ProbotOctokit({ auth: "ghs_test", retry: { enabled: false }, throttle: { enabled: false } });
  const deps = (repositories?: string[]) => ({
    clock: fixedClock("2026-11-23T10:00:00Z"),
    identity: { appId: APP_ID, botLogin: BOT_LOGIN },
    lock: new KeyedLock(),
    log: pino({ level: "silent" }),
    cache: new DueCache(),
    repositories,
  });
  const target = { id: 4242, account: "acme", accountType: "Organization" as const };
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });

  it("Action mode (one repository): searches that repository's label, no repository listing", async () => {
    nock(API)
      .get("/repos/acme/api/contents/.github%2Fincident-keeper.yml")
      .reply(200, "incident_label: outage\n", { "content-type": "text/plain; charset=utf-8" })
      .get("/search/issues")
      .query((q) => q.q === 'is:issue is:open label:"outage" repo:acme/api')
      .reply(200, { total_count: 0, incomplete_results: false, items: [] });
    expect(await sweepInstallation(octokit, target, deps(["acme/api"]))).toMatchObject({ found: 0, errors: 0 });
  });

  it("an installation: lists its repositories (100 per page), reads the configs of those with open issues once, one search per label", async () => {
    const repo = (name: string, open: number) => ({
      id: name.length,
      name,
      full_name: `acme/${name}`,
      owner: { login: "acme" },
      archived: false,
      has_issues: true,
      open_issues_count: open,
    });
    nock(API)
      .get("/installation/repositories")
      .query({ per_page: "100" })
      .reply(200, { total_count: 3, repositories: [repo("api", 2), repo("web", 1), repo("quiet", 0)] })
      .get("/repos/acme/api/contents/.github%2Fincident-keeper.yml")
      .reply(200, "incident_label: outage\n", { "content-type": "text/plain; charset=utf-8" })
      .get("/repos/acme/web/contents/.github%2Fincident-keeper.yml")
      .reply(404)
      .get("/repos/acme/.github/contents/.github%2Fincident-keeper.yml")
      .reply(404)
      .get("/search/issues")
      .query((q) => q.q === 'is:issue is:open label:"incident" org:acme')
      .reply(200, { total_count: 0, incomplete_results: false, items: [] })
      .get("/search/issues")
      .query((q) => q.q === 'is:issue is:open label:"outage" org:acme')
      .reply(200, { total_count: 0, incomplete_results: false, items: [] });
    expect(await sweepInstallation(octokit, target, deps())).toMatchObject({ found: 0, errors: 0 });
  });
});
