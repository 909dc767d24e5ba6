/** Issues and pull requests: opening, editing, closing, assignees, locking, merging. */
import { HttpError } from "./errors.js";
import { fakeSha } from "./ids.js";
import { userJson } from "./payloads.js";
import { addLabels } from "./label-mutations.js";
import { nowOf, recordTimeline, touch, type MutationContext } from "./mutation-context.js";
import { findIssueReferences } from "./references.js";
import { issueWebhook } from "./webhook-payloads.js";
import type { JsonObject, PendingWebhook, SimIssue, SimRepo, SimUser, StateReason } from "./types.js";

/** What a new issue or pull request starts with. */
export interface NewIssue {
  title: string;
  body?: string | null;
  labels?: string[];
  assignees?: string[];
  /** Makes it a pull request from branch `head` into `base` (default: the default branch). */
  pullRequest?: { head: string; base?: string; draft?: boolean };
}

/** Opens an issue or pull request: `opened`, then one `labeled` per label and `assigned` per assignee. */
export function openIssue(ctx: MutationContext, repo: SimRepo, input: NewIssue): SimIssue {
  const at = nowOf(ctx);
  const number = repo.nextNumber++;
  const issue: SimIssue = {
    id: ctx.state.ids.issue.take(),
    repo,
    number,
    title: input.title,
    body: input.body ?? null,
    state: "open",
    stateReason: null,
    labels: [],
    assignees: [],
    user: ctx.actor,
    viaApp: ctx.viaApp,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    closedBy: null,
    locked: false,
    activeLockReason: null,
    pullRequest: input.pullRequest
      ? {
          head: input.pullRequest.head,
          base: input.pullRequest.base ?? repo.defaultBranch,
          draft: input.pullRequest.draft ?? false,
          merged: false,
          mergedAt: null,
          mergedBy: null,
          mergeCommitSha: null,
          headSha: fakeSha(`${repo.fullName}#${number}:${input.pullRequest.head}`),
        }
      : null,
    comments: [],
    timeline: [],
  };
  repo.issues.set(number, issue);
  // GitHub's `opened` payload already lists the labels and assignees set at creation; the
  // `labeled`/`assigned` deliveries follow it.
  const followUps: Array<() => PendingWebhook> = [];
  const quiet: MutationContext = { ...ctx, emit: (build) => followUps.push(build) };
  addLabels(quiet, issue, input.labels ?? []);
  addAssignees(quiet, issue, input.assignees ?? []);
  ctx.emit(() => issueWebhook(ctx.state, "opened", issue, ctx.actor));
  for (const build of followUps) ctx.emit(build);
  recordCrossReferences(ctx, issue, issue.body ?? "");
  return issue;
}

/** Changes title and/or body: one `edited` webhook with GitHub's `changes` ({ title: { from } }...). */
export function editIssue(
  ctx: MutationContext,
  issue: SimIssue,
  patch: { title?: string; body?: string | null },
): void {
  const changes: JsonObject = {};
  if (patch.title !== undefined && patch.title !== issue.title) {
    changes.title = { from: issue.title };
    recordTimeline(ctx, issue, { kind: "renamed", from: issue.title, to: patch.title });
    issue.title = patch.title;
  }
  if (patch.body !== undefined && patch.body !== issue.body) {
    changes.body = { from: issue.body ?? "" };
    issue.body = patch.body;
    recordCrossReferences(ctx, issue, issue.body ?? "");
  }
  if (Object.keys(changes).length === 0) return;
  touch(ctx, issue);
  ctx.emit(() => issueWebhook(ctx.state, "edited", issue, ctx.actor, { changes }));
}

/**
 * Closes (reason default `completed`) or reopens (reason `reopened`). No-op when already in that
 * state, except that a closed issue's reason can change. `commitId` marks closing by a merge.
 */
export function setIssueState(
  ctx: MutationContext,
  issue: SimIssue,
  input: { state: "open" | "closed"; reason?: StateReason | null; commitId?: string },
): void {
  if (input.state === issue.state) {
    if (input.state === "closed" && input.reason && input.reason !== issue.stateReason)
      issue.stateReason = input.reason;
    return;
  }
  const at = nowOf(ctx);
  if (input.state === "closed") {
    issue.state = "closed";
    issue.stateReason = issue.pullRequest ? null : (input.reason ?? "completed");
    issue.closedAt = at;
    issue.closedBy = ctx.actor;
    recordTimeline(ctx, issue, { kind: "closed", stateReason: issue.stateReason, commitId: input.commitId ?? null });
    ctx.emit(() => issueWebhook(ctx.state, "closed", issue, ctx.actor));
  } else {
    issue.state = "open";
    issue.stateReason = issue.pullRequest ? null : "reopened";
    issue.closedAt = null;
    recordTimeline(ctx, issue, { kind: "reopened", stateReason: issue.stateReason, commitId: null });
    ctx.emit(() => issueWebhook(ctx.state, "reopened", issue, ctx.actor));
  }
}

function assignable(ctx: MutationContext, issue: SimIssue, login: string): SimUser | undefined {
  const user = ctx.state.findUser(login);
  if (!user || user.type !== "User") return undefined;
  const hasAccess = ctx.state.roleOf(issue.repo, login) !== "none";
  const participated = issue.user === user || issue.comments.some((comment) => comment.user === user);
  return hasAccess || participated ? user : undefined;
}

/** Adds assignees; like GitHub, logins that cannot be assigned are dropped silently. */
export function addAssignees(ctx: MutationContext, issue: SimIssue, logins: string[]): void {
  for (const login of logins) {
    const user = assignable(ctx, issue, login);
    if (!user || issue.assignees.includes(user) || issue.assignees.length >= 10) continue;
    issue.assignees.push(user);
    recordTimeline(ctx, issue, { kind: "assigned", assignee: user });
    ctx.emit(() => issueWebhook(ctx.state, "assigned", issue, ctx.actor, { assignee: userJson(ctx.state.urls, user) }));
  }
}

/** Removes assignees (logins not assigned are ignored). */
export function removeAssignees(ctx: MutationContext, issue: SimIssue, logins: string[]): void {
  const wanted = new Set(logins.map((login) => login.toLowerCase()));
  for (const user of [...issue.assignees]) {
    if (!wanted.has(user.login.toLowerCase())) continue;
    issue.assignees = issue.assignees.filter((assignee) => assignee !== user);
    recordTimeline(ctx, issue, { kind: "unassigned", assignee: user });
    ctx.emit(() =>
      issueWebhook(ctx.state, "unassigned", issue, ctx.actor, { assignee: userJson(ctx.state.urls, user) }),
    );
  }
}

/** Replaces the assignees. */
export function setAssignees(ctx: MutationContext, issue: SimIssue, logins: string[]): void {
  const wanted = new Set(logins.map((login) => login.toLowerCase()));
  removeAssignees(
    ctx,
    issue,
    issue.assignees.filter((user) => !wanted.has(user.login.toLowerCase())).map((user) => user.login),
  );
  addAssignees(ctx, issue, logins);
}

/** Locks or unlocks the conversation. */
export function setLocked(ctx: MutationContext, issue: SimIssue, locked: boolean, reason: string | null = null): void {
  if (issue.locked === locked) return;
  issue.locked = locked;
  issue.activeLockReason = locked ? reason : null;
  recordTimeline(ctx, issue, { kind: locked ? "locked" : "unlocked", lockReason: reason });
  ctx.emit(() => issueWebhook(ctx.state, locked ? "locked" : "unlocked", issue, ctx.actor));
}

/**
 * Records `cross-referenced` on every other existing issue that `text` (written on `source`)
 * mentions, once per source, as GitHub does for bodies and comments.
 */
export function recordCrossReferences(ctx: MutationContext, source: SimIssue, text: string): void {
  for (const ref of findIssueReferences(text, source.repo.fullName)) {
    const target = ctx.state.findRepo(ref.fullName)?.issues.get(ref.number);
    if (!target || target === source) continue;
    if (target.timeline.some((event) => event.kind === "cross-referenced" && event.source === source)) continue;
    target.timeline.push({
      kind: "cross-referenced",
      source,
      id: ctx.state.ids.event.take(),
      actor: ctx.actor,
      viaApp: ctx.viaApp,
      createdAt: nowOf(ctx),
    });
  }
}

/**
 * Merges an open pull request: `pull_request.closed` with `merged: true`, then closes (reason
 * `completed`) every open issue its body names with a closing keyword ("Fixes #12").
 * Returns the merge commit sha. 405 when it is not mergeable.
 */
export function mergePullRequest(ctx: MutationContext, pull: SimIssue): string {
  const pr = pull.pullRequest;
  if (!pr) throw new HttpError(404, "Not Found");
  if (pr.merged || pull.state !== "open") throw new HttpError(405, "Pull Request is not mergeable");
  const at = nowOf(ctx);
  const sha = fakeSha(`merge:${pull.repo.fullName}#${pull.number}:${at.toISOString()}`);
  Object.assign(pr, { merged: true, mergedAt: at, mergedBy: ctx.actor, mergeCommitSha: sha });
  setIssueState(ctx, pull, { state: "closed" });
  for (const ref of findIssueReferences(pull.body ?? "", pull.repo.fullName)) {
    if (!ref.closing) continue;
    const target = ctx.state.findRepo(ref.fullName)?.issues.get(ref.number);
    if (!target || target.pullRequest || target.state !== "open") continue;
    setIssueState(ctx, target, { state: "closed", reason: "completed", commitId: sha });
  }
  return sha;
}
