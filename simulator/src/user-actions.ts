/**
 * What people do on github.com, for e2e scenarios: each action checks the person's role like
 * GitHub would, changes the state, delivers the resulting webhooks and waits for the app's answers.
 */
import { createComment, deleteComment, editComment } from "./comment-mutations.js";
import { editIssue, mergePullRequest, openIssue, setIssueState } from "./issue-mutations.js";
import { addLabels, removeLabel } from "./label-mutations.js";
import { filesOf, pushToPull, requestCheckSuite } from "./checks.js";
import type { MutationContext } from "./mutation-context.js";
import { roleAtLeast, type SimState } from "./state.js";
import type { RoleName, SimComment, SimIssue, SimRepo, SimUser } from "./types.js";
import { commentView, issueView, labelView, type CommentView, type IssueView, type LabelView } from "./views.js";
import { installationWebhook } from "./webhook-payloads.js";
import type { DeliveryRecord, WebhookDispatcher } from "./webhooks.js";

/** The outcome of a user action. */
export interface ActionResult<T> {
  /** Status of the first webhook delivery (0 when none was sent or the app was unreachable). */
  status: number;
  /** Every delivery the action caused, in order. */
  deliveries: DeliveryRecord[];
  /** The object created or changed. */
  data: T;
}

/** Thrown when the person lacks the role GitHub requires for the action. */
export class PermissionDeniedError extends Error {}

/** Actions of one person; obtained with `sim.user(login)`. */
export class UserActor {
  readonly #state: SimState;
  readonly #dispatcher: WebhookDispatcher;
  readonly #user: SimUser;

  constructor(state: SimState, dispatcher: WebhookDispatcher, login: string) {
    this.#state = state;
    this.#dispatcher = dispatcher;
    this.#user = state.user(login);
  }

  /** Opens an issue. Labels are applied whatever the role, as issue templates do. */
  openIssue(
    repo: string,
    input: { title: string; body?: string; labels?: string[]; assignees?: string[] },
  ): Promise<ActionResult<IssueView>> {
    return this.#act((ctx) => issueView(openIssue(ctx, this.#repo(repo, "read"), input)));
  }

  /** Opens a pull request from `head` (default "feature-N"); closing keywords take effect on merge. */
  openPullRequest(
    repo: string,
    input: { title: string; body?: string; head?: string; base?: string; files?: Record<string, string | null> },
  ): Promise<ActionResult<IssueView>> {
    return this.#act((ctx) => {
      const target = this.#repo(repo, "read");
      const head = input.head ?? `feature-${target.nextNumber}`;
      const number = target.nextNumber;
      // The files are part of the head commit, so they are in place before `opened` is delivered.
      const quiet: MutationContext = { ...ctx, emit: (build) => pending.push(build) };
      const pending: Parameters<MutationContext["emit"]>[0][] = [];
      const pull = openIssue(quiet, target, {
        title: input.title,
        body: input.body ?? null,
        pullRequest: { head, base: input.base },
      });
      for (const [path, text] of Object.entries(input.files ?? {})) filesOf(pull).set(path, text);
      // Pushing the branch came first: its check suite, with no pull request yet.
      if (input.files) requestCheckSuite(ctx, pull, target.defaultBranch, []);
      for (const build of pending) ctx.emit(build);
      return issueView(target.issues.get(number) ?? pull);
    });
  }

  /** Pushes a commit to a pull request's branch (needs write): files change, `pull_request.synchronize`. */
  pushToPullRequest(
    repo: string,
    number: number,
    files: Record<string, string | null>,
  ): Promise<ActionResult<IssueView>> {
    return this.#act((ctx) => {
      const pull = this.#issue(repo, number, "write");
      pushToPull(ctx, pull, files);
      return issueView(pull);
    });
  }

  /** Adds labels (needs triage). */
  addLabels(repo: string, number: number, names: string[]): Promise<ActionResult<LabelView[]>> {
    return this.#act((ctx) => {
      const issue = this.#issue(repo, number, "triage");
      addLabels(ctx, issue, names);
      return issue.labels.map(labelView);
    });
  }

  /** Removes a label (needs triage); rejects when the issue does not carry it. */
  removeLabel(repo: string, number: number, name: string): Promise<ActionResult<LabelView[]>> {
    return this.#act((ctx) => {
      const issue = this.#issue(repo, number, "triage");
      removeLabel(ctx, issue, name);
      return issue.labels.map(labelView);
    });
  }

  /** Comments (needs read). */
  comment(repo: string, number: number, body: string): Promise<ActionResult<CommentView>> {
    return this.#act((ctx) => commentView(createComment(ctx, this.#issue(repo, number, "read"), body)));
  }

  /** Edits a comment (its author, or write). */
  editComment(repo: string, commentId: number, body: string): Promise<ActionResult<CommentView>> {
    return this.#act((ctx) => {
      const comment = this.#comment(repo, commentId);
      editComment(ctx, comment, body);
      return commentView(comment);
    });
  }

  /** Deletes a comment (its author, or write). */
  deleteComment(repo: string, commentId: number): Promise<ActionResult<CommentView>> {
    return this.#act((ctx) => {
      const comment = this.#comment(repo, commentId);
      deleteComment(ctx, comment);
      return commentView(comment);
    });
  }

  /** Edits the issue body (its author, or write). */
  editBody(repo: string, number: number, body: string): Promise<ActionResult<IssueView>> {
    return this.#act((ctx) => {
      const issue = this.#ownIssueOr(repo, number, "write", "edit");
      editIssue(ctx, issue, { body });
      return issueView(issue);
    });
  }

  /** Edits the issue title (its author, or write). */
  editTitle(repo: string, number: number, title: string): Promise<ActionResult<IssueView>> {
    return this.#act((ctx) => {
      const issue = this.#ownIssueOr(repo, number, "write", "edit");
      editIssue(ctx, issue, { title });
      return issueView(issue);
    });
  }

  /** Closes (its author, or triage); reason defaults to "completed". */
  close(
    repo: string,
    number: number,
    options: { reason?: "completed" | "not_planned" } = {},
  ): Promise<ActionResult<IssueView>> {
    return this.#act((ctx) => {
      const issue = this.#ownIssueOr(repo, number, "triage", "close");
      setIssueState(ctx, issue, { state: "closed", reason: options.reason ?? "completed" });
      return issueView(issue);
    });
  }

  /** Reopens (its author, or triage). */
  reopen(repo: string, number: number): Promise<ActionResult<IssueView>> {
    return this.#act((ctx) => {
      const issue = this.#ownIssueOr(repo, number, "triage", "reopen");
      setIssueState(ctx, issue, { state: "open" });
      return issueView(issue);
    });
  }

  /** Merges a pull request (needs write): pull_request.closed, then issues.closed for each "Fixes #N". */
  mergePullRequest(repo: string, number: number): Promise<ActionResult<IssueView>> {
    return this.#act((ctx) => {
      const pull = this.#issue(repo, number, "write");
      mergePullRequest(ctx, pull);
      return issueView(pull);
    });
  }

  /** Sends `installation.created` for an installation seeded with `sim.seed.installation`. */
  installApp(installationId: number): Promise<ActionResult<null>> {
    return this.#act((ctx) => {
      const installation = this.#state.installations.get(installationId);
      if (!installation) throw new Error(`seed installation ${installationId} first`);
      ctx.emit(() => installationWebhook(this.#state, "created", installation, this.#user));
      return null;
    });
  }

  /** Runs `change` (its throws become rejections), then waits for the deliveries it caused. */
  async #act<T>(change: (ctx: MutationContext) => T): Promise<ActionResult<T>> {
    const pending: Array<Promise<DeliveryRecord>> = [];
    const ctx: MutationContext = {
      state: this.#state,
      actor: this.#user,
      viaApp: false,
      emit: (build) => {
        const delivery = this.#dispatcher.enqueue(build);
        if (delivery) pending.push(delivery);
      },
    };
    const data = change(ctx);
    const deliveries = await Promise.all(pending);
    return { status: deliveries[0]?.status ?? 0, deliveries, data };
  }

  #repo(fullName: string, minimum: RoleName): SimRepo {
    const repo = this.#state.findRepo(fullName);
    if (!repo) throw new Error(`no repository ${fullName}`);
    const role = this.#state.roleOf(repo, this.#user.login);
    if (!roleAtLeast(role, minimum)) {
      throw new PermissionDeniedError(
        `${this.#user.login} has role "${role}" on ${fullName}; GitHub requires ${minimum}`,
      );
    }
    return repo;
  }

  #issue(fullName: string, number: number, minimum: RoleName): SimIssue {
    const issue = this.#repo(fullName, minimum).issues.get(number);
    if (!issue) throw new Error(`no issue ${fullName}#${number}`);
    return issue;
  }

  #ownIssueOr(fullName: string, number: number, minimum: RoleName, verb: string): SimIssue {
    const issue = this.#issue(fullName, number, "read");
    this.#requireAuthorOr(issue.user, issue.repo, minimum, `${verb} ${fullName}#${number}`);
    return issue;
  }

  #comment(fullName: string, commentId: number): SimComment {
    const repo = this.#repo(fullName, "read");
    const comment = this.#state.commentsById.get(commentId);
    if (!comment || comment.issue.repo !== repo) throw new Error(`no comment ${commentId} in ${fullName}`);
    this.#requireAuthorOr(comment.user, repo, "write", `change comment ${commentId}`);
    return comment;
  }

  #requireAuthorOr(author: SimUser, repo: SimRepo, minimum: RoleName, what: string): void {
    if (author === this.#user) return;
    const role = this.#state.roleOf(repo, this.#user.login);
    if (!roleAtLeast(role, minimum))
      throw new PermissionDeniedError(
        `${this.#user.login} (role "${role}") may not ${what}; GitHub requires ${minimum}`,
      );
  }
}
