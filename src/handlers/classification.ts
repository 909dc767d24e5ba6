/**
 * Issue events (opened, labeled, unlabeled, edited, closed, reopened): keep the incident's
 * classification labels, notices and status comment in line with GitHub's state.
 */
import type { Context, Probot } from "probot";
import { readClassification, setDimensions, type Classification } from "../core/classification.js";
import { isIncident } from "../core/incident.js";
import { readIssueForm } from "../core/issue-form.js";
import { toIssueSnapshot } from "../github/gateway.js";
import { fallbackIncidentLabel, reportConfigError } from "../workflow/config-error.js";
import { incidentKey, type Services } from "../workflow/services.js";
import { isStale, readOwnThread, syncIncident } from "../workflow/sync-incident.js";
import { incidentStartFor } from "../workflow/incident-start.js";
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
  payloadIssue: ReturnType<typeof toIssueSnapshot>,
): Promise<void> {
  const { payload } = context;
  const config = await scope.readConfig();
  if (!config.ok) {
    if (!isIncident(payloadIssue, fallbackIncidentLabel())) return;
    const thread = await readOwnThread(scope.gateway, payloadIssue.number);
    await reportConfigError({ gateway: scope.gateway, issueNumber: payloadIssue.number, thread, error: config.error });
    return;
  }
  const incidentLabel = config.value.incident_label;
  if (!isIncident(payloadIssue, incidentLabel)) return;
  const thread = await readOwnThread(scope.gateway, payloadIssue.number);
  // A delivery older than the app's last status write (late, redelivered, or overtaken by a newer
  // one) must not roll the incident back to its old snapshot: read GitHub's current issue instead.
  // With no status comment yet there is no such baseline: only the event that made the issue an
  // incident is trusted as is, any other first event (a late close among them) reads the current issue.
  const changedLabel = "label" in payload && payload.label ? payload.label.name : undefined;
  const becameIncident = payload.action === "opened" || (payload.action === "labeled" && changedLabel?.toLowerCase() === incidentLabel.toLowerCase());
  const stale = isStale(payloadIssue, thread.status);
  const fresh = stale || (thread.status === null && !becameIncident);
  const issue = fresh ? await scope.gateway.getIssue(payloadIssue.number) : payloadIssue;
  if (fresh && !isIncident(issue, incidentLabel)) return;
  // The issue form's answers (as filed: the delivery's body) fill only the dimensions nobody labelled:
  // when the issue becomes an incident, or on the first event the app handles for it (e.g. it was
  // filed while the config was invalid).
  const applyForm = becameIncident || thread.status === null;
  const filed = applyForm ? readIssueForm(payloadIssue.body) : null;
  const wanted: Partial<Classification> = filed ? { ...(issue === payloadIssue ? {} : setDimensions(readIssueForm(issue.body))), ...setDimensions(filed) } : {};
  const closedNow = payload.action === "closed" && issue.state === "closed";
  const trigger = !becameIncident ? null : payload.action === "opened" ? payloadIssue.createdAt : (payloadIssue.updatedAt ?? services.clock.now());
  const becameIncidentAt = await incidentStartFor({ gateway: scope.gateway, config: config.value, thread, issueNumber: issue.number, trigger });
  const result = await syncIncident({
    issue,
    config: config.value,
    gateway: scope.gateway,
    thread,
    now: services.clock.now(),
    wanted: onlyUnset(wanted, readClassification(issue.labels, config.value.labels)),
    // "Newest wins" only for a label event that is still current.
    newestLabel: payload.action === "labeled" && !stale ? changedLabel : undefined,
    // A close by a person is checked against the write-up and fresh action states.
    closeAttempt: closedNow ? (issue.closedAt?.toISOString() ?? services.clock.now().toISOString()) : null,
    refreshActions: closedNow ? "all" : "missing",
    freshBody: fresh,
    becameIncidentAt,
    // Reopened by a person: a later close is guarded again.
    amendState: payload.action === "reopened" && issue.state === "open" ? (state) => ({ ...state, forcedClose: null }) : undefined,
  });
  context.log.debug({ delivery: context.id, issue: issue.number, stale, wrote: result.wrote }, "incident synced");
}

function onlyUnset(wanted: Partial<Classification>, labelled: Classification): Partial<Classification> {
  return Object.fromEntries(Object.entries(wanted).filter(([dimension, value]) => value !== null && labelled[dimension as keyof Classification] === null));
}
