/**
 * `POST /graphql` (and `/api/graphql` under GHE_HOST): parses and validates every query against
 * GitHub's published schema, checks pagination boundaries and the node limit, charges the
 * installation's hourly point budget (GitHub's documented calculation), then executes it with the
 * resolvers over the same state as the REST routes. A query GitHub would reject is answered as
 * GitHub answers it (200 with `errors`) and recorded as an `invalid-graphql` violation; a field the
 * simulator cannot answer fails with an error and an `unsupported-graphql` violation.
 */
import {
  execute,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  OperationTypeNode,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLTypeResolver,
} from "graphql";
import { wallNow } from "../clock.js";
import type { MutationContext } from "../mutation-context.js";
import type { SimState } from "../state.js";
import type { Json, JsonObject } from "../types.js";
import { analyzeCost, type QueryCost } from "./cost.js";
import type { GqlContext } from "./context.js";
import { rootModel } from "./root.js";
import { githubSchema } from "./schema.js";

/** What the request log records about a GraphQL request. */
export interface GraphqlRecord {
  /** `query` or `mutation` (null when the document did not parse or name an operation). */
  operation: "query" | "mutation" | null;
  operationName: string | null;
  /** Top-level fields selected, e.g. ["repository", "rateLimit"] or ["addComment"]. */
  rootFields: string[];
  /** Primary rate-limit points charged (0 when rejected before execution). */
  cost: number;
  /** Secondary rate-limit points (5 with mutations, 1 otherwise; 0 when rejected). */
  secondaryPoints: number;
  nodeCount: number;
  /** Points left in the installation's hour after this request. */
  remaining: number;
  /** Errors in the answer (validation, NOT_FOUND, ...). */
  errors: number;
  /** Rejected before execution (syntax, validation, pagination, node limit, rate limit). */
  rejected: boolean;
}

/** Problems the endpoint reports. */
export interface GraphqlViolation {
  kind: "invalid-graphql" | "unsupported-graphql" | "permission";
  reason: string;
}

/** The answer plus what to log. */
export interface GraphqlOutcome {
  body: Json;
  headers: Record<string, string>;
  record: GraphqlRecord;
  violations: GraphqlViolation[];
}

/** GitHub's hourly GraphQL budget of an installation (points). */
export const DEFAULT_POINTS_PER_HOUR = 5000;
const HOUR_MS = 60 * 60 * 1000;

/** Points used per installation in the current hour (real time, like GitHub's reset). */
export class GraphqlBudget {
  readonly #windows = new Map<number, { used: number; resetAt: number }>();

  constructor(readonly limit: number = DEFAULT_POINTS_PER_HOUR) {}

  /** The installation's window, renewed once its hour has passed. */
  window(installationId: number): { used: number; resetAt: number } {
    const now = wallNow();
    let window = this.#windows.get(installationId);
    if (!window || window.resetAt <= now) {
      window = { used: 0, resetAt: now + HOUR_MS };
      this.#windows.set(installationId, window);
    }
    return window;
  }
}

const fieldResolver: GraphQLFieldResolver<unknown, GqlContext> = (source, args, ctx, info) => {
  if (source === null || typeof source !== "object") return null;
  const model = source as Record<string, unknown>;
  if (!(info.fieldName in model)) {
    const what = `${info.parentType.name}.${info.fieldName}`;
    ctx.unsupported(what);
    throw new GraphQLError(`The GitHub simulator does not simulate ${what}`, { extensions: { type: "NOT_SIMULATED" } });
  }
  const value = model[info.fieldName];
  return typeof value === "function" ? (value as (a: unknown, c: GqlContext) => unknown).call(model, args, ctx) : value;
};

const typeResolver: GraphQLTypeResolver<unknown, GqlContext> = (value) =>
  value !== null && typeof value === "object" && typeof (value as { __typename?: unknown }).__typename === "string"
    ? (value as { __typename: string }).__typename
    : undefined;

/** GitHub puts an error's `type` beside its message; graphql-js keeps it in `extensions`. */
function errorJson(error: GraphQLError): JsonObject {
  const json = error.toJSON() as unknown as JsonObject;
  const type = error.extensions.type;
  const { extensions: _extensions, ...rest } = json;
  return typeof type === "string" ? { type, ...rest } : rest;
}

function rejected(
  messages: GraphQLError[] | string[],
  record: Partial<GraphqlRecord>,
  remaining: number,
): Omit<GraphqlOutcome, "headers" | "violations"> {
  const errors = messages.map((message) => (typeof message === "string" ? { message } : errorJson(message)));
  return {
    body: { errors },
    record: {
      operation: null,
      operationName: null,
      rootFields: [],
      cost: 0,
      secondaryPoints: 0,
      nodeCount: 0,
      remaining,
      errors: errors.length,
      rejected: true,
      ...record,
    },
  };
}

/** Everything one GraphQL request needs from the simulator. */
export interface GraphqlRequest {
  state: SimState;
  budget: GraphqlBudget;
  installationId: number;
  body: unknown;
  actAsApp: () => MutationContext;
}

/** Answers one authenticated GraphQL request. */
export async function answerGraphql(request: GraphqlRequest): Promise<GraphqlOutcome> {
  const violations: GraphqlViolation[] = [];
  const window = request.budget.window(request.installationId);
  const headers = (): Record<string, string> => ({
    "x-ratelimit-limit": String(request.budget.limit),
    "x-ratelimit-remaining": String(Math.max(0, request.budget.limit - window.used)),
    "x-ratelimit-used": String(window.used),
    "x-ratelimit-reset": String(Math.floor(window.resetAt / 1000)),
    "x-ratelimit-resource": "graphql",
  });
  const reject = (
    reasons: GraphQLError[] | string[],
    record: Partial<GraphqlRecord> = {},
    kind: GraphqlViolation["kind"] | null = "invalid-graphql",
  ): GraphqlOutcome => {
    if (kind)
      for (const reason of reasons)
        violations.push({ kind, reason: typeof reason === "string" ? reason : reason.message });
    return {
      ...rejected(reasons, record, Math.max(0, request.budget.limit - window.used)),
      headers: headers(),
      violations,
    };
  };
  const body = request.body as { query?: unknown; variables?: unknown; operationName?: unknown } | undefined;
  if (!body || typeof body.query !== "string")
    return reject(["A query attribute must be specified and must be a string."]);
  const variables = body.variables === undefined || body.variables === null ? {} : body.variables;
  if (typeof variables !== "object" || Array.isArray(variables)) return reject(["Variables must be a JSON object."]);
  const operationName = typeof body.operationName === "string" ? body.operationName : null;
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (error) {
    return reject([error instanceof GraphQLError ? error : new GraphQLError(String(error))]);
  }
  const schema = await githubSchema();
  const invalid = validate(schema, document);
  if (invalid.length > 0) return reject([...invalid]);
  const operation = getOperationAST(document, operationName);
  if (!operation)
    return reject([
      operationName
        ? `No operation named "${operationName}"`
        : "An operation name is required when a document has several operations.",
    ]);
  if (operation.operation === OperationTypeNode.SUBSCRIPTION)
    return reject(["Subscriptions are not supported by GitHub's GraphQL API."]);
  const kind = operation.operation;
  const rootFields = operation.selectionSet.selections.flatMap((selection) =>
    selection.kind === Kind.FIELD ? [selection.name.value] : [],
  );
  const base = { operation: kind, operationName: operation.name?.value ?? operationName, rootFields };
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables as Record<string, unknown>);
  if (coerced.errors) return reject([...coerced.errors], base);
  const fragments = document.definitions.filter(
    (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION,
  );
  const cost: QueryCost = analyzeCost({ schema, operation, fragments, variables: coerced.coerced });
  if (cost.problems.length > 0) return reject(cost.problems, { ...base, nodeCount: cost.nodeCount });
  if (window.used + cost.points > request.budget.limit) {
    // Normal GitHub behaviour, not a contract violation: the app must cope with it.
    return reject(
      [
        new GraphQLError(`API rate limit already exceeded for installation ID ${request.installationId}.`, {
          extensions: { type: "RATE_LIMITED" },
        }),
      ],
      base,
      null,
    );
  }
  window.used += cost.points;
  const remaining = request.budget.limit - window.used;
  const unsupportedSeen = new Set<string>();
  const ctx: GqlContext = {
    state: request.state,
    installationId: request.installationId,
    actAsApp: () => request.actAsApp(),
    unsupported: (what) => {
      if (unsupportedSeen.has(what)) return;
      unsupportedSeen.add(what);
      violations.push({ kind: "unsupported-graphql", reason: `not simulated: ${what}` });
    },
    permissionDenied: (what) =>
      violations.push({
        kind: "permission",
        reason: `GraphQL needs ${what}; the app has ${JSON.stringify(request.state.app.permissions)}`,
      }),
    rateLimit: {
      cost: cost.points,
      limit: request.budget.limit,
      remaining,
      used: window.used,
      resetAt: new Date(window.resetAt),
      nodeCount: cost.nodeCount,
    },
  };
  const result = await execute({
    schema,
    document,
    operationName: operation.name?.value ?? null,
    variableValues: variables as Record<string, unknown>,
    rootValue: rootModel(ctx),
    contextValue: ctx,
    fieldResolver,
    typeResolver,
  });
  const errors = (result.errors ?? []).map(errorJson);
  const answer: JsonObject = { data: (result.data ?? null) as Json };
  if (errors.length > 0) answer.errors = errors;
  return {
    body: answer,
    headers: headers(),
    violations,
    record: {
      ...base,
      cost: cost.points,
      secondaryPoints: cost.secondaryPoints,
      nodeCount: cost.nodeCount,
      remaining,
      errors: errors.length,
      rejected: false,
    },
  };
}
