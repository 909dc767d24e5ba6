/** The Query and Mutation roots: lookups by node id, repository, search, rateLimit, and the writes. */
import { createComment, editComment } from "../comment-mutations.js";
import { HttpError } from "../errors.js";
import { editIssue, setAssignees, setIssueState } from "../issue-mutations.js";
import { MAX_SEARCH_RESULTS, searchIssues } from "../issue-search.js";
import { addLabels, removeLabel } from "../label-mutations.js";
import { isoSeconds } from "../payloads.js";
import { transferIssue } from "../transfer-mutation.js";
import type { SimComment, SimIssue, SimLabel, SimRepo, StateReason } from "../types.js";
import { connection, encodeCursor, type PageArgs } from "./connection.js";
import { canRead, githubError, notSimulated, requireRead, requireWrite, type GqlContext } from "./context.js";
import {
  actorModel,
  commentModel,
  issueModel,
  issueOrPullModel,
  labelModel,
  repositoryModel,
  timelineEventModel,
  type Model,
} from "./models.js";
import { decodeNodeId, PULL_REQUEST_ID_OFFSET, TIMELINE_EVENT_TYPES } from "./node-ids.js";

/** A node the id names, with the repository it lives in (null for accounts). */
type Found =
  | { kind: "issue"; issue: SimIssue }
  | { kind: "comment"; comment: SimComment }
  | { kind: "label"; repo: SimRepo; label: SimLabel }
  | { kind: "repository"; repo: SimRepo }
  | { kind: "other"; repo: SimRepo | null; model: Model };

const indexes = new WeakMap<GqlContext, Map<number, SimIssue>>();

function issueById(ctx: GqlContext, id: number): SimIssue | undefined {
  let index = indexes.get(ctx);
  if (!index) {
    index = new Map();
    for (const repo of ctx.state.repos.values()) for (const issue of repo.issues.values()) index.set(issue.id, issue);
    indexes.set(ctx, index);
  }
  return index.get(id);
}

function notFound(id: string): Error {
  return githubError("NOT_FOUND", `Could not resolve to a node with the global id of '${id}'`);
}

function find(ctx: GqlContext, id: string): Found {
  const decoded = decodeNodeId(id);
  if (!decoded) throw notFound(id);
  const { state } = ctx;
  switch (decoded.type) {
    case "Issue": {
      const issue = issueById(ctx, decoded.id);
      if (issue && !issue.pullRequest) return { kind: "issue", issue };
      break;
    }
    case "PullRequest": {
      const issue = issueById(ctx, decoded.id - PULL_REQUEST_ID_OFFSET);
      if (issue?.pullRequest) return { kind: "issue", issue };
      break;
    }
    case "IssueComment": {
      const comment = state.commentsById.get(decoded.id);
      if (comment) return { kind: "comment", comment };
      break;
    }
    case "Label":
      for (const repo of state.repos.values()) {
        for (const label of repo.labels.values()) if (label.id === decoded.id) return { kind: "label", repo, label };
      }
      break;
    case "Repository":
      for (const repo of state.repos.values()) if (repo.id === decoded.id) return { kind: "repository", repo };
      break;
    case "User":
    case "Bot":
    case "Organization":
      for (const user of state.users.values()) {
        if (
          user.id === decoded.id &&
          (user.type === decoded.type || (decoded.type === "User" && user.type === "User"))
        ) {
          return { kind: "other", repo: null, model: actorModel(ctx, user) };
        }
      }
      break;
    default:
      for (const repo of state.repos.values()) {
        for (const issue of repo.issues.values()) {
          const event = issue.timeline.find(
            (entry) =>
              entry.kind !== "commented" &&
              entry.id === decoded.id &&
              TIMELINE_EVENT_TYPES[entry.kind] === decoded.type,
          );
          if (event) return { kind: "other", repo, model: timelineEventModel(ctx, issue, event) };
        }
      }
  }
  throw notFound(id);
}

function repoOf(found: Found): SimRepo | null {
  switch (found.kind) {
    case "issue":
      return found.issue.repo;
    case "comment":
      return found.comment.issue.repo;
    default:
      return found.repo;
  }
}

/** The node `id` names, as the installation may see it (NOT_FOUND otherwise, as on GitHub). */
function nodeModel(ctx: GqlContext, id: string): Model {
  const found = find(ctx, id);
  const repo = repoOf(found);
  if (repo && !canRead(ctx, repo)) throw notFound(id);
  switch (found.kind) {
    case "issue":
      requireRead(ctx, found.issue.pullRequest ? "pull_requests" : "issues");
      return issueOrPullModel(ctx, found.issue);
    case "comment":
      requireRead(ctx, found.comment.issue.pullRequest ? "pull_requests" : "issues");
      return commentModel(ctx, found.comment);
    case "label":
      return labelModel(ctx, found.repo, found.label);
    case "repository":
      return repositoryModel(ctx, found.repo);
    case "other":
      return found.model;
  }
}

/** An issue or pull request by node id, for a write. */
function writableIssue(ctx: GqlContext, id: string, allowPullRequest = true): SimIssue {
  const found = find(ctx, id);
  if (found.kind !== "issue" || (!allowPullRequest && found.issue.pullRequest)) throw notFound(id);
  if (!canRead(ctx, found.issue.repo)) throw notFound(id);
  requireWrite(ctx, found.issue.repo, found.issue.pullRequest ? "pull_requests" : "issues");
  return found.issue;
}

function labelsByIds(ctx: GqlContext, repo: SimRepo, ids: string[]): SimLabel[] {
  return ids.map((id) => {
    const found = find(ctx, id);
    if (found.kind !== "label" || found.repo !== repo) throw notFound(id);
    return found.label;
  });
}

/** HttpErrors of the shared mutations become GitHub's GraphQL error types. */
function mutation<A>(run: (input: A) => Model): (args: { input: A }) => Model {
  return ({ input }) => {
    try {
      return run(input);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      const type = error.status === 404 ? "NOT_FOUND" : error.status === 403 ? "FORBIDDEN" : "UNPROCESSABLE";
      throw githubError(type, error.message);
    }
  };
}

interface SearchArgs extends PageArgs {
  query: string;
  type: string;
}

function search(ctx: GqlContext, args: SearchArgs): Model {
  if (args.type !== "ISSUE") throw notSimulated(ctx, `search(type: ${args.type}) (only ISSUE)`);
  requireRead(ctx, "issues");
  const { hits, unsupported } = searchIssues(ctx.state, { q: args.query, installationId: ctx.installationId });
  for (const token of unsupported) ctx.unsupported(`search qualifier or syntax: ${token}`);
  const reachable = hits.slice(0, MAX_SEARCH_RESULTS);
  const other = (name: string) => () => {
    throw notSimulated(ctx, `SearchResultItemConnection.${name} (only issueCount)`);
  };
  return connection(reachable, args, (issue) => issueOrPullModel(ctx, issue), {
    issueCount: hits.length,
    codeCount: other("codeCount"),
    repositoryCount: other("repositoryCount"),
    userCount: other("userCount"),
    wikiCount: other("wikiCount"),
    discussionCount: other("discussionCount"),
  });
}

const CLOSED_REASONS: Record<string, StateReason> = {
  COMPLETED: "completed",
  NOT_PLANNED: "not_planned",
  DUPLICATE: "duplicate",
};

/** One object serving as both roots (their field names do not overlap). */
export function rootModel(ctx: GqlContext): Model {
  const rateLimit = (): Model => ({
    ...ctx.rateLimit,
    resetAt: isoSeconds(ctx.rateLimit.resetAt),
  });
  return {
    // Query
    node: ({ id }: { id: string }) => nodeModel(ctx, id),
    // A failed id is null with its own error (graphql-js completes an Error item that way).
    nodes: ({ ids }: { ids: string[] }) =>
      ids.map((id) => {
        try {
          return nodeModel(ctx, id);
        } catch (error) {
          return error;
        }
      }),
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repo = ctx.state.findRepo(`${owner}/${name}`);
      if (!repo || !canRead(ctx, repo))
        throw githubError("NOT_FOUND", `Could not resolve to a Repository with the name '${owner}/${name}'.`);
      return repositoryModel(ctx, repo);
    },
    search: (args: SearchArgs) => search(ctx, args),
    rateLimit: ({ dryRun }: { dryRun?: boolean | null }) => {
      if (dryRun) throw notSimulated(ctx, "rateLimit(dryRun: true)");
      return rateLimit();
    },
    user: ({ login }: { login: string }) => {
      const user = ctx.state.findUser(login);
      if (!user || user.type !== "User")
        throw githubError("NOT_FOUND", `Could not resolve to a User with the login of '${login}'.`);
      return actorModel(ctx, user);
    },
    // Mutation
    addComment: mutation((input: { subjectId: string; body: string; clientMutationId?: string | null }) => {
      const issue = writableIssue(ctx, input.subjectId);
      const comment = createComment(ctx.actAsApp(), issue, input.body);
      const index = issue.comments.indexOf(comment);
      const edge = { cursor: encodeCursor(index), node: commentModel(ctx, comment) };
      const timelineIndex = issue.timeline.findIndex(
        (event) => event.kind === "commented" && event.comment === comment,
      );
      return {
        clientMutationId: input.clientMutationId ?? null,
        commentEdge: edge,
        subject: issueOrPullModel(ctx, issue),
        timelineEdge: { cursor: encodeCursor(timelineIndex), node: edge.node },
      };
    }),
    updateIssueComment: mutation((input: { id: string; body: string; clientMutationId?: string | null }) => {
      const found = find(ctx, input.id);
      if (found.kind !== "comment" || !canRead(ctx, found.comment.issue.repo)) throw notFound(input.id);
      requireWrite(ctx, found.comment.issue.repo, found.comment.issue.pullRequest ? "pull_requests" : "issues");
      editComment(ctx.actAsApp(), found.comment, input.body);
      return { clientMutationId: input.clientMutationId ?? null, issueComment: commentModel(ctx, found.comment) };
    }),
    addLabelsToLabelable: mutation(
      (input: { labelableId: string; labelIds: string[]; clientMutationId?: string | null }) => {
        const issue = writableIssue(ctx, input.labelableId);
        const labels = labelsByIds(ctx, issue.repo, input.labelIds);
        addLabels(
          ctx.actAsApp(),
          issue,
          labels.map((label) => label.name),
        );
        return { clientMutationId: input.clientMutationId ?? null, labelable: issueOrPullModel(ctx, issue) };
      },
    ),
    removeLabelsFromLabelable: mutation(
      (input: { labelableId: string; labelIds: string[]; clientMutationId?: string | null }) => {
        const issue = writableIssue(ctx, input.labelableId);
        const labels = labelsByIds(ctx, issue.repo, input.labelIds);
        const act = ctx.actAsApp();
        // Unlike REST's remove-label (404), labels the issue does not carry are ignored.
        for (const label of labels) if (issue.labels.includes(label)) removeLabel(act, issue, label.name);
        return { clientMutationId: input.clientMutationId ?? null, labelable: issueOrPullModel(ctx, issue) };
      },
    ),
    closeIssue: mutation(
      (input: {
        issueId: string;
        stateReason?: string | null;
        duplicateIssueId?: string | null;
        clientMutationId?: string | null;
      }) => {
        if (input.duplicateIssueId) throw notSimulated(ctx, "closeIssue(input: { duplicateIssueId })");
        const issue = writableIssue(ctx, input.issueId, false);
        setIssueState(ctx.actAsApp(), issue, {
          state: "closed",
          reason: CLOSED_REASONS[input.stateReason ?? "COMPLETED"] ?? "completed",
        });
        return { clientMutationId: input.clientMutationId ?? null, issue: issueModel(ctx, issue) };
      },
    ),
    reopenIssue: mutation((input: { issueId: string; clientMutationId?: string | null }) => {
      const issue = writableIssue(ctx, input.issueId, false);
      setIssueState(ctx.actAsApp(), issue, { state: "open" });
      return { clientMutationId: input.clientMutationId ?? null, issue: issueModel(ctx, issue) };
    }),
    updateIssue: mutation((input: UpdateIssueInput) => {
      for (const key of ["milestoneId", "projectIds", "issueTypeId"] as const) {
        if (input[key] !== undefined && input[key] !== null) throw notSimulated(ctx, `updateIssue(input: { ${key} })`);
      }
      const issue = writableIssue(ctx, input.id, false);
      const act = ctx.actAsApp();
      const patch: { title?: string; body?: string | null } = {};
      if (typeof input.title === "string") patch.title = input.title;
      if (typeof input.body === "string") patch.body = input.body;
      editIssue(act, issue, patch);
      if (input.assigneeIds) {
        const logins = input.assigneeIds.map((id) => {
          const found = find(ctx, id);
          if (found.kind !== "other" || typeof found.model.login !== "string" || found.model.__typename !== "User")
            throw notFound(id);
          return found.model.login;
        });
        setAssignees(act, issue, logins);
      }
      if (input.labelIds) {
        const wanted = labelsByIds(ctx, issue.repo, input.labelIds);
        for (const label of [...issue.labels]) if (!wanted.includes(label)) removeLabel(act, issue, label.name);
        addLabels(
          act,
          issue,
          wanted.map((label) => label.name),
        );
      }
      if (input.state) setIssueState(act, issue, { state: input.state === "CLOSED" ? "closed" : "open" });
      return { clientMutationId: input.clientMutationId ?? null, issue: issueModel(ctx, issue) };
    }),
    transferIssue: mutation(
      (input: {
        issueId: string;
        repositoryId: string;
        createLabelsIfMissing?: boolean | null;
        clientMutationId?: string | null;
      }) => {
        const issue = writableIssue(ctx, input.issueId, false);
        const found = find(ctx, input.repositoryId);
        if (found.kind !== "repository" || !canRead(ctx, found.repo)) throw notFound(input.repositoryId);
        requireWrite(ctx, found.repo, "issues");
        transferIssue(ctx.actAsApp(), issue, found.repo, {
          createLabelsIfMissing: input.createLabelsIfMissing ?? false,
        });
        return { clientMutationId: input.clientMutationId ?? null, issue: issueModel(ctx, issue) };
      },
    ),
  };
}

interface UpdateIssueInput {
  id: string;
  title?: string | null;
  body?: string | null;
  assigneeIds?: string[] | null;
  labelIds?: string[] | null;
  state?: "OPEN" | "CLOSED" | null;
  milestoneId?: string | null;
  projectIds?: string[] | null;
  issueTypeId?: string | null;
  clientMutationId?: string | null;
}
