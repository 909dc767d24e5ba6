/**
 * The request pipeline: prefix handling, operation matching, authentication, app permissions,
 * fault injection, OpenAPI validation, the route, and the request log.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Credentials, TokenStore } from "./auth.js";
import { HttpError, NotFoundError } from "./errors.js";
import { SECONDARY_RATE_LIMIT_MESSAGE, type FaultDecision, type FaultInjector } from "./faults.js";
import { errorResponse, readBody, send, standardHeaders, type SimResponse } from "./http-util.js";
import type { MutationContext } from "./mutation-context.js";
import type { OAuthStore } from "./oauth.js";
import type { MatchedOperation, OpenApiValidator } from "./openapi-validator.js";
import type { RequestRecord, Violation, ViolationKind } from "./request-log.js";
import type { RouteDefinition, RouteRequest, RouteServices } from "./routes/types.js";
import type { SimState } from "./state.js";
import type { SimRepo } from "./types.js";
import type { WebhookDispatcher } from "./webhooks.js";
import { wallNow } from "./clock.js";
import { answerGraphql, type GraphqlBudget, type GraphqlRecord } from "./graphql/endpoint.js";

/** What the pipeline works with. */
export interface PipelineDeps {
  state: SimState;
  validator: OpenApiValidator;
  routes: Map<string, RouteDefinition>;
  tokens: TokenStore;
  /** The app's OAuth client (user authorization web flow, served outside /api/v3). */
  oauth: OAuthStore;
  faults: FaultInjector;
  dispatcher: WebhookDispatcher;
  requests: RequestRecord[];
  violations: Violation[];
  /** Validate the simulator's own answers against the description (simulator tests). */
  checkResponses: boolean;
  /** GraphQL points per installation and hour. */
  graphqlBudget: GraphqlBudget;
  /** Simulated network round trip per request (ms; half before it is processed, half after). */
  latency: { ms: number };
}

const API_PREFIX = "/api/v3";

interface Outcome {
  response: SimResponse;
  operationId: string | null;
  installationId: number | null;
  fault?: string;
  dropConnectionAfterMs?: number;
  graphql?: GraphqlRecord;
}

/** Handles HTTP requests against the simulated state. */
export class RequestPipeline {
  #inFlight = 0;
  #lastActivity = wallNow();
  readonly #deps: PipelineDeps;

  constructor(deps: PipelineDeps) {
    this.#deps = deps;
  }

  /** Requests being answered right now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Real time (ms) a request last arrived or was answered. */
  get lastActivityAt(): number {
    return this.#lastActivity;
  }

  /** node:http request listener. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = wallNow();
    this.#inFlight++;
    this.#lastActivity = started;
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
    const path = url.pathname.startsWith(`${API_PREFIX}/`) ? url.pathname.slice(API_PREFIX.length) : url.pathname;
    let body: unknown;
    let outcome: Outcome;
    let processed = false;
    const halfTripMs = this.#deps.latency.ms / 2;
    try {
      const raw = await readBody(req);
      body = raw.length > 0 ? parseJson(raw) : undefined;
      if (halfTripMs > 0) await sleep(halfTripMs);
      outcome = await this.#process({ req, method, url, path, body });
      processed = true;
    } catch (error) {
      outcome = { response: errorResponse(error), operationId: null, installationId: null };
    }
    // Logged as soon as its effect on the state is made, not after the answer's half of the round trip:
    // whoever sees the change (a test waiting on an issue's state) finds the request that made it in the
    // log. Its duration, the whole round trip, is set once it is answered.
    const record: RequestRecord = {
      method,
      path,
      query: url.search,
      operationId: outcome.operationId,
      status: outcome.dropConnectionAfterMs !== undefined ? 0 : outcome.response.status,
      installationId: outcome.installationId,
      body,
      at: new Date(started),
      durationMs: wallNow() - started,
      ...(outcome.fault ? { fault: outcome.fault } : {}),
      ...(outcome.graphql ? { graphql: outcome.graphql } : {}),
    };
    this.#deps.requests.push(record);
    try {
      if (processed && halfTripMs > 0) await sleep(halfTripMs);
      if (outcome.dropConnectionAfterMs !== undefined) {
        await sleep(outcome.dropConnectionAfterMs);
        req.socket.destroy();
      } else {
        send(res, outcome.response, standardHeaders(path));
      }
    } finally {
      record.durationMs = wallNow() - started;
      this.#inFlight--;
      this.#lastActivity = wallNow();
    }
  }

  async #process(input: {
    req: IncomingMessage;
    method: string;
    url: URL;
    path: string;
    body: unknown;
  }): Promise<Outcome> {
    const { req, method, url, path, body } = input;
    const violation = (kind: ViolationKind, reason: string, operationId: string | null): void => {
      this.#deps.violations.push({ kind, method, path, operationId, reason });
    };
    // github.com's OAuth web flow: not part of the REST API (no OpenAPI operation), served at the root.
    if (url.pathname === "/login/oauth/authorize" && method === "GET")
      return {
        response: this.#deps.oauth.authorize(url.searchParams, this.#deps.state),
        operationId: "oauth/authorize",
        installationId: null,
      };
    if (url.pathname === "/login/oauth/access_token" && method === "POST")
      return {
        response: this.#deps.oauth.exchange(
          body instanceof InvalidJson ? undefined : body,
          url.searchParams,
          this.#deps.tokens,
        ),
        operationId: "oauth/access-token",
        installationId: null,
      };
    if (body instanceof InvalidJson) {
      violation("invalid-request", "body is not valid JSON", null);
      return {
        response: errorResponse(new HttpError(400, "Problems parsing JSON")),
        operationId: null,
        installationId: null,
      };
    }
    if (path === "/graphql" || url.pathname === "/api/graphql") return this.#graphql(req, method, body, violation);
    const matched = this.#deps.validator.match(method, path);
    const route = matched ? this.#deps.routes.get(matched.operation.operationId) : undefined;
    if (!matched || !route) {
      const known = matched ? ` (${matched.operation.operationId} exists on GitHub but is not simulated)` : "";
      violation(
        "unimplemented-endpoint",
        `no simulated endpoint for ${method} ${path}${known}`,
        matched?.operation.operationId ?? null,
      );
      return {
        response: errorResponse(new NotFoundError()),
        operationId: matched?.operation.operationId ?? null,
        installationId: null,
      };
    }
    const operationId = matched.operation.operationId;
    const credentials = this.#deps.tokens.authenticate(req.headers.authorization);
    const installationId = credentials.kind === "installation" ? credentials.installationId : null;
    const userLogin = credentials.kind === "user" ? credentials.login : null;
    const denied = authProblem(route, credentials);
    if (denied) {
      violation("authentication", `${operationId}: ${denied.message}`, operationId);
      return { response: errorResponse(denied), operationId, installationId };
    }
    const forbidden = this.#permissionProblem(route);
    if (forbidden) {
      violation(
        "permission",
        `${operationId} needs ${route.permission?.join(":") ?? ""}; ` +
          `the app has ${JSON.stringify(this.#deps.state.app.permissions)}`,
        operationId,
      );
      return { response: errorResponse(forbidden), operationId, installationId };
    }
    const fault = this.#deps.faults.decide({
      isWrite: method !== "GET",
      isTokenCreation: operationId === "apps/create-installation-access-token",
      operation: operationId,
    });
    const early = faultResponse(fault);
    if (early) return { ...early, operationId, installationId };
    for (const problem of this.#deps.validator.checkRequest(matched, url.searchParams, body)) {
      violation(problem.kind, `${operationId}: ${problem.reason}`, operationId);
      if (problem.status !== null) {
        return {
          response: errorResponse(new HttpError(problem.status, problem.status === 404 ? "Not Found" : problem.reason)),
          operationId,
          installationId,
        };
      }
    }
    const request = { ...this.#routeRequest(req, matched, url, body, installationId), userLogin };
    let response: SimResponse;
    try {
      response = await route.handle(request, this.#services(violation));
    } catch (error) {
      response = errorResponse(error);
    }
    if (fault.kind === "status")
      return {
        response: statusFault(fault.status),
        operationId,
        installationId,
        fault: `status ${fault.status} after write`,
      };
    if (this.#deps.checkResponses) this.#checkResponse(operationId, response, violation);
    return { response, operationId, installationId };
  }

  async #graphql(
    req: IncomingMessage,
    method: string,
    body: unknown,
    violation: (kind: ViolationKind, reason: string, operationId: string | null) => void,
  ): Promise<Outcome> {
    const operationId = "graphql";
    if (method !== "POST") {
      violation("unimplemented-endpoint", `GitHub's GraphQL API answers POST only, not ${method}`, operationId);
      return { response: errorResponse(new NotFoundError()), operationId, installationId: null };
    }
    const credentials = this.#deps.tokens.authenticate(req.headers.authorization);
    if (credentials.kind !== "installation") {
      const message =
        credentials.kind === "none"
          ? "This endpoint requires you to be authenticated."
          : credentials.kind === "invalid"
            ? credentials.reason
            : credentials.kind === "user"
              ? "The simulator's GraphQL API answers installation tokens only (not user-to-server tokens)"
              : "A JSON web token cannot query the GraphQL API; use an installation token";
      violation("authentication", `graphql: ${message}`, operationId);
      return { response: errorResponse(new HttpError(401, message)), operationId, installationId: null };
    }
    const { installationId } = credentials;
    const query = (body as { query?: unknown } | undefined)?.query;
    const isWrite = typeof query === "string" && /^\s*mutation\b/m.test(query);
    // `graphql:FIELD`: the first top-level field, so a fault can aim at one mutation (`only`).
    const field = typeof query === "string" ? (/\{\s*([A-Za-z_]\w*)/.exec(query)?.[1] ?? "") : "";
    const fault = this.#deps.faults.decide({ isWrite, isTokenCreation: false, operation: `graphql:${field}` });
    const early = faultResponse(fault);
    if (early) return { ...early, operationId, installationId };
    const answered = await answerGraphql({
      state: this.#deps.state,
      budget: this.#deps.graphqlBudget,
      installationId,
      body,
      actAsApp: () => this.#services(violation).appContext(),
    });
    for (const problem of answered.violations) violation(problem.kind, `graphql: ${problem.reason}`, operationId);
    const logged = { operationId, installationId, graphql: answered.record };
    if (fault.kind === "status")
      return { ...logged, response: statusFault(fault.status), fault: `status ${fault.status} after write` };
    return { ...logged, response: { status: 200, body: answered.body, headers: answered.headers } };
  }

  #routeRequest(
    req: IncomingMessage,
    matched: MatchedOperation,
    url: URL,
    body: unknown,
    installationId: number | null,
  ): RouteRequest {
    return {
      method: matched.operation.method,
      operationId: matched.operation.operationId,
      params: matched.params,
      query: url.searchParams,
      body,
      headers: req.headers,
      publicUrl: url,
      installationId,
      userLogin: null,
    };
  }

  #services(violation: (kind: ViolationKind, reason: string, operationId: string | null) => void): RouteServices {
    const { state, tokens, dispatcher } = this.#deps;
    return {
      state,
      tokens,
      appContext: (): MutationContext => ({
        state,
        actor: state.app.bot,
        viaApp: true,
        emit: (build) => {
          void dispatcher.enqueue(build);
        },
      }),
      repo: (request, access) => visibleRepo(state, request, access),
      hooks: dispatcher,
      report: (request, kind, reason) => violation(kind, reason, request.operationId),
    };
  }

  #permissionProblem(route: RouteDefinition): HttpError | null {
    if (!route.permission) return null;
    const [scope, level] = route.permission;
    const granted = this.#deps.state.app.permissions[scope];
    const ok = scope === "metadata" || granted === "write" || (granted === "read" && level === "read");
    return ok ? null : new HttpError(403, "Resource not accessible by integration");
  }

  #checkResponse(
    operationId: string,
    response: SimResponse,
    violation: (kind: ViolationKind, reason: string, operationId: string | null) => void,
  ): void {
    if (
      response.status < 200 ||
      response.status >= 300 ||
      response.body === undefined ||
      typeof response.body === "string"
    )
      return;
    const problems = this.#deps.validator.checkResponse(operationId, response.status, response.body);
    if (problems.length > 0)
      violation(
        "invalid-response",
        `simulator answer to ${operationId} does not match GitHub's schema: ${problems.join("; ")}`,
        operationId,
      );
  }
}

class InvalidJson {}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString("utf8")) as unknown;
  } catch {
    return new InvalidJson();
  }
}

function authProblem(route: RouteDefinition, credentials: Credentials): HttpError | null {
  if (credentials.kind === "invalid") return new HttpError(401, credentials.reason);
  if (route.auth === "app" && credentials.kind !== "app-jwt") {
    return new HttpError(401, "A JSON web token could not be decoded");
  }
  if (route.auth === "user" && credentials.kind !== "user") {
    return new HttpError(
      credentials.kind === "none" ? 401 : 403,
      credentials.kind === "none"
        ? "Requires authentication"
        : "You must authenticate with an access token authorized to a GitHub App in order to list installations",
    );
  }
  if (route.auth === "installation" && credentials.kind !== "installation") {
    return new HttpError(
      credentials.kind === "none" ? 401 : 403,
      credentials.kind === "none" ? "Requires authentication" : "Resource not accessible by integration",
    );
  }
  return null;
}

function visibleRepo(state: SimState, request: RouteRequest, access: "read" | "write"): SimRepo {
  const repo = state.findRepo(`${request.params.owner ?? ""}/${request.params.repo ?? ""}`);
  if (!repo) throw new NotFoundError();
  if (repo.installationId === request.installationId) return repo;
  if (repo.private) throw new NotFoundError();
  if (access === "write") throw new HttpError(403, "Resource not accessible by integration");
  return repo;
}

function faultResponse(fault: FaultDecision): Omit<Outcome, "operationId" | "installationId"> | null {
  switch (fault.kind) {
    case "timeout":
      return { response: { status: 0 }, dropConnectionAfterMs: fault.delayMs, fault: "timeout" };
    case "secondary-rate-limit":
      return {
        response: {
          status: 403,
          body: new HttpError(403, SECONDARY_RATE_LIMIT_MESSAGE).toJson(),
          headers: { "retry-after": "1" },
        },
        fault: "secondary-rate-limit",
      };
    case "status":
      return fault.applyFirst ? null : { response: statusFault(fault.status), fault: `status ${fault.status}` };
    default:
      return null;
  }
}

function statusFault(status: number): SimResponse {
  const message = status === 502 ? "Bad Gateway" : status === 503 ? "Service Unavailable" : "Server Error";
  return { status, body: { message } };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
