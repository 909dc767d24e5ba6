/**
 * Brings one incident in line with the plan the core decides: classification labels, notices, the
 * write-up label, action checkboxes, the close guard and the status comment. Reads the app's own
 * comments once; writes only what changed.
 */
import { CATEGORY_TITLES, SEVERITY_MEANINGS, type Classification } from "../core/classification.js";
import type { IncidentIssue } from "../core/incident.js";
import { planIncident, type IncidentPlan, type Notice } from "../core/incident-plan.js";
import { labelCatalog } from "../core/label-catalog.js";
import { decodeState, EMPTY_STATE, STATUS_MARKER, type StatusState } from "../core/status-state.js";
import { formatUtc } from "../core/time-format.js";
import { actionDisplayText, actionKeys, assessWriteup, tickActions, closeBlockers, SECTION_KEYS, SECTION_TITLES, type ActionView, type RemoteState, type WriteupAssessment } from "../core/writeup.js";
import type { IncidentKeeperConfig } from "../config/schema.js";
import { parseKey, type GitHubGateway, type OwnComment } from "../github/gateway.js";
import { render } from "../render/templates.js";
import { renderStatusComment, type StatusExtras } from "../render/status-comment.js";
import { actionStates, type Refresh } from "./action-states.js";
import { dashboardCache } from "../dashboard/cache.js";
import { markConfigFixed } from "./config-error.js";

const MARKER_PATTERN = /<!-- incident-keeper:[^>]{1,200} -->/g;
const COMPLETE_MARKER = "<!-- incident-keeper:complete -->";

/** What the app has already written on an incident, read from its own comments. */
export interface OwnThread {
  comments: OwnComment[];
  status: OwnComment | null;
  markers: Set<string>;
}

/** Reads the app's own comments on an issue once and indexes their markers. */
export async function readOwnThread(gateway: GitHubGateway, issueNumber: number): Promise<OwnThread> {
  const comments = await gateway.ownComments(issueNumber);
  const markers = new Set<string>();
  for (const comment of comments) for (const marker of comment.body.match(MARKER_PATTERN) ?? []) markers.add(marker);
  return { comments, status: comments.find((c) => c.body.startsWith(STATUS_MARKER)) ?? null, markers };
}

/** The payload's issue predates the app's last write of the status comment (GitHub's times are whole seconds). */
export function isStale(issue: Pick<IncidentIssue, "updatedAt">, status: OwnComment | null): boolean {
  return issue.updatedAt !== undefined && status?.updatedAt !== undefined && issue.updatedAt.getTime() < status.updatedAt.getTime();
}

export interface SyncRequest {
  issue: IncidentIssue;
  config: IncidentKeeperConfig;
  gateway: GitHubGateway;
  thread: OwnThread;
  now: Date;
  wanted?: Partial<Classification>;
  newestLabel?: string;
  markResolved?: boolean;
  /** Changes to the decoded hidden state before planning (e.g. an alert group's new state). */
  amendPrevious?: (state: StatusState) => StatusState;
  /** Extra state changes (e.g. a forced close) merged before rendering. */
  amendState?: (state: StatusState) => StatusState;
  /** Labels to add besides the plan's (e.g. the incident label for `/incident`). */
  extraLabels?: string[];
  /** Which action states to read from GitHub (default: only those not cached). */
  refreshActions?: Refresh;
  /** Action states read from GitHub earlier in this delivery (`owner/name#N`), not read again. */
  knownActions?: ReadonlyMap<string, RemoteState>;
  /** The issue body was read from the API just now (skip the re-read before ticking). */
  freshBody?: boolean;
  /** When the issue became an incident (see incident-start.ts); kept in the state when it has none. */
  becameIncidentAt?: Date | null;
  /** A person just closed the incident (closed_at of that close): enforce the close guard. */
  closeAttempt?: string | null;
}

export interface SyncResult {
  plan: IncidentPlan;
  writeup: WriteupAssessment;
  statusCommentId: number;
  wrote: { labels: number; notices: number; ticks: number; reopened: boolean; closed: boolean; status: "created" | "updated" | "unchanged" };
}

/** Plans and applies; returns what it wrote. */
export async function syncIncident(request: SyncRequest): Promise<SyncResult> {
  const { config, gateway, thread, now } = request;
  const repo = gateway.repo;
  const hasLabel = (name: string): boolean => request.issue.labels.some((l) => l.toLowerCase() === name.toLowerCase());
  const extraLabels = (request.extraLabels ?? []).filter((l) => !hasLabel(l));
  let issue: IncidentIssue = { ...request.issue, labels: [...request.issue.labels, ...extraLabels] };
  const decoded = thread.status ? decodeState(thread.status.body) : EMPTY_STATE;
  const previous = request.amendPrevious ? request.amendPrevious(decoded) : decoded;
  const plan = planIncident({ issue, config, previous, postedMarkers: thread.markers, wanted: request.wanted, newestLabel: request.newestLabel, markResolved: request.markResolved, becameIncidentAt: request.becameIncidentAt, now });
  if (request.amendState) plan.state = request.amendState(plan.state);

  // Follow-up actions: states from the cache in the status comment, refreshed as asked.
  const keys = actionKeys(issue.body, repo, config);
  const remote = await actionStates({ gateway, keys, cached: previous.actions, refresh: request.refreshActions ?? "missing", known: request.knownActions });
  plan.state = { ...plan.state, actions: Object.fromEntries(remote), reviews: pick(plan.state.reviews, keys) };
  const ticks = await syncCheckboxes({ gateway, issue, remote, freshBody: request.freshBody ?? false, config });
  if (ticks.body !== null) issue = { ...issue, body: ticks.body };
  let writeup = assessWriteup({ body: issue.body, repo, config, classification: plan.classification, remote, reviews: plan.state.reviews });

  // Labels: classification, product hand-off, write-up.
  const needsWriteup = writeup.required && !writeup.sectionsOk;
  const writeupLabel = config.labels.needs_writeup;
  if (needsWriteup && !hasLabel(writeupLabel)) plan.labels.add.push(writeupLabel);
  if (!needsWriteup && hasLabel(writeupLabel)) plan.labels.remove.push(writeupLabel);
  const toAdd = [...extraLabels, ...plan.labels.add];
  const catalog = labelCatalog(config);
  await gateway.ensureLabels(toAdd.flatMap((name) => catalog.get(name.toLowerCase()) ?? []));
  await gateway.addLabels(issue.number, toAdd);
  for (const name of plan.labels.remove) await gateway.removeLabel(issue.number, name);

  for (const notice of plan.notices) await gateway.createComment(issue.number, renderNotice(notice, issue, plan, config));

  // The close guard: a person closed it too early.
  let reopened = false;
  if (request.closeAttempt && issue.state === "closed" && !plan.state.forcedClose) {
    const blockers = closeBlockers(writeup);
    if (blockers.sections.length > 0 || blockers.actions.length > 0) {
      await gateway.updateIssue(issue.number, { state: "open", state_reason: "reopened" });
      issue = { ...issue, state: "open", closedAt: null };
      plan.state = { ...plan.state, resolvedAt: previous.resolvedAt };
      reopened = true;
      const marker = `<!-- incident-keeper:reopened ${request.closeAttempt} -->`;
      if (!thread.markers.has(marker)) await gateway.createComment(issue.number, renderReopened(marker, blockers, repo));
    }
  }

  // Done: say so once; optionally close.
  let closed = false;
  writeup = { ...writeup };
  if (writeup.complete && writeup.actions.length > 0 && issue.state === "open" && !thread.markers.has(COMPLETE_MARKER)) {
    await gateway.createComment(issue.number, render("writeup-complete", { marker: COMPLETE_MARKER, closeWhenDone: config.writeup.close_when_done, actionsTotal: writeup.actions.length, noActions: writeup.actions.length === 0, oneAction: writeup.actions.length === 1, manyActions: writeup.actions.length > 1 }));
    if (config.writeup.close_when_done) {
      await gateway.updateIssue(issue.number, { state: "closed", state_reason: "completed" });
      closed = true;
      plan.state = { ...plan.state, resolvedAt: plan.state.resolvedAt ?? now.toISOString() };
    }
  }

  const rendered = renderStatusComment({ plan, config, now, extras: statusExtras(writeup, repo) });
  let status: SyncResult["wrote"]["status"] = "unchanged";
  let statusCommentId: number;
  if (!thread.status) {
    statusCommentId = (await gateway.createComment(issue.number, rendered.body)).id;
    status = "created";
  } else {
    statusCommentId = thread.status.id;
    if (previous.fingerprint !== rendered.fingerprint) {
      await gateway.updateComment(thread.status.id, rendered.body);
      status = "updated";
    }
  }
  plan.state = rendered.state;
  const shown = closed ? { ...issue, state: "closed" as const } : issue;
  const repository = `${repo.owner}/${repo.repo}`;
  const installationId = gateway.installation;
  dashboardCache.record({ installationId, repository, issue: shown, config, state: plan.state, now });
  await markConfigFixed({ gateway, thread, now });
  return { plan, writeup, statusCommentId, wrote: { labels: toAdd.length + plan.labels.remove.length, notices: plan.notices.length, ticks: ticks.changed, reopened, closed, status } };
}

function pick<T>(record: Record<string, T>, keys: string[]): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => keys.includes(k)));
}

/**
 * Ticks (or unticks) the checkbox of every action whose state is known and disagrees with it. Re-reads
 * the body just before writing so that a person's concurrent edit is never overwritten.
 */
async function syncCheckboxes(args: { gateway: GitHubGateway; issue: IncidentIssue; remote: Map<string, RemoteState>; freshBody: boolean; config: IncidentKeeperConfig }): Promise<{ body: string | null; changed: number }> {
  const { gateway, issue, remote } = args;
  // The configured section names decide which items are actions (issue #10 item 7).
  const apply = (body: string): { body: string; changed: number } => tickActions({ body, remote, repo: gateway.repo, config: args.config });
  if (apply(issue.body).changed === 0) return { body: null, changed: 0 };
  const fresh = args.freshBody ? issue : await gateway.getIssue(issue.number);
  const next = apply(fresh.body);
  if (next.changed === 0) return { body: fresh.body, changed: 0 };
  await gateway.updateIssue(issue.number, { body: next.body });
  return { body: next.body, changed: next.changed };
}

const ACTION_WORDS: Record<ActionView["state"], { icon: string; state: string }> = {
  open: { icon: "⬜", state: "open" },
  "in-review": { icon: "🔍", state: "in review" },
  done: { icon: "✅", state: "done" },
  "not-doing": { icon: "➖", state: "not doing" },
  "closed-unmerged": { icon: "⬜", state: "closed without merging" },
  unknown: { icon: "❓", state: "unknown (not found, or outside this installation)" },
  "task-open": { icon: "⬜", state: "to do" },
  "task-done": { icon: "✅", state: "done" },
};

function actionLink(key: string | null, repo: { owner: string; repo: string }): string {
  if (!key) return "";
  const parsed = parseKey(key);
  if (!parsed) return "";
  const same = parsed.owner.toLowerCase() === repo.owner.toLowerCase() && parsed.repo.toLowerCase() === repo.repo.toLowerCase();
  return same ? `#${parsed.number}` : `${parsed.owner}/${parsed.repo}#${parsed.number}`;
}

function statusExtras(writeup: WriteupAssessment, repo: { owner: string; repo: string }): StatusExtras {
  const sectionWords = { filled: "filled in", missing: "missing", empty: "empty", placeholder: "still the placeholder" } as const;
  return {
    writeup: {
      sections: SECTION_KEYS.map((key) => {
        const section = writeup.sections[key];
        return { icon: section.filled ? "✅" : writeup.required ? "❌" : "➖", name: SECTION_TITLES[key], state: sectionWords[section.state] };
      }),
    },
    actions: writeup.actions.map((a) => ({
      icon: ACTION_WORDS[a.state].icon,
      link: actionLink(a.key, repo),
      title: a.key ? a.title : a.text.slice(0, 200),
      state: ACTION_WORDS[a.state].state + (a.reviews.length > 0 ? ` (${a.reviews.join(", ")})` : ""),
      done: a.done,
    })),
  };
}

function renderReopened(marker: string, blockers: ReturnType<typeof closeBlockers>, repo: { owner: string; repo: string }): string {
  return render("reopened", {
    marker,
    sections: blockers.sections.map((key) => SECTION_TITLES[key]),
    hasSections: blockers.sections.length > 0,
    actions: blockers.actions.map((a) => ({ link: actionLink(a.key, repo), text: actionDisplayText(a).slice(0, 200), state: ACTION_WORDS[a.state].state })),
    hasActions: blockers.actions.length > 0,
  });
}

function renderNotice(notice: Notice, issue: IncidentIssue, plan: IncidentPlan, config: IncidentKeeperConfig): string {
  const severity = plan.classification.severity;
  if (notice.kind === "handoff") {
    return render("handoff", { marker: notice.marker, productLabel: config.labels.product, productTeam: config.teams.product });
  }
  return render("memo", {
    marker: notice.marker,
    categoryTitle: CATEGORY_TITLES[notice.category],
    title: issue.title,
    severity: severity ? `Sev ${severity}: ${SEVERITY_MEANINGS[severity]}` : "severity not yet set",
    openedAt: formatUtc(issue.createdAt),
    operatorError: notice.category === "operator-error",
    actOfGod: notice.category === "act-of-god",
    summary: summaryOf(issue.body),
    productTeam: config.teams.product,
  });
}

/** First paragraph of real text in the body, one line, at most 300 characters. */
function summaryOf(body: string): string | null {
  const text = body
    .replace(/<!--[\s\S]*?-->/g, "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#") && l !== "_No response_")
    .slice(0, 5)
    .join(" ");
  if (text === "") return null;
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
