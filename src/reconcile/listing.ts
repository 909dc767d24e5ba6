/** Incidents whose Actions list an issue or pull request: each reconciled for the action's new state. */
import { isIncident } from "../core/incident.js";
import type { IncidentTrigger } from "../core/trigger.js";
import type { EventScope } from "../handlers/event-scope.js";
import { reconcile, type ReconcileDeps } from "./reconcile.js";

/**
 * Reconciles every incident (any repository of the installation) whose Actions list `actionKey`, found
 * from the action's timeline (its cross-references). Returns how many incidents were found.
 */
export async function reconcileListing(
  deps: ReconcileDeps,
  scope: EventScope,
  actionKey: string,
  trigger: IncidentTrigger,
): Promise<number> {
  const referencing = await scope.gateway.referencingIssues(actionKey);
  let count = 0;
  for (const { owner, repo, issue } of referencing) {
    if (issue.isPullRequest) continue;
    const config = await scope.configFor(owner, repo);
    if (!config.ok || !isIncident(issue, config.value.incident_label)) continue;
    count += 1;
    await reconcile(deps, scope.target(issue, owner, repo), trigger);
  }
  return count;
}

/** Runs independent reconciliations at once; every one finishes before the first failure is thrown. */
export async function settleAll(work: Array<Promise<unknown>>): Promise<void> {
  const results = await Promise.allSettled(work);
  const failed = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
  if (failed.length === 1) throw failed[0];
  if (failed.length > 1) throw new AggregateError(failed, "several reconciliations failed");
}
