/**
 * `issue_comment.edited` / `issue_comment.deleted` of a comment holding a `/timeline` note (issue #14):
 * the note's entry follows the comment (edited or removed). A comment that never mentioned
 * `/timeline` costs no API call; the core changes only entries made by that comment.
 */
import type { Probot } from "probot";
import { toIssueSnapshot } from "../github/gateway.js";
import { reconcile } from "../reconcile/reconcile.js";
import type { Services } from "../reconcile/services.js";
import { eventScope } from "./event-scope.js";

const TIMELINE = /\/timeline(?![a-z-])/i;

export function registerTimelineNotes(app: Probot, services: Services): void {
  app.on(["issue_comment.edited", "issue_comment.deleted"], async (context) => {
    const { comment, issue: rawIssue, sender } = context.payload;
    if (comment.user?.type === "Bot" || sender.type === "Bot") return;
    if (rawIssue.pull_request) return;
    const deleted = context.payload.action === "deleted";
    const before = "changes" in context.payload ? context.payload.changes.body?.from : undefined;
    const now = comment.body ?? "";
    if (!TIMELINE.test(now) && !(typeof before === "string" && TIMELINE.test(before))) return;
    const scope = await eventScope(context, services);
    const issue = toIssueSnapshot(rawIssue);
    await reconcile(services, scope.target(issue), {
      kind: "timeline-note",
      commentId: comment.id,
      body: deleted ? null : now,
      login: comment.user?.login ?? "",
      commentAt: comment.created_at,
      updatedAt: comment.updated_at,
    });
  });
}
