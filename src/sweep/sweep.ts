/**
 * The reminder sweep: GitHub sends no event when a deadline passes, so the app looks. For each
 * installation: one search (paginated, 100 per page) finds the open incidents; an incident is read
 * only when a reminder may be due; the due reminders run most urgent first, within a write budget
 * per installation (the rest waits for the next sweep).
 *
 * Which reminders were already sent lives only in each incident's status comment, so "may be due"
 * is decided without it twice over: the due cache (what an earlier read of this process learnt, valid
 * while `updated_at` is unchanged) and the reminder horizon (from the search result alone: before the
 * first instant any reminder could fall due, whatever the comment holds, there is nothing to read).
 */
import type { Logger, ProbotOctokit } from "probot";
import { policiesOf } from "../config/policies.js";
import { compareUrgency } from "../core/reminders.js";
import { reminderHorizon } from "../core/reminder-horizon.js";
import type { IncidentIssue } from "../core/incident.js";
import type { Clock } from "../clock.js";
import type { IncidentKeeperConfig } from "../config/schema.js";
import { readRepoConfig } from "../github/config-reader.js";
import { GitHubGateway } from "../github/gateway.js";
import { GitHubCaches, prepareOctokit, startReadPass } from "../github/prepare-octokit.js";
import type { AppIdentity } from "../github/identity.js";
import { toIssueSnapshot } from "../github/payloads.js";
import type { IncidentLock } from "../runtime/incident-lock.js";
import { labelsInclude } from "../core/labels.js";
import { checkReminders, type ReminderCheck } from "../core/reminder-check.js";
import { threadOf } from "../core/snapshot.js";
import { incidentStartFor } from "../reconcile/incident-start.js";
import { reconcile } from "../reconcile/reconcile.js";
import { incidentKey } from "../reconcile/services.js";
import { DueCache } from "./due-cache.js";
import type { RepairLedger } from "./repair-ledger.js";
import { refreshDashboardFromSweep } from "../dashboard/sweep-hook.js";
import type { DashboardCache } from "../dashboard/cache.js";
import { postDueDigests } from "../report/digest.js";
import { decodeState } from "../core/status-state.js";
import { sendDueInChunks } from "./due-chunks.js";
import { incidentLabelsOf, sweepableRepositories } from "./incident-labels.js";
import { emptyUsage, readOwnComments, type BatchUsage } from "../github/comment-batch.js";
import type { OwnComment } from "../core/snapshot.js";

export interface InstallationTarget {
  id: number;
  account: string;
  accountType: "Organization" | "User";
}

export interface SweepDeps {
  clock: Clock;
  identity: AppIdentity;
  lock: IncidentLock;
  log: Logger;
  cache: DueCache;
  /** Overrides every repository's `reminders.operations_per_sweep` (e.g. from env). */
  writeBudget?: number;
  /**
   * Incident labels to search for. Default: discovered from the config of every repository swept
   * (`repositories`, else the installation's repositories with open issues): see incident-labels.ts.
   */
  incidentLabels?: string[];
  /** Limit the sweep to these repositories (`owner/name`), e.g. in GitHub Actions mode. */
  repositories?: string[];
  /** The repair pass: incidents changed since the app last looked are reconciled; absent: no repair. */
  repair?: RepairLedger;
  /**
   * A delivery of this installation failed since the last pass (the redelivery pass, or this process's
   * own failed handlings, say so): the repair pass then also looks at the incidents closed since its
   * last pass (a lost close); a ledger that never swept the installation, at those closed within its lookback.
   */
  lossSuspected?: boolean;
  /** How incidents past their horizon are read: `graphql` batches of 100 (default) or one REST read each. */
  reader?: "graphql" | "rest";
  /** The app's caches (default: fresh ones for this sweep, e.g. the CLI and the Action). */
  caches?: GitHubCaches;
  /** The server's dashboard view, which the sweep completes and prunes (absent: none, e.g. the CLI). */
  dashboard?: DashboardCache;
}

export interface InstallationSweepReport {
  installationId: number;
  found: number;
  /** Incidents skipped without a read: no reminder can be due yet (or ever) from their labels and age. */
  notYetDue: number;
  read: number;
  owed: number;
  posted: number;
  deferred: number;
  writes: number;
  errors: number;
  /** Incidents the repair pass reconciled (changed since the app last looked), and those that needed a write. */
  repaired?: number;
  repairWrites?: number;
  /** Closed incidents the repair pass found (searched only when a loss is suspected), and those it reconciled. */
  closedFound?: number;
  repairedClosed?: number;
  /** GraphQL batch reads of the app's comments (100 incidents per query) and the points they cost. */
  graphql?: { queries: number; points: number; restFallbacks: number };
}

interface Candidate {
  owner: string;
  repo: string;
  issue: IncidentIssue;
  updatedAt: string;
  /** The issue's GraphQL node id (REST's `node_id`), for the batch read of its comments. */
  nodeId?: string;
}

interface DueWork {
  candidate: Candidate;
  config: IncidentKeeperConfig;
  gateway: GitHubGateway;
  check: ReminderCheck;
  becameIncidentAt: Date | null | undefined;
}

/** Sweeps one installation; never throws for one bad incident (it is logged and counted). */
export async function sweepInstallation(
  octokit: ProbotOctokit,
  target: InstallationTarget,
  deps: SweepDeps,
): Promise<InstallationSweepReport> {
  const report: InstallationSweepReport = {
    installationId: target.id,
    found: 0,
    notYetDue: 0,
    read: 0,
    owed: 0,
    posted: 0,
    deferred: 0,
    writes: 0,
    errors: 0,
  };
  const now = deps.clock.now();
  const caches = deps.caches ?? new GitHubCaches();
  prepareOctokit(octokit, { installationId: target.id, caches });
  // What the repair pass remembered of this installation (Redis: what any instance or CLI run saw).
  const repair = deps.repair
    ? await deps.repair.begin(target.id).then(
        () => deps.repair,
        (error: unknown) => {
          deps.log.warn({ err: error }, "sweep: could not load the repair ledger; repairing from memory");
          return deps.repair;
        },
      )
    : undefined;
  startReadPass(octokit);
  const configs = new Map<string, Promise<Awaited<ReturnType<typeof readRepoConfig>>>>();
  const configOf = (owner: string, repo: string): Promise<Awaited<ReturnType<typeof readRepoConfig>>> => {
    const key = `${owner}/${repo}`.toLowerCase();
    let pending = configs.get(key);
    if (!pending)
      configs.set(
        key,
        (pending = readRepoConfig(
          octokit,
          { owner, repo },
          { installationId: target.id, missing: caches.missingConfigFiles },
        )),
      );
    return pending;
  };
  // Every repository's configured incident label, unless the caller knows them.
  const labels =
    deps.incidentLabels ??
    (await incidentLabelsOf(deps.repositories ?? (await sweepableRepositories(octokit)), configOf));
  const candidates = await findOpenIncidents(octokit, target, deps, labels);
  report.found = candidates.length;

  const due: DueWork[] = [];
  // What the reminder check read from a timeline, for the repair pass (read once per sweep).
  const starts = new Map<Candidate, Date | null>();
  let budget = deps.writeBudget ?? Number.POSITIVE_INFINITY;
  // First the search result alone says which incidents may owe a reminder; then their comments are
  // read in batches of 100 (one GraphQL query each) instead of one REST read per incident.
  const toRead: { candidate: Candidate; config: IncidentKeeperConfig; key: string }[] = [];
  for (const candidate of candidates) {
    const key = incidentKey(target.id, candidate.owner, candidate.repo, candidate.issue.number);
    if (deps.cache.isQuiet(key, candidate.updatedAt, now.getTime())) continue;
    try {
      const config = await configOf(candidate.owner, candidate.repo);
      if (!config.ok || !config.value.reminders.enabled) continue;
      if (!labelsInclude(candidate.issue.labels, config.value.incident_label)) continue;
      if (deps.writeBudget === undefined) budget = Math.min(budget, config.value.reminders.operations_per_sweep);
      const horizon = reminderHorizon(candidate.issue, config.policies);
      if (horizon === null || now.getTime() < horizon.getTime()) {
        report.notYetDue += 1;
        deps.cache.set(key, { updatedAt: candidate.updatedAt, nextDueMs: horizon?.getTime() ?? null });
        continue;
      }
      toRead.push({ candidate, config: config.value, key });
    } catch (error) {
      report.errors += 1;
      deps.log.error({ err: error, incident: key }, "sweep: could not check incident");
    }
  }
  const usage = emptyUsage();
  const batched = await batchOwnComments(
    octokit,
    toRead.map((r) => r.candidate),
    deps,
    usage,
  );
  if (usage.queries > 0) report.graphql = usage;
  for (const { candidate, config, key } of toRead) {
    try {
      const gateway = new GitHubGateway(
        octokit,
        { owner: candidate.owner, repo: candidate.repo },
        deps.identity,
        deps.log,
        target.id,
        caches,
      );
      const fromBatch = candidate.nodeId ? batched.get(candidate.nodeId) : undefined;
      const comments = fromBatch ?? (await gateway.ownComments(candidate.issue.number));
      const thread = threadOf(comments);
      report.read += 1;
      // No state yet: when the issue became an incident comes from its timeline (once; then the state keeps it).
      const becameIncidentAt = await incidentStartFor({ gateway, config, thread, issueNumber: candidate.issue.number });
      if (becameIncidentAt !== undefined) starts.set(candidate, becameIncidentAt);
      const check = checkReminders({
        issue: candidate.issue,
        policies: policiesOf(config),
        thread,
        now,
        becameIncidentAt,
      });
      deps.cache.set(key, {
        updatedAt: candidate.updatedAt,
        nextDueMs: check.owed.length > 0 ? now.getTime() : (check.nextAt?.getTime() ?? null),
      });
      if (check.owed.length > 0) due.push({ candidate, config, gateway, check, becameIncidentAt });
    } catch (error) {
      report.errors += 1;
      deps.log.error({ err: error, incident: key }, "sweep: could not check incident");
    }
  }
  report.owed = due.length;

  due.sort((a, b) => compareUrgency(a.check.owed[0]!.reminder, b.check.owed[0]!.reminder));
  // A tick through the same pipeline as every event, under the incident's lock (an event, or another
  // sweep, may have handled it meanwhile): in chunks, see due-chunks.ts.
  const sent = await sendDueInChunks(
    due.map((work) => ({
      ...(work.candidate.nodeId ? { nodeId: work.candidate.nodeId } : {}),
      number: work.candidate.issue.number,
      gateway: work.gateway,
      target: {
        gateway: work.gateway,
        installationId: target.id,
        seen: work.candidate.issue,
        config: Promise.resolve({
          ok: true as const,
          value: work.config,
          policies: policiesOf(work.config),
          source: "file" as const,
        }),
        log: deps.log,
      },
      becameIncidentAt: work.becameIncidentAt,
      writes: work.check.writes,
      owed: work.check.owed.length,
    })),
    budget,
    {
      clock: { now: () => now },
      lock: deps.lock,
      dashboard: deps.dashboard,
      log: deps.log,
      installationId: target.id,
      readBatch: (incidents) =>
        batchOwnComments(
          octokit,
          due
            .filter((w) => incidents.some((i) => i.gateway === w.gateway && i.number === w.candidate.issue.number))
            .map((w) => w.candidate),
          deps,
          usage,
        ),
    },
  );
  report.posted += sent.posted;
  report.deferred += sent.deferred;
  report.writes += sent.writes;
  report.errors += sent.errors;
  if (usage.queries > 0) report.graphql = usage;
  if (repair)
    await repairChanged({
      octokit,
      target,
      deps,
      ledger: repair,
      caches,
      candidates,
      labels,
      configOf,
      report,
      ticked: new Map(due.map((w) => [w.candidate, w.gateway])),
      starts,
      batched,
      usage,
      budget,
      now,
    });
  // A fresh process's dashboard learns the incidents it does not know yet in the same batches.
  const dashboard = deps.dashboard;
  const unknown = dashboard?.enabled
    ? candidates.filter(
        (c) => !dashboard.has(`${c.owner}/${c.repo}`, c.issue.number) && !(c.nodeId && batched.has(c.nodeId)),
      )
    : [];
  const forDashboard = await batchOwnComments(octokit, unknown, deps, usage);
  if (usage.queries > 0) report.graphql = usage;
  const wroteTo = new Set(due.flatMap((w) => (w.candidate.nodeId ? [w.candidate.nodeId] : [])));
  const nodeIds = new Map(candidates.map((c) => [`${c.owner}/${c.repo}#${c.issue.number}`, c.nodeId]));
  if (dashboard)
    await refreshDashboardFromSweep({
      cache: dashboard,
      installationId: target.id,
      candidates,
      configOf: async (owner, repo) => {
        const config = await configOf(owner, repo);
        return config.ok ? config.value : null;
      },
      readState: async (owner, repo, issueNumber) => {
        const gateway = new GitHubGateway(octokit, { owner, repo }, deps.identity, deps.log, target.id, caches);
        const nodeId = nodeIds.get(`${owner}/${repo}#${issueNumber}`);
        // The sweep's own batch is from before its writes: not for an incident it had reminders due on.
        const swept = nodeId && !wroteTo.has(nodeId) ? batched.get(nodeId) : undefined;
        const read = (nodeId ? forDashboard.get(nodeId) : undefined) ?? swept;
        const thread = threadOf(read ?? (await gateway.ownComments(issueNumber)));
        return thread.status ? decodeState(thread.status.body) : null;
      },
      now,
      onError: (error) => deps.log.warn({ err: error }, "sweep: could not refresh an incident on the dashboard"),
    });
  const settled = await Promise.allSettled(configs.values());
  const loaded = settled.flatMap((c) => (c.status === "fulfilled" && c.value.ok ? [c.value.value] : []));
  const { identity, lock, log, clock } = deps;
  await postDueDigests({ octokit, installation: target, configs: loaded, identity, lock, log, clock, caches });
  deps.log.info({ sweep: report }, "sweep: installation done");
  return report;
}

/** Margin before the previous pass for the closed search (a close being written during that pass). */
const CLOSED_SEARCH_MARGIN_MS = 10 * 60_000;

/**
 * The repair pass: every incident whose `updated_at` (from the search result) moved since the app
 * last brought it in line goes through the reconciler with a `repair` trigger, so labels, ticks, the
 * close guard and the status comment converge even when every event about it was lost. An incident
 * that got a tick in this sweep was reconciled already. Writes count against the same budget, after
 * reminders.
 *
 * Open incidents come from the sweep's search. Closed ones (a lost close: closed while incomplete,
 * never guarded) are searched for only when something was lost: a delivery of this installation
 * failed since the last pass (`lossSuspected`); since the last pass (less a margin), or for a ledger
 * that never swept the installation, within the lookback. With nothing failed, nothing extra is asked.
 */
async function repairChanged(args: {
  octokit: ProbotOctokit;
  target: InstallationTarget;
  deps: SweepDeps;
  ledger: RepairLedger;
  caches: GitHubCaches;
  candidates: Candidate[];
  labels: string[];
  configOf: (owner: string, repo: string) => Promise<Awaited<ReturnType<typeof readRepoConfig>>>;
  report: InstallationSweepReport;
  /** The incidents this sweep ticked, with the gateway that wrote to them. */
  ticked: Map<Candidate, GitHubGateway>;
  starts: Map<Candidate, Date | null>;
  batched: Map<string, OwnComment[]>;
  usage: BatchUsage;
  budget: number;
  now: Date;
}): Promise<void> {
  const { octokit, target, deps, ledger, caches, report, now } = args;
  report.repaired = 0;
  report.repairWrites = 0;
  const nowMs = now.getTime();
  const lastPass = ledger.lastPassMs(target.id);
  // Only when something was lost: nothing failed, nothing extra (a fresh CLI run too, unless its
  // redelivery pass found a failed delivery of this installation).
  const closedSinceMs = !deps.lossSuspected
    ? null
    : lastPass !== null
      ? lastPass - CLOSED_SEARCH_MARGIN_MS
      : ledger.lookbackMs > 0
        ? nowMs - ledger.lookbackMs
        : null;
  let closed: Candidate[] = [];
  if (closedSinceMs !== null) {
    try {
      const open = new Set(args.candidates.map((c) => `${c.owner}/${c.repo}#${c.issue.number}`.toLowerCase()));
      closed = (
        await findIncidents(octokit, target, deps, args.labels, { closedSince: new Date(closedSinceMs) })
      ).filter((c) => !open.has(`${c.owner}/${c.repo}#${c.issue.number}`.toLowerCase()));
      report.closedFound = closed.length;
      report.repairedClosed = 0;
    } catch (error) {
      report.errors += 1;
      deps.log.error({ err: error, installation: target.id }, "sweep: could not search the closed incidents");
    }
  }
  const all = [...args.candidates, ...closed];
  const keyOf = (c: Candidate): string => incidentKey(target.id, c.owner, c.repo, c.issue.number);
  // Incidents the ledger does not know, updated inside the lookback: GitHub says whether the app wrote
  // last (its status comment's time), read in batches of 100 with the sweep's own batch reused.
  const unknown = all.filter(
    (c) => !args.ticked.has(c) && !ledger.knows(keyOf(c)) && ledger.changed(keyOf(c), c.updatedAt, nowMs),
  );
  const toBatch = unknown.filter((c) => !(c.nodeId && args.batched.has(c.nodeId)));
  const read = await batchOwnComments(octokit, toBatch, deps, args.usage);
  if (args.usage.queries > 0) report.graphql = args.usage;
  const statusWrittenAt = (c: Candidate): Date | null | undefined => {
    const comments = c.nodeId ? (args.batched.get(c.nodeId) ?? read.get(c.nodeId)) : undefined;
    if (!comments) return undefined;
    return threadOf(comments).status?.updatedAt ?? null;
  };
  for (const candidate of all) {
    const key = keyOf(candidate);
    const known = ledger.knows(key);
    const tick = args.ticked.get(candidate);
    if (tick) {
      // Reconciled by its tick: in line up to the tick's last write (its answer's time), else as searched.
      const writtenAt = tick.writes > 0 ? tick.lastWriteAt : null;
      if (writtenAt) ledger.settleWritten(key, writtenAt);
      else ledger.settle(key, candidate.updatedAt);
      continue;
    }
    const changed = ledger.changed(key, candidate.updatedAt, nowMs, known ? undefined : statusWrittenAt(candidate));
    if (!changed) {
      ledger.settle(key, candidate.updatedAt);
      continue;
    }
    // Over budget: left for the next sweep (the ledger still says changed).
    if (report.writes >= args.budget) continue;
    const gateway = new GitHubGateway(
      octokit,
      { owner: candidate.owner, repo: candidate.repo },
      deps.identity,
      deps.log,
      target.id,
      caches,
    );
    try {
      const config = await args.configOf(candidate.owner, candidate.repo);
      if (config.ok && !labelsInclude(candidate.issue.labels, config.value.incident_label)) continue;
      const incident = {
        gateway,
        installationId: target.id,
        seen: candidate.issue,
        config: Promise.resolve(config),
        log: deps.log,
      };
      await reconcile({ clock: { now: () => now }, lock: deps.lock, dashboard: deps.dashboard }, incident, {
        kind: "repair",
        ...(args.starts.has(candidate) ? { becameIncidentAt: args.starts.get(candidate) ?? null } : {}),
      });
      report.repaired += 1;
      if (candidate.issue.state === "closed" && report.repairedClosed !== undefined) report.repairedClosed += 1;
      if (gateway.writes > 0) report.repairWrites += 1;
      // The app's own writes move `updated_at`: settled up to the last one's time (GitHub's answer),
      // or, when that time is unknown, left for the next sweep to look once more (reads only).
      if (gateway.writes === 0) ledger.settle(key, candidate.updatedAt);
      else if (gateway.lastWriteAt) ledger.settleWritten(key, gateway.lastWriteAt);
    } catch (error) {
      report.errors += 1;
      deps.log.error({ err: error, incident: key }, "sweep: could not repair incident");
    } finally {
      report.writes += gateway.writes;
    }
  }
  try {
    await ledger.finish(target.id, nowMs);
  } catch (error) {
    deps.log.warn({ err: error, installation: target.id }, "sweep: could not save the repair ledger");
  }
}

/** Open incidents of an installation: one search per incident label, 100 per page. */
function findOpenIncidents(
  octokit: ProbotOctokit,
  target: InstallationTarget,
  deps: SweepDeps,
  incidentLabels: string[],
): Promise<Candidate[]> {
  return findIncidents(octokit, target, deps, incidentLabels, {});
}

/** Incidents of an installation: open ones, or (`closedSince`) those closed and updated since then. */
async function findIncidents(
  octokit: ProbotOctokit,
  target: InstallationTarget,
  deps: SweepDeps,
  incidentLabels: string[],
  options: { closedSince?: Date },
): Promise<Candidate[]> {
  const labels = [...new Set(incidentLabels.map((l) => l.toLowerCase()))];
  const scopes = deps.repositories?.length
    ? deps.repositories.map((r) => `repo:${r}`)
    : [`${target.accountType === "Organization" ? "org" : "user"}:${target.account}`];
  const found = new Map<string, Candidate>();
  for (const label of labels) {
    for (const scope of scopes) {
      const state = options.closedSince
        ? `is:closed updated:>=${options.closedSince.toISOString().replace(/\.\d{3}Z$/, "Z")}`
        : "is:open";
      const q = `is:issue ${state} label:"${label.replace(/"/g, "")}" ${scope}`;
      // Each page's items become compact candidates as they arrive: 10,000 whole search items
      // (user objects, URLs, reactions...) are never held at once.
      for (const candidate of await searchAll(octokit, q, candidateOf))
        found.set(`${candidate.owner}/${candidate.repo}#${candidate.issue.number}`.toLowerCase(), candidate);
    }
  }
  return [...found.values()];
}

/** The sweep's compact record of a search result (null: not an issue of a repository, or malformed). */
function candidateOf(item: SearchItem): Candidate | null {
  const match = /\/repos\/([^/]+)\/([^/]+)$/.exec(item.repository_url);
  if (!match?.[1] || !match[2]) return null;
  const parsed = safeSnapshot(item);
  if (!parsed) return null;
  return {
    owner: match[1],
    repo: match[2],
    issue: parsed,
    updatedAt: item.updated_at,
    ...(item.node_id ? { nodeId: item.node_id } : {}),
  };
}

/**
 * The app's comments of `candidates` through GraphQL, keyed by node id. A GitHub that refuses the
 * query (no GraphQL, a token without it) leaves the map empty: each incident is then read through
 * REST, as before, and the sweep goes on.
 */
async function batchOwnComments(
  octokit: ProbotOctokit,
  candidates: readonly Candidate[],
  deps: SweepDeps,
  usage: BatchUsage,
): Promise<Map<string, OwnComment[]>> {
  const refs = candidates.flatMap((c) =>
    c.nodeId ? [{ nodeId: c.nodeId, owner: c.owner, repo: c.repo, number: c.issue.number }] : [],
  );
  if (refs.length === 0 || deps.reader === "rest") return new Map();
  try {
    return await readOwnComments(octokit, refs, deps.identity, usage);
  } catch (error) {
    deps.log.warn({ err: error }, "sweep: the GraphQL batch read failed; reading each incident through REST");
    return new Map();
  }
}

/** Search results are at most 1,000 per query. */
const SEARCH_RESULT_LIMIT = 1_000;
const SEARCH_PAGE_SIZE = 100;

/**
 * Every result of an issue search, page by page, past GitHub's 1,000-results-per-query limit
 * (results sorted by creation, oldest first): a window cut at 1,000 is continued with
 * `created:>T`, T its last creation second, so no result (and no page) is fetched twice. Results
 * created in second T beyond the window's 1,000th are then missing: the window's total count less the
 * continuation's says how many results are at or before T; only when the window holds fewer than that
 * is second T listed by itself (`created:T`, usually one page). Not `octokit.paginate`: its normaliser
 * takes the first remaining key of the response as the list, and GitHub's search answers now carry a
 * `search_type` key beside `items`.
 */
export async function searchAll(octokit: ProbotOctokit, q: string): Promise<SearchItem[]>;
/** The same, each result mapped as its page arrives (`map` null: left out), so whole items are not kept. */
export async function searchAll<T>(
  octokit: ProbotOctokit,
  q: string,
  map: (item: SearchItem) => T | null,
): Promise<T[]>;
export async function searchAll<T>(
  octokit: ProbotOctokit,
  q: string,
  map?: (item: SearchItem) => T | null,
): Promise<T[]> {
  const seen = new Map<number, T | null>();
  const keep = map ?? ((item: SearchItem) => item as T);
  /** The cut window before this one: its total count, what it held, and its last creation second. */
  let cut: { total: number; held: number; lastSecond: string; oneSecond: boolean } | null = null;
  let query = q;
  for (;;) {
    const window = await searchWindow(octokit, query, seen, keep);
    if (cut && !cut.oneSecond && cut.held + window.total < cut.total) {
      // Results of second T past the cut window's 1,000th: list that second alone.
      await searchWindow(octokit, `${q} created:${cut.lastSecond}`, seen, keep);
    }
    if (!window.truncated || !window.first || !window.last) break;
    cut = {
      total: window.total,
      held: window.held,
      lastSecond: window.last,
      // A whole window in one second: GitHub cannot list more of it; go on after it.
      oneSecond: window.first === window.last,
    };
    query = `${q} created:>${window.last}`;
  }
  return [...seen.values()].filter((value): value is T => value !== null);
}

/** One query's pages (at most 1,000 results): its total count, how many it returned, its first and last creation. */
async function searchWindow<T>(
  octokit: ProbotOctokit,
  query: string,
  seen: Map<number, T | null>,
  keep: (item: SearchItem) => T | null,
): Promise<{ total: number; held: number; truncated: boolean; first: string | null; last: string | null }> {
  let total = 0;
  let held = 0;
  let first: string | null = null;
  let last: string | null = null;
  for (let page = 1; ; page += 1) {
    const { data } = await octokit.rest.search.issuesAndPullRequests({
      q: query,
      per_page: SEARCH_PAGE_SIZE,
      page,
      sort: "created",
      order: "asc",
    });
    if (page === 1) total = data.total_count;
    for (const item of data.items) if (!seen.has(item.id)) seen.set(item.id, keep(item));
    held += data.items.length;
    first ??= data.items[0]?.created_at ?? null;
    last = data.items.at(-1)?.created_at ?? last;
    if (data.items.length < SEARCH_PAGE_SIZE || page * SEARCH_PAGE_SIZE >= data.total_count) break;
    if (page * SEARCH_PAGE_SIZE >= SEARCH_RESULT_LIMIT)
      return { total, held, truncated: true, first: first && secondOf(first), last: last && secondOf(last) };
  }
  return { total, held, truncated: false, first: first && secondOf(first), last: last && secondOf(last) };
}

/** GitHub's timestamps are whole seconds; the search qualifier takes them without milliseconds. */
const secondOf = (iso: string): string => iso.replace(/\.\d{3}Z$/, "Z");

type SearchItem = Awaited<
  ReturnType<ProbotOctokit["rest"]["search"]["issuesAndPullRequests"]>
>["data"]["items"][number];

function safeSnapshot(item: unknown): IncidentIssue | null {
  try {
    return toIssueSnapshot(item);
  } catch {
    return null;
  }
}
