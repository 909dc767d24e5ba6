/**
 * The shared batch reader of the app's own comments (nock): 100 issues per GraphQL `nodes(ids:)`
 * query, REST only for an issue with more comments than the query carries.
 */
import { describe, expect, it } from "@jest/globals";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { emptyUsage, readOwnComments, type IssueRef } from "../../src/github/comment-batch.js";
import { useStrictNock } from "../support/strict-nock.js";

const strict = useStrictNock();
const identity = { appId: 1, botLogin: "incident-keeper[bot]" };
const octokit = (): InstanceType<typeof ProbotOctokit> =>
  new (ProbotOctokit.defaults((o: object) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } })))({
    auth: "token x",
  });

const ref = (n: number): IssueRef => ({ nodeId: `I_${n}`, owner: "acme", repo: "api", number: n });
const bot = { __typename: "Bot", login: "incident-keeper" };
const alice = { __typename: "User", login: "alice" };
const lookAlike = { __typename: "User", login: "incident-keeper" };
const restBot = { login: "incident-keeper[bot]", type: "Bot" };

function issueNode(id: string): object {
  const n = Number(id.slice(2));
  return {
    id,
    comments: {
      totalCount: 3,
      nodes: [
        { databaseId: n * 10, body: "a person's comment", updatedAt: "2026-03-02T10:00:00Z", author: alice },
        // A person named like the app is not the app.
        { databaseId: n * 10 + 1, body: "<!-- incident-keeper:status -->", updatedAt: null, author: lookAlike },
        {
          databaseId: n * 10 + 2,
          body: `<!-- incident-keeper:status -->\n#${n}`,
          updatedAt: "2026-03-02T11:00:00Z",
          author: bot,
        },
      ],
    },
  };
}

describe("readOwnComments", () => {
  it("reads 150 issues' comments in 2 queries of at most 100 ids, keeping the app's comments only", async () => {
    const batches: string[][] = [];
    let ids: string[] = [];
    strict.logged(
      nock("https://api.github.com")
        .post("/graphql", (body: { query: string; variables: { ids: string[] } }) => {
          ids = body.variables.ids;
          batches.push(ids);
          return body.query.includes("nodes(ids: $ids)");
        })
        .times(2)
        .reply(200, () => ({ data: { rateLimit: { cost: 1 }, nodes: ids.map(issueNode) } })),
    );
    const usage = emptyUsage();
    const refs = Array.from({ length: 150 }, (_, i) => ref(i + 1));
    const found = await readOwnComments(octokit(), refs, identity, usage);
    expect(batches.map((b) => b.length)).toEqual([100, 50]);
    expect(strict.requests).toEqual(["POST /graphql", "POST /graphql"]);
    expect(usage).toEqual({ queries: 2, points: 2, restFallbacks: 0 });
    expect(found.size).toBe(150);
    expect(found.get("I_7")).toEqual([
      { id: 72, body: "<!-- incident-keeper:status -->\n#7", updatedAt: new Date("2026-03-02T11:00:00Z") },
    ]);
  });

  it("reads an issue with more than 100 comments through REST, and skips one GitHub does not return", async () => {
    strict.logged(
      nock("https://api.github.com")
        .post("/graphql")
        .reply(200, {
          data: {
            rateLimit: { cost: 1 },
            nodes: [
              { id: "I_1", comments: { totalCount: 101, nodes: [{ databaseId: 5, body: "first", author: bot }] } },
              null,
            ],
          },
          errors: [{ type: "NOT_FOUND", path: ["nodes", 1], message: "Could not resolve to a node with the id 'I_2'" }],
        })
        .get("/repos/acme/api/issues/1/comments")
        .query({ per_page: "100" })
        .reply(200, [
          { id: 5, body: "first", user: restBot, updated_at: "2026-03-02T10:00:00Z" },
          { id: 900, body: "the 101st", user: { login: "alice", type: "User" } },
          { id: 901, body: "<!-- incident-keeper:reminder x -->", user: restBot },
        ]),
    );
    const usage = emptyUsage();
    const found = await readOwnComments(octokit(), [ref(1), ref(2)], identity, usage);
    expect(strict.requests).toEqual(["POST /graphql", "GET /repos/acme/api/issues/1/comments"]);
    expect(usage).toEqual({ queries: 1, points: 1, restFallbacks: 1 });
    expect(found).toEqual(
      new Map([
        [
          "I_1",
          [
            { id: 5, body: "first", updatedAt: new Date("2026-03-02T10:00:00Z") },
            { id: 901, body: "<!-- incident-keeper:reminder x -->" },
          ],
        ],
      ]),
    );
  });

  it("throws on any other error (the sweep then reads through REST)", async () => {
    strict.logged(
      nock("https://api.github.com")
        .post("/graphql")
        .reply(200, { data: null, errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded" }] }),
    );
    await expect(readOwnComments(octokit(), [ref(1)], identity)).rejects.toThrow("API rate limit exceeded");
  });

  it("sends no query for no issues", async () => {
    expect(await readOwnComments(octokit(), [], identity)).toEqual(new Map());
    expect(strict.requests).toEqual([]);
  });
});
