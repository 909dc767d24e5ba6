/** Fast setup without webhooks: installations, repositories, files, roles, labels, issues, comments. */
import { createComment } from "./comment-mutations.js";
import { NotFoundError } from "./errors.js";
import { openIssue, setIssueState } from "./issue-mutations.js";
import { createLabel, findLabel } from "./label-mutations.js";
import type { MutationContext } from "./mutation-context.js";
import type { SimState } from "./state.js";
import type { RoleName, SimRepo, StateReason } from "./types.js";

/** A seeded issue or pull request. */
export interface SeedIssue {
  title: string;
  body?: string | null;
  labels?: string[];
  assignees?: string[];
  /** Author login (default "octocat"). */
  user?: string;
  /** Written by the app's bot instead of `user`. */
  viaApp?: boolean;
  createdAt?: Date | string;
  state?: "open" | "closed";
  stateReason?: StateReason;
  closedAt?: Date | string;
  /** Seed a pull request from this head branch. */
  pullRequest?: { head: string; base?: string; draft?: boolean };
}

/** A seeded comment. */
export interface SeedComment {
  body: string;
  user?: string;
  viaApp?: boolean;
  createdAt?: Date | string;
}

function toDate(value: Date | string | undefined): Date | undefined {
  return value === undefined ? undefined : new Date(value);
}

/** Writes state directly; no webhooks are sent. */
export class Seeder {
  readonly #state: SimState;

  constructor(state: SimState) {
    this.#state = state;
  }

  /** An installation of the app on `account` (created as an organisation or user). */
  installation(input: { id: number; account: string; type?: "Organization" | "User" }): void {
    const account = this.#state.user(input.account, input.type ?? "Organization");
    this.#state.installations.set(input.id, { id: input.id, account, createdAt: this.#state.clock.now() });
  }

  /** A repository "owner/name"; private unless said otherwise, default branch "main". */
  repo(
    fullName: string,
    options: { installationId?: number | null; private?: boolean; defaultBranch?: string } = {},
  ): void {
    const [ownerLogin, name] = fullName.split("/");
    if (!ownerLogin || !name) throw new Error(`repository must be "owner/name", got "${fullName}"`);
    const installation =
      options.installationId != null ? this.#state.installations.get(options.installationId) : undefined;
    if (options.installationId != null && !installation)
      throw new Error(`seed installation ${options.installationId} before its repositories`);
    const ownerType =
      installation?.account.login.toLowerCase() === ownerLogin.toLowerCase() ? installation.account.type : "User";
    const repo: SimRepo = {
      id: this.#state.ids.repo.take(),
      owner: this.#state.user(ownerLogin, ownerType),
      name,
      fullName: `${ownerLogin}/${name}`,
      private: options.private ?? true,
      defaultBranch: options.defaultBranch ?? "main",
      installationId: options.installationId ?? null,
      createdAt: this.#state.clock.now(),
      files: new Map(),
      labels: new Map(),
      issues: new Map(),
      nextNumber: 1,
      transferred: new Map(),
      roles: new Map(),
    };
    this.#state.repos.set(repo.fullName.toLowerCase(), repo);
  }

  /** A file on the default branch (e.g. ".github/incident-keeper.yml"). */
  file(repo: string, path: string, text: string): void {
    this.#repo(repo).files.set(path.replace(/^\/+/, ""), text);
  }

  /** Removes a file. */
  removeFile(repo: string, path: string): void {
    this.#repo(repo).files.delete(path.replace(/^\/+/, ""));
  }

  /** Grants `login` a role on `repo` (creating the user). */
  permission(repo: string, login: string, role: RoleName): void {
    this.#state.user(login);
    this.#repo(repo).roles.set(login.toLowerCase(), role);
  }

  /** A repository label (no-op when it exists). */
  label(repo: string, input: { name: string; color?: string; description?: string | null }): void {
    const target = this.#repo(repo);
    if (!findLabel(target, input.name)) createLabel(this.#context(undefined), target, input);
  }

  /** An issue (or pull request) with its history: labeled/closed timeline entries at its dates. Returns its number. */
  issue(repo: string, input: SeedIssue): number {
    const target = this.#repo(repo);
    const createdAt = toDate(input.createdAt);
    const ctx = this.#context(input.viaApp ? undefined : (input.user ?? "octocat"), createdAt);
    const issue = openIssue(ctx, target, {
      title: input.title,
      body: input.body ?? null,
      labels: input.labels,
      assignees: [],
      pullRequest: input.pullRequest,
    });
    for (const login of input.assignees ?? []) {
      const user = this.#state.user(login);
      if (!issue.assignees.includes(user)) issue.assignees.push(user);
    }
    if (input.state === "closed") {
      const closedAt = toDate(input.closedAt) ?? createdAt;
      setIssueState({ ...ctx, at: closedAt }, issue, { state: "closed", reason: input.stateReason ?? "completed" });
    }
    return issue.number;
  }

  /** A comment on an existing issue. Returns the comment id. */
  comment(repo: string, issueNumber: number, input: SeedComment): number {
    const target = this.#repo(repo);
    const issue = target.issues.get(issueNumber);
    if (!issue) throw new NotFoundError(`no issue ${repo}#${issueNumber}`);
    const ctx = this.#context(input.viaApp ? undefined : (input.user ?? "octocat"), toDate(input.createdAt));
    return createComment(ctx, issue, input.body).id;
  }

  #repo(fullName: string): SimRepo {
    const repo = this.#state.findRepo(fullName);
    if (!repo) throw new Error(`seed the repository ${fullName} first`);
    return repo;
  }

  /** A context that writes as `login` (or the app's bot when undefined) and sends nothing. */
  #context(login: string | undefined, at?: Date): MutationContext {
    const actor = login === undefined ? this.#state.app.bot : this.#state.user(login);
    return { state: this.#state, actor, viaApp: login === undefined, emit: () => undefined, ...(at ? { at } : {}) };
  }
}
