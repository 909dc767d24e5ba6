/**
 * A local, stateful GitHub REST API for end-to-end tests of GitHub Apps: the real app process
 * talks to it through GHE_HOST, it validates every request against GitHub's OpenAPI description
 * and sends signed webhooks for what users (and the app itself) do. See docs/SIMULATOR.md.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { TokenStore } from "./auth.js";
import { checkRunsOf, type SimCheckRun } from "./checks.js";
import { FaultInjector, type FaultConfig } from "./faults.js";
import { OAuthStore } from "./oauth.js";
import { OpenApiValidator } from "./openapi-validator.js";
import { branchesOf } from "./git-branches.js";
import {
  countRequests,
  graphqlUsage,
  type GraphqlUsage,
  type RequestCounts,
  type RequestFilter,
  type RequestRecord,
  type Violation,
} from "./request-log.js";
import { buildRouteTable } from "./routes/index.js";
import { Seeder } from "./seed.js";
import { RequestPipeline } from "./server.js";
import { SimState } from "./state.js";
import type { JsonObject, SimIssue, SimRepo } from "./types.js";
import { UserActor } from "./user-actions.js";
import {
  commentView,
  issueView,
  labelView,
  timelineView,
  type CommentView,
  type IssueView,
  type LabelView,
  type TimelineView,
} from "./views.js";
import { WebhookDispatcher, type DeliveryRecord, type WebhookOrdering } from "./webhooks.js";
import { wallNow } from "./clock.js";
import { DEFAULT_POINTS_PER_HOUR, GraphqlBudget } from "./graphql/endpoint.js";
import { PULL_REQUEST_ID_OFFSET } from "./graphql/node-ids.js";
import { nodeId } from "./ids.js";

export { INCIDENT_FORM_FIELDS, incidentFormBody, type IncidentFormAnswers } from "./issue-form.js";
export type { FaultConfig } from "./faults.js";
export type {
  GraphqlRecord,
  GraphqlUsage,
  RequestCounts,
  RequestFilter,
  RequestRecord,
  Violation,
  ViolationKind,
} from "./request-log.js";
export type { DeliveryRecord, WebhookOrdering } from "./webhooks.js";
export type { ActionResult } from "./user-actions.js";
export type { SimCheckRun } from "./checks.js";
export { PermissionDeniedError, UserActor } from "./user-actions.js";
export type { SeedComment, SeedIssue } from "./seed.js";
export type { Seeder } from "./seed.js";
export type { CommentView, IssueView, LabelView, TimelineView } from "./views.js";
export type { JsonObject, RoleName } from "./types.js";

/** Simulator settings. */
export interface GitHubSimulatorOptions {
  appId: number;
  /** Default "incident-keeper"; the bot is `<appSlug>[bot]`. */
  appSlug?: string;
  webhookSecret: string;
  webhookUrl?: string;
  /** App permissions (default issues, pull_requests, checks: write; contents, metadata: read). */
  permissions?: Record<string, "read" | "write">;
  /** Events the app subscribes to; others are not delivered (default: all). */
  events?: string[];
  /** Validate the simulator's own answers against GitHub's response schemas (default false). */
  checkResponses?: boolean;
  /** How long a webhook delivery may take before it counts as failed (default 10 s, like GitHub). */
  webhookTimeoutMs?: number;
  /**
   * "per-repository" (default): a repository's deliveries go out one at a time, each after the app
   * answered the previous one (deterministic tests). "concurrent": each delivery is posted at once,
   * as GitHub does (it promises no order); for load measurements.
   */
  webhookOrdering?: WebhookOrdering;
  /** GraphQL points per installation and hour (default 5,000, GitHub's); past it, RATE_LIMITED. */
  graphqlPointsPerHour?: number;
  /**
   * A network round trip added to every API request, REST and GraphQL (ms, default 0; ~80 is a
   * realistic GitHub round trip): half before the request is processed, half before it is answered.
   */
  latencyMs?: number;
  /** The app's OAuth client secret (GITHUB_CLIENT_SECRET; default "simulated-client-secret"); the client id is the app's `Iv1.` id. */
  clientSecret?: string;
}

/** The simulated app's OAuth client, for GITHUB_CLIENT_ID / GITHUB_CLIENT_SECRET. */
export const DEFAULT_CLIENT_SECRET = "simulated-client-secret";

/** Options of settle(). */
export interface SettleOptions {
  /** How long nothing must happen (default 150 ms). */
  quietMs?: number;
  /** Give up after this long (default 20 s). */
  timeoutMs?: number;
}

const DEFAULT_PERMISSIONS: Record<string, "read" | "write"> = {
  issues: "write",
  pull_requests: "write",
  contents: "read",
  metadata: "read",
  checks: "write",
};
const DEFAULT_EVENTS = ["issues", "issue_comment", "pull_request", "label", "check_suite", "check_run"];

/** The GitHub simulator. */
export class GitHubSimulator {
  /** Every answered request, in order. */
  readonly requests: RequestRecord[] = [];
  /** Every contract violation seen (unknown endpoints, invalid requests...). */
  readonly violations: Violation[] = [];
  /** Direct state setup, without webhooks. */
  readonly seed: Seeder;
  readonly validator: OpenApiValidator;
  readonly #state: SimState;
  readonly #dispatcher: WebhookDispatcher;
  readonly #faults = new FaultInjector();
  readonly #oauth: OAuthStore;
  readonly #latency = { ms: 0 };
  readonly #pipeline: RequestPipeline;
  #server: Server | null = null;
  #baseUrl = "";

  /** What the simulated app's installations grant: its permissions and subscribed events. */
  get grants(): { permissions: Readonly<Record<string, "read" | "write">>; events: readonly string[] } {
    return { permissions: this.#state.app.permissions, events: this.#state.app.events };
  }

  constructor(options: GitHubSimulatorOptions) {
    this.#latency.ms = options.latencyMs ?? 0;
    this.#state = new SimState({
      id: options.appId,
      slug: options.appSlug ?? "incident-keeper",
      permissions: options.permissions ?? DEFAULT_PERMISSIONS,
      events: options.events ?? DEFAULT_EVENTS,
    });
    this.#dispatcher = new WebhookDispatcher({
      secret: options.webhookSecret,
      url: options.webhookUrl,
      timeoutMs: options.webhookTimeoutMs,
      events: options.events,
      ordering: options.webhookOrdering,
    });
    this.validator = new OpenApiValidator();
    this.#oauth = new OAuthStore(options.appId, options.clientSecret ?? DEFAULT_CLIENT_SECRET);
    this.seed = new Seeder(this.#state);
    this.#pipeline = new RequestPipeline({
      state: this.#state,
      validator: this.validator,
      routes: buildRouteTable(),
      tokens: new TokenStore(options.appId),
      oauth: this.#oauth,
      faults: this.#faults,
      dispatcher: this.#dispatcher,
      requests: this.requests,
      violations: this.violations,
      checkResponses: options.checkResponses ?? false,
      graphqlBudget: new GraphqlBudget(options.graphqlPointsPerHour ?? DEFAULT_POINTS_PER_HOUR),
      latency: this.#latency,
    });
  }

  /** Listens on 127.0.0.1 on a free port; point the app at it with GHE_HOST=<host:port> GHE_PROTOCOL=http. */
  async start(): Promise<{ baseUrl: string; port: number; apiUrl: string }> {
    if (this.#server) throw new Error("simulator already started");
    const server = createServer((req, res) => {
      void this.#pipeline.handle(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    this.#server = server;
    const { port } = server.address() as AddressInfo;
    this.#baseUrl = `http://127.0.0.1:${port}`;
    this.#state.urls = { api: `${this.#baseUrl}/api/v3`, html: this.#baseUrl };
    return { baseUrl: this.#baseUrl, port, apiUrl: `${this.#baseUrl}/api/v3` };
  }

  /** Stops listening and drops open connections. */
  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** `http://127.0.0.1:PORT` once started. */
  get baseUrl(): string {
    return this.#baseUrl;
  }

  /** The app's bot login, e.g. "incident-keeper[bot]". */
  get botLogin(): string {
    return this.#state.app.bot.login;
  }

  /** Where webhooks go (e.g. http://127.0.0.1:3000/api/github/webhooks); undefined stops deliveries. */
  setWebhookUrl(url: string | undefined): void {
    this.#dispatcher.url = url;
  }

  /** The simulated time (real time until setTime). */
  now(): Date {
    return this.#state.clock.now();
  }

  /** Freezes the simulated clock at `date` (null: back to real time). */
  setTime(date: Date | string | null): void {
    this.#state.clock.set(date === null ? null : new Date(date));
  }

  /** Moves the (then frozen) simulated clock forward. */
  advanceTime(ms: number): void {
    this.#state.clock.advance(ms);
  }

  /** The app's OAuth client: GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET of the app process. */
  get oauthClient(): { clientId: string; clientSecret: string } {
    return { clientId: this.#oauth.clientId, clientSecret: this.#oauth.clientSecret };
  }

  /**
   * Who is signed in to the simulated github.com in "the browser": `GET /login/oauth/authorize`
   * authorizes the app for this person (null: nobody; the page answers 401). The person must exist
   * (seeded or acting); their access is their repository roles.
   */
  signInBrowser(login: string | null): void {
    this.#oauth.browserUser = login;
  }

  /** The callback URL registered in the app's settings (null: any http(s) redirect_uri). */
  setOAuthCallbackUrl(url: string | null): void {
    this.#oauth.callbackUrl = url;
  }

  /** Actions performed by the person `login` (created on first use), each delivering its webhooks. */
  user(login: string): UserActor {
    return new UserActor(this.#state, this.#dispatcher, login);
  }

  /** Sends a raw delivery (optionally with a forged signature); resolves to the receiver's status. */
  async deliver(event: string, payload: JsonObject, options: { signature?: string } = {}): Promise<number> {
    const record = await this.#dispatcher.send(event, payload, options);
    return record.status;
  }

  /** Every webhook delivery so far. */
  get deliveries(): DeliveryRecord[] {
    return this.#dispatcher.deliveries;
  }

  /** Resolves once no request or delivery is in flight and nothing happened for `quietMs`. */
  async settle(options: SettleOptions = {}): Promise<void> {
    const quietMs = options.quietMs ?? 150;
    const timeoutMs = options.timeoutMs ?? 20_000;
    const deadline = wallNow() + timeoutMs;
    for (;;) {
      const busy = this.#pipeline.inFlight > 0 || this.#dispatcher.pending > 0;
      const quietFor = wallNow() - Math.max(this.#pipeline.lastActivityAt, this.#dispatcher.lastActivityAt);
      if (!busy && quietFor >= quietMs) return;
      if (wallNow() > deadline) {
        throw new Error(
          `settle: still busy after ${timeoutMs} ms (${this.#pipeline.inFlight} requests, ${this.#dispatcher.pending} deliveries in flight)`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, busy ? 10 : Math.max(5, Math.min(quietMs - quietFor, 50))));
    }
  }

  /**
   * Request counts matching `filter` (`api: "rest" | "graphql"` to split them). Reads are GETs and
   * GraphQL queries, writes everything else (GraphQL mutations included).
   */
  countRequests(filter?: RequestFilter): RequestCounts {
    return countRequests(this.requests, filter);
  }

  /** GraphQL requests matching `filter`: queries, mutations, points charged, rejected ones. */
  graphqlUsage(filter?: RequestFilter): GraphqlUsage {
    return graphqlUsage(this.requests, filter);
  }

  /** Empties the request, violation and delivery logs (state is kept). */
  clearLogs(): void {
    this.requests.length = 0;
    this.violations.length = 0;
    this.#dispatcher.deliveries.length = 0;
  }

  /** The round trip added to every API request (ms). */
  get latencyMs(): number {
    return this.#latency.ms;
  }

  /** Sets the round trip added to every API request (ms; 0 = none). */
  set latencyMs(ms: number) {
    this.#latency.ms = Math.max(0, ms);
  }

  /** Current fault injection settings. */
  get faults(): FaultConfig {
    return this.#faults.config;
  }

  /** Sets fault injection (restarts the seeded PRNG); `{}` turns faults off. */
  set faults(config: FaultConfig) {
    this.#faults.configure(config);
  }

  /** Snapshot of an issue or pull request. */
  issue(repo: string, number: number): IssueView {
    return issueView(this.#issue(repo, number));
  }

  /** The node id of an issue or pull request (REST's `node_id`, GraphQL's `id`). */
  nodeId(repo: string, number: number): string {
    const issue = this.#issue(repo, number);
    return issue.pullRequest ? nodeId("PullRequest", issue.id + PULL_REQUEST_ID_OFFSET) : nodeId("Issue", issue.id);
  }

  /** Snapshots of every issue and pull request of a repository, by number. */
  issues(repo: string): IssueView[] {
    return [...this.#repo(repo).issues.values()].map(issueView);
  }

  /** Snapshots of an issue's comments, oldest first. */
  comments(repo: string, number: number): CommentView[] {
    return this.#issue(repo, number).comments.map(commentView);
  }

  /** The check runs on a repository's commits, oldest first (live objects: read, don't change). */
  checkRuns(repo: string): readonly SimCheckRun[] {
    return checkRunsOf(this.#repo(repo));
  }

  /** Snapshots of a repository's labels. */
  labels(repo: string): LabelView[] {
    return [...this.#repo(repo).labels.values()].map(labelView);
  }

  /** Snapshots of an issue's timeline. */
  timeline(repo: string, number: number): TimelineView[] {
    return this.#issue(repo, number).timeline.map(timelineView);
  }

  /** Text of a file on the default branch, if present. */
  file(repo: string, path: string): string | undefined {
    return this.#repo(repo).files.get(path.replace(/^\/+/, ""));
  }

  /** The repository's branches (name -> head sha, files), the default branch among them. */
  branches(repo: string): Map<string, { sha: string; files: ReadonlyMap<string, string> }> {
    return new Map(
      [...branchesOf(this.#repo(repo))].map(([name, b]) => [name, { sha: b.sha, files: new Map(b.files) }]),
    );
  }

  /** A pull request's head branch, base branch and draft flag (undefined for an issue). */
  pullRequest(repo: string, number: number): { head: string; base: string; draft: boolean } | undefined {
    const pr = this.#issue(repo, number).pullRequest;
    return pr ? { head: pr.head, base: pr.base, draft: pr.draft } : undefined;
  }

  #repo(fullName: string): SimRepo {
    const repo = this.#state.findRepo(fullName);
    if (!repo) throw new Error(`no repository ${fullName}`);
    return repo;
  }

  #issue(fullName: string, number: number): SimIssue {
    const issue = this.#repo(fullName).issues.get(number);
    if (!issue) throw new Error(`no issue ${fullName}#${number}`);
    return issue;
  }
}
