/**
 * GitHub's published GraphQL schema (@octokit/graphql-schema), built once per process on the first
 * GraphQL request (about 0.1 s), so runs that never use GraphQL do not pay for it.
 */
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

let built: Promise<GraphQLSchema> | null = null;

/** The schema GitHub validates queries against (from its introspection JSON; the SDL has duplicates). */
export function githubSchema(): Promise<GraphQLSchema> {
  built ??= import("@octokit/graphql-schema").then(({ schema }) => {
    const introspection = schema.json as { data?: IntrospectionQuery } & IntrospectionQuery;
    return buildClientSchema(introspection.data ?? introspection);
  });
  return built;
}
