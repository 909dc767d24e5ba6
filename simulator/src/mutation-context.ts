import type { SimState } from "./state.js";
import type { PendingWebhook, SimIssue, SimTimelineEvent, SimUser } from "./types.js";

/**
 * Who is changing GitHub's state, and where the resulting webhooks go. The same mutations serve
 * the REST routes (actor: the app's bot), user actions and seeding (whose `emit` drops events).
 */
export interface MutationContext {
  state: SimState;
  actor: SimUser;
  /** The change is made through an installation token (shows as performed_via_github_app). */
  viaApp: boolean;
  /** Receives a webhook factory; called at once by the dispatcher so the payload is a snapshot. */
  emit: (build: () => PendingWebhook) => void;
  /** Timestamp to use instead of the clock (seeding history). */
  at?: Date;
}

/** The time a mutation happens at. */
export function nowOf(ctx: MutationContext): Date {
  return ctx.at ? new Date(ctx.at.getTime()) : ctx.state.clock.now();
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A timeline entry before the actor, id and time are filled in. */
export type TimelineInput = DistributiveOmit<SimTimelineEvent, "id" | "actor" | "viaApp" | "createdAt">;

/** Appends a timeline entry by the context's actor and touches the issue's `updated_at`. */
export function recordTimeline(ctx: MutationContext, issue: SimIssue, entry: TimelineInput): void {
  const createdAt = nowOf(ctx);
  issue.timeline.push({ ...entry, id: ctx.state.ids.event.take(), actor: ctx.actor, viaApp: ctx.viaApp, createdAt });
  touch(ctx, issue);
}

/** Sets the issue's `updated_at` to now. */
export function touch(ctx: MutationContext, issue: SimIssue): void {
  issue.updatedAt = nowOf(ctx);
}
