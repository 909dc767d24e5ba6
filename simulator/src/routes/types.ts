/** The contract between the request pipeline (server.ts) and the route handlers. */
import type { IncomingHttpHeaders } from "node:http";
import type { TokenStore } from "../auth.js";
import type { SimResponse } from "../http-util.js";
import type { MutationContext } from "../mutation-context.js";
import type { SimState } from "../state.js";
import type { ViolationKind } from "../request-log.js";
import type { SimRepo } from "../types.js";
import type { WebhookDispatcher } from "../webhooks.js";

/** A validated request as routes see it. */
export interface RouteRequest {
  method: string;
  operationId: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body (already validated against the operation's schema), or undefined. */
  body: unknown;
  headers: IncomingHttpHeaders;
  /** The absolute URL the client used (with /api/v3 if it used it): the base of Link headers. */
  publicUrl: URL;
  /** Installation of the token used; null for app (JWT) and user-to-server requests. */
  installationId: number | null;
  /** The person a user-to-server token acts for; null otherwise. */
  userLogin: string | null;
}

/** Services routes use. */
export interface RouteServices {
  state: SimState;
  tokens: TokenStore;
  /** Mutation context acting as the app's bot; its webhooks are delivered asynchronously. */
  appContext(): MutationContext;
  /**
   * The repository named by `owner`/`repo` params, as the installation may see it: 404 when absent
   * or private outside the installation, 403 for writes to a public repository outside it.
   */
  repo(request: RouteRequest, access: "read" | "write"): SimRepo;
  /** The app's webhook deliveries (every attempt, oldest first) and redelivery. */
  hooks: Pick<WebhookDispatcher, "deliveries" | "redeliver">;
  /** Records an unsupported feature (e.g. a search qualifier) as a violation. */
  report(request: RouteRequest, kind: ViolationKind, reason: string): void;
}

/** Which credentials a route takes. */
/** `user`: a user-to-server token (`ghu_`, from the OAuth web flow), whose access is the person's within the app's. */
export type RouteAuth = "app" | "installation" | "user";

/** One implemented operation. */
export interface RouteDefinition {
  operationId: string;
  auth: RouteAuth;
  /** App permission the operation needs, e.g. ["issues", "write"]. */
  permission?: [string, "read" | "write"];
  handle(request: RouteRequest, services: RouteServices): SimResponse | Promise<SimResponse>;
}
