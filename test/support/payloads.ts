/**
 * Webhook payloads shaped like GitHub's real ones: taken fresh from @octokit/webhooks-examples for
 * every call, then adjusted to the scenario (repository, labels, body, sender, installation).
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
interface ExampleGroup {
  name: string;
  examples: Array<Record<string, unknown> & { action?: string }>;
}
const examples = require("@octokit/webhooks-examples/api.github.com/index.json") as ExampleGroup[];

export const OWNER = "acme";
export const REPO = "api";
export const INSTALLATION_ID = 4242;
export const BOT_LOGIN = "incident-keeper[bot]";
export const APP_ID = 123;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A deep copy of the first real example of `event.action`. */
export function example(event: string, action: string): Json {
  const group = examples.find((g) => g.name === event);
  const found = group?.examples.find((e) => e.action === action);
  if (!found) throw new Error(`no webhooks-examples payload for ${event}.${action}`);
  return structuredClone(found);
}

function label(name: string): Json {
  return {
    id: Math.abs(hash(name)),
    node_id: `L_${name}`,
    url: `https://api.github.com/repos/${OWNER}/${REPO}/labels/${encodeURIComponent(name)}`,
    name,
    color: "ededed",
    default: false,
    description: null,
  };
}

function hash(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return h;
}

function user(login: string, type = "User"): Json {
  return {
    login,
    id: Math.abs(hash(login)),
    node_id: `U_${login}`,
    type,
    site_admin: false,
    url: `https://api.github.com/users/${login}`,
  };
}

export interface IssueShape {
  number?: number;
  title?: string;
  body?: string | null;
  labels?: string[];
  state?: "open" | "closed";
  createdAt?: string;
  closedAt?: string | null;
  author?: string;
  assignees?: string[];
}

/** An `issues.<action>` delivery on acme/api. */
export function issuesEvent(
  action: string,
  shape: IssueShape & { sender?: string; senderType?: string; label?: string },
): Json {
  const payload = example("issues", action);
  const number = shape.number ?? 7;
  payload.repository.owner.login = OWNER;
  payload.repository.name = REPO;
  payload.repository.full_name = `${OWNER}/${REPO}`;
  payload.installation = { id: INSTALLATION_ID, node_id: "I_1" };
  payload.sender = user(shape.sender ?? "alice", shape.senderType ?? "User");
  Object.assign(payload.issue, {
    number,
    title: shape.title ?? "Login returns 503",
    body: shape.body === undefined ? "Users cannot log in." : shape.body,
    labels: (shape.labels ?? ["incident"]).map(label),
    state: shape.state ?? (action === "closed" ? "closed" : "open"),
    created_at: shape.createdAt ?? "2026-11-23T06:00:00Z",
    closed_at: shape.closedAt ?? (action === "closed" ? "2026-11-23T09:00:00Z" : null),
    user: user(shape.author ?? "alice"),
    assignees: (shape.assignees ?? []).map((a) => user(a)),
    url: `https://api.github.com/repos/${OWNER}/${REPO}/issues/${number}`,
    html_url: `https://github.com/${OWNER}/${REPO}/issues/${number}`,
  });
  delete payload.issue.pull_request;
  if (shape.label !== undefined) payload.label = label(shape.label);
  return payload;
}

/** An `issue_comment.created` delivery on acme/api. */
export function commentEvent(
  shape: IssueShape & { comment: string; commenter?: string; commenterType?: string; commentId?: number },
): Json {
  const payload = example("issue_comment", "created");
  const issueLike = issuesEvent("opened", shape);
  payload.repository = issueLike.repository;
  payload.installation = issueLike.installation;
  payload.issue = { ...payload.issue, ...issueLike.issue };
  delete payload.issue.pull_request;
  const commenter = user(shape.commenter ?? "alice", shape.commenterType ?? "User");
  payload.sender = commenter;
  payload.comment = {
    ...payload.comment,
    id: shape.commentId ?? 9001,
    body: shape.comment,
    user: commenter,
    performed_via_github_app: null,
  };
  return payload;
}

/** `issue_comment.edited`: the comment now says `comment`; `from` is what it said before (`changes.body.from`). */
export function commentEditedEvent(
  shape: IssueShape & { comment: string; from: string; commenter?: string; commentId?: number },
): Json {
  const payload = commentEvent(shape);
  const edited = example("issue_comment", "edited");
  payload.action = "edited";
  payload.changes = { ...edited.changes, body: { from: shape.from } };
  payload.comment = { ...payload.comment, updated_at: "2026-11-23T09:00:00Z" };
  return payload;
}
