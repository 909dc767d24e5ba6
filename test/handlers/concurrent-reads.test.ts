/**
 * The snapshot loader issues independent reads at once: for an event on an incident, the app's own
 * comments are requested before the config's answer arrives (the critical path one round trip
 * shorter), and an issue that is not an incident costs only the config read.
 */
import { beforeEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import type { Probot } from "probot";
import { ALL_LABELS, API, githubMock, repoLabels, timeline } from "../support/github-mock.js";
import { commentEvent, issuesEvent, OWNER, REPO } from "../support/payloads.js";
import { deliver as deliverTo, testProbot } from "../support/probot.js";
import { useStrictNock } from "../support/strict-nock.js";

const path = (p: string): string => `/repos/${OWNER}/${REPO}${p}`;
const CONFIG = path("/contents/.github%2Fincident-keeper.yml");
const ORG_CONFIG = `/repos/${OWNER}/.github/contents/.github%2Fincident-keeper.yml`;

useStrictNock();
let probot: Probot;
beforeEach(async () => {
  ({ probot } = await testProbot());
});

const deliver = (payload: object): Promise<void> => deliverTo(probot, "issues", payload);

/** A config read that answers only once `released` resolves; records the order requests arrived in. */
function gatedConfig(log: string[]): { release: () => void } {
  let release = (): void => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  nock(API)
    .get(CONFIG)
    .reply(async () => {
      log.push("config asked");
      await gate;
      log.push("config answered");
      return [404, { message: "Not Found" }];
    })
    .get(ORG_CONFIG)
    .reply(404, { message: "Not Found" });
  return { release: () => release() };
}

describe("independent reads at once", () => {
  it("asks for the app's own comments before the config has answered", async () => {
    const log: string[] = [];
    githubMock();
    const { release } = gatedConfig(log);
    nock(API)
      .get(path("/issues/7/comments"))
      .query(true)
      .reply(() => {
        log.push("comments asked");
        release();
        return [200, []];
      })
      .get(path("/labels"))
      .query(true)
      .reply(200, [])
      .post(path("/labels"))
      .reply(201, {})
      .post(path("/issues/7/labels"))
      .reply(200, [])
      .post(path("/issues/7/comments"))
      .reply(201, { id: 1, body: "" });
    await deliver(issuesEvent("opened", { labels: ["incident", "category:core-bug", "sev:2", "devops:3"] }));
    expect(log).toEqual(["config asked", "comments asked", "config answered"]);
  });

  it("reads only the config for an issue without the incident label", async () => {
    const log: string[] = [];
    githubMock();
    const { release } = gatedConfig(log);
    release();
    await deliver(issuesEvent("labeled", { labels: ["bug"], label: "bug" }));
    expect(log).toEqual(["config asked", "config answered"]);
  });
});

describe("a repository without its own config file", () => {
  /** Mocks the repository's and the org's config reads, logging when each is asked and answered. */
  function configReads(log: string[], repo: { status: number; gate?: Promise<void> }): void {
    nock(API)
      .get(CONFIG)
      .reply(async () => {
        log.push("repo asked");
        await repo.gate;
        log.push("repo answered");
        return repo.status === 200 ? [200, "incident_label: incident\n"] : [404, { message: "Not Found" }];
      });
    if (repo.status === 404 || repo.gate !== undefined)
      nock(API)
        .get(ORG_CONFIG)
        .reply(() => {
          log.push("org asked");
          return [404, { message: "Not Found" }];
        });
  }

  it("reads the org's `.github` file after the repository's 404 the first time, with it from then on", async () => {
    githubMock();
    const first: string[] = [];
    configReads(first, { status: 404 });
    await deliver(issuesEvent("labeled", { labels: ["bug"], label: "bug" }));
    expect(first).toEqual(["repo asked", "repo answered", "org asked"]);

    const second: string[] = [];
    let release = (): void => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    configReads(second, { status: 404, gate });
    const delivered = deliver(issuesEvent("labeled", { labels: ["bug"], label: "bug" }));
    // The org file is asked for while the repository's answer is still held back.
    for (let i = 0; i < 50 && !second.includes("org asked"); i += 1) await new Promise((r) => setTimeout(r, 10));
    expect([...second].sort()).toEqual(["org asked", "repo asked"]);
    release();
    await delivered;
    expect(second.at(-1)).toBe("repo answered");
  });

  it("stops reading the org's file once the repository has its own", async () => {
    githubMock();
    const calls: string[] = [];
    configReads(calls, { status: 404 });
    await deliver(issuesEvent("labeled", { labels: ["bug"], label: "bug" }));
    // The file appeared: the read started with the repository's costs one unused org read, once.
    configReads(calls, { status: 200, gate: Promise.resolve() });
    await deliver(issuesEvent("labeled", { labels: ["bug"], label: "bug" }));
    configReads(calls, { status: 200 });
    await deliver(issuesEvent("labeled", { labels: ["bug"], label: "bug" }));
    expect(calls.filter((c) => c === "org asked")).toHaveLength(2);
    expect(calls.filter((c) => c === "repo asked")).toHaveLength(3);
  });
});

describe("a command's reads at once", () => {
  it("asks for the commenter's permission and the app's comments before the config has answered", async () => {
    const log: string[] = [];
    const scope = githubMock();
    const { release } = gatedConfig(log);
    const asked = (what: string): void => {
      log.push(what);
      if (log.includes("permission asked") && log.includes("comments asked")) release();
    };
    scope
      .get(path("/collaborators/bob/permission"))
      .reply(
        () => (asked("permission asked"), [200, { permission: "read", role_name: "triage", user: { login: "bob" } }]),
      )
      .get(path("/issues/7/comments"))
      .query(true)
      .reply(() => (asked("comments asked"), [200, []]));
    timeline(scope, 7);
    repoLabels(scope, ALL_LABELS);
    scope.post(path("/issues/7/labels")).reply(200, []).post(path("/issues/7/comments")).reply(201, { id: 555 });
    await probot.receive({
      id: `delivery-${Math.random()}`,
      name: "issue_comment",
      payload: commentEvent({
        labels: ["incident", "category:core-bug", "devops:3"],
        comment: "/sev 2",
        commenter: "bob",
      }),
    });
    expect(log.slice(0, 3).sort()).toEqual(["comments asked", "config asked", "permission asked"]);
    expect(log.indexOf("config answered")).toBe(3);
  });
});
