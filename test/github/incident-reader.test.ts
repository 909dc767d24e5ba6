/**
 * The report's batch read through GitHub's GraphQL API (nock): 1,000 incidents with their status
 * comments in 10 searches of 100, plus the search for older incidents closed in the range.
 */
import { describe, expect, it } from "@jest/globals";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { encodeState, STATUS_MARKER, statusStateSchema } from "../../src/core/status-state.js";
import { readIncidents, searchQueries } from "../../src/github/incident-reader.js";
import { useStrictNock } from "../support/strict-nock.js";

const strict = useStrictNock();
const identity = { appId: 1, botLogin: "incident-keeper[bot]" };
const octokit = (): InstanceType<typeof ProbotOctokit> =>
  new (ProbotOctokit.defaults((o: object) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } })))({
    auth: "token x",
  });

const statusBody = `${STATUS_MARKER}\n### status\n${encodeState(statusStateSchema.parse({ v: 1, classifiedAt: "2026-03-02T10:00:00Z" }))}`;

function node(n: number): object {
  return {
    number: n,
    title: `Incident ${n}`,
    url: `https://github.com/acme/api/issues/${n}`,
    state: n % 2 === 0 ? "CLOSED" : "OPEN",
    stateReason: n % 2 === 0 ? "COMPLETED" : null,
    createdAt: "2026-03-02T09:00:00Z",
    closedAt: n % 2 === 0 ? "2026-03-02T12:00:00Z" : null,
    repository: { nameWithOwner: "acme/api" },
    labels: { nodes: [{ name: "incident" }, { name: "sev:2" }] },
    comments: {
      totalCount: 3,
      nodes: [
        { body: "a person's comment", author: { __typename: "User", login: "alice" } },
        // A person's look-alike of the app's marker is ignored: only the bot's comments count.
        { body: "<!-- incident-keeper:reopened x -->", author: { __typename: "User", login: "incident-keeper" } },
        { body: statusBody, author: { __typename: "Bot", login: "incident-keeper" } },
      ],
    },
  };
}

describe("the GraphQL batch read", () => {
  it("reads 1,000 incidents and their hidden state in 11 calls", async () => {
    const queries: string[] = [];
    // nock hands the parsed body to the matcher only: remember it for the reply.
    let variables: { q: string; after: string | null } = { q: "", after: null };
    strict.logged(
      nock("https://api.github.com")
        .post("/graphql", (body: { variables: { q: string; after: string | null } }) => {
          variables = body.variables;
          queries.push(`${body.variables.q} after=${body.variables.after ?? "-"}`);
          return true;
        })
        .times(11)
        .reply(200, () => {
          const { q, after } = variables;
          if (q.includes("closed:"))
            return {
              data: { search: { issueCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } },
            };
          const page = after === null ? 0 : Number(after);
          const nodes = Array.from({ length: 100 }, (_, i) => node(page * 100 + i + 1));
          return {
            data: {
              search: { issueCount: 1000, pageInfo: { hasNextPage: page < 9, endCursor: String(page + 1) }, nodes },
            },
          };
        }),
    );
    const records = await readIncidents(octokit(), {
      scope: { kind: "account", login: "acme", type: "Organization" },
      incidentLabel: "incident",
      since: new Date("2026-03-01T00:00:00Z"),
      until: new Date("2026-04-01T00:00:00Z"),
      identity,
      mode: "graphql",
    });
    expect(strict.requests).toHaveLength(11);
    expect(queries[0]).toBe('is:issue label:"incident" org:acme created:2026-03-01..2026-03-31 after=-');
    expect(queries.at(-1)).toBe(
      'is:issue label:"incident" org:acme closed:2026-03-01..2026-03-31 created:<2026-03-01 after=-',
    );
    expect(records).toHaveLength(1000);
    expect(records[1]).toEqual({
      repository: "acme/api",
      number: 2,
      title: "Incident 2",
      url: "https://github.com/acme/api/issues/2",
      state: "closed",
      createdAt: new Date("2026-03-02T09:00:00Z"),
      closedAt: new Date("2026-03-02T12:00:00Z"),
      labels: ["incident", "sev:2"],
      status: expect.objectContaining({ classifiedAt: "2026-03-02T10:00:00Z" }),
      reopens: 0,
    });
  });

  it("an incident whose status comment is past its first 100 comments is read again through REST", async () => {
    const crowded = {
      ...node(7),
      comments: { totalCount: 150, nodes: [{ body: "hi", author: { __typename: "User", login: "bob" } }] },
    };
    strict.logged(
      nock("https://api.github.com")
        .post("/graphql")
        .reply(200, {
          data: { search: { issueCount: 1, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [crowded] } },
        })
        .post("/graphql")
        .reply(200, {
          data: { search: { issueCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } },
        })
        .get("/repos/acme/api/issues/7/comments")
        .query({ per_page: "100" })
        .reply(200, [{ id: 1, body: statusBody, user: { login: "incident-keeper[bot]", type: "Bot" } }]),
    );
    const records = await readIncidents(octokit(), {
      scope: { kind: "repository", fullName: "acme/api" },
      incidentLabel: "incident",
      since: new Date("2026-03-01T00:00:00Z"),
      until: new Date("2026-03-08T00:00:00Z"),
      identity,
      mode: "graphql",
    });
    expect(records.map((r) => r.status?.classifiedAt)).toEqual(["2026-03-02T10:00:00Z"]);
    expect(strict.requests).toEqual(["POST /graphql", "GET /repos/acme/api/issues/7/comments", "POST /graphql"]);
  });

  it("more than 1,000 matches is an error naming the range", async () => {
    nock("https://api.github.com")
      .post("/graphql")
      .reply(200, {
        data: { search: { issueCount: 1500, pageInfo: { hasNextPage: true, endCursor: "1" }, nodes: [] } },
      });
    await expect(
      readIncidents(octokit(), {
        scope: { kind: "repository", fullName: "acme/api" },
        incidentLabel: "incident",
        since: new Date("2026-03-01T00:00:00Z"),
        until: new Date("2026-03-08T00:00:00Z"),
        identity,
        mode: "graphql",
      }),
    ).rejects.toThrow(
      /matches 1500 incidents, more than GitHub returns \(1,000\): use a shorter --since\/--until range/,
    );
  });

  it("quotes the label and ends the range the day before `until`", () => {
    expect(
      searchQueries({
        scope: { kind: "account", login: "octo", type: "User" },
        incidentLabel: 'on "call"',
        since: new Date("2026-03-01T00:00:00Z"),
        until: new Date("2026-03-02T00:00:00Z"),
      }),
    ).toEqual([
      'is:issue label:"on call" user:octo created:2026-03-01..2026-03-01',
      'is:issue label:"on call" user:octo closed:2026-03-01..2026-03-01 created:<2026-03-01',
    ]);
  });
});
