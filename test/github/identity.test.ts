/**
 * The app's identity: one `GET /app` per process (cached across calls and events, shared by concurrent
 * callers, retried after a failure), the `[bot]` login derived from the slug; in Actions mode a fixed
 * identity and no `GET /app` at all. Every request is declared; an extra one fails the test.
 */
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { Probot } from "probot";
import { ACTIONS_IDENTITY, runAction } from "../../src/action/run-action.js";
import { fixedClock } from "../../src/clock.js";
import { identityResolver, isOwnComment, type AppIdentity } from "../../src/github/identity.js";
import { createApp } from "../../src/index.js";
import { KeyedLock } from "../../src/runtime/keyed-lock.js";
import { listInstallations } from "../../src/sweep/runner.js";
import { API } from "../support/github-mock.js";
import { APP_ID, INSTALLATION_ID, issuesEvent } from "../support/payloads.js";
import { testPrivateKey, UnthrottledOctokit } from "../support/probot.js";
import { useStrictNock } from "../support/strict-nock.js";

const { requests, logged } = useStrictNock();

/** A scope logging every matched request as `METHOD path`. */
const api = (): nock.Scope => logged(nock(API));

function newProbot(): Probot {
  return new Probot({
    appId: APP_ID,
    privateKey: testPrivateKey(),
    logLevel: "fatal",
    Octokit: UnthrottledOctokit,
  });
}

const APP_JSON = { id: APP_ID, slug: "incident-keeper", name: "incident-keeper", owner: { login: "acme" } };

describe("identityResolver", () => {
  it("reads GET /app once across many sequential calls", async () => {
    api().get("/app").reply(200, APP_JSON);
    const identity = identityResolver(newProbot());
    const results: AppIdentity[] = [];
    for (let i = 0; i < 5; i += 1) results.push(await identity());
    expect(results).toEqual(Array.from({ length: 5 }, () => ({ appId: APP_ID, botLogin: "incident-keeper[bot]" })));
    expect(requests).toEqual(["GET /app"]);
  });

  it("shares one GET /app between concurrent callers", async () => {
    api().get("/app").delay(20).reply(200, APP_JSON);
    const identity = identityResolver(newProbot());
    const results = await Promise.all(Array.from({ length: 8 }, () => identity()));
    expect(new Set(results.map((r) => r.botLogin))).toEqual(new Set(["incident-keeper[bot]"]));
    expect(requests).toEqual(["GET /app"]);
  });

  it("does not cache a failure: the next call asks again, then the answer is cached", async () => {
    api().get("/app").reply(500, { message: "boom" }).get("/app").reply(200, APP_JSON);
    const identity = identityResolver(newProbot());
    await expect(identity()).rejects.toMatchObject({ status: 500 });
    expect(await identity()).toEqual({ appId: APP_ID, botLogin: "incident-keeper[bot]" });
    expect(await identity()).toEqual({ appId: APP_ID, botLogin: "incident-keeper[bot]" });
    expect(requests).toEqual(["GET /app", "GET /app"]);
  });

  it.each([
    {
      name: "the slug names the bot",
      app: { id: 77, slug: "acme-keeper" },
      expected: { appId: 77, botLogin: "acme-keeper[bot]" },
    },
    {
      name: "no slug: the default name",
      app: { id: 77, slug: null },
      expected: { appId: 77, botLogin: "incident-keeper[bot]" },
    },
  ])("$name", async ({ app, expected }) => {
    api().get("/app").reply(200, app);
    expect(await identityResolver(newProbot())()).toEqual(expected);
  });

  it("learnt from the installations listing a sweep reads anyway (app_id, app_slug): no GET /app", async () => {
    api()
      .get("/app/installations")
      .query(true)
      .reply(200, [{ id: 7, app_id: 77, app_slug: "acme-keeper", account: { login: "acme", type: "Organization" } }]);
    const probot = newProbot();
    const identity = identityResolver(probot);
    expect(await listInstallations(probot, identity.learn)).toEqual([
      { id: 7, account: "acme", accountType: "Organization" },
    ]);
    expect(await identity()).toEqual({ appId: 77, botLogin: "acme-keeper[bot]" });
    expect(requests).toEqual(["GET /app/installations"]);
  });

  it("each resolver (process) asks once for itself", async () => {
    api().get("/app").times(2).reply(200, APP_JSON);
    await identityResolver(newProbot())();
    await identityResolver(newProbot())();
    expect(requests).toEqual(["GET /app", "GET /app"]);
  });
});

describe("the app resolves its identity once across events", () => {
  it("three deliveries, one GET /app (and the config reads each delivery needs)", async () => {
    const probot = newProbot();
    await probot.load(
      createApp({ clock: fixedClock("2026-11-23T08:00:00Z"), lock: new KeyedLock(), sweepIntervalMinutes: 0 }),
    );
    nock(API)
      .persist()
      .post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
      .reply(200, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z" });
    const scope = api().get("/app").reply(200, APP_JSON);
    for (let i = 0; i < 3; i += 1) {
      scope
        .get("/repos/acme/api/contents/.github%2Fincident-keeper.yml")
        .reply(404, { message: "Not Found" })
        .get("/repos/acme/.github/contents/.github%2Fincident-keeper.yml")
        .reply(404, { message: "Not Found" });
    }
    for (const number of [1, 2, 3]) {
      await probot.receive({
        id: `d-${number}`,
        name: "issues",
        payload: issuesEvent("opened", { number, labels: ["bug"] }),
      });
    }
    // The app's own event needs the identity too, and asks no one.
    await probot.receive({
      id: "d-own",
      name: "issues",
      payload: issuesEvent("labeled", {
        labels: ["bug"],
        label: "bug",
        sender: "incident-keeper[bot]",
        senderType: "Bot",
      }),
    });
    expect(requests.filter((r) => r === "GET /app")).toHaveLength(1);
    expect(requests).toHaveLength(7);
  });
});

describe("Actions mode", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "ik-identity-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function runWith(sender: string, extraEnv: Record<string, string> = {}): Promise<number> {
    const payload = issuesEvent("opened", {
      labels: ["bug"],
      sender,
      senderType: sender.endsWith("[bot]") ? "Bot" : "User",
    });
    delete payload.installation;
    const path = join(dir, "event.json");
    writeFileSync(path, JSON.stringify(payload));
    return runAction({
      GITHUB_TOKEN: "ghs_workflow",
      GITHUB_REPOSITORY: "acme/api",
      GITHUB_EVENT_NAME: "issues",
      GITHUB_EVENT_PATH: path,
      GITHUB_RUN_ID: "42",
      LOG_LEVEL: "fatal",
      INCIDENT_KEEPER_THROTTLE: "off",
      ...extraEnv,
    });
  }

  function configReads(): void {
    api()
      .get("/repos/acme/api/contents/.github%2Fincident-keeper.yml")
      .reply(404, { message: "Not Found" })
      .get("/repos/acme/.github/contents/.github%2Fincident-keeper.yml")
      .reply(404, { message: "Not Found" });
  }

  it("uses the fixed github-actions[bot] identity: no GET /app, only the config reads", async () => {
    expect(ACTIONS_IDENTITY).toEqual({ appId: 15368, botLogin: "github-actions[bot]" });
    configReads();
    expect(await runWith("alice")).toBe(0);
    expect(requests).toEqual([
      "GET /repos/acme/api/contents/.github%2Fincident-keeper.yml",
      "GET /repos/acme/.github/contents/.github%2Fincident-keeper.yml",
    ]);
  });

  it("ignores events caused by github-actions[bot] without a single API call", async () => {
    expect(await runWith("github-actions[bot]")).toBe(0);
    expect(requests).toEqual([]);
  });

  it("a custom bot login (a token from another app) is the one ignored; github-actions[bot] is then a stranger", async () => {
    expect(
      await runWith("acme-keeper[bot]", {
        INCIDENT_KEEPER_BOT_LOGIN: "acme-keeper[bot]",
        INCIDENT_KEEPER_APP_ID: "555",
      }),
    ).toBe(0);
    expect(requests).toEqual([]);
    configReads();
    expect(await runWith("github-actions[bot]", { INCIDENT_KEEPER_BOT_LOGIN: "acme-keeper[bot]" })).toBe(0);
    expect(requests).toHaveLength(2);
  });
});

describe("isOwnComment", () => {
  const me: AppIdentity = { appId: APP_ID, botLogin: "incident-keeper[bot]" };
  it.each([
    {
      name: "written via this app",
      comment: { user: { login: "incident-keeper[bot]", type: "Bot" }, performed_via_github_app: { id: APP_ID } },
      expected: true,
    },
    {
      name: "via this app, whatever the user shows",
      comment: { user: { login: "someone", type: "User" }, performed_via_github_app: { id: APP_ID } },
      expected: true,
    },
    {
      name: "the bot user without the app field",
      comment: { user: { login: "incident-keeper[bot]", type: "Bot" }, performed_via_github_app: null },
      expected: true,
    },
    {
      name: "the bot login but not a Bot account",
      comment: { user: { login: "incident-keeper[bot]", type: "User" } },
      expected: false,
    },
    {
      name: "another app",
      comment: { user: { login: "other[bot]", type: "Bot" }, performed_via_github_app: { id: APP_ID + 1 } },
      expected: false,
    },
    {
      name: "a person",
      comment: { user: { login: "mallory", type: "User" }, performed_via_github_app: null },
      expected: false,
    },
    { name: "a deleted user (ghost, user null)", comment: { user: null }, expected: false },
    { name: "nothing at all", comment: {}, expected: false },
  ])("$name -> $expected", ({ comment, expected }) => {
    expect(isOwnComment(comment, me)).toBe(expected);
  });
});
