/** Relay cursor connections as GitHub answers them: `first`/`last`, `after`/`before`, pageInfo. */
import { GraphQLError } from "graphql";

/** The pagination arguments of a connection field. */
export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/** Opaque to clients: the item's position in the (filtered, ordered) list. */
export function encodeCursor(index: number): string {
  return Buffer.from(`cursor:v2:${index}`).toString("base64");
}

function decodeCursor(cursor: string, name: "after" | "before"): number {
  const match = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, "base64").toString("utf8"));
  if (!match)
    throw new GraphQLError(`\`${cursor}\` does not appear to be a valid cursor.`, {
      extensions: { type: "INVALID_CURSOR_ARGUMENTS", argument: name },
    });
  return Number(match[1]);
}

/** One page of `items` as a connection object; `extra` adds fields such as `totalCount`. */
export function connection<T>(
  items: readonly T[],
  args: PageArgs,
  toNode: (item: T) => unknown,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  let start = 0;
  let end = items.length;
  if (args.after) start = Math.min(items.length, decodeCursor(args.after, "after") + 1);
  if (args.before) end = Math.max(start, Math.min(end, decodeCursor(args.before, "before")));
  if (typeof args.first === "number") end = Math.min(end, start + args.first);
  if (typeof args.last === "number") start = Math.max(start, end - args.last);
  const window = items.slice(start, end);
  const edges = window.map((item, offset) => ({ cursor: encodeCursor(start + offset), node: toNode(item) }));
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: items.length,
    ...extra,
  };
}
