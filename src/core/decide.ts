/**
 * The decision: `(snapshot, trigger, now) -> effects`, pure. One case per trigger kind; read the case
 * to answer "what does the app do when X". The shared part (`reconcileIncident`) brings an incident in
 * line with GitHub's state: classification labels, notices, the write-up label, action checkboxes,
 * the close guard and the status comment's new hidden state.
 */
import { decideAlert } from "./alert-group.js";
import { readClassification, setDimensions, type Classification } from "./classification.js";
import { noEffects, type CheckChange, type IncidentEffects, type Message } from "./effects.js";
import { isIncident } from "./incident.js";
import { planIncident, type IncidentPlan } from "./incident-plan.js";
import { reminderMarker } from "./incident-reminders.js";
import { readIssueForm } from "./issue-form.js";
import { labelsInclude, sameLabel } from "./labels.js";
import { hasPermission } from "./permissions.js";
import { becameIncident, declaresIncident, isStale, requiredPermission } from "./reads.js";
import { parseKey } from "./references.js";
import { checkReminders } from "./reminder-check.js";
import type { IncidentSnapshot } from "./snapshot.js";
import type { StatusState } from "./status-state.js";
import { setChecksForRefs } from "./task-list.js";
import type { IncidentTrigger } from "./trigger.js";
import { actionKeys, assessWriteup, closeBlockers, MAX_TRACKED_ACTIONS } from "./writeup.js";
import { CONFIG_ERROR_MARKER, configCommentToMarkFixed } from "./config-notice.js";
import { EMPTY_TIMELINE, hasNote } from "./timeline.js";
import { notesOf, noteVersionNews, timelineZone, withTimeline } from "./timeline-events.js";
import { timelineSlot, writeTimeline } from "./timeline-write.js";
import type { Policies, WriteupPolicy } from "./policy.js";
import {
  draftPath,
  postmortemBlocker,
  postmortemBranch,
  postmortemCommand,
  postmortemView,
  type PublishEffect,
} from "./postmortem.js";
import {
  policiesFor,
  notMovedMarker,
  refusalOf,
  SECURITY_TEAM_MARKER,
  securityPolicies,
  securityMentions,
  isSecurityIncident,
  wantsMove,
  wantsTeamMention,
  type NotMovedReason,
} from "./security.js";
import { referenceRepo } from "./snapshot.js";

export { CONFIG_ERROR_MARKER };
export const COMPLETE_MARKER = "<!-- incident-keeper:complete -->";
/** What `/timeline --write` will put in the Timeline section, as far as judging the write-up goes. */
const TIMELINE_STAND_IN = "- the incident's timeline (written by `/timeline --write`)";
/** A GitHub login: only these are ever mentioned or answered. */
export const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
/** Actions tracked per incident; more are shown as untracked and never block a close (issue #10 item 8). */
export { MAX_TRACKED_ACTIONS };

/** What the app does about one incident for one trigger. */
export function decide(snapshot: IncidentSnapshot, trigger: IncidentTrigger, now: Date): IncidentEffects {
  const effects = withSecurityTeam(snapshot, withSecurity(snapshot, trigger, decideCase(snapshot, trigger, now), now));
  // Every trigger's events and notes go on the incident's timeline (issue #14).
  return snapshot.config.ok ? withTimeline(snapshot, snapshot.config.policies, trigger, effects, now) : effects;
}

function decideCase(snapshot: IncidentSnapshot, trigger: IncidentTrigger, now: Date): IncidentEffects {
  if (!snapshot.config.ok) {
    // No SLA action while the config is invalid: one comment naming each problem, updated in place.
    const replaces = snapshot.thread.comments.find((c) => c.body.startsWith(CONFIG_ERROR_MARKER)) ?? null;
    return { ...noEffects(), messages: [{ kind: "config-error", issues: snapshot.config.error.issues, replaces }] };
  }
  // A security incident runs the security SLA windows instead of the matrix (issue #14).
  const policies =
    trigger.kind === "security-moved"
      ? securityPolicies(snapshot.config.policies)
      : policiesFor(snapshot.config.policies, snapshot.issue.labels, snapshot.previous);
  switch (trigger.kind) {
    case "issue":
      return onIssueEvent(snapshot, policies, trigger, now);
    case "command":
      return onCommand(snapshot, policies, trigger, now);
    case "action-state":
      // The action's new state is in the snapshot (refreshed): tick its checkbox, refresh the status.
      return reconcileIncident(snapshot, policies, now, {});
    case "pull-request": {
      const { actionKey, prKey, open } = trigger;
      // The PR shows next to its action as "in review" while open.
      return reconcileIncident(
        snapshot,
        policies,
        now,
        actionKey ? { amend: (s) => ({ ...s, reviews: withReview(s.reviews, actionKey, prKey, open) }) } : {},
      );
    }
    case "tick":
      return onTick(snapshot, policies, now);
    case "repair":
      // Nothing the trigger knows beyond GitHub's state: the shared reconciliation is the repair. A
      // close the app never saw (closed, still incomplete) is guarded like a person's close.
      return reconcileIncident(snapshot, policies, now, {
        closeAttempt:
          snapshot.issue.state === "closed" ? (snapshot.issue.closedAt?.toISOString() ?? now.toISOString()) : null,
      });
    case "timeline-note":
      // The edited or deleted note's entry is changed by withTimeline; nothing else to do.
      // A comment without notes yet: its deletion is recorded (a late creation then adds nothing), and
      // an edit bringing its first notes is applied with its author's permission (read for it).
      return hasNote(snapshot.previous.timeline ?? EMPTY_TIMELINE, trigger.commentId) ||
        noteVersionNews(snapshot.previous.timeline ?? EMPTY_TIMELINE, trigger)
        ? reconcileIncident(snapshot, policies, now, {})
        : noEffects();
    case "alert":
      return onAlert(snapshot, policies, trigger, now);
    case "security-moved":
      return onSecurityMoved(snapshot, policies, trigger, now);
    case "security-not-moved": {
      const at = now.toISOString();
      const effects = reconcileIncident(snapshot, policies, now, {
        amend: (state) => ({ ...state, securityNotMoved: { reason: trigger.reason, at } }),
      });
      return { ...effects, messages: [...notMoved(snapshot, trigger.reason, trigger.login), ...effects.messages] };
    }
    default: {
      const unknown: never = trigger;
      return unknown;
    }
  }
}

/** An issue event: labels people apply win, the form fills what nobody labelled, a person's close is guarded. */
function onIssueEvent(
  snapshot: IncidentSnapshot,
  policies: Policies,
  trigger: Extract<IncidentTrigger, { kind: "issue" }>,
  now: Date,
): IncidentEffects {
  const { issue, thread } = snapshot;
  if (!isIncident(issue, policies.labels.incident)) return onDropped(snapshot, policies, trigger, now);
  const payloadIssue = trigger.issue;
  const stale = isStale(payloadIssue, thread.status);
  // The issue form's answers (as filed: the delivery's body) fill only the dimensions nobody labelled:
  // when the issue becomes an incident, or on the first event the app handles for it (e.g. it was
  // filed while the config was invalid).
  const applyForm = becameIncident(trigger, policies.labels.incident) || thread.status === null;
  const filed = applyForm ? readIssueForm(payloadIssue.body) : null;
  const wanted: Partial<Classification> = filed
    ? { ...(snapshot.fresh ? setDimensions(readIssueForm(issue.body)) : {}), ...setDimensions(filed) }
    : {};
  const closedNow = trigger.action === "closed" && issue.state === "closed";
  return reconcileIncident(snapshot, policies, now, {
    wanted: onlyUnset(wanted, readClassification(issue.labels, policies.labels)),
    // "Newest wins" only for a label event that is still current.
    newestLabel: trigger.action === "labeled" && !stale ? (trigger.changedLabel ?? undefined) : undefined,
    // A close by a person is checked against the write-up and fresh action states.
    closeAttempt: closedNow ? (issue.closedAt?.toISOString() ?? now.toISOString()) : null,
    // Reopened by a person: a later close is guarded again.
    amend:
      trigger.action === "reopened" && issue.state === "open"
        ? (state) => ({ ...state, forcedClose: null })
        : undefined,
    restore: snapshot.previous.droppedAt !== undefined,
  });
}

/**
 * The incident label was removed (issue #10 item 10): the app's own labels go (the write-up and breach
 * labels; people's classification stays) and the status comment says "no longer an incident", once.
 */
function onDropped(
  snapshot: IncidentSnapshot,
  policies: Policies,
  trigger: Extract<IncidentTrigger, { kind: "issue" }>,
  now: Date,
): IncidentEffects {
  const { thread, previous, issue } = snapshot;
  const removed = trigger.changedLabel !== null && sameLabel(trigger.changedLabel, policies.labels.incident);
  if (!removed || thread.status === null || previous.droppedAt !== undefined) return noEffects();
  const planned = reconcileIncident(snapshot, policies, now, {
    amend: (s) => ({ ...s, droppedAt: now.toISOString() }),
  });
  const own = [policies.labels.needsWriteup, policies.labels.slaBreached].filter((l) => labelsInclude(issue.labels, l));
  return { ...noEffects(), removeLabels: own, status: planned.status };
}

/** Slash commands: refused without the permission; otherwise the newest command per dimension wins. */
function onCommand(
  snapshot: IncidentSnapshot,
  policies: Policies,
  trigger: Extract<IncidentTrigger, { kind: "command" }>,
  now: Date,
): IncidentEffects {
  const { login, commands } = trigger;
  const markers = snapshot.thread.markers;
  const marker = `<!-- incident-keeper:reply ${trigger.commentId} -->`;
  const required = requiredPermission(commands, policies.permissions);
  const actual = snapshot.permission ?? "none";
  if (!hasPermission(actual, required)) {
    const command = commands[0] ? `/${commands[0].name.replace("-force", " --force")}` : "that command";
    const limitKey = `${snapshot.repo.owner}/${snapshot.repo.repo}:${login}`.toLowerCase();
    const post = !markers.has(marker) && LOGIN.test(login);
    return {
      ...noEffects(),
      messages: [{ kind: "command-refused", marker, login, command, required, actual, post, limitKey }],
    };
  }
  const zone = timelineZone(policies);
  const commentTime = Number.isNaN(Date.parse(trigger.commentAt)) ? now : new Date(trigger.commentAt);
  const { badTimes } = notesOf({
    commands,
    commentId: trigger.commentId,
    commentAt: commentTime,
    login,
    timeZone: zone,
  });
  const allErrors = [
    ...trigger.errors,
    ...badTimes.map((line) => ({ line, message: "that time is not a time of day (HH:MM) before this comment" })),
  ];
  const errors: Message[] =
    allErrors.length > 0 && !markers.has(marker) ? [{ kind: "command-errors", marker, login, errors: allErrors }] : [];
  if (commands.length === 0) return { ...noEffects(), messages: errors };

  const { issue, previous } = snapshot;
  const became = declaresIncident(trigger) && !isIncident(issue, policies.labels.incident);
  const wanted: Partial<Classification> = became ? setDimensions(readIssueForm(issue.body)) : {};
  // Newest command wins per dimension, by comment time, whatever order the deliveries came in.
  const commentAt = Number.isNaN(Date.parse(trigger.commentAt))
    ? now.toISOString()
    : new Date(trigger.commentAt).toISOString();
  const applied: StatusState["commandsAt"] = {};
  const set = <D extends keyof Classification>(dimension: D, value: NonNullable<Classification[D]>): void => {
    const newer = previous.commandsAt[dimension];
    if (newer !== undefined && Date.parse(newer) > Date.parse(commentAt)) return;
    wanted[dimension] = value;
    applied[dimension] = commentAt;
  };
  for (const command of commands) {
    if (command.name === "sev") set("severity", command.severity);
    if (command.name === "devops") set("devops", command.devops);
    if (command.name === "category") set("category", command.category);
  }
  const forced = commands.find((c): c is Extract<typeof c, { name: "close-force" }> => c.name === "close-force");
  // `/action done REF`: an action the app cannot see, declared done by this person (issue #10 item 9).
  const handTicks = Object.fromEntries(
    commands.flatMap((c) => {
      if (c.name !== "action-done") return [];
      const home = referenceRepo(snapshot.repo, snapshot.previous);
      const key = (c.ref.startsWith("#") ? `${home.owner}/${home.repo}${c.ref}` : c.ref).toLowerCase();
      const seen = snapshot.actions.get(key);
      return seen && !seen.found ? [[key, { by: login, at: now.toISOString() }]] : [];
    }),
  );
  // `/timeline --write`: only where nobody wrote the Timeline section; otherwise one reply. Where it
  // writes, the write-up is judged on the body as it will be (the block fills the section), since
  // the app's own edit of the body comes back as an event it ignores.
  const writeAsked = commands.some((c) => c.name === "timeline-write");
  const seal = previous.timelineSeal;
  const slot = writeAsked ? timelineSlot(issue.body, policies.writeup.sections, seal) : null;
  const theirs = slot === "filled" || slot === "edited";
  const prospective =
    slot !== null && !theirs ? writeTimeline(issue.body, TIMELINE_STAND_IN, policies.writeup.sections, seal) : null;
  const judged = prospective !== null ? { ...snapshot, issue: { ...issue, body: prospective } } : snapshot;
  const effects = reconcileIncident(judged, policies, now, {
    wanted,
    markResolved: commands.some((c) => c.name === "resolved"),
    extraLabels: became ? [policies.labels.incident] : [],
    amend: (state) => ({
      ...state,
      commandsAt: { ...state.commandsAt, ...applied },
      ...(Object.keys(handTicks).length > 0 ? { manualTicks: { ...state.manualTicks, ...handTicks } } : {}),
      ...(forced
        ? {
            forcedClose: { by: login, reason: forced.reason, at: now.toISOString() },
            resolvedAt: state.resolvedAt ?? now.toISOString(),
          }
        : {}),
    }),
  });
  const writeMarker = `<!-- incident-keeper:timeline-not-written ${trigger.commentId} -->`;
  // People's section, or the app's block people edited since (its seal no longer matches): theirs.
  const writeReply: Message[] =
    theirs && !markers.has(writeMarker) ? [{ kind: "timeline-not-written", marker: writeMarker, login }] : [];
  const postmortem = onPostmortem(snapshot, policies, trigger, effects.status?.plan.state ?? previous);
  return {
    ...effects,
    ...(slot !== null && !theirs ? { timelineWrite: { lines: [], timeZone: zone, bodyFresh: snapshot.fresh } } : {}),
    ...(postmortem.publish ? { publish: postmortem.publish } : {}),
    messages: [...errors, ...writeReply, ...postmortem.replies, ...effects.messages],
    close: forced !== undefined && issue.state === "open" && effects.close === null ? "forced" : effects.close,
  };
}

/**
 * `/postmortem [--public-ok]` (issue #14): the public write-up's draft for the applier to write in the
 * publishing repository, or one reply saying why not (not configured, a security incident without
 * `--public-ok`, the repository unreachable). A re-run keeps the path of the first draft.
 */
function onPostmortem(
  snapshot: IncidentSnapshot,
  policies: Policies,
  trigger: Extract<IncidentTrigger, { kind: "command" }>,
  state: StatusState,
): { publish: PublishEffect | null; replies: Message[] } {
  const asked = postmortemCommand(trigger.commands);
  if (!asked) return { publish: null, replies: [] };
  const { repo, issue } = snapshot;
  const marker = `<!-- incident-keeper:postmortem ${trigger.commentId} -->`;
  const replied = snapshot.thread.markers.has(marker);
  const reply = (outcome: Extract<Message, { kind: "postmortem-reply" }>["outcome"]) => ({
    publish: null,
    replies: replied ? [] : [{ kind: "postmortem-reply" as const, marker, login: trigger.login, outcome }],
  });
  const blocker = postmortemBlocker({ policies, issue, state: snapshot.previous, publicOk: asked.publicOk });
  if (blocker !== null) return reply({ kind: blocker });
  const target = snapshot.publishing?.repository;
  if (!target) return { publish: null, replies: [] };
  const repository = `${target.owner}/${target.repo}`;
  if (!target.ok)
    return reply(
      target.status === "not-found"
        ? { kind: "not-installed", repository }
        : { kind: "forbidden", repository, detail: "reading the repository" },
    );
  const view = postmortemView({
    issue,
    // A moved security incident's `#N` still means its original repository.
    repo: referenceRepo(repo, snapshot.previous),
    policies,
    state,
    actions: snapshot.actions,
    visibility: snapshot.publishing?.visibility ?? new Map(),
  });
  const earlier =
    state.postmortem?.repository.toLowerCase() === repository.toLowerCase() ? state.postmortem : undefined;
  return {
    publish: {
      repository: { owner: target.owner, repo: target.repo },
      base: policies.publish.base ?? target.defaultBranch,
      branch: postmortemBranch(repo, issue.number),
      path: earlier?.path ?? draftPath(policies.publish.path, { date: view.date, slug: view.slug }),
      view,
      // A public repository's pull request never names the (maybe private) incident.
      incident: target.private ? `${repo.owner}/${repo.repo}#${issue.number}` : null,
      marker,
      replied,
      login: trigger.login,
    },
    replies: [],
  };
}

/**
 * An alert group's notification: the group's state (firing/resolved per alert) goes into the hidden
 * state before planning (its investigation start moves the SLA clock); a group that resolves records
 * the incident's resolution (`alerts.resolve_incident`), one that fires again undoes it. A repeat
 * changes nothing. Filing a new incident is the adapter's (there is no incident yet to decide on).
 */
function onAlert(
  snapshot: IncidentSnapshot,
  policies: Policies,
  trigger: Extract<IncidentTrigger, { kind: "alert" }>,
  now: Date,
): IncidentEffects {
  const { issue, previous } = snapshot;
  let state = trigger.filed;
  let resolveIncident = false;
  let unresolveIncident = false;
  if (state === null) {
    const alert = previous.alert?.token === trigger.token ? previous.alert : null;
    const incident = { number: issue.number, state: issue.state, alert };
    const decision = decideAlert({
      notification: trigger.notification,
      token: trigger.token,
      incident,
      policy: policies.alerts,
      now,
    });
    if (decision.kind !== "update") return noEffects();
    ({ state, resolveIncident, unresolveIncident } = decision);
  }
  const amended: StatusState = {
    ...previous,
    alert: state,
    resolvedAt: unresolveIncident ? null : previous.resolvedAt,
  };
  return reconcileIncident({ ...snapshot, previous: amended }, policies, now, { markResolved: resolveIncident });
}

/** A sweep tick: post each owed reminder once (by its marker too), label a breach, record them. */
function onTick(snapshot: IncidentSnapshot, policies: Policies, now: Date): IncidentEffects {
  const { issue, thread } = snapshot;
  const check = checkReminders({ issue, policies, thread, now, becameIncidentAt: snapshot.becameIncidentAt });
  if (check.owed.length === 0) return noEffects();
  const { severity } = readClassification(issue.labels, policies.labels);
  const assignees = issue.assignees.filter((a) => LOGIN.test(a));
  const security = isSecurityIncident(issue.labels, snapshot.previous, policies);
  const reminders: Message[] = [];
  const posted = new Set(thread.markers);
  for (const owed of check.owed) {
    const marker = reminderMarker(owed.record[0] ?? owed.reminder.key);
    if (posted.has(marker)) continue;
    posted.add(marker);
    reminders.push({ kind: "reminder", marker, owed, assignees, severity, security });
  }
  const breachLabel = policies.labels.slaBreached;
  const breach = check.owed.some((o) => o.reminder.kind !== "approaching") && !labelsInclude(issue.labels, breachLabel);
  const recordedNow = check.owed.flatMap((o) => o.record);
  const effects = reconcileIncident(snapshot, policies, now, {
    amend: (state) => ({ ...state, reminders: [...new Set([...state.reminders, ...recordedNow])].slice(-400) }),
  });
  const spec = policies.labels.catalog.get(breachLabel.toLowerCase());
  return {
    ...effects,
    messages: [...reminders, ...effects.messages],
    leadLabels: breach ? [breachLabel] : [],
    ensureLabels: [...(breach && spec ? [spec] : []), ...effects.ensureLabels],
  };
}

interface SyncInput {
  wanted?: Partial<Classification>;
  newestLabel?: string;
  markResolved?: boolean;
  /** Labels to add besides the plan's (the incident label for `/incident`, the breach label). */
  extraLabels?: string[];
  /** A person just closed the incident (closed_at of that close): enforce the close guard. */
  closeAttempt?: string | null;
  /** The trigger's own change to the hidden state, made before rendering. */
  amend?: (state: StatusState) => StatusState;
  /** The incident label came back after it was removed: restore the status and the breach label. */
  restore?: boolean;
}

/** Brings one incident in line with the plan: what every trigger shares. */
export function reconcileIncident(
  snapshot: IncidentSnapshot,
  policies: Policies,
  now: Date,
  input: SyncInput,
): IncidentEffects {
  const { thread, previous } = snapshot;
  // A bare `#N` means the repository the body was written in (a moved security incident's original one).
  const repo = referenceRepo(snapshot.repo, previous);
  const effects = noEffects();
  const extraLabels = (input.extraLabels ?? []).filter((l) => !labelsInclude(snapshot.issue.labels, l));
  let issue = { ...snapshot.issue, labels: [...snapshot.issue.labels, ...extraLabels] };
  const plan: IncidentPlan = planIncident({
    issue,
    policies,
    previous,
    postedMarkers: thread.markers,
    wanted: input.wanted,
    newestLabel: input.newestLabel,
    markResolved: input.markResolved,
    becameIncidentAt: snapshot.becameIncidentAt,
    now,
  });
  if (input.amend) plan.state = input.amend(plan.state);
  if (input.restore) {
    const { droppedAt: _dropped, ...rest } = plan.state;
    plan.state = rest;
    const breached = plan.sla.investigation.state === "breached" || plan.sla.resolution.state === "breached";
    const breachLabel = policies.labels.slaBreached;
    if (breached && !labelsInclude(issue.labels, breachLabel)) plan.labels.add.push(breachLabel);
  }
  // A close as "not planned" is accepted without a write-up unless the config asks for one (issue #10 item 10).
  const notPlanned =
    issue.state === "closed" && issue.stateReason === "not_planned" && !policies.writeup.requiredWhenNotPlanned;
  if (notPlanned)
    plan.state = { ...plan.state, notPlannedAt: plan.state.notPlannedAt ?? (issue.closedAt ?? now).toISOString() };
  else if (plan.state.notPlannedAt !== undefined) {
    const { notPlannedAt: _closed, ...rest } = plan.state;
    plan.state = rest;
  }
  const judged = notPlanned ? { ...policies.writeup, required: "never" as const } : policies.writeup;

  // Follow-up actions: their states as loaded, checkboxes ticked where GitHub disagrees.
  const keys = actionKeys(issue.body, repo, policies.writeup);
  const remote = snapshot.actions;
  plan.state = { ...plan.state, actions: Object.fromEntries(remote), reviews: pick(plan.state.reviews, keys) };
  const manual = plan.state.manualTicks ? pick(plan.state.manualTicks, keys) : undefined;
  if (manual) plan.state = { ...plan.state, manualTicks: manual };
  const changes: CheckChange[] = [...remote].flatMap(([key, state]) =>
    state.found
      ? [{ key, done: state.kind === "pull" ? state.merged : state.state === "closed" }]
      : manual?.[key]
        ? [{ key, done: true }]
        : [],
  );
  const ticked = applyChecks(issue.body, changes, repo, policies.writeup);
  if (ticked.changed > 0) {
    effects.checks = { changes, bodyFresh: snapshot.fresh };
    issue = { ...issue, body: ticked.body };
  }
  const writeup = assessWriteup({
    body: issue.body,
    repo,
    policy: judged,
    classification: plan.classification,
    remote,
    reviews: plan.state.reviews,
    manual,
  });

  // Labels: classification, product hand-off, write-up.
  const needsWriteup = writeup.required && !writeup.sectionsOk;
  const writeupLabel = policies.labels.needsWriteup;
  const had = (name: string): boolean => labelsInclude(snapshot.issue.labels, name);
  if (needsWriteup && !had(writeupLabel)) plan.labels.add.push(writeupLabel);
  if (!needsWriteup && had(writeupLabel)) plan.labels.remove.push(writeupLabel);
  const catalog = policies.labels.catalog;
  effects.addLabels = [...extraLabels, ...plan.labels.add];
  effects.ensureLabels = effects.addLabels.flatMap((name) => catalog.get(name.toLowerCase()) ?? []);
  effects.removeLabels = [...plan.labels.remove];

  for (const notice of plan.notices) {
    effects.messages.push({
      kind: "notice",
      notice,
      title: issue.title,
      body: issue.body,
      openedAt: issue.createdAt,
      severity: plan.classification.severity,
    });
  }

  // The close guard: a person closed it too early.
  if (input.closeAttempt && issue.state === "closed" && !plan.state.forcedClose && !notPlanned) {
    const blockers = closeBlockers(writeup);
    if (blockers.sections.length > 0 || blockers.actions.length > 0) {
      effects.reopen = true;
      // A resolution recorded from this very close (by a trigger handled while the issue was closed,
      // e.g. a late command during an outage) goes with it; one recorded otherwise (`/resolved`) stays.
      const fromThisClose = previous.resolvedAt !== null && previous.resolvedAt === issue.closedAt?.toISOString();
      issue = { ...issue, state: "open", closedAt: null };
      plan.state = { ...plan.state, resolvedAt: fromThisClose ? null : previous.resolvedAt };
      // The deadlines as the reopened incident has them (the plan's were judged on the close).
      plan.sla = planIncident({
        issue,
        policies,
        previous: plan.state,
        postedMarkers: thread.markers,
        becameIncidentAt: snapshot.becameIncidentAt,
        now,
      }).sla;
      const marker = `<!-- incident-keeper:reopened ${input.closeAttempt} -->`;
      if (!thread.markers.has(marker))
        effects.messages.push({ kind: "reopened", marker, sections: blockers.sections, actions: blockers.actions });
    }
  }

  // Done: say so once; optionally close.
  if (
    writeup.complete &&
    writeup.actions.length > 0 &&
    issue.state === "open" &&
    !thread.markers.has(COMPLETE_MARKER)
  ) {
    effects.messages.push({ kind: "writeup-complete", marker: COMPLETE_MARKER, actionsTotal: writeup.actions.length });
    if (policies.writeup.closeWhenDone) {
      effects.close = "done";
      plan.state = { ...plan.state, resolvedAt: plan.state.resolvedAt ?? now.toISOString() };
    }
  }
  effects.status = { plan, writeup };
  // The config is valid again: an earlier config-error report is edited once to say so.
  effects.configFixed = configCommentToMarkFixed(thread.comments);
  return effects;
}

/**
 * Sets the checkbox of every action in `changes` in one parse of the body, reading the Actions section
 * with the configured section names (issue #10 item 7).
 */
export function applyChecks(
  body: string,
  changes: readonly CheckChange[],
  repo: { owner: string; repo: string },
  writeup: Pick<WriteupPolicy, "sections">,
): { body: string; changed: number } {
  const refs = changes.flatMap(({ key, done }) => {
    const parsed = parseKey(key);
    return parsed ? [{ ref: parsed, checked: done }] : [];
  });
  return setChecksForRefs(body, { changes: refs, context: repo, rules: writeup.sections });
}

/** The reviews of an action with the PR added (open) or removed (closed or merged); at most 20 kept. */
export function withReview(
  reviews: Record<string, string[]>,
  actionKey: string,
  prKey: string,
  open: boolean,
): Record<string, string[]> {
  const current = (reviews[actionKey] ?? []).filter((k) => k !== prKey);
  const next = open ? [...current, prKey].slice(-20) : current;
  const copy = { ...reviews };
  if (next.length > 0) copy[actionKey] = next;
  else delete copy[actionKey];
  return copy;
}

/**
 * A security incident outside the private repository (issue #14): moved there (the applier's last
 * step) when the target read says it can be, else one short note per reason that it was not, saying
 * nothing of the incident, and the reason kept in the hidden state. Only where the loader read the
 * target (`snapshot.security` set: a trigger that wants the move, from someone allowed to ask).
 */
function withSecurity(
  snapshot: IncidentSnapshot,
  trigger: IncidentTrigger,
  effects: IncidentEffects,
  now: Date,
): IncidentEffects {
  if (!snapshot.config.ok || snapshot.security === undefined) return effects;
  const policies = snapshot.config.policies;
  const { labels } = snapshot.issue;
  if (!wantsMove({ trigger, labels, previous: snapshot.previous, repo: snapshot.repo, policies })) return effects;
  const reason = refusalOf(snapshot.security, policies);
  const target = snapshot.security;
  if (reason === null && target?.issueId && target.repositoryId && effects.status) {
    const from = `${snapshot.repo.owner}/${snapshot.repo.repo}#${snapshot.issue.number}`;
    return {
      ...effects,
      transfer: {
        issueId: target.issueId,
        repositoryId: target.repositoryId,
        repository: target.repository,
        from,
        mentions: securityMentions(policies),
      },
    };
  }
  if (reason === null) return effects;
  const login = trigger.kind === "command" ? trigger.login : null;
  const status = effects.status
    ? {
        ...effects.status,
        plan: {
          ...effects.status.plan,
          state: { ...effects.status.plan.state, securityNotMoved: { reason, at: now.toISOString() } },
        },
      }
    : null;
  return { ...effects, status, messages: [...notMoved(snapshot, reason, login), ...effects.messages] };
}

/** The one note per reason that the incident was not moved (none once that reason was said). */
function notMoved(snapshot: IncidentSnapshot, reason: NotMovedReason, login: string | null): Message[] {
  const marker = notMovedMarker(reason);
  if (snapshot.thread.markers.has(marker)) return [];
  return [{ kind: "security-not-moved", marker, reason, login: login !== null && LOGIN.test(login) ? login : null }];
}

/**
 * The incident arrived in the private repository by the app's own transfer (issue #14): the hidden
 * state records where from and when, the security label goes on (when `/security` moved it), and
 * the security team is mentioned once.
 */
function onSecurityMoved(
  snapshot: IncidentSnapshot,
  policies: Policies,
  trigger: Extract<IncidentTrigger, { kind: "security-moved" }>,
  now: Date,
): IncidentEffects {
  const security = snapshot.previous.security ?? { from: trigger.from, movedAt: trigger.movedAt };
  const moved = { ...snapshot, previous: { ...snapshot.previous, security } };
  const { securityNotMoved: _said, ...kept } = moved.previous;
  const effects = reconcileIncident({ ...moved, previous: kept }, policies, now, {
    extraLabels: [policies.labels.security],
  });
  const mentions = trigger.mentions.filter((m) =>
    /^@[A-Za-z0-9][A-Za-z0-9-]{0,38}(?:\/[A-Za-z0-9._-]{1,100})?$/.test(m),
  );
  const team: Message[] =
    mentions.length > 0 && !snapshot.thread.markers.has(SECURITY_TEAM_MARKER)
      ? [{ kind: "security-team", marker: SECURITY_TEAM_MARKER, mentions, from: security.from }]
      : [];
  return { ...effects, messages: [...team, ...effects.messages] };
}

/**
 * An incident filed or labelled in the private repository itself (issue #14): the security team is
 * mentioned once there, as a move mentions it (the same marker, so never twice, also not after a
 * move). Only where the app acts on the incident (a status planned), on its labels after this
 * trigger's changes; the move's own mention (`onSecurityMoved`) already made stands.
 */
function withSecurityTeam(snapshot: IncidentSnapshot, effects: IncidentEffects): IncidentEffects {
  if (!snapshot.config.ok || effects.status === null) return effects;
  if (effects.messages.some((m) => m.kind === "security-team")) return effects;
  const policies = snapshot.config.policies;
  const labels = labelsAfter(snapshot.issue.labels, effects);
  if (!isIncident({ labels, isPullRequest: snapshot.issue.isPullRequest }, policies.labels.incident)) return effects;
  const wanted = wantsTeamMention({
    repo: snapshot.repo,
    labels,
    state: snapshot.issue.state,
    markers: snapshot.thread.markers,
    policies,
  });
  if (!wanted) return effects;
  const from = effects.status.plan.state.security?.from ?? null;
  const team: Message = {
    kind: "security-team",
    marker: SECURITY_TEAM_MARKER,
    mentions: securityMentions(policies),
    from,
  };
  return { ...effects, messages: [team, ...effects.messages] };
}

/** The issue's labels once the effects' label changes are made. */
function labelsAfter(
  labels: readonly string[],
  effects: Pick<IncidentEffects, "addLabels" | "removeLabels">,
): string[] {
  const kept = labels.filter((l) => !effects.removeLabels.some((r) => sameLabel(r, l)));
  return [...kept, ...effects.addLabels.filter((a) => !labelsInclude(kept, a))];
}

/** Only the dimensions nobody labelled. */
function onlyUnset(wanted: Partial<Classification>, labelled: Classification): Partial<Classification> {
  return Object.fromEntries(
    Object.entries(wanted).filter(
      ([dimension, value]) => value !== null && labelled[dimension as keyof Classification] === null,
    ),
  );
}

function pick<T>(record: Record<string, T>, keys: string[]): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => keys.includes(k)));
}
