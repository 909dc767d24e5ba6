/** Transferring an issue to another repository (GraphQL `transferIssue`; REST has no such operation). */
import { HttpError } from "./errors.js";
import { issueJson } from "./issue-payloads.js";
import { createLabel, findLabel } from "./label-mutations.js";
import { touch, type MutationContext } from "./mutation-context.js";
import { repoJson } from "./payloads.js";
import { issueWebhook } from "./webhook-payloads.js";
import type { SimIssue, SimLabel, SimRepo } from "./types.js";

/**
 * Moves `issue` to `target`, as GitHub does: same owner only, never from a private repository to a
 * public one, not a pull request. The issue gets the next number of `target` and a new id; its
 * comments, timeline and author move with it; labels the target lacks are created when
 * `createLabelsIfMissing`, dropped otherwise; assignees without access to the target are dropped.
 * The old number answers 301 to the new address. Webhooks: `issues.transferred` on the old
 * repository (`changes.new_issue`, `changes.new_repository`), then `issues.opened` on the new one
 * (`changes.old_issue`, `changes.old_repository`).
 */
export function transferIssue(
  ctx: MutationContext,
  issue: SimIssue,
  target: SimRepo,
  options: { createLabelsIfMissing: boolean },
): SimIssue {
  const source = issue.repo;
  if (issue.pullRequest) throw new HttpError(422, "Pull requests cannot be transferred");
  if (target === source) throw new HttpError(422, "The issue is already in this repository");
  if (target.owner !== source.owner)
    throw new HttpError(422, "Issues can only be transferred between repositories of the same owner");
  if (source.private && !target.private)
    throw new HttpError(422, "Issues cannot be transferred from a private repository to a public one");
  const oldIssueJson = issueJson(ctx.state, issue);
  const oldRepoJson = repoJson(ctx.state.urls, source);
  const labels: SimLabel[] = [];
  for (const label of issue.labels) {
    const existing = findLabel(target, label.name);
    if (existing) labels.push(existing);
    else if (options.createLabelsIfMissing)
      labels.push(createLabel(ctx, target, { name: label.name, color: label.color, description: label.description }));
  }
  source.issues.delete(issue.number);
  source.transferred.set(issue.number, issue);
  Object.assign(issue, {
    repo: target,
    number: target.nextNumber++,
    id: ctx.state.ids.issue.take(),
    labels,
    assignees: issue.assignees.filter((user) => ctx.state.roleOf(target, user.login) !== "none"),
  });
  target.issues.set(issue.number, issue);
  touch(ctx, issue);
  const newIssueJson = issueJson(ctx.state, issue);
  // The `transferred` delivery describes the issue as it was, in its old repository.
  const transferred = issueWebhook(ctx.state, "transferred", { ...issue, repo: source }, ctx.actor, {
    // GitHub's deliveries carry the legacy `draft: false` on these issue copies too (@octokit/webhooks-examples).
    changes: { new_issue: { ...newIssueJson, draft: false }, new_repository: repoJson(ctx.state.urls, target) },
  });
  transferred.payload.issue = { ...oldIssueJson, draft: false };
  const opened = issueWebhook(ctx.state, "opened", issue, ctx.actor, {
    changes: { old_issue: { ...oldIssueJson, draft: false }, old_repository: oldRepoJson },
  });
  ctx.emit(() => transferred);
  ctx.emit(() => opened);
  return issue;
}
