/**
 * nock helpers for handler tests: every request the app may make is declared, so an unexpected call
 * fails the test (net connect is disabled) and a missing one shows in `pendingMocks()`.
 */
import nock from "nock";
import { encodeState, STATUS_MARKER, type StatusState } from "../../src/core/status-state.js";
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
  return scope
    .get(`/repos/${OWNER}/${REPO}/contents/.github%2Fincident-keeper.yml`)
    .reply(200, yaml, { "content-type": "text/plain; charset=utf-8" });
}

export function ownComment(id: number, body: string): object {
  return {
    id,
    body,
    user: { login: BOT_LOGIN, type: "Bot" },
    performed_via_github_app: { id: APP_ID, slug: "incident-keeper" },
  };
}

export function comments(scope: nock.Scope, issue: number, list: object[]): nock.Scope {
  return scope.get(`/repos/${OWNER}/${REPO}/issues/${issue}/comments`).query(true).reply(200, list);
}

export function repoLabels(scope: nock.Scope, names: string[]): nock.Scope {
  return scope
    .get(`/repos/${OWNER}/${REPO}/labels`)
    .query(true)
    .reply(
      200,
      names.map((name, i) => ({ id: i + 1, name, color: "ededed" })),
    );
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

/** An issue as GitHub's REST API returns it (acme/`repo`, default acme/api), opened by alice. */
export function issueJson(args: {
  repo?: string;
  number: number;
  title: string;
  body?: string;
  labels?: string[];
  state?: "open" | "closed";
  stateReason?: string | null;
}): object {
  const repo = args.repo ?? "api";
  return {
    id: 1000 + args.number,
    number: args.number,
    title: args.title,
    body: args.body ?? "",
    state: args.state ?? "open",
    state_reason: args.stateReason ?? null,
    labels: (args.labels ?? []).map((name, i) => ({ id: i + 1, name, color: "ededed" })),
    assignees: [],
    user: { login: "alice", type: "User" },
    created_at: "2026-11-23T06:00:00Z",
    closed_at: args.state === "closed" ? "2026-11-23T07:55:00Z" : null,
    repository_url: `${API}/repos/acme/${repo}`,
    url: `${API}/repos/acme/${repo}/issues/${args.number}`,
    html_url: `https://github.com/acme/${repo}/issues/${args.number}`,
  };
}

/** An earlier status comment of the app carrying `state` (its visible text is a stand-in). */
export function statusBody(state: StatusState): string {
  return `${STATUS_MARKER}\n### 🚨 Incident status\n\n(old)\n${encodeState(state)}`;
}

/**
 * The issue's timeline, read once when the app has no state yet for an issue that was already an
 * incident (when did it become one? issue #10 item 4). `labeled` lists [label, ISO time] pairs.
 */
export function timeline(scope: nock.Scope, issue: number, labeled: Array<[string, string]> = []): nock.Scope {
  return scope
    .get(`/repos/${OWNER}/${REPO}/issues/${issue}/timeline`)
    .query({ per_page: "100" })
    .reply(
      200,
      labeled.map(([name, at]) => ({
        event: "labeled",
        label: { name, color: "ededed" },
        actor: { login: "alice", type: "User" },
        created_at: at,
      })),
    );
}
