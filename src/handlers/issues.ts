/**
 * `issues` deliveries: the issue itself (when it is an incident) and, when it closes or reopens, the
 * incidents that list it as a follow-up action. A thin adapter: it builds triggers, the reconciler does the rest.
 */
import type { Probot } from "probot";
import type { IncidentTrigger } from "../core/trigger.js";
import { refKeyOf } from "../core/references.js";
import { issueActionState, toIssueSnapshot } from "../github/gateway.js";
import { reconcileListing, settleAll } from "../reconcile/listing.js";
import { reconcile } from "../reconcile/reconcile.js";
import type { Services } from "../reconcile/services.js";
import { eventScope, isOwnEvent } from "./event-scope.js";

const ACTIONS = ["opened", "labeled", "unlabeled", "edited", "closed", "reopened"] as const;

export function registerIssues(app: Probot, services: Services): void {
  app.on(
    ACTIONS.map((action) => `issues.${action}` as const),
    async (context) => {
      const scope = await eventScope(context, services);
      if (isOwnEvent(context, scope.identity)) return;
      const { payload } = context;
      const issue = toIssueSnapshot(payload.issue);
      if (issue.isPullRequest) return;
      const changedLabel = "label" in payload && payload.label ? payload.label.name : null;
      const actor = payload.sender.login;
      const trigger: IncidentTrigger = { kind: "issue", action: payload.action, issue, changedLabel, actor };
      const work: Array<Promise<unknown>> = [reconcile(services, scope.target(issue), trigger)];
      if (payload.action === "closed" || payload.action === "reopened") {
        // Any issue may be another incident's follow-up action; only its cross-references say which.
        const actionKey = refKeyOf(scope.owner, scope.repo, issue.number);
        work.push(
          reconcileListing(services, scope, actionKey, {
            kind: "action-state",
            actionKey,
            observed: issueActionState(issue),
            at: (issue.closedAt ?? issue.updatedAt)?.toISOString(),
          }),
        );
      }
      await settleAll(work);
    },
  );
}
