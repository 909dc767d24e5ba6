/**
 * Carries out a decision's effects through the gateway, in a fixed order: the trigger's own replies
 * (and reminders), the body's checkboxes, labels, notices, a reopen and why, a close when done, and
 * the status comment last (only a forced close follows it, once the status records who and why). A
 * failure before the status comment leaves the old hidden state, and the next trigger repairs what is
 * missing. Writes only what changed: the status comment is edited only when its fingerprint changes,
 * a config-error comment only when its text does. A comment whose answer is lost is looked for before
 * it is posted again (gateway).
 */
import type { Logger } from "probot";
import { applyChecks } from "../core/decide.js";
import { labelsInclude } from "../core/labels.js";
import { CONFIG_ERROR_MARKER, CONFIG_FIXED_MARKER } from "../core/config-notice.js";
import { formatUtc } from "../core/time-format.js";
import { render } from "../render/templates.js";
import type { DashboardCache } from "../dashboard/cache.js";
import type { IncidentEffects, Message } from "../core/effects.js";
import { referenceRepo, type IncidentSnapshot } from "../core/snapshot.js";
import type { StatusState } from "../core/status-state.js";
import type { GitHubGateway } from "../github/gateway.js";
import { renderMessage } from "../render/messages.js";
import { statusExtras } from "../render/messages.js";
import { renderStatusComment } from "../render/status-comment.js";
import type { ReplyLimiter } from "../runtime/reply-limiter.js";
import { DEFAULT_POLICIES } from "../config/policies.js";
import { bodySeal, writeTimeline } from "../core/timeline-write.js";
import { renderTimelineBlock } from "../render/timeline.js";
import { renderPostmortemReply } from "../render/postmortem.js";
import { publishDraft } from "./publish-draft.js";

type MessageStep = "first" | "after-labels" | "after-reopen";

/** When each kind of comment is posted, relative to the incident's other writes. */
const MESSAGE_STEP: Record<Message["kind"], MessageStep> = {
  "command-refused": "first",
  "command-errors": "first",
  "timeline-not-written": "first",
  "postmortem-reply": "first",
  reminder: "first",
  "config-error": "first",
  notice: "after-labels",
  reopened: "after-reopen",
  "writeup-complete": "after-reopen",
  "security-not-moved": "first",
  "security-team": "first",
};

export interface Applied {
  /** Write requests made (label creation aside). */
  writes: number;
  statusCommentId: number | null;
  wrote: {
    labels: number;
    messages: number;
    ticks: number;
    reopened: boolean;
    closed: boolean;
    status: "created" | "updated" | "unchanged" | "none";
  };
  /** The incident was moved to the private repository (issue #14): where it is now. */
  moved?: { owner: string; repo: string; number: number; movedAt: string };
  /** The transfer to the private repository failed: nothing else changed. */
  moveFailed?: boolean;
}

export async function applyEffects(args: {
  gateway: GitHubGateway;
  snapshot: IncidentSnapshot;
  effects: IncidentEffects;
  now: Date;
  installationId: number;
  replies?: ReplyLimiter;
  /** The app's dashboard view (absent: none, e.g. the CLI). */
  dashboard?: DashboardCache;
  log?: Logger;
}): Promise<Applied> {
  const { gateway, snapshot, effects, now } = args;
  const number = snapshot.issue.number;
  const repo = gateway.repo;
  // A bare `#N` in the body means the repository it was written in (a moved security incident's original one).
  const home = referenceRepo(repo, effects.status?.plan.state ?? snapshot.previous);
  const applied: Applied = {
    writes: 0,
    statusCommentId: snapshot.thread.status?.id ?? null,
    wrote: { labels: 0, messages: 0, ticks: 0, reopened: false, closed: false, status: "none" },
  };

  // Comments, each kind at its step: see MESSAGE_STEP.
  const policies = snapshot.config.ok ? snapshot.config.policies : null;
  const post = async (step: MessageStep): Promise<void> => {
    for (const message of effects.messages) {
      if (MESSAGE_STEP[message.kind] !== step) continue;
      if (message.kind === "config-error") {
        gateway.warn("invalid .github/incident-keeper.yml: no SLA action taken", { repo, issues: message.issues });
        const text = renderMessage(message, { policies: policies ?? DEFAULT_POLICIES, repo, now });
        if (message.replaces?.body === text) continue;
        if (message.replaces) await gateway.updateComment(message.replaces.id, text);
        else await gateway.createComment(number, text);
        applied.writes += 1;
        applied.wrote.messages += 1;
        continue;
      }
      if (!policies) continue;
      if (message.kind === "command-refused") {
        const allowed = args.replies?.allow(`${args.installationId}:${message.limitKey}`, now.getTime()) ?? true;
        const fields = {
          issue: number,
          login: message.login,
          actual: message.actual,
          required: message.required,
          replied: allowed,
        };
        args.log?.info(fields, "command refused: insufficient permission");
        if (!message.post || !allowed) continue;
      }
      await gateway.createComment(number, renderMessage(message, { policies, repo, now }));
      applied.writes += 1;
      applied.wrote.messages += 1;
    }
  };
  // 1. What the trigger itself says: replies to a command, reminders, a config error.
  await post("first");
  const isLead = (name: string): boolean => labelsInclude(effects.leadLabels, name);
  if (effects.leadLabels.length > 0) {
    await gateway.ensureLabels(effects.ensureLabels.filter((spec) => isLead(spec.name)));
    await gateway.addLabels(number, effects.leadLabels);
    applied.writes += 1;
  }
  // 2. Checkboxes: re-read the body just before writing so a person's concurrent edit is never lost.
  // `/timeline --write` goes in the same body write (issue #14).
  const { timelineWrite } = effects;
  let timelineSeal: string | undefined;
  if (effects.checks || timelineWrite) {
    const fresh = (effects.checks?.bodyFresh ?? true) && (timelineWrite?.bodyFresh ?? true);
    const body = fresh ? snapshot.issue.body : (await gateway.getIssue(number)).body;
    const rules = (policies ?? DEFAULT_POLICIES).writeup;
    const next = effects.checks ? applyChecks(body, effects.checks.changes, home, rules) : { body, changed: 0 };
    const known = snapshot.previous.timelineSeal;
    const block = timelineWrite ? renderTimelineBlock(timelineWrite.lines, timelineWrite.timeZone) : "";
    const written = timelineWrite ? writeTimeline(next.body, block, rules.sections, known) : null;
    if (timelineWrite && written === null)
      args.log?.info({ issue: number }, "timeline not written: unchanged or written by people");
    if (next.changed > 0 || written !== null) {
      await gateway.updateIssue(number, { body: written ?? next.body });
      applied.writes += 1;
      applied.wrote.ticks = next.changed;
    }
    // The block's seal goes into the (signed) hidden state: the body alone does not make a block the app's.
    const seal = written !== null ? bodySeal(written) : null;
    if (seal !== null) timelineSeal = seal;
  }
  // 3. Labels (missing ones created first, with colour and description).
  await gateway.ensureLabels(effects.ensureLabels.filter((spec) => !isLead(spec.name)));
  if (effects.addLabels.length > 0) {
    await gateway.addLabels(number, effects.addLabels);
    applied.writes += 1;
  }
  for (const name of effects.removeLabels) {
    await gateway.removeLabel(number, name);
    applied.writes += 1;
  }
  applied.wrote.labels = effects.addLabels.length + effects.removeLabels.length;
  // 4. One-off notices (memo, hand-off).
  await post("after-labels");
  // 5. Reopen, then say why (and that the write-up is done).
  if (effects.reopen) {
    await gateway.updateIssue(number, { state: "open", state_reason: "reopened" });
    applied.writes += 1;
    applied.wrote.reopened = true;
  }
  await post("after-reopen");
  // 6. Close when everything is done (close_when_done).
  const close = async (): Promise<void> => {
    await gateway.updateIssue(number, { state: "closed", state_reason: "completed" });
    applied.writes += 1;
    applied.wrote.closed = true;
  };
  if (effects.close === "done") await close();
  // 6b. `/postmortem`: the draft in the publishing repository, its reply, and the record the status keeps.
  let postmortem: StatusState["postmortem"] | null = null;
  if (effects.publish) {
    const published = await publishDraft(gateway.publishing(), effects.publish);
    postmortem = published.record;
    args.log?.info(
      { issue: number, repository: effects.publish.repository, outcome: published.outcome.kind },
      "postmortem draft",
    );
    if (!effects.publish.replied) {
      const { marker, login } = effects.publish;
      await gateway.createComment(number, renderPostmortemReply({ marker, login, outcome: published.outcome }));
      applied.writes += 1;
      applied.wrote.messages += 1;
    }
  }
  // 7. The status comment, last.
  if (effects.status && policies) {
    const { plan, writeup } = effects.status;
    if (postmortem) plan.state = { ...plan.state, postmortem };
    if (timelineSeal !== undefined) plan.state = { ...plan.state, timelineSeal };
    const rendered = renderStatusComment({ plan, policies, now, extras: statusExtras(writeup, repo) });
    // The dashboard's view (memory, a cache) follows the status the app decided, before the comment is
    // written: the write may wait seconds behind GitHub's spacing of content-creating requests (an
    // incident the app just filed for an alert), and a failed write is repaired by the next trigger.
    const shown = {
      ...snapshot.issue,
      state:
        applied.wrote.closed || effects.close === "forced"
          ? ("closed" as const)
          : applied.wrote.reopened
            ? ("open" as const)
            : snapshot.issue.state,
    };
    args.dashboard?.record({
      installationId: gateway.installation,
      repository: `${repo.owner}/${repo.repo}`,
      issue: shown,
      policies,
      state: rendered.state,
      now,
    });
    const existing = snapshot.thread.status;
    if (!existing) {
      applied.statusCommentId = (await gateway.createComment(number, rendered.body)).id;
      applied.wrote.status = "created";
      applied.writes += 1;
    } else if (snapshot.previous.fingerprint !== rendered.fingerprint) {
      await gateway.updateComment(existing.id, rendered.body);
      applied.wrote.status = "updated";
      applied.writes += 1;
    } else {
      applied.wrote.status = "unchanged";
    }
    plan.state = rendered.state;
  }
  // 7b. An earlier config-error report says the file is fixed now (once).
  if (effects.configFixed !== null) {
    const fixed = { marker: CONFIG_ERROR_MARKER, fixedMarker: CONFIG_FIXED_MARKER, fixedAt: formatUtc(now) };
    await gateway.updateComment(effects.configFixed, render("config-fixed", fixed));
    applied.writes += 1;
  }
  // 8. A forced close, once the status comment says who forced it and why.
  if (effects.close === "forced") await close();
  // 9. A security incident moves to the private repository, last (issue #14): a failure leaves it
  // where it is (the reconciler then says so once); the moved issue is reconciled there.
  if (effects.transfer) {
    try {
      const moved = await gateway.transferIssue({ ...effects.transfer, issueNumber: number });
      applied.writes += 1;
      applied.moved = { ...moved, movedAt: now.toISOString() };
      args.dashboard?.forget(`${repo.owner}/${repo.repo}`, number, now);
    } catch (error) {
      applied.writes += 1;
      applied.moveFailed = true;
      // The error's status only: its message may quote the issue.
      const status = typeof error === "object" && error !== null && "status" in error ? error.status : null;
      args.log?.warn({ issue: number, status }, "security incident not moved: the transfer failed");
    }
  }
  return applied;
}
