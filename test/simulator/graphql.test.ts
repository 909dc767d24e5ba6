/**
 * The simulator's GraphQL API: validation against GitHub's schema, GitHub's cost calculation,
 * cursor pagination, `nodes` batching, search, timeline items, and writes (mutations) that REST
 * sees and that send the same webhooks, transferIssue included.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "@jest/globals";
import type { GitHubSimulator } from "../../simulator/src/index.js";
import {
  eventNames,
  installationOctokit,
  installationToken,
  SECRET,
  startReceiver,
  startSimulator,
  type Receiver,
  type TestOctokitInstance,
} from "./helpers.js";

let sim: GitHubSimulator;
let receiver: Receiver;
let octokit: TestOctokitInstance;
const api = { owner: "acme", repo: "api" };

beforeAll(async () => {
  sim = await startSimulator();
  receiver = await startReceiver({ secret: SECRET });
  sim.setWebhookUrl(receiver.url);
  octokit = await installationOctokit(sim);
});
beforeEach(() => {
  receiver.received.length = 0;
});
afterEach(async () => {
  await sim.settle();
  sim.clearLogs();
});
afterAll(async () => {
  await sim.stop();
  await receiver.stop();
});

/** GraphQL answers are checked field by field below; their shape is the query's. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;

/** POSTs a query as GitHub's clients do; resolves to GitHub's raw answer (data and errors). */
async function gql(
  query: string,
  variables: Record<string, unknown> = {},
  path = "/api/graphql",
): Promise<{ status: number; body: { data?: Data; errors?: Data[] } }> {
  const token = await installationToken(sim);
  const response = await fetch(`${sim.baseUrl}${path}`, {
    method: "POST",
    headers: { authorization: `token ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: Data; errors?: Data[] } };
}

const graphqlRecords = () => sim.requests.filter((record) => record.operationId === "graphql");

describe("validation against GitHub's schema", () => {
  test("a misspelled field is rejected as GitHub would (200 with errors), recorded as a violation, and charged nothing", async () => {
    sim.seed.issue("acme/api", { title: "typo" });
    const { status, body } = await gql(
      `query { repository(owner: "acme", name: "api") { issue(number: 1) { titel } } }`,
    );
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/Cannot query field "titel" on type "Issue"/);
    expect(sim.violations).toEqual([
      expect.objectContaining({
        kind: "invalid-graphql",
        method: "POST",
        path: "/api/graphql",
        operationId: "graphql",
        reason: expect.stringContaining('"titel"'),
      }),
    ]);
    expect(graphqlRecords()[0]?.graphql).toMatchObject({ rejected: true, cost: 0, errors: 1 });
  });

  test("octokit.graphql (as the app calls it) throws on the rejection", async () => {
    await expect(octokit.graphql(`query { rateLimit { costt } }`)).rejects.toThrow(/Cannot query field "costt"/);
    expect(sim.violations.map((v) => v.kind)).toEqual(["invalid-graphql"]);
  });

  test.each([
    [
      "no first or last",
      `{ repository(owner: "acme", name: "api") { issues { totalCount } } }`,
      "You must provide a `first` or `last` value to properly paginate the `issues` connection.",
    ],
    [
      "first over 100",
      `{ repository(owner: "acme", name: "api") { issues(first: 101) { totalCount } } }`,
      "Requesting 101 records on the `issues` connection exceeds the `first` limit of 100 records.",
    ],
    [
      "both first and last",
      `{ repository(owner: "acme", name: "api") { labels(first: 5, last: 5) { totalCount } } }`,
      "Passing both `first` and `last` to paginate the `labels` connection is not supported.",
    ],
    [
      "an unknown argument",
      `{ repository(owner: "acme", name: "api") { issues(frist: 5) { totalCount } } }`,
      'Unknown argument "frist"',
    ],
    [
      "a variable of the wrong type",
      `query($n: Int!) { repository(owner: "acme", name: "api") { issue(number: $n) { title } } }`,
      'Variable "$n" got invalid value "one"',
    ],
  ])("%s is rejected with GitHub's message and recorded", async (_name, query, message) => {
    const { body } = await gql(query, { n: "one" });
    expect(body.errors?.[0]?.message).toContain(message);
    expect(sim.violations).toEqual([
      expect.objectContaining({ kind: "invalid-graphql", reason: expect.stringContaining(message) }),
    ]);
  });

  test("a field the simulator cannot answer fails visibly (error + violation), never with a made-up value", async () => {
    const number = sim.seed.issue("acme/api", { title: "reactions" });
    const { body } = await gql(
      `query($n: Int!) { repository(owner: "acme", name: "api") { issue(number: $n) { title reactionGroups { content } } } }`,
      { n: number },
    );
    expect(body.data.repository.issue).toEqual({ title: "reactions", reactionGroups: null });
    expect(body.errors?.[0]).toMatchObject({ type: "NOT_SIMULATED", path: ["repository", "issue", "reactionGroups"] });
    expect(sim.violations).toEqual([
      expect.objectContaining({ kind: "unsupported-graphql", reason: "graphql: not simulated: Issue.reactionGroups" }),
    ]);
  });

  test("needs an installation token (401 and an authentication violation otherwise)", async () => {
    const response = await fetch(`${sim.baseUrl}/api/graphql`, {
      method: "POST",
      body: JSON.stringify({ query: "{ rateLimit { cost } }" }),
    });
    expect(response.status).toBe(401);
    expect(sim.violations.map((v) => v.kind)).toEqual(["authentication"]);
  });

  test("is served at /graphql too (api.github.com's path)", async () => {
    const { body } = await gql(`{ rateLimit { cost limit } }`, {}, "/graphql");
    expect(body).toEqual({ data: { rateLimit: { cost: 1, limit: 5000 } } });
    expect(sim.violations).toEqual([]);
  });
});

describe("node ids and fields, as REST knows them", () => {
  test("node ids are REST's node_id; REST objects resolve through node(id:) with the same values", async () => {
    const { data: issue } = await octokit.rest.issues.create({ ...api, title: "ids", body: "text", labels: ["sev:2"] });
    const { data: comment } = await octokit.rest.issues.createComment({
      ...api,
      issue_number: issue.number,
      body: "first",
    });
    const { data: repo } = await octokit.rest.repos.get(api);
    const { body } = await gql(
      `query($issue: ID!, $comment: ID!, $label: ID!, $repo: ID!) {
        issue: node(id: $issue) { id ... on Issue { number databaseId title body state author { __typename login } labels(first: 10) { nodes { id name } } } }
        comment: node(id: $comment) { ... on IssueComment { databaseId body author { login } issue { number } } }
        label: node(id: $label) { ... on Label { name color } }
        repo: node(id: $repo) { ... on Repository { nameWithOwner databaseId isPrivate } }
      }`,
      {
        issue: issue.node_id,
        comment: comment.node_id,
        label: issue.labels[0] && typeof issue.labels[0] === "object" ? issue.labels[0].node_id : "",
        repo: repo.node_id,
      },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      // GitHub's GraphQL API names an app's bot without the `[bot]` suffix REST shows.
      issue: {
        id: issue.node_id,
        number: issue.number,
        databaseId: issue.id,
        title: "ids",
        body: "text",
        state: "OPEN",
        author: { __typename: "Bot", login: "incident-keeper" },
        labels: { nodes: [{ id: expect.any(String), name: "sev:2" }] },
      },
      comment: {
        databaseId: comment.id,
        body: "first",
        author: { login: "incident-keeper" },
        issue: { number: issue.number },
      },
      label: { name: "sev:2", color: "ededed" },
      repo: { nameWithOwner: "acme/api", databaseId: repo.id, isPrivate: true },
    });
  });

  test("an unknown or invisible id is null with GitHub's NOT_FOUND error, beside the ids that resolve", async () => {
    sim.seed.installation({ id: 99, account: "other", type: "Organization" });
    sim.seed.repo("other/secret", { installationId: 99 });
    const hidden = sim.seed.issue("other/secret", { title: "not yours" });
    const mine = sim.seed.issue("acme/api", { title: "mine" });
    const ids = [sim.nodeId("acme/api", mine), sim.nodeId("other/secret", hidden), "bm9wZQ=="];
    const { body } = await gql(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on Issue { title } } }`, { ids });
    expect(body.data.nodes).toEqual([{ title: "mine" }, null, null]);
    expect(body.errors?.map((error: { type: string; path: unknown[] }) => [error.type, error.path])).toEqual([
      ["NOT_FOUND", ["nodes", 1]],
      ["NOT_FOUND", ["nodes", 2]],
    ]);
    expect(sim.violations).toEqual([]);
  });
});

describe("files", () => {
  test("repository.object(expression: HEAD:path) is the default branch's file, as REST's contents API has it", async () => {
    sim.seed.file("acme/api", ".github/incident-keeper.yml", "incident_label: fire\n");
    const { body } = await gql(`{ repository(owner: "acme", name: "api") {
      config: object(expression: "HEAD:.github/incident-keeper.yml") { ... on Blob { text byteSize oid } }
      missing: object(expression: "HEAD:.github/absent.yml") { id }
      defaultBranchRef { name }
    } }`);
    const { data: rest } = await octokit.rest.repos.getContent({ ...api, path: ".github/incident-keeper.yml" });
    expect(body.data.repository).toEqual({
      config: { text: "incident_label: fire\n", byteSize: 21, oid: (rest as { sha: string }).sha },
      missing: null,
      defaultBranchRef: { name: "main" },
    });
    expect(sim.violations).toEqual([]);
  });

  test("another revision is not simulated (reported)", async () => {
    await gql(`{ repository(owner: "acme", name: "api") { object(expression: "v1.0:README.md") { id } } }`);
    expect(sim.violations).toEqual([
      expect.objectContaining({ kind: "unsupported-graphql", reason: expect.stringContaining("v1.0:README.md") }),
    ]);
  });
});

describe("connections and cost", () => {
  test("pages over 250 issues with cursors, 1 point per page, as REST lists them", async () => {
    for (let i = 1; i <= 250; i++)
      sim.seed.issue("acme/web", { title: `issue ${i}`, createdAt: new Date(Date.UTC(2025, 0, 1, 0, i)) });
    const query = `query($after: String) {
      repository(owner: "acme", name: "web") {
        issues(first: 100, after: $after, states: [OPEN]) { totalCount pageInfo { hasNextPage endCursor } nodes { number title } }
      }
      rateLimit { cost remaining }
    }`;
    const numbers: number[] = [];
    const costs: number[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const { body } = await gql(query, { after });
      const issues = body.data.repository.issues;
      expect(issues.totalCount).toBe(250);
      numbers.push(...issues.nodes.map((node: { number: number }) => node.number));
      costs.push(body.data.rateLimit.cost);
      pages++;
      if (!issues.pageInfo.hasNextPage) break;
      after = issues.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(numbers).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    expect(costs).toEqual([1, 1, 1]);
    const rest = await octokit.paginate(octokit.rest.issues.listForRepo, {
      owner: "acme",
      repo: "web",
      per_page: 100,
      direction: "asc",
      sort: "created",
    });
    expect(rest.map((issue) => issue.number)).toEqual(numbers);
    expect(sim.graphqlUsage()).toEqual({
      requests: 3,
      queries: 3,
      mutations: 0,
      points: 3,
      secondaryPoints: 3,
      rejected: 0,
    });
    expect(sim.countRequests({ api: "graphql" })).toEqual({ total: 3, reads: 3, writes: 0 });
    expect(sim.countRequests({ api: "rest" }).reads).toBeGreaterThanOrEqual(3);
    expect(sim.violations).toEqual([]);
  });

  test("`last`/`before` page backwards", async () => {
    const { body } = await gql(
      `{ repository(owner: "acme", name: "web") { issues(last: 2) { pageInfo { hasPreviousPage startCursor } nodes { number } } } }`,
    );
    const page = body.data.repository.issues;
    expect(page.nodes).toEqual([{ number: 249 }, { number: 250 }]);
    const { body: before } = await gql(
      `query($c: String) { repository(owner: "acme", name: "web") { issues(last: 2, before: $c) { nodes { number } } } }`,
      { c: page.pageInfo.startCursor },
    );
    expect(before.data.repository.issues.nodes).toEqual([{ number: 247 }, { number: 248 }]);
  });

  test("reads 100 issues' comments in one query (nodes batching): 1 request, 1 point, 10,000 possible nodes", async () => {
    const numbers: number[] = [];
    for (let i = 0; i < 100; i++) {
      const number = sim.seed.issue("acme/api", { title: `incident ${i}`, labels: ["incident"] });
      sim.seed.comment("acme/api", number, { body: `status of ${i}`, viaApp: true });
      sim.seed.comment("acme/api", number, { body: `note on ${i}`, user: "bob" });
      numbers.push(number);
    }
    const ids = numbers.map((number) => sim.nodeId("acme/api", number));
    const { body } = await gql(
      `query($ids: [ID!]!) {
        nodes(ids: $ids) { ... on Issue { number comments(first: 100) { totalCount nodes { databaseId body author { login } } } } }
        rateLimit { cost nodeCount }
      }`,
      { ids },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.nodes).toHaveLength(100);
    expect(body.data.rateLimit).toEqual({ cost: 1, nodeCount: 10_000 });
    for (const [index, node] of (
      body.data.nodes as Array<{ number: number; comments: { totalCount: number; nodes: unknown[] } }>
    ).entries()) {
      const number = numbers[index] ?? 0;
      const rest = sim.comments("acme/api", number);
      expect(node.number).toBe(number);
      expect(node.comments).toEqual({
        totalCount: 2,
        nodes: rest.map((comment) => ({
          databaseId: comment.id,
          body: comment.body,
          author: { login: comment.user.replace(/\[bot\]$/, "") },
        })),
      });
    }
    expect(sim.countRequests({ api: "graphql" }).total).toBe(1);
    expect(graphqlRecords()[0]?.graphql).toMatchObject({
      operation: "query",
      rootFields: ["nodes", "rateLimit"],
      cost: 1,
      nodeCount: 10_000,
      rejected: false,
    });
  });

  test("charges the installation's hourly budget; past it, RATE_LIMITED (GitHub's answer, not a violation)", async () => {
    const small = await startSimulator({ graphqlPointsPerHour: 3 });
    try {
      const token = await installationToken(small);
      const ask = async (): Promise<{ data?: Data; errors?: Data[] }> => {
        const response = await fetch(`${small.baseUrl}/api/graphql`, {
          method: "POST",
          headers: { authorization: `token ${token}` },
          body: JSON.stringify({ query: "{ rateLimit { cost remaining used limit } }" }),
        });
        return (await response.json()) as { data?: Data; errors?: Data[] };
      };
      expect((await ask()).data.rateLimit).toEqual({ cost: 1, remaining: 2, used: 1, limit: 3 });
      expect((await ask()).data.rateLimit).toEqual({ cost: 1, remaining: 1, used: 2, limit: 3 });
      expect((await ask()).data.rateLimit).toEqual({ cost: 1, remaining: 0, used: 3, limit: 3 });
      expect((await ask()).errors).toEqual([expect.objectContaining({ type: "RATE_LIMITED" })]);
      expect(small.violations).toEqual([]);
      expect(small.graphqlUsage()).toMatchObject({ requests: 4, points: 3, rejected: 1 });
    } finally {
      await small.stop();
    }
  });
});

describe("search(type: ISSUE)", () => {
  test("finds what REST search finds, in the same order, with issueCount and cursors", async () => {
    for (let i = 0; i < 5; i++)
      sim.seed.issue("acme/api", {
        title: `searchable ${i}`,
        labels: ["findme"],
        createdAt: new Date(Date.UTC(2025, 5, 1, i)),
      });
    sim.seed.issue("acme/api", { title: "closed one", labels: ["findme"], state: "closed" });
    const q = "repo:acme/api is:issue is:open label:findme";
    const { data: rest } = await octokit.rest.search.issuesAndPullRequests({ q, per_page: 100 });
    const query = `query($q: String!, $after: String) {
      search(query: $q, type: ISSUE, first: 3, after: $after) { issueCount pageInfo { hasNextPage endCursor } nodes { ... on Issue { number state } } }
    }`;
    const first = await gql(query, { q });
    expect(first.body.data.search.issueCount).toBe(5);
    const second = await gql(query, { q, after: first.body.data.search.pageInfo.endCursor });
    expect(second.body.data.search.pageInfo.hasNextPage).toBe(false);
    const numbers = [...first.body.data.search.nodes, ...second.body.data.search.nodes].map(
      (node: { number: number }) => node.number,
    );
    expect(numbers).toEqual(rest.items.map((item) => item.number));
    expect(sim.violations).toEqual([]);
  });

  test("a qualifier the simulator cannot answer is recorded, as for REST", async () => {
    await gql(`{ search(query: "repo:acme/api milestone:v1", type: ISSUE, first: 5) { issueCount } }`);
    expect(sim.violations).toEqual([
      expect.objectContaining({ kind: "unsupported-graphql", reason: expect.stringContaining("milestone:v1") }),
    ]);
  });
});

describe("timelineItems", () => {
  test("cross-references and the close by a merged pull request", async () => {
    const { data: incident } = await sim.user("alice").openIssue("acme/api", { title: "incident" });
    const { data: pull } = await sim
      .user("alice")
      .openPullRequest("acme/api", { title: "fix", body: `Fixes #${incident.number}` });
    await sim.user("alice").mergePullRequest("acme/api", pull.number);
    await sim.settle();
    const { body } = await gql(
      `query($n: Int!) { repository(owner: "acme", name: "api") { issue(number: $n) {
        state stateReason
        timelineItems(first: 50, itemTypes: [CROSS_REFERENCED_EVENT, CLOSED_EVENT]) {
          totalCount filteredCount
          nodes { __typename
            ... on CrossReferencedEvent { actor { login } isCrossRepository willCloseTarget source { ... on PullRequest { number state merged } } }
            ... on ClosedEvent { actor { login } stateReason closer { ... on PullRequest { number } } }
          }
        }
      } } }`,
      { n: incident.number },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.repository.issue).toMatchObject({
      state: "CLOSED",
      stateReason: "COMPLETED",
      timelineItems: {
        filteredCount: 2,
        nodes: [
          {
            __typename: "CrossReferencedEvent",
            actor: { login: "alice" },
            isCrossRepository: false,
            willCloseTarget: true,
            source: { number: pull.number, state: "MERGED", merged: true },
          },
          {
            __typename: "ClosedEvent",
            actor: { login: "alice" },
            stateReason: "COMPLETED",
            closer: { number: pull.number },
          },
        ],
      },
    });
    const restTimeline = await octokit.rest.issues.listEventsForTimeline({ ...api, issue_number: incident.number });
    const closed = restTimeline.data.find((event) => event.event === "closed") as { node_id?: string } | undefined;
    const { body: byId } = await gql(`query($id: ID!) { node(id: $id) { __typename } }`, { id: closed?.node_id });
    expect(byId.data.node).toEqual({ __typename: "ClosedEvent" });
  });
});

describe("mutations: visible through REST, with the webhooks REST writes send (sender: the app's bot)", () => {
  test("addComment, updateIssueComment", async () => {
    const number = sim.seed.issue("acme/api", { title: "talk" });
    const subjectId = sim.nodeId("acme/api", number);
    const added = await gql(
      `mutation($id: ID!) { addComment(input: { subjectId: $id, body: "hello", clientMutationId: "c1" }) { clientMutationId commentEdge { node { id databaseId body } } } }`,
      { id: subjectId },
    );
    expect(added.body.errors).toBeUndefined();
    const node = added.body.data.addComment.commentEdge.node;
    expect(added.body.data.addComment.clientMutationId).toBe("c1");
    await gql(
      `mutation($id: ID!) { updateIssueComment(input: { id: $id, body: "hello, edited" }) { issueComment { body } } }`,
      { id: node.id },
    );
    await sim.settle();
    const { data: comments } = await octokit.rest.issues.listComments({ ...api, issue_number: number });
    expect(comments).toEqual([
      expect.objectContaining({
        id: node.databaseId,
        node_id: node.id,
        body: "hello, edited",
        user: expect.objectContaining({ login: "incident-keeper[bot]" }),
      }),
    ]);
    expect(eventNames(receiver)).toEqual(["issue_comment.created", "issue_comment.edited"]);
    expect(receiver.received.map((delivery) => delivery.payload.sender?.login)).toEqual([
      "incident-keeper[bot]",
      "incident-keeper[bot]",
    ]);
    expect(receiver.received[1]?.payload).toMatchObject({
      changes: { body: { from: "hello" } },
      comment: { body: "hello, edited" },
    });
    expect(sim.graphqlUsage()).toMatchObject({ mutations: 2, secondaryPoints: 10 });
    expect(sim.countRequests({ api: "graphql" })).toEqual({ total: 2, reads: 0, writes: 2 });
    expect(sim.violations).toEqual([]);
  });

  test("addLabelsToLabelable, removeLabelsFromLabelable (with label ids from repository.labels)", async () => {
    sim.seed.label("acme/api", { name: "sev:1", color: "b60205" });
    sim.seed.label("acme/api", { name: "sev:2" });
    const number = sim.seed.issue("acme/api", { title: "labels", labels: ["sev:2"] });
    const { body } = await gql(
      `{ repository(owner: "acme", name: "api") { labels(first: 100, query: "sev:") { nodes { id name } } } }`,
    );
    const idOf = (name: string): string =>
      body.data.repository.labels.nodes.find((label: { name: string }) => label.name === name).id;
    const issueId = sim.nodeId("acme/api", number);
    await gql(
      `mutation($i: ID!, $l: [ID!]!) { addLabelsToLabelable(input: { labelableId: $i, labelIds: $l }) { labelable { ... on Issue { number } } } }`,
      { i: issueId, l: [idOf("sev:1")] },
    );
    await gql(
      `mutation($i: ID!, $l: [ID!]!) { removeLabelsFromLabelable(input: { labelableId: $i, labelIds: $l }) { clientMutationId } }`,
      { i: issueId, l: [idOf("sev:2")] },
    );
    await sim.settle();
    const { data: labels } = await octokit.rest.issues.listLabelsOnIssue({ ...api, issue_number: number });
    expect(labels.map((label) => label.name)).toEqual(["sev:1"]);
    expect(eventNames(receiver)).toEqual(["issues.labeled", "issues.unlabeled"]);
    expect(
      receiver.received.map((delivery) => [
        delivery.payload.sender?.login,
        (delivery.payload.label as { name: string }).name,
      ]),
    ).toEqual([
      ["incident-keeper[bot]", "sev:1"],
      ["incident-keeper[bot]", "sev:2"],
    ]);
    expect(sim.violations).toEqual([]);
  });

  test("closeIssue (with a reason), reopenIssue, updateIssue", async () => {
    const number = sim.seed.issue("acme/api", { title: "state" });
    const id = sim.nodeId("acme/api", number);
    const closed = await gql(
      `mutation($id: ID!) { closeIssue(input: { issueId: $id, stateReason: NOT_PLANNED }) { issue { state stateReason closed } } }`,
      { id },
    );
    expect(closed.body.data.closeIssue.issue).toEqual({ state: "CLOSED", stateReason: "NOT_PLANNED", closed: true });
    expect((await octokit.rest.issues.get({ ...api, issue_number: number })).data).toMatchObject({
      state: "closed",
      state_reason: "not_planned",
    });
    await gql(`mutation($id: ID!) { reopenIssue(input: { issueId: $id }) { issue { state } } }`, { id });
    await gql(
      `mutation($id: ID!) { updateIssue(input: { id: $id, title: "renamed", body: "new body" }) { issue { title body } } }`,
      { id },
    );
    await sim.settle();
    expect((await octokit.rest.issues.get({ ...api, issue_number: number })).data).toMatchObject({
      state: "open",
      title: "renamed",
      body: "new body",
    });
    expect(eventNames(receiver)).toEqual(["issues.closed", "issues.reopened", "issues.edited"]);
    expect(receiver.received[2]?.payload).toMatchObject({
      changes: { title: { from: "state" }, body: { from: "" } },
      sender: { login: "incident-keeper[bot]" },
    });
    expect(sim.violations).toEqual([]);
  });

  test("a write outside the installation is FORBIDDEN; a field of the input the simulator lacks is reported", async () => {
    sim.seed.repo("octo/public", { private: false });
    const foreign = sim.seed.issue("octo/public", { title: "not ours" });
    const { body } = await gql(
      `mutation($id: ID!) { addComment(input: { subjectId: $id, body: "x" }) { clientMutationId } }`,
      { id: sim.nodeId("octo/public", foreign) },
    );
    expect(body.errors).toEqual([
      expect.objectContaining({ type: "FORBIDDEN", message: "Resource not accessible by integration" }),
    ]);
    expect(sim.comments("octo/public", foreign)).toEqual([]);
    const number = sim.seed.issue("acme/api", { title: "milestone" });
    await gql(
      `mutation($id: ID!) { updateIssue(input: { id: $id, milestoneId: "MDk6TWlsZXN0b25lMQ==" }) { clientMutationId } }`,
      { id: sim.nodeId("acme/api", number) },
    );
    expect(sim.violations).toEqual([
      expect.objectContaining({ kind: "unsupported-graphql", reason: expect.stringContaining("milestoneId") }),
    ]);
  });
});

describe("faults", () => {
  test("apply to GraphQL requests too: a failed answer, or a mutation applied before its answer is lost", async () => {
    const number = sim.seed.issue("acme/api", { title: "faulty" });
    sim.faults = { failRate: 1, statuses: [502] };
    try {
      expect((await gql(`{ rateLimit { cost } }`)).status).toBe(502);
      sim.faults = { failRate: 1, statuses: [502], applyWritesBeforeFailing: true };
      const { status } = await gql(
        `mutation($id: ID!) { addComment(input: { subjectId: $id, body: "lost answer" }) { clientMutationId } }`,
        {
          id: sim.nodeId("acme/api", number),
        },
      );
      expect(status).toBe(502);
    } finally {
      sim.faults = {};
    }
    expect(sim.comments("acme/api", number).map((comment) => comment.body)).toEqual(["lost answer"]);
    expect(graphqlRecords().map((record) => record.fault)).toEqual(["status 502", "status 502 after write"]);
  });
});

describe("latency", () => {
  test("latencyMs adds a round trip to every REST and GraphQL request (the simulator's own log; a lower bound)", async () => {
    sim.latencyMs = 100;
    try {
      await octokit.rest.repos.get(api);
      await gql(`{ rateLimit { cost } }`);
    } finally {
      sim.latencyMs = 0;
    }
    const answered = sim.requests.filter(
      (record) => record.operationId === "repos/get" || record.operationId === "graphql",
    );
    expect(answered).toHaveLength(2);
    for (const record of answered) expect(record.durationMs).toBeGreaterThanOrEqual(95);
  });

  test("a request is in the log once its change is visible, before its answer's half of the round trip", async () => {
    const number = sim.seed.issue("acme/api", { title: "logged with its change", labels: [] });
    const logged = (): number =>
      sim.requests.filter((record) => record.operationId === "issues/create-comment" && record.status === 201).length;
    sim.latencyMs = 400;
    try {
      const answer = octokit.rest.issues.createComment({ ...api, issue_number: number, body: "seen" });
      while (sim.comments("acme/api", number).length === 0) await new Promise((r) => setTimeout(r, 5));
      // The comment exists and the answer is still 200 ms away: whoever sees the change finds its request.
      expect(logged()).toBe(1);
      await answer;
    } finally {
      sim.latencyMs = 0;
    }
    const [record] = sim.requests.filter((r) => r.operationId === "issues/create-comment");
    // Its duration is still the whole round trip, set once it was answered.
    expect(record!.durationMs).toBeGreaterThanOrEqual(395);
  });
});

describe("transferIssue", () => {
  test("moves the issue with its comments: webhooks on both repositories, REST sees it in the new one and redirects the old number", async () => {
    sim.seed.label("acme/api", { name: "security", color: "d93f0b", description: "a security incident" });
    const number = sim.seed.issue("acme/api", {
      title: "security incident",
      body: "details",
      labels: ["security"],
      user: "alice",
    });
    sim.seed.comment("acme/api", number, { body: "triage notes", user: "bob" });
    const { body: ids } = await gql(`{ repository(owner: "acme", name: "web") { id } }`);
    const { body } = await gql(
      `mutation($issue: ID!, $repo: ID!) { transferIssue(input: { issueId: $issue, repositoryId: $repo, createLabelsIfMissing: true }) {
        issue { id number repository { nameWithOwner } labels(first: 10) { nodes { name color } } comments(first: 10) { nodes { body } } }
      } }`,
      { issue: sim.nodeId("acme/api", number), repo: ids.data.repository.id },
    );
    expect(body.errors).toBeUndefined();
    const moved = body.data.transferIssue.issue;
    expect(moved).toMatchObject({
      repository: { nameWithOwner: "acme/web" },
      labels: { nodes: [{ name: "security", color: "d93f0b" }] },
      comments: { nodes: [{ body: "triage notes" }] },
    });
    await sim.settle();

    expect(eventNames(receiver)).toEqual(["issues.transferred", "issues.opened"]);
    const [transferred, opened] = receiver.received;
    expect(transferred?.payload).toMatchObject({
      repository: { full_name: "acme/api" },
      issue: { number, title: "security incident" },
      changes: { new_issue: { number: moved.number, node_id: moved.id }, new_repository: { full_name: "acme/web" } },
      sender: { login: "incident-keeper[bot]", type: "Bot" },
      installation: { id: 77 },
    });
    expect(opened?.payload).toMatchObject({
      repository: { full_name: "acme/web" },
      issue: { number: moved.number, node_id: moved.id, labels: [expect.objectContaining({ name: "security" })] },
      changes: { old_issue: { number }, old_repository: { full_name: "acme/api" } },
      sender: { login: "incident-keeper[bot]" },
    });

    const inWeb = await octokit.rest.issues.get({ owner: "acme", repo: "web", issue_number: moved.number });
    expect(inWeb.data).toMatchObject({
      title: "security incident",
      body: "details",
      user: { login: "alice" },
      node_id: moved.id,
    });
    expect(
      (await octokit.rest.issues.listComments({ owner: "acme", repo: "web", issue_number: moved.number })).data.map(
        (c) => c.body,
      ),
    ).toEqual(["triage notes"]);
    const apiNumbers = (
      await octokit.paginate(octokit.rest.issues.listForRepo, { ...api, state: "all", per_page: 100 })
    ).map((issue) => issue.number);
    expect(apiNumbers).not.toContain(number);
    const oldAddress = await fetch(`${sim.baseUrl}/api/v3/repos/acme/api/issues/${number}`, {
      headers: { authorization: `token ${await installationToken(sim)}` },
      redirect: "manual",
    });
    expect(oldAddress.status).toBe(301);
    expect(oldAddress.headers.get("location")).toBe(`${sim.baseUrl}/api/v3/repos/acme/web/issues/${moved.number}`);
    // octokit follows the redirect, as fetch does.
    expect((await octokit.rest.issues.get({ ...api, issue_number: number })).data.number).toBe(moved.number);
    expect(sim.violations).toEqual([]);
  });

  test("only between repositories of the same owner (UNPROCESSABLE otherwise, nothing moves)", async () => {
    sim.seed.repo("elsewhere/repo", { installationId: 77 });
    const number = sim.seed.issue("acme/api", { title: "stays" });
    const { body: ids } = await gql(`{ repository(owner: "elsewhere", name: "repo") { id } }`);
    const { body } = await gql(
      `mutation($i: ID!, $r: ID!) { transferIssue(input: { issueId: $i, repositoryId: $r }) { issue { number } } }`,
      {
        i: sim.nodeId("acme/api", number),
        r: ids.data.repository.id,
      },
    );
    expect(body.errors).toEqual([expect.objectContaining({ type: "UNPROCESSABLE" })]);
    expect(sim.issue("acme/api", number).title).toBe("stays");
    expect(receiver.received).toEqual([]);
  });
});
