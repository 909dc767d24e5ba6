/**
 * nock helpers for handler tests: every request the app may make is declared, so an unexpected call
 * fails the test (net connect is disabled) and a missing one shows in `pendingMocks()`.
 */
import nock from "nock";
import { APP_ID, BOT_LOGIN, INSTALLATION_ID, OWNER, REPO } from "./payloads.js";

export const API = "https://api.github.com";

/** A fresh scope; installation tokens are answered on a separate, persistent scope. */
export function githubMock(): nock.Scope {
  nock(API)
    .persist()
    .post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
    .optionally()
    .reply(200, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z", permissions: { issues: "write" } });
  return nock(API);
}

/** No `.github/incident-keeper.yml` in the repo nor in the org's `.github` repo. */
export function noConfig(scope: nock.Scope): nock.Scope {
  return scope
    .get(`/repos/${OWNER}/${REPO}/contents/.github%2Fincident-keeper.yml`)
    .reply(404, { message: "Not Found" })
    .get(`/repos/${OWNER}/.github/contents/.github%2Fincident-keeper.yml`)
    .reply(404, { message: "Not Found" });
}

export function repoConfig(scope: nock.Scope, yaml: string): nock.Scope {
  return scope.get(`/repos/${OWNER}/${REPO}/contents/.github%2Fincident-keeper.yml`).reply(200, yaml, { "content-type": "text/plain; charset=utf-8" });
}

export function ownComment(id: number, body: string): object {
  return { id, body, user: { login: BOT_LOGIN, type: "Bot" }, performed_via_github_app: { id: APP_ID, slug: "incident-keeper" } };
}

export function comments(scope: nock.Scope, issue: number, list: object[]): nock.Scope {
  return scope.get(`/repos/${OWNER}/${REPO}/issues/${issue}/comments`).query(true).reply(200, list);
}

export function repoLabels(scope: nock.Scope, names: string[]): nock.Scope {
  return scope.get(`/repos/${OWNER}/${REPO}/labels`).query(true).reply(200, names.map((name, i) => ({ id: i + 1, name, color: "ededed" })));
}

export const ALL_LABELS = [
  "incident",
  "category:core-bug",
  "category:feature-request",
  "category:operator-error",
  "category:act-of-god",
  "sev:1",
  "sev:2",
  "sev:3",
  "sev:4",
  "sev:5",
  "devops:1",
  "devops:2",
  "devops:3",
  "devops:4",
  "product",
  "incident:needs-writeup",
  "sla:breached",
  "sla:paused",
];
