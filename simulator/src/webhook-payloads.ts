/**
 * Webhook payloads shaped like GitHub's (see @octokit/webhooks-examples): the event object,
 * `repository`, `organization` when the owner is an organisation, `sender` and `installation`.
 */
import { commentJson, issueJson, pullRequestJson } from "./issue-payloads.js";
import { appJson, installationJson, installationRefJson, organizationJson, repoJson, userJson } from "./payloads.js";
import type { SimState } from "./state.js";
import type { JsonObject, PendingWebhook, SimComment, SimInstallation, SimIssue, SimRepo, SimUser } from "./types.js";

function envelope(state: SimState, repo: SimRepo, sender: SimUser): JsonObject {
  // Webhook repositories carry the organisation's custom properties (none are simulated).
  const json: JsonObject = { repository: { ...repoJson(state.urls, repo), custom_properties: {} } };
  if (repo.owner.type === "Organization") json.organization = organizationJson(state.urls, repo.owner);
  json.sender = userJson(state.urls, sender);
  if (repo.installationId !== null) json.installation = installationRefJson(repo.installationId);
  return json;
}

/**
 * A `check_suite.<action>` webhook, as GitHub sends Checks API apps for every push (`requested`):
 * the pushed commit, its branch and the open pull requests of that branch (none before one is opened).
 */
export function checkSuiteWebhook(
  state: SimState,
  action: string,
  repo: SimRepo,
  sender: SimUser,
  suite: { id: number; headBranch: string; headSha: string; before: string; pulls: SimIssue[] },
): PendingWebhook {
  const at = state.clock
    .now()
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z");
  const check_suite: JsonObject = {
    id: suite.id,
    node_id: Buffer.from(`CheckSuite:${suite.id}`).toString("base64"),
    head_branch: suite.headBranch,
    head_sha: suite.headSha,
    status: "queued",
    conclusion: null,
    url: `${state.urls.api}/repos/${repo.fullName}/check-suites/${suite.id}`,
    before: suite.before,
    after: suite.headSha,
    pull_requests: suite.pulls.map((pull) => ({
      id: pull.id,
      number: pull.number,
      url: `${state.urls.api}/repos/${repo.fullName}/pulls/${pull.number}`,
      head: {
        ref: pull.pullRequest?.head ?? "",
        sha: pull.pullRequest?.headSha ?? "",
        repo: { id: repo.id, name: repo.name, url: `${state.urls.api}/repos/${repo.fullName}` },
      },
      base: {
        ref: pull.pullRequest?.base ?? repo.defaultBranch,
        sha: suite.before,
        repo: { id: repo.id, name: repo.name, url: `${state.urls.api}/repos/${repo.fullName}` },
      },
    })),
    app: appJson(state),
    created_at: at,
    updated_at: at,
    latest_check_runs_count: 0,
    check_runs_url: `${state.urls.api}/repos/${repo.fullName}/check-suites/${suite.id}/check-runs`,
    head_commit: {
      id: suite.headSha,
      tree_id: suite.headSha,
      message: "push",
      timestamp: at,
      author: { name: sender.login, email: `${sender.login}@example.com` },
      committer: { name: sender.login, email: `${sender.login}@example.com` },
    },
  };
  return {
    event: "check_suite",
    action,
    orderKey: repo.fullName.toLowerCase(),
    payload: { action, check_suite, ...envelope(state, repo, sender) },
  };
}

/** Webhook issues also say `draft` (false for plain issues). */
function webhookIssueJson(state: SimState, issue: SimIssue): JsonObject {
  return { ...issueJson(state, issue), draft: issue.pullRequest?.draft ?? false };
}

/**
 * An `issues.<action>` webhook, or `pull_request.<action>` when the issue is a pull request
 * (GitHub reports label, assignee, edit and state changes of pull requests that way).
 * `extra` adds the action's own keys (`label`, `assignee`, `changes`).
 */
export function issueWebhook(
  state: SimState,
  action: string,
  issue: SimIssue,
  sender: SimUser,
  extra: JsonObject = {},
): PendingWebhook {
  const subject: JsonObject = issue.pullRequest
    ? { number: issue.number, pull_request: pullRequestJson(state, issue) }
    : { issue: webhookIssueJson(state, issue) };
  return {
    event: issue.pullRequest ? "pull_request" : "issues",
    action,
    orderKey: issue.repo.fullName.toLowerCase(),
    payload: { action, ...subject, ...extra, ...envelope(state, issue.repo, sender) },
  };
}

/** An `issue_comment.<action>` webhook; `extra` carries `changes` for edits. */
export function issueCommentWebhook(
  state: SimState,
  action: string,
  comment: SimComment,
  sender: SimUser,
  extra: JsonObject = {},
): PendingWebhook {
  return {
    event: "issue_comment",
    action,
    orderKey: comment.issue.repo.fullName.toLowerCase(),
    payload: {
      action,
      ...(extra.changes ? { changes: extra.changes } : {}),
      issue: webhookIssueJson(state, comment.issue),
      comment: commentJson(state, comment),
      ...envelope(state, comment.issue.repo, sender),
    },
  };
}

/** An `installation.<action>` webhook listing the installation's repositories. */
export function installationWebhook(
  state: SimState,
  action: string,
  installation: SimInstallation,
  sender: SimUser,
): PendingWebhook {
  const repositories = state.reposOf(installation.id).map((repo) => ({
    id: repo.id,
    node_id: repoJson(state.urls, repo).node_id ?? null,
    name: repo.name,
    full_name: repo.fullName,
    private: repo.private,
  }));
  return {
    event: "installation",
    action,
    orderKey: `installation:${installation.id}`,
    payload: {
      action,
      installation: installationJson(state, installation),
      repositories,
      requester: null,
      sender: userJson(state.urls, sender),
    },
  };
}
