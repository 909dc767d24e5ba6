/**
 * What GitHub checks and charges before it runs a query (docs.github.com, "Rate limits and query
 * limits for the GraphQL API"):
 * - every connection needs `first` or `last` (not both), within 1-100;
 * - at most 500,000 nodes: per connection, its page size times the pages of every enclosing one;
 * - the primary rate-limit cost: one request per connection and parent object (a top-level
 *   connection is one request; one nested in a page of 100 is 100), summed, divided by 100 and
 *   rounded, at least 1 point;
 * - secondary-limit points (per minute): 5 for an operation with mutations, 1 otherwise.
 * `nodes(ids:)` multiplies what it contains by the number of ids, like a page of that size.
 */
import {
  getArgumentValues,
  getNamedType,
  isInterfaceType,
  isObjectType,
  isListType,
  getNullableType,
  Kind,
  OperationTypeNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

/** GitHub's node limit per query. */
export const MAX_NODES = 500_000;
/** Largest page of a connection. */
export const MAX_PAGE_SIZE = 100;

/** The outcome of the analysis. */
export interface QueryCost {
  /** Requests GitHub counts (before dividing by 100). */
  requests: number;
  /** Primary rate-limit points (`rateLimit { cost }`). */
  points: number;
  /** Secondary rate-limit points (5 with mutations, 1 otherwise). */
  secondaryPoints: number;
  /** Most nodes the query may return. */
  nodeCount: number;
  /** Reasons GitHub would reject the query (pagination boundaries, node limit). */
  problems: string[];
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  requests: number;
  nodeCount: number;
  problems: string[];
}

/** Analyses one operation of a validated document with its coerced variables. */
export function analyzeCost(input: {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: FragmentDefinitionNode[];
  variables: Record<string, unknown>;
}): QueryCost {
  const { schema, operation } = input;
  const isMutation = operation.operation === OperationTypeNode.MUTATION;
  const root = isMutation ? schema.getMutationType() : schema.getQueryType();
  const walk: Walk = {
    schema,
    fragments: new Map(input.fragments.map((f) => [f.name.value, f])),
    variables: input.variables,
    requests: 0,
    nodeCount: 0,
    problems: [],
  };
  if (root) visit(walk, operation.selectionSet, root, 1, new Set());
  const points = Math.max(1, Math.round(walk.requests / 100));
  if (walk.nodeCount > MAX_NODES) {
    walk.problems.push(
      `This query requests up to ${walk.nodeCount.toLocaleString("en-US")} possible nodes which exceeds ` +
        `the maximum limit of ${MAX_NODES.toLocaleString("en-US")}.`,
    );
  }
  return {
    requests: walk.requests,
    points,
    secondaryPoints: isMutation ? 5 : 1,
    nodeCount: walk.nodeCount,
    problems: walk.problems,
  };
}

function visit(
  walk: Walk,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  parents: number,
  seenFragments: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : parent;
      if (type && (isObjectType(type) || isInterfaceType(type) || type === parent))
        visit(walk, selection.selectionSet, type as GraphQLCompositeType, parents, seenFragments);
      continue;
    }
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = walk.fragments.get(selection.name.value);
      if (!fragment || seenFragments.has(fragment.name.value)) continue;
      const type = walk.schema.getType(fragment.typeCondition.name.value);
      if (type && (isObjectType(type) || isInterfaceType(type)))
        visit(walk, fragment.selectionSet, type, parents, new Set([...seenFragments, fragment.name.value]));
      continue;
    }
    if (!selection.selectionSet || !(isObjectType(parent) || isInterfaceType(parent))) continue;
    const field = parent.getFields()[selection.name.value];
    if (!field) continue;
    const args = getArgumentValues(field, selection, walk.variables);
    const named = getNamedType(field.type);
    if (!(isObjectType(named) || isInterfaceType(named) || "getTypes" in named)) continue;
    const child = named as GraphQLCompositeType;
    if (isConnection(field)) {
      const size = pageSize(walk, field, named.name, args);
      walk.requests += parents;
      walk.nodeCount += parents * size;
      visit(walk, selection.selectionSet, child, parents * size, seenFragments);
    } else if (isListType(getNullableType(field.type)) && Array.isArray(args.ids)) {
      if (args.ids.length > MAX_PAGE_SIZE) {
        const got = `\`${field.name}\` got ${args.ids.length} ids`;
        walk.problems.push(`You may not request more than ${MAX_PAGE_SIZE} nodes at once (${got}).`);
      }
      visit(walk, selection.selectionSet, child, parents * args.ids.length, seenFragments);
    } else {
      visit(walk, selection.selectionSet, child, parents, seenFragments);
    }
  }
}

function isConnection(field: GraphQLField<unknown, unknown>): boolean {
  const named = getNamedType(field.type);
  return (
    named.name.endsWith("Connection") &&
    field.args.some((arg) => arg.name === "first") &&
    field.args.some((arg) => arg.name === "last")
  );
}

function pageSize(
  walk: Walk,
  field: GraphQLField<unknown, unknown>,
  typeName: string,
  args: Record<string, unknown>,
): number {
  const first = typeof args.first === "number" ? args.first : null;
  const last = typeof args.last === "number" ? args.last : null;
  const name = field.name;
  if (first === null && last === null) {
    walk.problems.push(
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`,
    );
    return 0;
  }
  if (first !== null && last !== null) {
    walk.problems.push(`Passing both \`first\` and \`last\` to paginate the \`${name}\` connection is not supported.`);
  }
  const size = first ?? last ?? 0;
  const argument = first !== null ? "first" : "last";
  if (size > MAX_PAGE_SIZE) {
    walk.problems.push(
      `Requesting ${size} records on the \`${name}\` connection ` +
        `exceeds the \`${argument}\` limit of ${MAX_PAGE_SIZE} records.`,
    );
  } else if (size < 0) {
    walk.problems.push(`\`${argument}\` on the \`${name}\` connection (${typeName}) cannot be negative.`);
  }
  return Math.max(0, size);
}
