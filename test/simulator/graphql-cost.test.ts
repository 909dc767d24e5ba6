/**
 * GitHub's documented GraphQL cost and node-limit calculation (docs.github.com, "Rate limits and
 * query limits for the GraphQL API"), on the documentation's own examples and the app's batches.
 */
import { describe, expect, test } from "@jest/globals";
import { getOperationAST, Kind, parse, type FragmentDefinitionNode } from "graphql";
import { analyzeCost } from "../../simulator/src/graphql/cost.js";
import { githubSchema } from "../../simulator/src/graphql/schema.js";

async function cost(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) throw new Error("no operation");
  const fragments = document.definitions.filter(
    (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION,
  );
  return analyzeCost({ schema: await githubSchema(), operation, fragments, variables });
}

describe("analyzeCost", () => {
  test.each([
    // The documentation's examples.
    [
      "docs: simple query (550 nodes)",
      `{ viewer { repositories(first: 50) { edges { repository: node { name issues(first: 10) { totalCount edges { node { title bodyHTML } } } } } } } }`,
      { requests: 51, points: 1, nodeCount: 550 },
    ],
    [
      "docs: complex query (22,060 nodes)",
      `{ viewer { repositories(first: 50) { edges { repository: node { name
          pullRequests(first: 20) { edges { pullRequest: node { title comments(first: 10) { edges { comment: node { bodyHTML } } } } } }
          issues(first: 20) { totalCount edges { issue: node { title bodyHTML comments(first: 10) { edges { comment: node { bodyHTML } } } } } } } }
        }
        followers(first: 10) { edges { follower: node { login } } } } }`,
      { requests: 1 + 50 + 1000 + 50 + 1000 + 1, points: 21, nodeCount: 22_060 },
    ],
    [
      "docs: rate-limit example (5,101 requests = 51 points)",
      `{ viewer { login repositories(first: 100) { edges { node { id issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } } } } }`,
      { requests: 5101, points: 51, nodeCount: 100 + 5000 + 300_000 },
    ],
    // What the app will send.
    [
      "a query without connections costs the minimum, 1",
      `{ rateLimit { cost } }`,
      { requests: 0, points: 1, nodeCount: 0 },
    ],
    [
      "100 issues' comments through nodes(ids:)",
      `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Issue { comments(first: 100) { nodes { body } } } } }`,
      { requests: 100, points: 1, nodeCount: 10_000 },
    ],
    [
      "a search page with comments inline",
      `{ search(query: "is:open label:incident", type: ISSUE, first: 100) { nodes { ... on Issue { comments(first: 100) { nodes { body } } labels(first: 20) { nodes { name } } } } } }`,
      { requests: 1 + 100 + 100, points: 2, nodeCount: 100 + 10_000 + 2_000 },
    ],
    [
      "fragments count where they are spread",
      `query { repository(owner: "a", name: "b") { issues(first: 100) { nodes { ...Thread } } } } fragment Thread on Issue { comments(first: 50) { nodes { body } } }`,
      { requests: 101, points: 1, nodeCount: 100 + 5_000 },
    ],
  ])("%s", async (_name, query, expected) => {
    const ids = Array.from({ length: 100 }, (_, i) => `id${i}`);
    expect(await cost(query, { ids })).toMatchObject({ ...expected, problems: [] });
  });

  test("nodes(ids:) takes at most 100 ids", async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `id${i}`);
    const { problems } = await cost(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids });
    expect(problems).toEqual(["You may not request more than 100 nodes at once (`nodes` got 101 ids)."]);
  });

  test("mutations cost 5 secondary points, queries 1", async () => {
    expect(
      (await cost(`mutation { addComment(input: { subjectId: "x", body: "y" }) { clientMutationId } }`))
        .secondaryPoints,
    ).toBe(5);
    expect((await cost(`{ rateLimit { cost } }`)).secondaryPoints).toBe(1);
  });

  test("more than 500,000 possible nodes is a problem (GitHub rejects the query)", async () => {
    const { problems, nodeCount } = await cost(
      `{ viewer { repositories(first: 100) { nodes { issues(first: 100) { nodes { comments(first: 100) { nodes { body } } } } } } } }`,
    );
    expect(nodeCount).toBe(100 + 10_000 + 1_000_000);
    expect(problems).toEqual([
      "This query requests up to 1,010,100 possible nodes which exceeds the maximum limit of 500,000.",
    ]);
  });
});
