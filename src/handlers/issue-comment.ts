/**
 * `issue_comment.created`: slash commands on an incident. Bots (this app included) are ignored, and a
 * comment without a command costs no API call. Who may run what is decided in the core.
 */
import type { Probot } from "probot";
import { parseCommands } from "../core/commands.js";
import { toIssueSnapshot } from "../github/gateway.js";
import { reconcile } from "../reconcile/reconcile.js";
import type { Services } from "../reconcile/services.js";
import { eventScope } from "./event-scope.js";

export function registerIssueComment(app: Probot, services: Services): void {
  app.on("issue_comment.created", async (context) => {
    const { comment, issue: rawIssue, sender } = context.payload;
    if (comment.user?.type === "Bot" || sender.type === "Bot") return;
    if (rawIssue.pull_request) return;
    const parsed = parseCommands(comment.body ?? "");
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
      commentAt: comment.created_at,
    });
  });
}
