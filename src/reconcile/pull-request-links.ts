/**
 * Pull requests that reference an incident or one of its actions: which incidents they lead to, and
 * the PR's own status comment (one, kept up to date) showing those incidents and their checklists.
 */
import { isIncident, type IncidentIssue } from "../core/incident.js";
import { refKeyOf } from "../core/references.js";
import type { RemoteState } from "../core/writeup.js";
import { issueActionState, statusOf } from "../github/gateway.js";
import type { EventScope } from "../handlers/event-scope.js";
import { PR_STATUS_MARKER, renderPrStatus, type PrStatusIncident } from "../render/pr-status.js";

export { PR_STATUS_MARKER };

export interface LinkedIncident {
  owner: string;
  repo: string;
  issue: IncidentIssue;
  /** The action this PR works on, or null when the PR refers to the incident itself. */
  actionKey: string | null;
}

/**
 * The incidents a PR's references lead to: incidents themselves, or incidents listing them as
 * actions; and the referenced issues' states as just read (the reconciliations reuse them).
 */
export async function linkedIncidents(
  scope: EventScope,
  refs: Array<{ owner: string; repo: string; number: number }>,
): Promise<{
  linked: LinkedIncident[];
  known: Map<string, RemoteState>;
  knownOpenedAt: Map<string, string>;
  knownDoneAt: Map<string, string>;
}> {
  const linked = new Map<string, LinkedIncident>();
  const known = new Map<string, RemoteState>();
  const knownOpenedAt = new Map<string, string>();
  const knownDoneAt = new Map<string, string>();
  for (const ref of refs) {
    const key = refKeyOf(ref.owner, ref.repo, ref.number);
    const config = await scope.configFor(ref.owner, ref.repo).catch(() => null);
    let found;
    try {
      found = await scope.gatewayFor(ref.owner, ref.repo).locateIssue(ref.number);
    } catch (error) {
      // Outside the installation, or gone.
      if (statusOf(error) === 404 || statusOf(error) === 403 || statusOf(error) === 410) continue;
      throw error;
    }
    const { issue } = found;
    if (!issue.isPullRequest) known.set(key, issueActionState(issue));
    if (!issue.isPullRequest) knownOpenedAt.set(key, issue.createdAt.toISOString());
    if (!issue.isPullRequest && issue.state === "closed" && issue.closedAt)
      knownDoneAt.set(key, issue.closedAt.toISOString());
    // Moved since it was referenced (a security incident transferred to its private repository, whose
    // old number GitHub redirects): followed to where it is, judged by that repository's config.
    const moved =
      found.owner.toLowerCase() !== ref.owner.toLowerCase() || found.repo.toLowerCase() !== ref.repo.toLowerCase();
    const here = moved ? await scope.configFor(found.owner, found.repo).catch(() => null) : config;
    if (here?.ok && isIncident(issue, here.value.incident_label)) {
      const incidentKey = moved ? refKeyOf(found.owner, found.repo, issue.number) : key;
      if (!linked.has(incidentKey))
        linked.set(incidentKey, { owner: found.owner, repo: found.repo, issue, actionKey: null });
      continue;
    }
    for (const source of await scope.gateway.referencingIssues(key)) {
      const sourceConfig = await scope.configFor(source.owner, source.repo);
      if (!sourceConfig.ok || !isIncident(source.issue, sourceConfig.value.incident_label)) continue;
      const incidentKeyText = refKeyOf(source.owner, source.repo, source.issue.number);
      if (!linked.has(incidentKeyText))
        linked.set(incidentKeyText, { owner: source.owner, repo: source.repo, issue: source.issue, actionKey: key });
    }
  }
  return { linked: [...linked.values()], known, knownOpenedAt, knownDoneAt };
}

/** Posts or updates the PR's status comment; writes nothing when it already says the same. */
export async function upsertPrStatus(
  scope: EventScope,
  prNumber: number,
  incidents: PrStatusIncident[],
): Promise<void> {
  const body = renderPrStatus(incidents, scope);
  const existing = (await scope.gateway.ownComments(prNumber)).find((c) => c.body.startsWith(PR_STATUS_MARKER));
  if (!existing) await scope.gateway.createComment(prNumber, body);
  else if (existing.body !== body) await scope.gateway.updateComment(existing.id, body);
}
