/**
 * GraphQL objects over the simulator's state: each builder returns an object whose properties are
 * the fields it can answer (values, or functions of the field's arguments). A field that is not
 * there is reported and fails (see endpoint.ts), so an answer is either right or visibly missing.
 */
import { authorAssociation } from "../issue-payloads.js";
import { blobSha, nodeId } from "../ids.js";
import { isoSeconds } from "../payloads.js";
import { findIssueReferences } from "../references.js";
import type { SimComment, SimIssue, SimLabel, SimRepo, SimTimelineEvent, SimUser } from "../types.js";
import { connection, type PageArgs } from "./connection.js";
import { canRead, githubError, notSimulated, requireRead, type GqlContext } from "./context.js";
import { PULL_REQUEST_ID_OFFSET, TIMELINE_EVENT_TYPES } from "./node-ids.js";

/** A GraphQL object: field name -> value or resolver. */
export type Model = Record<string, unknown>;
type Order = { field: string; direction: "ASC" | "DESC" } | null | undefined;

const iso = (date: Date | null): string | null => (date ? isoSeconds(date) : null);
const upper = (value: string | null): string | null => (value ? value.toUpperCase() : null);

function sorted<T>(items: T[], key: (item: T) => number, direction: "ASC" | "DESC" = "ASC"): T[] {
  const sign = direction === "DESC" ? -1 : 1;
  return [...items].sort((a, b) => sign * (key(a) - key(b)));
}

/** An account: `User`, `Bot` (login without `[bot]`, as GitHub's GraphQL API shows apps) or `Organization`. */
export function actorModel(ctx: GqlContext, user: SimUser): Model {
  const html = ctx.state.urls.html;
  if (user.type === "Bot") {
    const slug = user.login.replace(/\[bot\]$/, "");
    return {
      __typename: "Bot",
      id: nodeId("Bot", user.id),
      databaseId: user.id,
      login: slug,
      url: `${html}/apps/${slug}`,
      resourcePath: `/apps/${slug}`,
      avatarUrl: `${html}/avatars/u/${user.id}?v=4`,
    };
  }
  const typename = user.type === "Organization" ? "Organization" : "User";
  return {
    __typename: typename,
    id: nodeId(typename, user.id),
    databaseId: user.id,
    login: user.login,
    url: `${html}/${user.login}`,
    resourcePath: `/${user.login}`,
    avatarUrl: `${html}/avatars/u/${user.id}?v=4`,
  };
}

/** A repository label. */
export function labelModel(ctx: GqlContext, repo: SimRepo, label: SimLabel): Model {
  const path = `/${repo.fullName}/labels/${encodeURIComponent(label.name)}`;
  return {
    __typename: "Label",
    id: nodeId("Label", label.id),
    name: label.name,
    color: label.color,
    description: label.description,
    isDefault: label.default,
    url: `${ctx.state.urls.html}${path}`,
    resourcePath: path,
    repository: () => repositoryModel(ctx, repo),
  };
}

function labelsOf(
  ctx: GqlContext,
  repo: SimRepo,
  labels: SimLabel[],
  args: PageArgs & { orderBy?: Order; query?: string | null },
): Model {
  let list = labels;
  if (args.query) list = list.filter((label) => label.name.toLowerCase().includes((args.query ?? "").toLowerCase()));
  if (args.orderBy?.field === "NAME")
    list = [...list].sort((a, b) => (args.orderBy?.direction === "DESC" ? -1 : 1) * a.name.localeCompare(b.name));
  else if (args.orderBy) list = sorted(list, (label) => label.id, args.orderBy.direction); // ids grow with creation
  return connection(list, args, (label) => labelModel(ctx, repo, label));
}

/** A repository. */
export function repositoryModel(ctx: GqlContext, repo: SimRepo): Model {
  const html = `${ctx.state.urls.html}/${repo.fullName}`;
  const numbered = (number: number): SimIssue | undefined => repo.issues.get(number);
  return {
    __typename: "Repository",
    id: nodeId("Repository", repo.id),
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: repo.fullName,
    owner: actorModel(ctx, repo.owner),
    isPrivate: repo.private,
    visibility: repo.private ? "PRIVATE" : "PUBLIC",
    url: html,
    resourcePath: `/${repo.fullName}`,
    createdAt: isoSeconds(repo.createdAt),
    hasIssuesEnabled: true,
    issue: ({ number }: { number: number }) => {
      requireRead(ctx, "issues");
      const issue = numbered(number);
      if (!issue || issue.pullRequest)
        throw githubError("NOT_FOUND", `Could not resolve to an Issue with the number of ${number}.`);
      return issueModel(ctx, issue);
    },
    pullRequest: ({ number }: { number: number }) => {
      requireRead(ctx, "pull_requests");
      const issue = numbered(number);
      if (!issue?.pullRequest)
        throw githubError("NOT_FOUND", `Could not resolve to a PullRequest with the number of ${number}.`);
      return pullRequestModel(ctx, issue);
    },
    issueOrPullRequest: ({ number }: { number: number }) => {
      const issue = numbered(number);
      if (!issue)
        throw githubError("NOT_FOUND", `Could not resolve to an issue or pull request with the number of ${number}.`);
      requireRead(ctx, issue.pullRequest ? "pull_requests" : "issues");
      return issueOrPullModel(ctx, issue);
    },
    issues: (
      args: PageArgs & {
        states?: string[] | null;
        labels?: string[] | null;
        orderBy?: Order;
        filterBy?: Record<string, unknown> | null;
      },
    ) => {
      requireRead(ctx, "issues");
      return connection(filterIssues(ctx, repo, args), args, (issue) => issueModel(ctx, issue));
    },
    labels: (args: PageArgs & { orderBy?: Order; query?: string | null }) =>
      labelsOf(ctx, repo, [...repo.labels.values()], args),
    label: ({ name }: { name: string }) => {
      const label = repo.labels.get(name.toLowerCase());
      return label ? labelModel(ctx, repo, label) : null;
    },
    defaultBranchRef: { __typename: "Ref", name: repo.defaultBranch, prefix: "refs/heads/" },
    object: (args: { expression?: string | null; oid?: string | null }) => fileObject(ctx, repo, args),
  };
}

/**
 * `object(expression: "HEAD:path")` (or `"<default branch>:path"`): a file of the default branch as a
 * Blob, null when absent. Other revisions, trees and `oid` lookups are not simulated.
 */
function fileObject(
  ctx: GqlContext,
  repo: SimRepo,
  args: { expression?: string | null; oid?: string | null },
): Model | null {
  const match = /^([^:]+):(.+)$/.exec(args.expression ?? "");
  const revision = match?.[1];
  if (args.oid || !match || (revision !== "HEAD" && revision !== repo.defaultBranch)) {
    throw notSimulated(
      ctx,
      `Repository.object(${args.oid ? "oid" : `expression: "${args.expression ?? ""}"`}) (only HEAD:path)`,
    );
  }
  const granted = ctx.state.app.permissions.contents;
  if (granted !== "read" && granted !== "write") {
    ctx.permissionDenied("contents: read");
    throw githubError("FORBIDDEN", "Resource not accessible by integration");
  }
  const path = (match[2] ?? "").replace(/^\/+/, "");
  const text = repo.files.get(path);
  if (text === undefined) {
    const isDirectory = [...repo.files.keys()].some((file) => file.startsWith(`${path.replace(/\/$/, "")}/`));
    if (isDirectory) throw notSimulated(ctx, "Repository.object of a directory (Tree)");
    return null;
  }
  const oid = blobSha(text);
  return {
    __typename: "Blob",
    id: nodeId("Blob", parseInt(oid.slice(0, 12), 16)),
    oid,
    abbreviatedOid: oid.slice(0, 7),
    text,
    byteSize: Buffer.byteLength(text, "utf8"),
    isBinary: false,
    isTruncated: false,
    repository: () => repositoryModel(ctx, repo),
  };
}

const ISSUE_FILTERS = new Set(["states", "labels", "since", "assignee", "createdBy"]);

function filterIssues(
  ctx: GqlContext,
  repo: SimRepo,
  args: {
    states?: string[] | null;
    labels?: string[] | null;
    orderBy?: Order;
    filterBy?: Record<string, unknown> | null;
  },
): SimIssue[] {
  const filterBy = args.filterBy ?? {};
  for (const key of Object.keys(filterBy)) {
    if (!ISSUE_FILTERS.has(key) && filterBy[key] !== null && filterBy[key] !== undefined)
      throw notSimulated(ctx, `Repository.issues(filterBy: { ${key} })`);
  }
  const states = (args.states ?? (filterBy.states as string[] | undefined) ?? null)?.map((state) =>
    state.toLowerCase(),
  );
  const labels = [...(args.labels ?? []), ...((filterBy.labels as string[] | undefined) ?? [])].map((name) =>
    name.toLowerCase(),
  );
  const since = typeof filterBy.since === "string" ? Date.parse(filterBy.since) : null;
  const assignee = typeof filterBy.assignee === "string" ? filterBy.assignee.toLowerCase() : null;
  const createdBy = typeof filterBy.createdBy === "string" ? filterBy.createdBy.toLowerCase() : null;
  const list = [...repo.issues.values()].filter((issue) => {
    if (issue.pullRequest) return false;
    if (states && !states.includes(issue.state)) return false;
    // `labels`: issues carrying any of them, as GitHub documents.
    if (labels.length > 0 && !issue.labels.some((label) => labels.includes(label.name.toLowerCase()))) return false;
    if (since !== null && issue.updatedAt.getTime() < since) return false;
    if (
      assignee === "*"
        ? issue.assignees.length === 0
        : assignee !== null && !issue.assignees.some((user) => user.login.toLowerCase() === assignee)
    )
      return false;
    if (createdBy !== null && issue.user.login.toLowerCase() !== createdBy) return false;
    return true;
  });
  const field = args.orderBy?.field ?? "CREATED_AT";
  const key =
    field === "UPDATED_AT"
      ? (issue: SimIssue) => issue.updatedAt.getTime()
      : field === "COMMENTS"
        ? (issue: SimIssue) => issue.comments.length
        : (issue: SimIssue) => issue.createdAt.getTime();
  return sorted(list, key, args.orderBy?.direction ?? "ASC");
}

/** An issue or a pull request, whichever it is. */
export function issueOrPullModel(ctx: GqlContext, issue: SimIssue): Model {
  return issue.pullRequest ? pullRequestModel(ctx, issue) : issueModel(ctx, issue);
}

function commonFields(ctx: GqlContext, issue: SimIssue, kind: "issues" | "pull"): Model {
  const path = `/${issue.repo.fullName}/${kind}/${issue.number}`;
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body ?? "",
    url: `${ctx.state.urls.html}${path}`,
    resourcePath: path,
    closed: issue.state === "closed",
    closedAt: iso(issue.closedAt),
    createdAt: isoSeconds(issue.createdAt),
    publishedAt: isoSeconds(issue.createdAt),
    updatedAt: isoSeconds(issue.updatedAt),
    author: actorModel(ctx, issue.user),
    authorAssociation: authorAssociation(ctx.state, issue.repo, issue.user),
    viewerDidAuthor: issue.user === ctx.state.app.bot,
    createdViaEmail: false,
    locked: issue.locked,
    activeLockReason: upper(issue.activeLockReason),
    milestone: null, // milestones cannot exist in the simulator
    repository: () => repositoryModel(ctx, issue.repo),
    labels: (args: PageArgs & { orderBy?: Order }) => labelsOf(ctx, issue.repo, issue.labels, args),
    assignees: (args: PageArgs) => connection(issue.assignees, args, (user) => actorModel(ctx, user)),
    comments: (args: PageArgs & { orderBy?: Order }) => {
      const list = args.orderBy
        ? sorted(issue.comments, (comment) => comment.updatedAt.getTime(), args.orderBy.direction)
        : issue.comments;
      return connection(list, args, (comment) => commentModel(ctx, comment));
    },
  };
}

/** An issue (not a pull request). */
export function issueModel(ctx: GqlContext, issue: SimIssue): Model {
  return {
    __typename: "Issue",
    ...commonFields(ctx, issue, "issues"),
    id: nodeId("Issue", issue.id),
    databaseId: issue.id,
    fullDatabaseId: String(issue.id),
    state: issue.state.toUpperCase(),
    stateReason: upper(issue.stateReason),
    timelineItems: (args: TimelineArgs) => timelineItems(ctx, issue, args),
  };
}

/** A pull request (its own id, as the pulls API's). */
export function pullRequestModel(ctx: GqlContext, issue: SimIssue): Model {
  const pr = issue.pullRequest;
  if (!pr) throw new Error(`${issue.repo.fullName}#${issue.number} is not a pull request`);
  const id = issue.id + PULL_REQUEST_ID_OFFSET;
  return {
    __typename: "PullRequest",
    ...commonFields(ctx, issue, "pull"),
    id: nodeId("PullRequest", id),
    databaseId: id,
    fullDatabaseId: String(id),
    state: pr.merged ? "MERGED" : issue.state.toUpperCase(),
    merged: pr.merged,
    mergedAt: iso(pr.mergedAt),
    mergedBy: pr.mergedBy ? actorModel(ctx, pr.mergedBy) : null,
    isDraft: pr.draft,
    headRefName: pr.head,
    baseRefName: pr.base,
  };
}

/** An issue or pull-request comment. */
export function commentModel(ctx: GqlContext, comment: SimComment): Model {
  const kind = comment.issue.pullRequest ? "pull" : "issues";
  const path = `/${comment.issue.repo.fullName}/${kind}/${comment.issue.number}#issuecomment-${comment.id}`;
  const edited = comment.updatedAt.getTime() > comment.createdAt.getTime();
  return {
    __typename: "IssueComment",
    id: nodeId("IssueComment", comment.id),
    databaseId: comment.id,
    fullDatabaseId: String(comment.id),
    body: comment.body,
    author: actorModel(ctx, comment.user),
    authorAssociation: authorAssociation(ctx.state, comment.issue.repo, comment.user),
    createdAt: isoSeconds(comment.createdAt),
    publishedAt: isoSeconds(comment.createdAt),
    updatedAt: isoSeconds(comment.updatedAt),
    lastEditedAt: edited ? isoSeconds(comment.updatedAt) : null,
    createdViaEmail: false,
    isMinimized: false, // minimizing cannot happen in the simulator
    minimizedReason: null,
    url: `${ctx.state.urls.html}${path}`,
    resourcePath: path,
    viewerDidAuthor: comment.user === ctx.state.app.bot,
    repository: () => repositoryModel(ctx, comment.issue.repo),
    issue: () =>
      comment.issue.pullRequest
        ? notSimulatedField(ctx, "IssueComment.issue of a pull-request comment")
        : issueModel(ctx, comment.issue),
    pullRequest: () => (comment.issue.pullRequest ? pullRequestModel(ctx, comment.issue) : null),
  };
}

function notSimulatedField(ctx: GqlContext, what: string): never {
  throw notSimulated(ctx, what);
}

/** Arguments of `timelineItems`. */
export interface TimelineArgs extends PageArgs {
  since?: string | null;
  skip?: number | null;
  itemTypes?: string[] | null;
}

/** The `itemTypes` the simulator records; others never appear in its timelines. */
const ITEM_TYPES: Record<string, string> = {
  ISSUE_COMMENT: "IssueComment",
  CROSS_REFERENCED_EVENT: "CrossReferencedEvent",
  CLOSED_EVENT: "ClosedEvent",
  REOPENED_EVENT: "ReopenedEvent",
  LABELED_EVENT: "LabeledEvent",
  UNLABELED_EVENT: "UnlabeledEvent",
  ASSIGNED_EVENT: "AssignedEvent",
  UNASSIGNED_EVENT: "UnassignedEvent",
  LOCKED_EVENT: "LockedEvent",
  UNLOCKED_EVENT: "UnlockedEvent",
  RENAMED_TITLE_EVENT: "RenamedTitleEvent",
};

function timelineItems(ctx: GqlContext, issue: SimIssue, args: TimelineArgs): Model {
  const wanted = args.itemTypes?.map((type) => {
    const typename = ITEM_TYPES[type];
    if (!typename)
      throw notSimulated(
        ctx,
        `timelineItems(itemTypes: ${type}) (the simulator records ${Object.keys(ITEM_TYPES).join(", ")})`,
      );
    return typename;
  });
  const visible = issue.timeline.filter(
    (event) => event.kind !== "cross-referenced" || canRead(ctx, event.source.repo),
  );
  const since = args.since ? Date.parse(args.since) : null;
  const filtered = visible.filter(
    (event) =>
      (!wanted || wanted.includes(TIMELINE_EVENT_TYPES[event.kind])) &&
      (since === null || event.createdAt.getTime() >= since),
  );
  const skipped = filtered.slice(Math.max(0, args.skip ?? 0));
  return connection(skipped, args, (event) => timelineEventModel(ctx, issue, event), {
    totalCount: visible.length,
    filteredCount: filtered.length,
    pageCount: skipped.length,
    updatedAt: isoSeconds(issue.updatedAt),
  });
}

function eventLabel(ctx: GqlContext, issue: SimIssue, name: string): Model {
  const label = issue.repo.labels.get(name.toLowerCase());
  if (!label) throw notSimulated(ctx, `the label of a timeline event whose label "${name}" was deleted`);
  return labelModel(ctx, issue.repo, label);
}

function closerOf(ctx: GqlContext, commitId: string | null): Model | null {
  if (!commitId) return null;
  for (const repo of ctx.state.repos.values()) {
    for (const candidate of repo.issues.values()) {
      if (candidate.pullRequest?.mergeCommitSha === commitId) return pullRequestModel(ctx, candidate);
    }
  }
  return null;
}

/** One timeline item: a comment or an event of the IssueTimelineItems union. */
export function timelineEventModel(ctx: GqlContext, issue: SimIssue, event: SimTimelineEvent): Model {
  if (event.kind === "commented") return commentModel(ctx, event.comment);
  const typename = TIMELINE_EVENT_TYPES[event.kind];
  const base: Model = {
    __typename: typename,
    id: nodeId(typename, event.id),
    actor: actorModel(ctx, event.actor),
    createdAt: isoSeconds(event.createdAt),
  };
  const subject = (): Model => issueOrPullModel(ctx, issue);
  switch (event.kind) {
    case "labeled":
    case "unlabeled":
      return { ...base, label: () => eventLabel(ctx, issue, event.label.name), labelable: subject };
    case "closed":
      return {
        ...base,
        closable: subject,
        stateReason: upper(event.stateReason),
        closer: () => closerOf(ctx, event.commitId),
      };
    case "reopened":
      return { ...base, closable: subject, stateReason: upper(event.stateReason) };
    case "assigned":
    case "unassigned":
      return { ...base, assignable: subject, assignee: actorModel(ctx, event.assignee) };
    case "locked":
      return { ...base, lockable: subject, lockReason: upper(event.lockReason) };
    case "unlocked":
      return { ...base, lockable: subject };
    case "renamed":
      return { ...base, previousTitle: event.from, currentTitle: event.to, subject };
    case "cross-referenced": {
      const source = event.source;
      const closes =
        source.pullRequest !== null &&
        findIssueReferences(source.body ?? "", source.repo.fullName).some(
          (ref) =>
            ref.closing &&
            ref.fullName.toLowerCase() === issue.repo.fullName.toLowerCase() &&
            ref.number === issue.number,
        );
      const anchor = `ref-${source.pullRequest ? "pullrequest" : "issue"}-${source.id}`;
      const path = `${issue.pullRequest ? "pull" : "issues"}/${issue.number}#${anchor}`;
      return {
        ...base,
        referencedAt: isoSeconds(event.createdAt),
        source: () => issueOrPullModel(ctx, source),
        target: subject,
        isCrossRepository: source.repo !== issue.repo,
        willCloseTarget: closes,
        url: `${ctx.state.urls.html}/${issue.repo.fullName}/${path}`,
        resourcePath: `/${issue.repo.fullName}/${path}`,
      };
    }
  }
}
