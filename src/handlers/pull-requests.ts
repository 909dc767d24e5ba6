/**
 * Pull requests that reference an incident or one of its actions: each gets one status comment of its
 * own (kept up to date) showing the incidents and their action checklists, and the incidents show the
 * PR next to its action as "in review" while it is open.
 */
import type { Context, Probot } from "probot";
import { isIncident } from "../core/incident.js";
import { pullRequestReferences } from "../core/pr-references.js";
import type { RemoteState } from "../core/writeup.js";
import type { IncidentKeeperConfig } from "../config/schema.js";
import { issueActionState, statusOf } from "../github/gateway.js";
import { render } from "../render/templates.js";
import { incidentKey, type Services } from "../workflow/services.js";
import { readOwnThread, syncIncident, type SyncResult } from "../workflow/sync-incident.js";
import { eventScope, isOwnEvent, type EventScope } from "./event-scope.js";

export const PR_STATUS_MARKER = "<!-- incident-keeper:pr-status -->";

interface LinkedIncident {
  owner: string;
  repo: string;
  number: number;
  title: string;
  /** The action this PR works on, or null when the PR refers to the incident itself. */
  actionKey: string | null;
  config: IncidentKeeperConfig;
}

export function registerPullRequests(app: Probot, services: Services): void {
  app.on(["pull_request.opened", "pull_request.edited", "pull_request.reopened", "pull_request.closed"], async (context) => {
    const scope = await eventScope(context, services);
    if (isOwnEvent(context, scope.identity)) return;
    const pr = context.payload.pull_request;
    const refs = pullRequestReferences(pr.body ?? "", { owner: scope.owner, repo: scope.repo });
    if (refs.length === 0) return; // most PRs: zero API calls
    const prKey = `${scope.owner}/${scope.repo}#${pr.number}`.toLowerCase();
    const { linked, known } = await linkedIncidents(scope, refs);
    if (linked.length === 0) return;
    const inReview = pr.state === "open";
    const results: Array<{ incident: LinkedIncident; result: SyncResult }> = [];
    for (const incident of linked) {
      const gateway = scope.gatewayFor(incident.owner, incident.repo);
      const result = await services.lock.run(incidentKey(scope.installationId, incident.owner, incident.repo, incident.number), async () => {
        const issue = await gateway.getIssue(incident.number);
        const thread = await readOwnThread(gateway, incident.number);
        return syncIncident({
          issue,
          config: incident.config,
          gateway,
          thread,
          now: services.clock.now(),
          freshBody: true,
          refreshActions: { keys: [incident.actionKey ?? prKey] },
          knownActions: known,
          amendState: incident.actionKey ? (state) => ({ ...state, reviews: withReview(state.reviews, incident.actionKey!, prKey, inReview) }) : undefined,
        });
      });
      results.push({ incident, result });
    }
    await upsertPrStatus(context, scope, pr.number, results);
  });
}

function withReview(reviews: Record<string, string[]>, actionKey: string, prKey: string, open: boolean): Record<string, string[]> {
  const current = (reviews[actionKey] ?? []).filter((k) => k !== prKey);
  const next = open ? [...current, prKey].slice(-20) : current;
  const copy = { ...reviews };
  if (next.length > 0) copy[actionKey] = next;
  else delete copy[actionKey];
  return copy;
}

/**
 * The incidents a PR's references lead to: incidents themselves, or incidents listing them as
 * actions; and the referenced issues' states as just read (the syncs reuse them instead of reading again).
 */
async function linkedIncidents(scope: EventScope, refs: Array<{ owner: string; repo: string; number: number }>): Promise<{ linked: LinkedIncident[]; known: Map<string, RemoteState> }> {
  const linked = new Map<string, LinkedIncident>();
  const known = new Map<string, RemoteState>();
  for (const ref of refs) {
    const key = `${ref.owner}/${ref.repo}#${ref.number}`.toLowerCase();
    const config = await scope.configFor(ref.owner, ref.repo).catch(() => null);
    let issue;
    try {
      issue = await scope.gatewayFor(ref.owner, ref.repo).getIssue(ref.number);
    } catch (error) {
      if (statusOf(error) === 404 || statusOf(error) === 403 || statusOf(error) === 410) continue; // outside the installation, or gone
      throw error;
    }
    if (!issue.isPullRequest) known.set(key, issueActionState(issue));
    if (config?.ok && isIncident(issue, config.value.incident_label)) {
      linked.set(key, { owner: ref.owner, repo: ref.repo, number: ref.number, title: issue.title, actionKey: null, config: config.value });
      continue;
    }
    for (const source of await scope.gateway.referencingIssues(key)) {
      const sourceConfig = await scope.configFor(source.owner, source.repo);
      if (!sourceConfig.ok || !isIncident(source.issue, sourceConfig.value.incident_label)) continue;
      const incidentKeyText = `${source.owner}/${source.repo}#${source.issue.number}`.toLowerCase();
      if (!linked.has(incidentKeyText)) linked.set(incidentKeyText, { owner: source.owner, repo: source.repo, number: source.issue.number, title: source.issue.title, actionKey: key, config: sourceConfig.value });
    }
  }
  return { linked: [...linked.values()], known };
}

async function upsertPrStatus(context: Context<"pull_request">, scope: EventScope, prNumber: number, results: Array<{ incident: LinkedIncident; result: SyncResult }>): Promise<void> {
  const body = render("pr-status", {
    marker: PR_STATUS_MARKER,
    incidents: results.map(({ incident, result }) => {
      const same = incident.owner.toLowerCase() === scope.owner.toLowerCase() && incident.repo.toLowerCase() === scope.repo.toLowerCase();
      return {
        link: same ? `#${incident.number}` : `${incident.owner}/${incident.repo}#${incident.number}`,
        title: incident.title,
        severity: result.plan.classification.severity ? `Sev ${result.plan.classification.severity}` : "severity not set",
        done: result.writeup.actions.filter((a) => a.done).length,
        total: result.writeup.actions.length,
        actions: result.writeup.actions.map((a) => ({ box: a.done ? "x" : " ", text: a.key ?? a.text.slice(0, 120), title: a.title ?? "", mine: a.key === incident.actionKey })),
      };
    }),
  });
  const thread = await readOwnThread(scope.gateway, prNumber);
  const existing = thread.comments.find((c) => c.body.startsWith(PR_STATUS_MARKER));
  if (!existing) await scope.gateway.createComment(prNumber, body);
  else if (existing.body !== body) await scope.gateway.updateComment(existing.id, body);
  context.log.debug({ delivery: context.id, pr: prNumber, incidents: results.length }, "pull request status synced");
}
