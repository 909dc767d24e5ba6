/** The record of every request the simulator processed, and of every contract violation seen. */
import type { GraphqlRecord } from "./graphql/endpoint.js";

export type { GraphqlRecord } from "./graphql/endpoint.js";

/** One request: logged once processed (its change to the state made); `durationMs` is set when it is answered. */
export interface RequestRecord {
  method: string;
  /** Path without the `/api/v3` prefix and without the query string. */
  path: string;
  query: string;
  operationId: string | null;
  status: number;
  installationId: number | null;
  body: unknown;
  at: Date;
  durationMs: number;
  /** Fault injected into this request, if any. */
  fault?: string;
  /** GraphQL requests (`operationId: "graphql"`): operation, points charged, node count, errors. */
  graphql?: GraphqlRecord;
}

/** Kinds of violations. */
export type ViolationKind =
  | "unimplemented-endpoint"
  | "invalid-request"
  | "unknown-query-parameter"
  | "invalid-response"
  | "unsupported-search"
  | "authentication"
  | "permission"
  | "invalid-graphql"
  | "unsupported-graphql";

/** Something the app did that GitHub would reject or that the simulator cannot answer faithfully. */
export interface Violation {
  kind: ViolationKind;
  method: string;
  path: string;
  operationId: string | null;
  reason: string;
}

/** Filter for countRequests; every given field must match. */
export interface RequestFilter {
  method?: string;
  operationId?: string;
  installationId?: number;
  /** Only requests answered at or after this instant (real time). */
  since?: Date;
  /** Predicate on the path (string: exact match). */
  path?: string | RegExp;
  /** Only REST requests, or only GraphQL requests (`POST /graphql`, `/api/graphql`). */
  api?: "rest" | "graphql";
}

/** Request counts split into reads and writes (GET/HEAD and GraphQL queries are reads; mutations are writes). */
export interface RequestCounts {
  total: number;
  reads: number;
  writes: number;
}

/** What GraphQL requests matching a filter cost (see `graphqlUsage`). */
export interface GraphqlUsage {
  requests: number;
  queries: number;
  mutations: number;
  /** Primary rate-limit points charged (GitHub's `rateLimit { cost }`), summed. */
  points: number;
  /** Secondary rate-limit points (5 per mutation, 1 per query). */
  secondaryPoints: number;
  /** Rejected before execution (invalid, over the node limit, rate-limited). */
  rejected: number;
}

/** Counts the records matching `filter`. */
export function countRequests(records: readonly RequestRecord[], filter: RequestFilter = {}): RequestCounts {
  let reads = 0;
  let writes = 0;
  for (const record of records) {
    if (filter.method && record.method !== filter.method.toUpperCase()) continue;
    if (filter.operationId && record.operationId !== filter.operationId) continue;
    if (filter.installationId !== undefined && record.installationId !== filter.installationId) continue;
    if (filter.since && record.at.getTime() < filter.since.getTime()) continue;
    if (typeof filter.path === "string" && record.path !== filter.path) continue;
    if (filter.path instanceof RegExp && !filter.path.test(record.path)) continue;
    if (filter.api && (filter.api === "graphql") !== (record.operationId === "graphql")) continue;
    const isRead = record.graphql
      ? record.graphql.operation !== "mutation"
      : record.method === "GET" || record.method === "HEAD";
    if (isRead) reads++;
    else writes++;
  }
  return { total: reads + writes, reads, writes };
}

/** Sums the GraphQL records matching `filter` (its `api` is ignored). */
export function graphqlUsage(records: readonly RequestRecord[], filter: RequestFilter = {}): GraphqlUsage {
  const usage: GraphqlUsage = { requests: 0, queries: 0, mutations: 0, points: 0, secondaryPoints: 0, rejected: 0 };
  for (const record of records) {
    const graphql = record.graphql;
    if (!graphql || countRequests([record], { ...filter, api: undefined }).total === 0) continue;
    usage.requests++;
    if (graphql.operation === "mutation") usage.mutations++;
    else usage.queries++;
    usage.points += graphql.cost;
    usage.secondaryPoints += graphql.secondaryPoints;
    if (graphql.rejected) usage.rejected++;
  }
  return usage;
}
