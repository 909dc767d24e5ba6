/**
 * `pull_request` deliveries: a PR that references an incident or one of its actions shows there as
 * "in review" and gets a status comment of its own; a merged (or reopened) PR listed as an action
 * ticks (or unticks) it. A thin adapter: triggers for the reconciler, then the PR's own comment.
 */
import type { Probot } from "probot";
import { pullRequestReferences } from "../core/pr-references.js";
import { refKeyOf } from "../core/references.js";
import { remoteStateOf } from "../core/writeup.js";
import { linkedIncidents, PR_STATUS_MARKER, upsertPrStatus } from "../reconcile/pull-request-links.js";
import { reconcileListing, settleAll } from "../reconcile/listing.js";
import { reconcile } from "../reconcile/reconcile.js";
import type { Services } from "../reconcile/services.js";
import type { PrStatusIncident } from "../render/pr-status.js";
import { eventScope, isOwnEvent, type EventScope } from "./event-scope.js";

export { PR_STATUS_MARKER };

type PullRequest = {
  number: number;
  body?: string | null;
  state: string;
  merged?: boolean | null;
  title: string;
  created_at?: string;
  merged_at?: string | null;
  closed_at?: string | null;
};

export function registerPullRequests(app: Probot, services: Services): void {
  app.on(
    ["pull_request.opened", "pull_request.edited", "pull_request.reopened", "pull_request.closed"],
    async (context) => {
      const scope = await eventScope(context, services);
      if (isOwnEvent(context, scope.identity)) return;
      const pr = context.payload.pull_request;
      const work: Array<Promise<unknown>> = [linkedFromBody(services, scope, pr)];
      const { action } = context.payload;
      // Listed as an action itself: merged ticks it, reopened unticks it (closed unmerged: nothing done).
      if (action === "reopened" || (action === "closed" && pr.merged)) {
        const actionKey = refKeyOf(scope.owner, scope.repo, pr.number);
        const state = pr.state === "closed" ? "closed" : "open";
        const observed = remoteStateOf({ isPullRequest: true, state, merged: pr.merged === true, title: pr.title });
        const at = pr.merged_at ?? pr.closed_at ?? pr.updated_at;
        work.push(reconcileListing(services, scope, actionKey, { kind: "action-state", actionKey, observed, at }));
      }
      await settleAll(work);
    },
  );
}

/** The incidents the PR's body references (directly or through an action), reconciled; then its status comment. */
async function linkedFromBody(services: Services, scope: EventScope, pr: PullRequest): Promise<void> {
  const refs = pullRequestReferences(pr.body ?? "", { owner: scope.owner, repo: scope.repo });
  if (refs.length === 0) return; // most PRs: zero API calls
  const prKey = refKeyOf(scope.owner, scope.repo, pr.number);
  const { linked, known, knownOpenedAt, knownDoneAt } = await linkedIncidents(scope, refs);
  if (linked.length === 0) return;
  const shown: PrStatusIncident[] = [];
  for (const incident of linked) {
    const trigger = {
      kind: "pull-request",
      prKey,
      actionKey: incident.actionKey,
      open: pr.state === "open",
      known,
      knownOpenedAt,
      knownDoneAt,
      at: (pr.state === "open" ? pr.created_at : (pr.merged_at ?? pr.closed_at)) ?? undefined,
      merged: pr.merged === true,
    } as const;
    const done = await reconcile(services, scope.target(incident.issue, incident.owner, incident.repo), trigger);
    const status = done?.effects.status;
    if (status)
      shown.push({
        ...incident,
        classification: status.plan.classification,
        writeup: status.writeup,
        security: status.plan.security,
      });
  }
  await upsertPrStatus(scope, pr.number, shown);
}
