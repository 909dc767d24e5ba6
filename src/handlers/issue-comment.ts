/**
 * `issue_comment.created` and `.edited`: slash commands on an incident. Bots (this app included) are
 * ignored, and a comment without a command costs no API call. An edit applies only the commands that
 * are new in its text (the payload's `changes.body.from` is what it said before). Who may run what is
 * decided in the core.
 */
import type { Probot } from "probot";
import { newInEdit, parseCommands } from "../core/commands.js";
import { toIssueSnapshot } from "../github/gateway.js";
import { reconcile } from "../reconcile/reconcile.js";
import type { Services } from "../reconcile/services.js";
import { eventScope } from "./event-scope.js";

export function registerIssueComment(app: Probot, services: Services): void {
  app.on(["issue_comment.created", "issue_comment.edited"], async (context) => {
    const { comment, issue: rawIssue, sender } = context.payload;
    if (comment.user?.type === "Bot" || sender.type === "Bot") return;
    if (rawIssue.pull_request) return;
    const body = comment.body ?? "";
    const edited = context.payload.action === "edited";
    const from = edited && "changes" in context.payload ? context.payload.changes.body?.from : undefined;
    // An edit that does not say what was there before: nothing to compare with, nothing applied.
    if (edited && typeof from !== "string") return;
    const parsed = typeof from === "string" ? newInEdit(from, body) : parseCommands(body);
    if (parsed.commands.length === 0 && parsed.errors.length === 0) return; // most comments: zero API calls
    const scope = await eventScope(context, services);
    const issue = toIssueSnapshot(rawIssue);
    await reconcile(services, scope.target(issue), {
      kind: "command",
      issue,
      commands: parsed.commands,
      errors: parsed.errors,
      login: comment.user?.login ?? "",
      commentId: comment.id,
      // An edit says its new commands when it is saved.
      commentAt: edited ? comment.updated_at : comment.created_at,
      ...(edited ? { edit: { createdAt: comment.created_at } } : {}),
    });
  });
}
