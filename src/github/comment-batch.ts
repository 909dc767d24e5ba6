/**
 * The app's own comments of many issues in few GraphQL queries: the one batch reader of the sweep
 * (`nodes(ids:)` on the search result's node ids, 100 issues per query) and of the report (its search
 * asks for the same comments inline, `OWN_COMMENTS_FIELDS`).
 *
 * Each issue's first 100 comments come with it. An issue with more comments than that is read again
 * through REST (paginated), so the thread is always complete: a reminder's marker may lie past the
 * first 100.
 *
 * Cost (GitHub's calculation, docs.github.com "Rate limits and query limits for the GraphQL API"):
 * 100 issues' comments = 100 requests / 100 = 1 point per query. `rateLimit { cost }` is asked for so
 * callers can report the points they spent beside their REST calls.
 */
import type { ProbotOctokit } from "probot";
import { z } from "zod";
import type { OwnComment } from "../core/snapshot.js";
import { isOwnComment, type AppIdentity } from "./identity.js";

/** GitHub's limit for `nodes(ids:)` and `first`. */
export const BATCH_SIZE = 100;

/** The comment fields both readers ask for on an `Issue`. */
export const OWN_COMMENTS_FIELDS = `comments(first: 100) {
  totalCount
  nodes { databaseId body updatedAt author { __typename login } }
}`;

/** A `comments(first: 100)` connection as `OWN_COMMENTS_FIELDS` asks for it. */
export const commentsConnection = z.object({
  totalCount: z.number().int(),
  nodes: z.array(
    z
      .object({
        databaseId: z.number().int().nullable().optional(),
        body: z.string(),
        updatedAt: z.string().nullable().optional(),
        author: z.object({ __typename: z.string(), login: z.string() }).nullable(),
      })
      .nullable(),
  ),
});

export type CommentsConnection = z.output<typeof commentsConnection>;

/** An issue to read: its GraphQL node id (REST's `node_id`) and where it lives. */
export interface IssueRef {
  nodeId: string;
  owner: string;
  repo: string;
  number: number;
}

/** Points and queries a batch read spent (REST fallbacks counted apart). */
export interface BatchUsage {
  queries: number;
  points: number;
  restFallbacks: number;
}

export function emptyUsage(): BatchUsage {
  return { queries: 0, points: 0, restFallbacks: 0 };
}

/**
 * The app's comments in a connection, oldest first; null when the connection holds only part of the
 * issue's comments (the caller reads the rest through REST: `ownCommentsRest`).
 */
export function ownCommentsOf(connection: CommentsConnection, identity: AppIdentity): OwnComment[] | null {
  if (connection.totalCount > connection.nodes.length) return null;
  const own = appCommentsIn(connection, identity);
  // Without REST's id a comment cannot be edited: read such an issue through REST.
  return own.some((c) => c.id === 0) ? null : own;
}

/** The app's comments among those a connection holds (complete or not), oldest first (id 0: not asked for). */
export function appCommentsIn(connection: CommentsConnection, identity: AppIdentity): OwnComment[] {
  // GraphQL names a bot by its slug, without REST's `[bot]` suffix (either is accepted).
  const botLogins = new Set([identity.botLogin, identity.botLogin.replace(/\[bot\]$/, "")]);
  return connection.nodes.flatMap((c) => {
    if (!c || c.author?.__typename !== "Bot" || !botLogins.has(c.author.login)) return [];
    const updatedAt = c.updatedAt ? new Date(c.updatedAt) : null;
    const known = updatedAt && !Number.isNaN(updatedAt.getTime());
    return [{ id: c.databaseId ?? 0, body: c.body, ...(known ? { updatedAt } : {}) }];
  });
}

/** The app's comments on one issue through REST (paginated), as the gateway reads them. */
export async function ownCommentsRest(
  octokit: ProbotOctokit,
  ref: Omit<IssueRef, "nodeId">,
  identity: AppIdentity,
): Promise<OwnComment[]> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: ref.owner,
    repo: ref.repo,
    issue_number: ref.number,
    per_page: 100,
  });
  return comments
    .filter((c) => isOwnComment(c, identity))
    .map((c) => ({ id: c.id, body: c.body ?? "", ...(c.updated_at ? { updatedAt: new Date(c.updated_at) } : {}) }));
}

const NODES_QUERY = `query($ids: [ID!]!) {
  rateLimit { cost }
  nodes(ids: $ids) {
    ... on Issue { id ${OWN_COMMENTS_FIELDS} }
  }
}`;

const nodesAnswer = z.object({
  rateLimit: z.object({ cost: z.number().int() }).nullable().optional(),
  nodes: z.array(z.unknown()),
});

const issueNode = z.object({ id: z.string(), comments: commentsConnection });

/**
 * One `nodes(ids:)` query. An id GitHub cannot resolve (an issue deleted or transferred since the
 * search) is `null` with a `NOT_FOUND` error beside the others' data: Octokit throws on any error, so
 * such an answer is taken apart here; every other error is thrown.
 */
async function nodesQuery(octokit: ProbotOctokit, ids: string[]): Promise<unknown> {
  try {
    return await octokit.graphql(NODES_QUERY, { ids });
  } catch (error) {
    const partial = error as { errors?: { type?: string }[]; data?: unknown };
    const notFound = partial.errors?.length && partial.errors.every((e) => e.type === "NOT_FOUND");
    if (partial.data && notFound) return partial.data;
    throw error;
  }
}

/**
 * The app's own comments of every issue in `refs`, keyed by node id: one query per 100 issues (run
 * one after another: GitHub asks integrators not to send concurrent requests), plus one REST read
 * per issue with more than 100 comments. An issue GitHub does not return (deleted, transferred) is
 * absent from the map. A failed query throws: the caller decides what a sweep does then.
 */
export async function readOwnComments(
  octokit: ProbotOctokit,
  refs: readonly IssueRef[],
  identity: AppIdentity,
  usage: BatchUsage = emptyUsage(),
): Promise<Map<string, OwnComment[]>> {
  const found = new Map<string, OwnComment[]>();
  const byId = new Map(refs.map((r) => [r.nodeId, r]));
  const ids = [...byId.keys()];
  for (let start = 0; start < ids.length; start += BATCH_SIZE) {
    const answer = nodesAnswer.parse(await nodesQuery(octokit, ids.slice(start, start + BATCH_SIZE)));
    usage.queries += 1;
    usage.points += answer.rateLimit?.cost ?? 1;
    for (const node of answer.nodes) {
      const parsed = issueNode.safeParse(node);
      if (!parsed.success) continue; // null (not found) or not an issue
      const ref = byId.get(parsed.data.id);
      if (!ref) continue;
      let own = ownCommentsOf(parsed.data.comments, identity);
      if (own === null) {
        usage.restFallbacks += 1;
        own = await ownCommentsRest(octokit, ref, identity);
      }
      found.set(ref.nodeId, own);
    }
  }
  return found;
}
