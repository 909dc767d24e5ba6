import { SimClock } from "./clock.js";
import { HttpError, NotFoundError } from "./errors.js";
import { IdSequence } from "./ids.js";
import type { AccountType, RoleName, SimComment, SimInstallation, SimIssue, SimRepo, SimUser } from "./types.js";

/** Who the simulated app is. */
export interface AppIdentity {
  id: number;
  slug: string;
  name: string;
  owner: SimUser;
  /** The `<slug>[bot]` account that the app's writes are attributed to. */
  bot: SimUser;
  permissions: Record<string, "read" | "write">;
  events: string[];
}

/** Base URLs used in every `url`/`html_url` field; set when the server starts. */
export interface SimUrls {
  api: string;
  html: string;
}

const ROLE_RANK: Record<RoleName, number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

/** True when `role` grants at least what `minimum` grants. */
export function roleAtLeast(role: RoleName, minimum: RoleName): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[minimum];
}

/** All simulated GitHub data plus the lookups shared by routes, seeding and user actions. */
export class SimState {
  readonly clock = new SimClock();
  readonly installations = new Map<number, SimInstallation>();
  readonly repos = new Map<string, SimRepo>();
  readonly users = new Map<string, SimUser>();
  readonly commentsById = new Map<number, SimComment>();
  readonly ids = {
    user: new IdSequence(1_000_001),
    repo: new IdSequence(500_000_001),
    issue: new IdSequence(2_000_000_001),
    comment: new IdSequence(1_500_000_001),
    label: new IdSequence(4_000_000_001),
    event: new IdSequence(9_000_000_001),
  };
  urls: SimUrls = { api: "http://127.0.0.1/api/v3", html: "http://127.0.0.1" };
  readonly app: AppIdentity;

  constructor(app: { id: number; slug: string; permissions: Record<string, "read" | "write">; events: string[] }) {
    const owner = this.user("github-app-owner", "Organization");
    const bot = this.user(`${app.slug}[bot]`, "Bot");
    this.app = {
      id: app.id,
      slug: app.slug,
      name: app.slug,
      owner,
      bot,
      permissions: app.permissions,
      events: app.events,
    };
  }

  /** The account with this login, created on first use. */
  user(login: string, type: AccountType = "User"): SimUser {
    const key = login.toLowerCase();
    const found = this.users.get(key);
    if (found) return found;
    const created: SimUser = { login, id: this.ids.user.take(), type };
    this.users.set(key, created);
    return created;
  }

  /** The account with this login, if it exists. */
  findUser(login: string): SimUser | undefined {
    return this.users.get(login.toLowerCase());
  }

  /** The repository "owner/name" (case-insensitive), if it exists. */
  findRepo(fullName: string): SimRepo | undefined {
    return this.repos.get(fullName.toLowerCase());
  }

  /** The repository "owner/name"; throws NotFoundError when absent. */
  requireRepo(fullName: string): SimRepo {
    const repo = this.findRepo(fullName);
    if (!repo) throw new NotFoundError();
    return repo;
  }

  /**
   * Issue or pull request `number` of `repo`; throws NotFoundError when absent, and 301 Moved
   * Permanently (Location: the issue's new address) when it was transferred to another repository.
   */
  requireIssue(repo: SimRepo, number: number): SimIssue {
    const issue = repo.issues.get(number);
    if (issue) return issue;
    const moved = repo.transferred.get(number);
    if (moved) {
      const url = `${this.urls.api}/repos/${moved.repo.fullName}/issues/${moved.number}`;
      throw new HttpError(301, "Moved Permanently", { extra: { url }, headers: { location: url } });
    }
    throw new NotFoundError();
  }

  /** The role `login` holds on `repo`: explicit grants first, then ownership, then visibility. */
  roleOf(repo: SimRepo, login: string): RoleName {
    const explicit = repo.roles.get(login.toLowerCase());
    if (explicit) return explicit;
    if (repo.owner.login.toLowerCase() === login.toLowerCase()) return "admin";
    return repo.private ? "none" : "read";
  }

  /** Repositories of one installation, in creation order. */
  reposOf(installationId: number): SimRepo[] {
    return [...this.repos.values()].filter((repo) => repo.installationId === installationId);
  }
}
