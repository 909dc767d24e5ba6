/**
 * JSON renderers for issues, pull requests, comments, labels and timeline events, shaped like
 * GitHub's REST answers (components/schemas issue, pull-request, issue-comment, label,
 * timeline-issue-events, issue-search-result-item).
 */
import { filesOf } from "./checks.js";
import { nodeId } from "./ids.js";
import { PULL_REQUEST_ID_OFFSET, TIMELINE_EVENT_TYPES } from "./graphql/node-ids.js";
import { appJson, isoSeconds, repoJson, userJson } from "./payloads.js";
import type { SimState } from "./state.js";
import type { JsonObject, SimComment, SimIssue, SimLabel, SimRepo, SimTimelineEvent, SimUser } from "./types.js";

const NO_REACTIONS = { "+1": 0, "-1": 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 };

function reactions(url: string): JsonObject {
  return { url: `${url}/reactions`, total_count: 0, ...NO_REACTIONS };
}

function iso(date: Date | null): string | null {
  return date ? isoSeconds(date) : null;
}

/** OWNER, MEMBER, COLLABORATOR or NONE, from the author's standing in the repository. */
export function authorAssociation(state: SimState, repo: SimRepo, user: SimUser): string {
  if (user.type === "Bot") return "NONE";
  if (user.login.toLowerCase() === repo.owner.login.toLowerCase()) return "OWNER";
  const explicit = repo.roles.get(user.login.toLowerCase());
  if (!explicit || explicit === "none") return "NONE";
  return repo.owner.type === "Organization" ? "MEMBER" : "COLLABORATOR";
}

/** A repository label (`label` schema). */
export function labelJson(state: SimState, repo: SimRepo, label: SimLabel): JsonObject {
  return {
    id: label.id,
    node_id: nodeId("Label", label.id),
    url: `${state.urls.api}/repos/${repo.fullName}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: label.default,
    description: label.description,
  };
}

/** Options for issueJson. */
export interface IssueJsonOptions {
  /** Add the `repository` object (cross-reference sources, search with full repos). */
  withRepository?: boolean;
  /** Add `closed_by` (GitHub sends it on single-issue answers). */
  withClosedBy?: boolean;
}

/** An issue or pull request as the issues API returns it (`issue` schema). */
export function issueJson(state: SimState, issue: SimIssue, options: IssueJsonOptions = {}): JsonObject {
  const { urls } = state;
  const repo = issue.repo;
  const repoApi = `${urls.api}/repos/${repo.fullName}`;
  const api = `${repoApi}/issues/${issue.number}`;
  const kind = issue.pullRequest ? "pull" : "issues";
  const json: JsonObject = {
    url: api,
    repository_url: repoApi,
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: `${urls.html}/${repo.fullName}/${kind}/${issue.number}`,
    id: issue.id,
    // A pull request's node id is the pull request's (as the pulls API and GraphQL give it).
    node_id: issue.pullRequest ? nodeId("PullRequest", issue.id + PULL_REQUEST_ID_OFFSET) : nodeId("Issue", issue.id),
    number: issue.number,
    title: issue.title,
    user: userJson(urls, issue.user),
    labels: issue.labels.map((label) => labelJson(state, repo, label)),
    state: issue.state,
    locked: issue.locked,
    assignee: issue.assignees[0] ? userJson(urls, issue.assignees[0]) : null,
    assignees: issue.assignees.map((user) => userJson(urls, user)),
    milestone: null,
    comments: issue.comments.length,
    created_at: isoSeconds(issue.createdAt),
    updated_at: isoSeconds(issue.updatedAt),
    closed_at: iso(issue.closedAt),
    author_association: authorAssociation(state, repo, issue.user),
    type: null,
    active_lock_reason: issue.activeLockReason,
    body: issue.body,
    reactions: reactions(api),
    timeline_url: `${api}/timeline`,
    performed_via_github_app: issue.viaApp ? appJson(state) : null,
    state_reason: issue.stateReason,
  };
  if (issue.pullRequest) {
    const pull = `${repoApi}/pulls/${issue.number}`;
    const html = `${urls.html}/${repo.fullName}/pull/${issue.number}`;
    json.draft = issue.pullRequest.draft;
    json.pull_request = {
      url: pull,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      merged_at: iso(issue.pullRequest.mergedAt),
    };
  }
  if (options.withClosedBy) json.closed_by = issue.closedBy ? userJson(urls, issue.closedBy) : null;
  if (options.withRepository) json.repository = repoJson(urls, repo);
  return json;
}

function branchJson(state: SimState, issue: SimIssue, ref: string, sha: string): JsonObject {
  const repo = issue.repo;
  return {
    label: `${repo.owner.login}:${ref}`,
    ref,
    sha,
    user: userJson(state.urls, repo.owner),
    repo: repoJson(state.urls, repo),
  };
}

/** A pull request as the pulls API returns it (`pull-request` schema). */
export function pullRequestJson(state: SimState, issue: SimIssue): JsonObject {
  const pr = issue.pullRequest;
  if (!pr) throw new Error(`${issue.repo.fullName}#${issue.number} is not a pull request`);
  const { urls } = state;
  const repo = issue.repo;
  const repoApi = `${urls.api}/repos/${repo.fullName}`;
  const api = `${repoApi}/pulls/${issue.number}`;
  const html = `${urls.html}/${repo.fullName}/pull/${issue.number}`;
  const issueApi = `${repoApi}/issues/${issue.number}`;
  const id = issue.id + PULL_REQUEST_ID_OFFSET;
  return {
    url: api,
    id,
    node_id: nodeId("PullRequest", id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issueApi,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: `${repoApi}/pulls/comments{/number}`,
    comments_url: `${issueApi}/comments`,
    statuses_url: `${repoApi}/statuses/${pr.headSha}`,
    number: issue.number,
    state: issue.state,
    locked: issue.locked,
    title: issue.title,
    user: userJson(urls, issue.user),
    body: issue.body,
    labels: issue.labels.map((label) => labelJson(state, repo, label)),
    milestone: null,
    active_lock_reason: issue.activeLockReason,
    created_at: isoSeconds(issue.createdAt),
    updated_at: isoSeconds(issue.updatedAt),
    closed_at: iso(issue.closedAt),
    merged_at: iso(pr.mergedAt),
    merge_commit_sha: pr.mergeCommitSha,
    assignee: issue.assignees[0] ? userJson(urls, issue.assignees[0]) : null,
    assignees: issue.assignees.map((user) => userJson(urls, user)),
    requested_reviewers: [],
    requested_teams: [],
    head: branchJson(state, issue, pr.head, pr.headSha),
    base: branchJson(state, issue, pr.base, pr.headSha.split("").reverse().join("")),
    _links: {
      self: { href: api },
      html: { href: html },
      issue: { href: issueApi },
      comments: { href: `${issueApi}/comments` },
      review_comments: { href: `${api}/comments` },
      review_comment: { href: `${repoApi}/pulls/comments{/number}` },
      commits: { href: `${api}/commits` },
      statuses: { href: `${repoApi}/statuses/${pr.headSha}` },
    },
    author_association: authorAssociation(state, repo, issue.user),
    auto_merge: null,
    draft: pr.draft,
    merged: pr.merged,
    mergeable: pr.merged ? null : issue.state === "open",
    rebaseable: pr.merged ? null : issue.state === "open",
    mergeable_state: pr.merged ? "unknown" : "clean",
    merged_by: pr.mergedBy ? userJson(urls, pr.mergedBy) : null,
    comments: issue.comments.length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 1,
    deletions: 0,
    // The files given to openPullRequest / pushToPullRequest (simulator/src/checks.ts).
    changed_files: filesOf(issue).size,
  };
}

/** A comment (`issue-comment` schema). */
export function commentJson(state: SimState, comment: SimComment): JsonObject {
  const { urls } = state;
  const repo = comment.issue.repo;
  const api = `${urls.api}/repos/${repo.fullName}/issues/comments/${comment.id}`;
  const kind = comment.issue.pullRequest ? "pull" : "issues";
  return {
    url: api,
    html_url: `${urls.html}/${repo.fullName}/${kind}/${comment.issue.number}#issuecomment-${comment.id}`,
    issue_url: `${urls.api}/repos/${repo.fullName}/issues/${comment.issue.number}`,
    id: comment.id,
    node_id: nodeId("IssueComment", comment.id),
    user: userJson(urls, comment.user),
    created_at: isoSeconds(comment.createdAt),
    updated_at: isoSeconds(comment.updatedAt),
    author_association: authorAssociation(state, repo, comment.user),
    body: comment.body,
    reactions: reactions(api),
    performed_via_github_app: comment.viaApp ? appJson(state) : null,
  };
}

/** One timeline entry (`timeline-issue-events` schema). */
export function timelineEventJson(state: SimState, issue: SimIssue, event: SimTimelineEvent): JsonObject {
  const { urls } = state;
  if (event.kind === "commented") {
    return { event: "commented", actor: userJson(urls, event.comment.user), ...commentJson(state, event.comment) };
  }
  if (event.kind === "cross-referenced") {
    const at = isoSeconds(event.createdAt);
    return {
      event: "cross-referenced",
      actor: userJson(urls, event.actor),
      created_at: at,
      updated_at: at,
      source: { type: "issue", issue: issueJson(state, event.source, { withRepository: true }) },
    };
  }
  const json: JsonObject = {
    id: event.id,
    node_id: nodeId(TIMELINE_EVENT_TYPES[event.kind], event.id), // the GraphQL type, e.g. LabeledEvent
    url: `${urls.api}/repos/${issue.repo.fullName}/issues/events/${event.id}`,
    actor: userJson(urls, event.actor),
    event: event.kind,
    commit_id: null,
    commit_url: null,
    created_at: isoSeconds(event.createdAt),
    performed_via_github_app: event.viaApp ? appJson(state) : null,
  };
  switch (event.kind) {
    case "labeled":
    case "unlabeled":
      json.label = { name: event.label.name, color: event.label.color };
      break;
    case "closed":
    case "reopened":
      json.state_reason = event.stateReason;
      if (event.commitId) {
        json.commit_id = event.commitId;
        json.commit_url = `${urls.api}/repos/${issue.repo.fullName}/commits/${event.commitId}`;
      }
      break;
    case "assigned":
    case "unassigned":
      json.assignee = userJson(urls, event.assignee);
      json.assigner = userJson(urls, event.actor);
      break;
    case "locked":
    case "unlocked":
      json.lock_reason = event.lockReason;
      break;
    case "renamed":
      json.rename = { from: event.from, to: event.to };
      break;
  }
  return json;
}

/** A search hit (`issue-search-result-item` schema, where `body` is a string when present). */
export function searchItemJson(state: SimState, issue: SimIssue): JsonObject {
  const json = issueJson(state, issue);
  if (json.body === null) delete json.body;
  return { ...json, score: 1 };
}
