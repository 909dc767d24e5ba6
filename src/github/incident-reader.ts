/**
 * The report's reads, behind one small module: which incidents exist in a date range (search), and
 * each incident's hidden state (its status comment) and reopen markers, read in batches.
 *
 * Two ways, same answer:
 * - `graphql`: one GitHub GraphQL search per 100 incidents that also returns each incident's first
 *   100 comments (1,000 incidents = 10 calls per query). An incident with more comments than that
 *   whose status comment is not among them is read again through REST.
 * - `rest`: the REST search (100 per page), then one paginated comment listing per incident
 *   (1,000 incidents = 10 + 1,000 calls). For a GitHub without GraphQL (and the simulator before it has it).
 */
import type { ProbotOctokit } from "probot";
import { z } from "zod";
import type { IncidentRecord } from "../core/metrics.js";
import { decodeState, STATUS_MARKER } from "../core/status-state.js";
import type { AppIdentity } from "./identity.js";
import { appCommentsIn, commentsConnection, OWN_COMMENTS_FIELDS, ownCommentsRest } from "./comment-batch.js";
import { toIssueSnapshot } from "./payloads.js";

export type ReaderMode = "graphql" | "rest";

/** Where to look: an installation's account, or one repository. */
export type ReadScope =
  { kind: "account"; login: string; type: "Organization" | "User" } | { kind: "repository"; fullName: string };

export interface ReadRequest {
  scope: ReadScope;
  incidentLabel: string;
  /** First day included (UTC). */
  since: Date;
  /** First day not included (UTC). */
  until: Date;
  identity: AppIdentity;
  mode: ReaderMode;
}

const REOPENED_MARKER = "<!-- incident-keeper:reopened ";

/** Incidents opened in the range, and incidents opened before it but closed within it. */
export async function readIncidents(octokit: ProbotOctokit, request: ReadRequest): Promise<IncidentRecord[]> {
  const queries = searchQueries(request);
  const read = request.mode === "graphql" ? readGraphql : readRest;
  const found = new Map<string, IncidentRecord>();
  for (const q of queries)
    for (const record of await read(octokit, q, request.identity))
      found.set(`${record.repository}#${record.number}`.toLowerCase(), record);
  return [...found.values()];
}

/** Every repository (`owner/name`) the installation can see, archived ones too (they hold past incidents). */
export async function installationRepositories(octokit: ProbotOctokit): Promise<string[]> {
  const repos = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
  return repos.map((r) => r.full_name);
}

/** The search queries of a request (dates inclusive in GitHub's syntax, so `until` minus a day). */
export function searchQueries(request: Pick<ReadRequest, "scope" | "incidentLabel" | "since" | "until">): string[] {
  const scope =
    request.scope.kind === "repository"
      ? `repo:${request.scope.fullName}`
      : `${request.scope.type === "Organization" ? "org" : "user"}:${request.scope.login}`;
  const first = day(request.since);
  const last = day(new Date(request.until.getTime() - 86_400_000));
  const base = `is:issue label:"${request.incidentLabel.replace(/"/g, "")}" ${scope}`;
  return [`${base} created:${first}..${last}`, `${base} closed:${first}..${last} created:<${first}`];
}

function day(at: Date): string {
  return at.toISOString().slice(0, 10);
}

function recordOf(
  issue: ReturnType<typeof toIssueSnapshot>,
  repository: string,
  url: string,
  ownBodies: string[],
): IncidentRecord {
  const status = ownBodies.find((b) => b.startsWith(STATUS_MARKER));
  return {
    repository,
    number: issue.number,
    title: issue.title,
    url,
    state: issue.state,
    createdAt: issue.createdAt,
    closedAt: issue.closedAt,
    labels: issue.labels,
    status: status ? decodeState(status) : null,
    reopens: ownBodies.filter((b) => b.startsWith(REOPENED_MARKER)).length,
  };
}

async function readRest(octokit: ProbotOctokit, q: string, identity: AppIdentity): Promise<IncidentRecord[]> {
  // Imported here so the GraphQL path does not pull in the sweep.
  const { searchAll } = await import("../sweep/sweep.js");
  const records: IncidentRecord[] = [];
  for (const item of await searchAll(octokit, q)) {
    const match = /\/repos\/([^/]+)\/([^/]+)$/.exec(item.repository_url);
    if (!match?.[1] || !match[2] || item.pull_request) continue;
    const bodies = await ownCommentBodies(octokit, { owner: match[1], repo: match[2], number: item.number }, identity);
    records.push(recordOf(toIssueSnapshot(item), `${match[1]}/${match[2]}`, item.html_url, bodies));
  }
  return records;
}

async function ownCommentBodies(
  octokit: ProbotOctokit,
  ref: { owner: string; repo: string; number: number },
  identity: AppIdentity,
): Promise<string[]> {
  return (await ownCommentsRest(octokit, ref, identity)).map((c) => c.body);
}

const SEARCH_QUERY = `query($q: String!, $after: String) {
  search(query: $q, type: ISSUE, first: 100, after: $after) {
    issueCount
    pageInfo { hasNextPage endCursor }
    nodes {
      ... on Issue {
        number title url state stateReason createdAt closedAt
        repository { nameWithOwner }
        labels(first: 100) { nodes { name } }
        ${OWN_COMMENTS_FIELDS}
      }
    }
  }
}`;

const graphqlIssue = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  url: z.string(),
  state: z.enum(["OPEN", "CLOSED"]),
  stateReason: z.string().nullable().optional(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  repository: z.object({ nameWithOwner: z.string() }),
  labels: z.object({ nodes: z.array(z.object({ name: z.string() }).nullable()) }).nullable(),
  comments: commentsConnection,
});

const searchAnswer = z.object({
  search: z.object({
    issueCount: z.number().int(),
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
    nodes: z.array(z.unknown()),
  }),
});

/** GitHub's search gives at most 1,000 results per query; a larger range is split in two by creation date. */
const SEARCH_RESULT_LIMIT = 1_000;

async function readGraphql(octokit: ProbotOctokit, q: string, identity: AppIdentity): Promise<IncidentRecord[]> {
  const records: IncidentRecord[] = [];
  let after: string | null = null;
  for (;;) {
    const answer = searchAnswer.parse(await octokit.graphql(SEARCH_QUERY, { q, after }));
    if (after === null && answer.search.issueCount > SEARCH_RESULT_LIMIT) {
      throw new Error(
        `the search "${q}" matches ${answer.search.issueCount} incidents, more than GitHub returns (1,000): ` +
          "use a shorter --since/--until range",
      );
    }
    for (const node of answer.search.nodes) {
      const parsed = graphqlIssue.safeParse(node);
      if (!parsed.success) continue; // a pull request or a node the token cannot see
      const issue = parsed.data;
      const [owner, repo] = issue.repository.nameWithOwner.split("/");
      if (!owner || !repo) continue;
      let bodies = appCommentsIn(issue.comments, identity).map((c) => c.body);
      if (!bodies.some((b) => b.startsWith(STATUS_MARKER)) && issue.comments.totalCount > issue.comments.nodes.length) {
        bodies = await ownCommentBodies(octokit, { owner, repo, number: issue.number }, identity);
      }
      const snapshot = toIssueSnapshot({
        number: issue.number,
        title: issue.title,
        state: issue.state === "CLOSED" ? "closed" : "open",
        state_reason: issue.stateReason?.toLowerCase() ?? null,
        labels: (issue.labels?.nodes ?? []).flatMap((l) => (l ? [l.name] : [])),
        created_at: issue.createdAt,
        closed_at: issue.closedAt,
      });
      records.push(recordOf(snapshot, issue.repository.nameWithOwner, issue.url, bodies));
    }
    if (!answer.search.pageInfo.hasNextPage || !answer.search.pageInfo.endCursor) break;
    after = answer.search.pageInfo.endCursor;
  }
  return records;
}
