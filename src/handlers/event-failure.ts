/**
 * What to log when a delivery still fails after the retries: enough to find the incident (delivery
 * id, event, repository, issue or pull request number, GitHub's statuses), never the payload. The
 * state is not lost: the next event on the incident, or a sweep, recomputes it from GitHub.
 */
import { statusOf } from "../github/gateway.js";

export interface FailedEvent {
  delivery: string | null;
  event: string | null;
  repository: string | null;
  number: number | null;
  /** The installation the event was for (null: none in the payload). */
  installationId: number | null;
  statuses: Array<number | null>;
  messages: string[];
}

interface EventLike {
  id?: unknown;
  name?: unknown;
  payload?: {
    action?: unknown;
    repository?: { full_name?: unknown };
    installation?: { id?: unknown };
    issue?: { number?: unknown };
    pull_request?: { number?: unknown };
  };
}

const text = (value: unknown): string | null => (typeof value === "string" ? value : null);

export function failedEvent(error: unknown): FailedEvent {
  const event =
    (typeof error === "object" && error !== null && "event" in error
      ? (error as { event: EventLike }).event
      : undefined) ?? {};
  const errors = error instanceof AggregateError ? (error.errors as unknown[]) : [error];
  const payload = event.payload ?? {};
  const number = payload.issue?.number ?? payload.pull_request?.number;
  const name = text(event.name);
  const action = text(payload.action);
  return {
    delivery: text(event.id),
    event: name && action ? `${name}.${action}` : name,
    repository: text(payload.repository?.full_name),
    number: typeof number === "number" ? number : null,
    installationId: typeof payload.installation?.id === "number" ? payload.installation.id : null,
    statuses: errors.map(statusOf),
    messages: errors.map((e) => (e instanceof Error ? e.message : String(e)).slice(0, 300)),
  };
}
