/**
 * Zod schemas for the parts of GitHub's payloads and responses the app reads. Webhook bodies are
 * untrusted input: a payload missing a field the app needs is rejected with a clear reason, not a crash.
 */
import { z } from "zod";
import type { IncidentIssue } from "../core/incident.js";

const label = z.union([z.string(), z.object({ name: z.string() }).loose()]);
const user = z.object({ login: z.string(), type: z.string().optional() }).loose();

export const issueSchema = z
  .object({
    number: z.number().int().positive(),
    title: z.string().default(""),
    body: z.string().nullable().optional(),
    state: z.string().optional(),
    state_reason: z.string().nullable().optional(),
    labels: z.array(label.nullable()).optional(),
    assignees: z.array(user.nullable()).nullable().optional(),
    user: user.nullable().optional(),
    created_at: z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not a date"),
    closed_at: z.string().nullable().optional(),
    updated_at: z.string().nullable().optional(),
    pull_request: z.unknown().optional(),
  })
  .loose();

/** Parses an issue (webhook payload or REST answer) into the core's view; throws a ZodError on junk. */
export function toIssueSnapshot(raw: unknown): IncidentIssue {
  const issue = issueSchema.parse(raw);
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body ?? "",
    state: issue.state === "closed" ? "closed" : "open",
    stateReason: issue.state_reason ?? null,
    labels: (issue.labels ?? []).flatMap((l) => (l === null ? [] : [typeof l === "string" ? l : l.name])),
    assignees: (issue.assignees ?? []).flatMap((a) => (a ? [a.login] : [])),
    author: issue.user?.login ?? "ghost",
    createdAt: new Date(issue.created_at),
    closedAt: issue.closed_at ? new Date(issue.closed_at) : null,
    ...(issue.updated_at && !Number.isNaN(Date.parse(issue.updated_at))
      ? { updatedAt: new Date(issue.updated_at) }
      : {}),
    isPullRequest: issue.pull_request !== undefined && issue.pull_request !== null,
  };
}
