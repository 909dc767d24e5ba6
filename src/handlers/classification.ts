/**
 * Issue events (opened, labeled, unlabeled, edited, closed, reopened): keep the incident's
 * classification labels, notices and status comment in line with GitHub's state.
 */
import type { Context, Probot } from "probot";
import { readClassification, type Classification } from "../core/classification.js";
import { isIncident } from "../core/incident.js";
import { readIssueForm } from "../core/issue-form.js";
import { toIssueSnapshot } from "../github/gateway.js";
import { fallbackIncidentLabel, reportConfigError } from "../workflow/config-error.js";
import { incidentKey, type Services } from "../workflow/services.js";
import { readOwnThread, syncIncident } from "../workflow/sync-incident.js";
import { eventScope, isOwnEvent } from "./event-scope.js";


export function registerClassification(app: Probot, services: Services): void {
  app.on(["issues.opened", "issues.labeled", "issues.unlabeled", "issues.edited", "issues.closed", "issues.reopened"], async (context) => {
    const scope = await eventScope(context, services);
    if (isOwnEvent(context, scope.identity)) return;
    const issue = toIssueSnapshot(context.payload.issue);
    if (issue.isPullRequest) return;
    const key = incidentKey(scope.installationId, scope.owner, scope.repo, issue.number);
    await services.lock.run(key, () => handle(context, scope, services, issue));
  });
}

async function handle(
  context: Context<"issues">,
  scope: Awaited<ReturnType<typeof eventScope>>,
  services: Services,
  issue: ReturnType<typeof toIssueSnapshot>,
): Promise<void> {
  const { payload } = context;
  const config = await scope.readConfig();
  if (!config.ok) {
    if (!isIncident(issue, fallbackIncidentLabel())) return;
    const thread = await readOwnThread(scope.gateway, issue.number);
    await reportConfigError({ gateway: scope.gateway, issueNumber: issue.number, thread, error: config.error });
    return;
  }
  const incidentLabel = config.value.incident_label;
  if (!isIncident(issue, incidentLabel)) return;
  const changedLabel = "label" in payload && payload.label ? payload.label.name : undefined;
  const becameIncident = payload.action === "opened" || (payload.action === "labeled" && changedLabel?.toLowerCase() === incidentLabel.toLowerCase());
  // The issue form's answers fill only the dimensions nobody labelled.
  const wanted: Partial<Classification> = becameIncident ? readIssueForm(issue.body) : {};
  const thread = await readOwnThread(scope.gateway, issue.number);
  const result = await syncIncident({
    issue,
    config: config.value,
    gateway: scope.gateway,
    thread,
    now: services.clock.now(),
    wanted: onlyUnset(wanted, readClassification(issue.labels, config.value.labels)),
    newestLabel: payload.action === "labeled" ? changedLabel : undefined,
    // A close by a person is checked against the write-up and fresh action states.
    closeAttempt: payload.action === "closed" ? (issue.closedAt?.toISOString() ?? services.clock.now().toISOString()) : null,
    refreshActions: payload.action === "closed" ? "all" : "missing",
    // Reopened by a person: a later close is guarded again.
    amendState: payload.action === "reopened" ? (state) => ({ ...state, forcedClose: null }) : undefined,
  });
  context.log.debug({ delivery: context.id, issue: issue.number, wrote: result.wrote }, "incident synced");
}

function onlyUnset(wanted: Partial<Classification>, labelled: Classification): Partial<Classification> {
  return Object.fromEntries(Object.entries(wanted).filter(([dimension, value]) => value !== null && labelled[dimension as keyof Classification] === null));
}
