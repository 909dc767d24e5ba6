/**
 * The weekly digest: once per reported week, one issue in `report.digest.repository` with the
 * report of the installation's incidents of the previous ISO week, linking each incident. Run by
 * the sweep. Exactly once across sweeps and instances: the work runs under the incident lock (Redis
 * across processes when configured) keyed by repository and week, and looks for the week's marker
 * among the app's own digest issues (a consistent listing, not search) before creating one; a
 * digest already posted is edited only when its figures changed.
 */
import type { Logger, ProbotOctokit } from "probot";
import type { Clock } from "../clock.js";
import { digestMarker, dueDigest } from "../core/digest.js";
import { computeMetrics } from "../core/metrics.js";
import { DEFAULT_CONFIG, type IncidentKeeperConfig } from "../config/schema.js";
import { policiesOf } from "../config/policies.js";
import type { Policies } from "../core/policy.js";
import { GitHubGateway } from "../github/gateway.js";
import type { GitHubCaches } from "../github/prepare-octokit.js";
import type { AppIdentity } from "../github/identity.js";
import type { ReaderMode } from "../github/incident-reader.js";
import { renderMarkdownReport } from "../render/report.js";
import { render } from "../render/templates.js";
import type { IncidentLock } from "../runtime/incident-lock.js";
import { collectIncidents } from "./collect.js";

export const DIGEST_LABEL = "incident-keeper:digest";

export interface DigestDeps {
  /** The app's caches: the gateway's labels, and the weeks already settled. */
  caches: GitHubCaches;
  octokit: ProbotOctokit;
  installation: { id: number; account: string; accountType: "Organization" | "User" };
  /** Configs the sweep already read (repository -> config). */
  configs: IncidentKeeperConfig[];
  identity: AppIdentity;
  lock: IncidentLock;
  log: Logger;
  clock: Clock;
  mode?: ReaderMode;
}

/** Posts (or refreshes) every digest that is due. Returns the number of issues written. Never throws. */
export async function postDueDigests(deps: DigestDeps): Promise<number> {
  const now = deps.clock.now();
  let written = 0;
  try {
    // The configs the sweep read anyway (each inherits the org-wide file): no read of its own.
    const configs = deps.configs;
    const wanted = new Map<
      string,
      { config: IncidentKeeperConfig; digest: NonNullable<IncidentKeeperConfig["report"]["digest"]> }
    >();
    for (const config of configs) {
      const digest = config.report.digest;
      if (digest && !wanted.has(digest.repository.toLowerCase()))
        wanted.set(digest.repository.toLowerCase(), { config, digest });
    }
    for (const { config, digest } of wanted.values()) {
      const due = dueDigest(
        { weekday: digest.weekday, time: digest.time, timeZone: config.sla.calendar?.time_zone ?? null },
        now,
      );
      if (!due) continue;
      const key = `${deps.installation.id}:${digest.repository}`.toLowerCase();
      if (deps.caches.settledDigests.get(key) === due.week) continue;
      try {
        written += await deps.lock.run(`digest:${key}:${due.week}`, () => postOne(deps, digest.repository, due));
        deps.caches.settledDigests.set(key, due.week);
      } catch (error) {
        deps.log.error({ err: error, repository: digest.repository }, "digest: could not post the weekly digest");
      }
    }
  } catch (error) {
    deps.log.error({ err: error }, "digest: could not check the weekly digests");
  }
  return written;
}

async function postOne(
  deps: DigestDeps,
  repository: string,
  due: NonNullable<ReturnType<typeof dueDigest>>,
): Promise<number> {
  const [owner, repo] = repository.split("/") as [string, string];
  const { octokit, identity, log, caches } = deps;
  const gateway = new GitHubGateway(octokit, { owner, repo }, identity, log, deps.installation.id, caches);
  const marker = digestMarker(due.week);
  const existing = (await gateway.ownIssuesWithLabel(DIGEST_LABEL)).find((i) => i.body.startsWith(marker));
  const collected = await collectIncidents({
    octokit: deps.octokit,
    scope: { kind: "account", login: deps.installation.account, type: deps.installation.accountType },
    since: due.since,
    until: due.until,
    identity: deps.identity,
    mode: deps.mode ?? (process.env.REPORT_READER === "rest" ? "rest" : "graphql"),
  });
  const policiesOfRepo = (name: string): Policies => policiesOf(collected.configs.get(name) ?? DEFAULT_CONFIG);
  const report = computeMetrics({
    // The digest is an issue in a repository: a security incident's title never goes there (issue #14);
    // collectIncidents has withheld it already (the report CLI shares the rule).
    records: collected.records,
    policiesOf: policiesOfRepo,
    range: { since: due.since, until: due.until },
    now: deps.clock.now(),
  });
  // The generation time is left out of the comparison: an unchanged week is not edited.
  const body = renderMarkdownReport({
    report,
    scope: `Weekly digest of ${deps.installation.account}'s incidents`,
    charts: [],
    marker,
  });
  const comparable = (text: string): string => text.replace(/Generated [^.]*\. /, "");
  if (existing) {
    if (comparable(existing.body.trim()) === comparable(body.trim())) return 0;
    await gateway.updateIssue(existing.number, { body });
    return 1;
  }
  await gateway.ensureLabels([
    { name: DIGEST_LABEL, color: "5319e7", description: "Weekly incident digest written by incident-keeper" },
  ]);
  const last = new Date(due.until.getTime() - 86_400_000).toISOString().slice(0, 10);
  await gateway.createIssue({
    title: render("digest-title", { week: due.week, since: due.since.toISOString().slice(0, 10), until: last }),
    body,
    labels: [DIGEST_LABEL],
  });
  return 1;
}
