/** Issue and pull-request comments. */
import { recordCrossReferences } from "./issue-mutations.js";
import { nowOf, recordTimeline, touch, type MutationContext } from "./mutation-context.js";
import { issueCommentWebhook } from "./webhook-payloads.js";
import type { SimComment, SimIssue } from "./types.js";

/** Adds a comment: `commented` on the timeline, cross-references, `issue_comment.created`. */
export function createComment(ctx: MutationContext, issue: SimIssue, body: string): SimComment {
  const at = nowOf(ctx);
  const comment: SimComment = {
    id: ctx.state.ids.comment.take(),
    issue,
    body,
    user: ctx.actor,
    viaApp: ctx.viaApp,
    createdAt: at,
    updatedAt: at,
  };
  issue.comments.push(comment);
  ctx.state.commentsById.set(comment.id, comment);
  recordTimeline(ctx, issue, { kind: "commented", comment });
  recordCrossReferences(ctx, issue, body);
  ctx.emit(() => issueCommentWebhook(ctx.state, "created", comment, ctx.actor));
  return comment;
}

/** Edits a comment: `issue_comment.edited` with `changes.body.from`. */
export function editComment(ctx: MutationContext, comment: SimComment, body: string): void {
  if (body === comment.body) return;
  const from = comment.body;
  comment.body = body;
  comment.updatedAt = nowOf(ctx);
  touch(ctx, comment.issue);
  recordCrossReferences(ctx, comment.issue, body);
  ctx.emit(() => issueCommentWebhook(ctx.state, "edited", comment, ctx.actor, { changes: { body: { from } } }));
}

/** Deletes a comment (and its timeline entry): `issue_comment.deleted`. */
export function deleteComment(ctx: MutationContext, comment: SimComment): void {
  const issue = comment.issue;
  ctx.emit(() => issueCommentWebhook(ctx.state, "deleted", comment, ctx.actor));
  issue.comments = issue.comments.filter((other) => other !== comment);
  issue.timeline = issue.timeline.filter((event) => !(event.kind === "commented" && event.comment === comment));
  ctx.state.commentsById.delete(comment.id);
  touch(ctx, issue);
}
