/**
 * Follow-up actions change state (an issue closed or reopened, a pull request merged or reopened):
 * find the incidents that list it (from its timeline's cross-references, in any repository of the
 * installation), tick or untick the item and refresh their status comments.
 */
import type { Context, Probot } from "probot";
import { isIncident } from "../core/incident.js";
import { incidentKey, type Services } from "../workflow/services.js";
import { readOwnThread, syncIncident } from "../workflow/sync-incident.js";
import { eventScope, isOwnEvent, type EventScope } from "./event-scope.js";

export function registerFollowUpActions(app: Probot, services: Services): void {
  app.on(["issues.closed", "issues.reopened"], async (context) => {
    const scope = await eventScope(context, services);
    if (isOwnEvent(context, scope.identity)) return;
    await refreshIncidentsListing(context, scope, services, context.payload.issue.number);
  });
  app.on(["pull_request.closed", "pull_request.reopened"], async (context) => {
    const scope = await eventScope(context, services);
    if (isOwnEvent(context, scope.identity)) return;
    if (context.payload.action === "closed" && !context.payload.pull_request.merged) return; // closed unmerged: nothing done
    await refreshIncidentsListing(context, scope, services, context.payload.pull_request.number);
  });
}

/** Re-syncs every incident whose Actions list `owner/repo#number`. Returns how many were found. */
export async function refreshIncidentsListing(context: Context<"issues" | "pull_request">, scope: EventScope, services: Services, number: number): Promise<number> {
  const actionKey = `${scope.owner}/${scope.repo}#${number}`.toLowerCase();
  const referencing = await scope.gateway.referencingIssues(actionKey);
  let count = 0;
  for (const { owner, repo, issue } of referencing) {
    if (issue.isPullRequest) continue;
    const config = await scope.configFor(owner, repo);
    if (!config.ok || !isIncident(issue, config.value.incident_label)) continue;
    count += 1;
    const gateway = scope.gatewayFor(owner, repo);
    await services.lock.run(incidentKey(scope.installationId, owner, repo, issue.number), async () => {
      // The cross-reference carries a snapshot; the body must be current before ticking.
      const fresh = await gateway.getIssue(issue.number);
      const thread = await readOwnThread(gateway, issue.number);
      const result = await syncIncident({ issue: fresh, config: config.value, gateway, thread, now: services.clock.now(), refreshActions: { keys: [actionKey] }, freshBody: true });
      context.log.info({ delivery: context.id, incident: `${owner}/${repo}#${issue.number}`, action: actionKey, wrote: result.wrote }, "action state synced");
    });
  }
  return count;
}
