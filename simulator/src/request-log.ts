/** The record of every request the simulator answered, and of every contract violation seen. */

/** One answered request. */
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
}

/** Kinds of violations. */
export type ViolationKind =
  | "unimplemented-endpoint"
  | "invalid-request"
  | "unknown-query-parameter"
  | "invalid-response"
  | "unsupported-search"
  | "authentication"
  | "permission";

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
}

/** Request counts split into reads (GET/HEAD) and writes. */
export interface RequestCounts {
  total: number;
  reads: number;
  writes: number;
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
    if (record.method === "GET" || record.method === "HEAD") reads++;
    else writes++;
  }
  return { total: reads + writes, reads, writes };
}
