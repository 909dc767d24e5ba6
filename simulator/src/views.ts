/** Plain, typed snapshots of simulated objects for test assertions. */
import type { SimComment, SimIssue, SimLabel, SimTimelineEvent, StateReason } from "./types.js";

/** An issue or pull request as tests inspect it. */
export interface IssueView {
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  stateReason: StateReason | null;
  labels: string[];
  assignees: string[];
  user: string;
  locked: boolean;
  isPullRequest: boolean;
  merged: boolean;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  commentCount: number;
}

/** A comment as tests inspect it. */
export interface CommentView {
  id: number;
  issueNumber: number;
  body: string;
  user: string;
  /** Written by the app (carries performed_via_github_app). */
  viaApp: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A repository label as tests inspect it. */
export interface LabelView {
  name: string;
  color: string;
  description: string | null;
}

/** A timeline entry as tests inspect it. */
export interface TimelineView {
  event: SimTimelineEvent["kind"];
  actor: string;
  createdAt: Date;
  /** Label name, assignee login, comment body or "owner/repo#N" of a cross-reference source. */
  detail: string | null;
}

/** Snapshot of an issue. */
export function issueView(issue: SimIssue): IssueView {
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    stateReason: issue.stateReason,
    labels: issue.labels.map((label) => label.name),
    assignees: issue.assignees.map((user) => user.login),
    user: issue.user.login,
    locked: issue.locked,
    isPullRequest: issue.pullRequest !== null,
    merged: issue.pullRequest?.merged ?? false,
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    closedAt: issue.closedAt,
    commentCount: issue.comments.length,
  };
}

/** Snapshot of a comment. */
export function commentView(comment: SimComment): CommentView {
  return {
    id: comment.id,
    issueNumber: comment.issue.number,
    body: comment.body,
    user: comment.user.login,
    viaApp: comment.viaApp,
    createdAt: comment.createdAt,
    updatedAt: comment.updatedAt,
  };
}

/** Snapshot of a label. */
export function labelView(label: SimLabel): LabelView {
  return { name: label.name, color: label.color, description: label.description };
}

/** Snapshot of a timeline entry. */
export function timelineView(event: SimTimelineEvent): TimelineView {
  const base = {
    event: event.kind,
    actor: event.kind === "commented" ? event.comment.user.login : event.actor.login,
    createdAt: event.createdAt,
  };
  switch (event.kind) {
    case "labeled":
    case "unlabeled":
      return { ...base, detail: event.label.name };
    case "assigned":
    case "unassigned":
      return { ...base, detail: event.assignee.login };
    case "commented":
      return { ...base, detail: event.comment.body };
    case "cross-referenced":
      return { ...base, detail: `${event.source.repo.fullName}#${event.source.number}` };
    case "closed":
    case "reopened":
      return { ...base, detail: event.stateReason };
    default:
      return { ...base, detail: null };
  }
}
