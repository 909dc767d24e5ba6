/** What the GraphQL resolvers work with during one request. */
import { GraphQLError } from "graphql";
import type { MutationContext } from "../mutation-context.js";
import type { SimState } from "../state.js";
import type { SimRepo } from "../types.js";

/** Per-request context of the resolvers. */
export interface GqlContext {
  state: SimState;
  /** Installation of the token. */
  installationId: number;
  /** A mutation context acting as the app's bot (webhooks delivered as for REST writes). */
  actAsApp(): MutationContext;
  /** Records a field, argument or value the simulator cannot answer faithfully (a violation). */
  unsupported(what: string): void;
  /** Records a missing app permission (a violation, like REST). */
  permissionDenied(what: string): void;
  /** The cost of this request, for `rateLimit`. */
  rateLimit: { cost: number; limit: number; remaining: number; used: number; resetAt: Date; nodeCount: number };
}

/** An error as GitHub reports it: message plus `type` (NOT_FOUND, FORBIDDEN, UNPROCESSABLE...). */
export function githubError(type: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { type } });
}

/** The simulator cannot answer this faithfully: record it and fail the field (never a wrong answer). */
export function notSimulated(ctx: GqlContext, what: string): GraphQLError {
  ctx.unsupported(what);
  return new GraphQLError(`The GitHub simulator does not simulate ${what}`, { extensions: { type: "NOT_SIMULATED" } });
}

/** True when the installation may read the repository (its own, or public). */
export function canRead(ctx: GqlContext, repo: SimRepo): boolean {
  return repo.installationId === ctx.installationId || !repo.private;
}

/** Throws FORBIDDEN unless the installation may write to the repository with `scope` write. */
export function requireWrite(ctx: GqlContext, repo: SimRepo, scope: "issues" | "pull_requests"): void {
  if (repo.installationId !== ctx.installationId)
    throw githubError("FORBIDDEN", "Resource not accessible by integration");
  if (ctx.state.app.permissions[scope] !== "write") {
    ctx.permissionDenied(`${scope}: write`);
    throw githubError("FORBIDDEN", "Resource not accessible by integration");
  }
}

/** Throws FORBIDDEN (and records a violation) unless the app may read `scope`. */
export function requireRead(ctx: GqlContext, scope: "issues" | "pull_requests"): void {
  const granted = ctx.state.app.permissions[scope];
  if (granted === "read" || granted === "write") return;
  ctx.permissionDenied(`${scope}: read`);
  throw githubError("FORBIDDEN", "Resource not accessible by integration");
}
