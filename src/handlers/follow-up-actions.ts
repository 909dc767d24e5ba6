/**
 * Follow-up actions change state (an issue closed or reopened, a pull request merged or reopened):
 * find the incidents that list it (from its timeline's cross-references, in any repository of the
 * installation), tick or untick the item and refresh their status comments.
 */
import type { Context, Probot } from "probot";
import { isIncident } from "../core/incident.js";
import { decodeState } from "../core/status-state.js";
import type { RemoteState } from "../core/writeup.js";
import { incidentKey, type Services } from "../workflow/services.js";
import { readOwnThread, syncIncident } from "../workflow/sync-incident.js";
import { eventScope, isOwnEvent, type EventScope } from "./event-scope.js";

export function registerFollowUpActions(app: Probot, services: Services): void {
  app.on(["issues.closed", "issues.reopened"], async (context) => {
    const scope = await eventScope(context, services);
    if (isOwnEvent(context, scope.identity)) return;
    const { issue } = context.payload;
    const observed: RemoteState = { found: true, kind: "issue", state: issue.state === "closed" ? "closed" : "open", stateReason: issue.state_reason ?? null, title: issue.title };
    await refreshIncidentsListing(context, scope, services, issue.number, observed);
  });
  app.on(["pull_request.closed", "pull_request.reopened"], async (context) => {
    const scope = await eventScope(context, services);
    if (isOwnEvent(context, scope.identity)) return;
    const pr = context.payload.pull_request;
    if (context.payload.action === "closed" && !pr.merged) return; // closed unmerged: nothing done
    const observed: RemoteState = { found: true, kind: "pull", state: pr.state === "closed" ? "closed" : "open", merged: pr.merged === true, title: pr.title };
    await refreshIncidentsListing(context, scope, services, pr.number, observed);
  });
}

/**
 * Re-syncs every incident whose Actions list `owner/repo#number`. Returns how many were found.
 * `observed` is the action's state as this delivery reports it: an incident whose status comment
 * already records that state (written after its checkbox was ticked) has nothing to do.
 */
export async function refreshIncidentsListing(
  context: Context<"issues" | "pull_request">,
  scope: EventScope,
  services: Services,
  number: number,
  observed?: RemoteState,
): Promise<number> {
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
      const thread = await readOwnThread(gateway, issue.number);
      if (observed && thread.status && sameState(decodeState(thread.status.body).actions[actionKey], observed)) {
        context.log.debug({ delivery: context.id, incident: `${owner}/${repo}#${issue.number}`, action: actionKey }, "action state already recorded");
        return;
      }
      // The cross-reference carries a snapshot; the body must be current before ticking.
      const fresh = await gateway.getIssue(issue.number);
      const result = await syncIncident({ issue: fresh, config: config.value, gateway, thread, now: services.clock.now(), refreshActions: { keys: [actionKey] }, freshBody: true });
      context.log.info({ delivery: context.id, incident: `${owner}/${repo}#${issue.number}`, action: actionKey, wrote: result.wrote }, "action state synced");
    });
  }
  return count;
}

/** Same state of an action as far as the incident shows it (titles may change without an event here). */
function sameState(recorded: RemoteState | undefined, observed: RemoteState): boolean {
  if (!recorded?.found || !observed.found || recorded.kind !== observed.kind || recorded.state !== observed.state) return false;
  if (recorded.kind === "issue" && observed.kind === "issue") return recorded.stateReason === observed.stateReason;
  return recorded.kind === "pull" && observed.kind === "pull" && recorded.merged === observed.merged;
}
