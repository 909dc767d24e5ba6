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
import { labelCatalog } from "./label-catalog.js";
import { labelsInclude, sameLabel } from "./labels.js";
import { hasPermission } from "./permissions.js";
import { becameIncident, declaresIncident, isStale, requiredPermission } from "./reads.js";
import { parseKey } from "./references.js";
import { checkReminders } from "./reminder-check.js";
import type { IncidentSnapshot } from "./snapshot.js";
import type { StatusState } from "./status-state.js";
import { setChecksForRefs } from "./task-list.js";
import type { IncidentTrigger } from "./trigger.js";
import { actionKeys, assessWriteup, closeBlockers, MAX_TRACKED_ACTIONS, sectionRules } from "./writeup.js";
import { CONFIG_ERROR_MARKER, configCommentToMarkFixed } from "./config-notice.js";
import { EMPTY_TIMELINE, hasNote } from "./timeline.js";
import { notesOf, timelineZone, withTimeline } from "./timeline-events.js";
import { timelineSlot, writeTimeline } from "./timeline-write.js";
import type { IncidentKeeperConfig } from "../config/schema.js";
import {
  configFor,
  notMovedMarker,
  refusalOf,
  SECURITY_TEAM_MARKER,
  securityConfig,
  securityMentions,
  wantsMove,
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
  const effects = withSecurity(snapshot, trigger, decideCase(snapshot, trigger, now), now);
  // Every trigger's events and notes go on the incident's timeline (issue #14).
  return snapshot.config.ok ? withTimeline(snapshot, snapshot.config.value, trigger, effects, now) : effects;
}

function decideCase(snapshot: IncidentSnapshot, trigger: IncidentTrigger, now: Date): IncidentEffects {
  if (!snapshot.config.ok) {
    // No SLA action while the config is invalid: one comment naming each problem, updated in place.
    const replaces = snapshot.thread.comments.find((c) => c.body.startsWith(CONFIG_ERROR_MARKER)) ?? null;
    return { ...noEffects(), messages: [{ kind: "config-error", issues: snapshot.config.error.issues, replaces }] };
  }
  // A security incident runs the security SLA windows instead of the matrix (issue #14).
  const config =
    trigger.kind === "security-moved"
      ? securityConfig(snapshot.config.value)
      : configFor(snapshot.config.value, snapshot.issue.labels, snapshot.previous);
  switch (trigger.kind) {
    case "issue":
      return onIssueEvent(snapshot, config, trigger, now);
    case "command":
      return onCommand(snapshot, config, trigger, now);
    case "action-state":
      // The action's new state is in the snapshot (refreshed): tick its checkbox, refresh the status.
      return reconcileIncident(snapshot, config, now, {});
    case "pull-request": {
      const { actionKey, prKey, open } = trigger;
      // The PR shows next to its action as "in review" while open.
      return reconcileIncident(
        snapshot,
        config,
        now,
        actionKey ? { amend: (s) => ({ ...s, reviews: withReview(s.reviews, actionKey, prKey, open) }) } : {},
      );
    }
    case "tick":
      return onTick(snapshot, config, now);
    case "repair":
      // Nothing the trigger knows beyond GitHub's state: the shared reconciliation is the repair. A
      // close the app never saw (closed, still incomplete) is guarded like a person's close.
      return reconcileIncident(snapshot, config, now, {
        closeAttempt:
          snapshot.issue.state === "closed" ? (snapshot.issue.closedAt?.toISOString() ?? now.toISOString()) : null,
      });
    case "timeline-note":
      // The edited or deleted note's entry is changed by withTimeline; nothing else to do.
      return hasNote(snapshot.previous.timeline ?? EMPTY_TIMELINE, trigger.commentId)
        ? reconcileIncident(snapshot, config, now, {})
        : noEffects();
    case "alert":
      return onAlert(snapshot, config, trigger, now);
    case "security-moved":
      return onSecurityMoved(snapshot, config, trigger, now);
    case "security-not-moved": {
      const at = now.toISOString();
      const effects = reconcileIncident(snapshot, config, now, {
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
  config: IncidentKeeperConfig,
  trigger: Extract<IncidentTrigger, { kind: "issue" }>,
  now: Date,
): IncidentEffects {
  const { issue, thread } = snapshot;
  if (!isIncident(issue, config.incident_label)) return onDropped(snapshot, config, trigger, now);
  const payloadIssue = trigger.issue;
  const stale = isStale(payloadIssue, thread.status);
  // The issue form's answers (as filed: the delivery's body) fill only the dimensions nobody labelled:
  // when the issue becomes an incident, or on the first event the app handles for it (e.g. it was
  // filed while the config was invalid).
  const applyForm = becameIncident(trigger, config.incident_label) || thread.status === null;
  const filed = applyForm ? readIssueForm(payloadIssue.body) : null;
  const wanted: Partial<Classification> = filed
    ? { ...(snapshot.fresh ? setDimensions(readIssueForm(issue.body)) : {}), ...setDimensions(filed) }
    : {};
  const closedNow = trigger.action === "closed" && issue.state === "closed";
  return reconcileIncident(snapshot, config, now, {
    wanted: onlyUnset(wanted, readClassification(issue.labels, config.labels)),
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
  config: IncidentKeeperConfig,
  trigger: Extract<IncidentTrigger, { kind: "issue" }>,
  now: Date,
): IncidentEffects {
  const { thread, previous, issue } = snapshot;
  const removed = trigger.changedLabel !== null && sameLabel(trigger.changedLabel, config.incident_label);
  if (!removed || thread.status === null || previous.droppedAt !== undefined) return noEffects();
  const planned = reconcileIncident(snapshot, config, now, { amend: (s) => ({ ...s, droppedAt: now.toISOString() }) });
  const own = [config.labels.needs_writeup, config.labels.sla_breached].filter((l) => labelsInclude(issue.labels, l));
  return { ...noEffects(), removeLabels: own, status: planned.status };
}

/** Slash commands: refused without the permission; otherwise the newest command per dimension wins. */
function onCommand(
  snapshot: IncidentSnapshot,
  config: IncidentKeeperConfig,
  trigger: Extract<IncidentTrigger, { kind: "command" }>,
  now: Date,
): IncidentEffects {
  const { login, commands } = trigger;
  const markers = snapshot.thread.markers;
  const marker = `<!-- incident-keeper:reply ${trigger.commentId} -->`;
  const required = requiredPermission(commands, config);
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
  const zone = timelineZone(config);
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
  const became = declaresIncident(trigger) && !isIncident(issue, config.incident_label);
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
  const slot = writeAsked ? timelineSlot(issue.body, sectionRules(config)) : null;
  const theirs = slot === "filled" || slot === "edited";
  const prospective =
    slot !== null && !theirs ? writeTimeline(issue.body, TIMELINE_STAND_IN, sectionRules(config)) : null;
  const judged = prospective !== null ? { ...snapshot, issue: { ...issue, body: prospective } } : snapshot;
  const effects = reconcileIncident(judged, config, now, {
    wanted,
    markResolved: commands.some((c) => c.name === "resolved"),
    extraLabels: became ? [config.incident_label] : [],
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
  return {
    ...effects,
    ...(slot !== null && !theirs ? { timelineWrite: { lines: [], timeZone: zone, bodyFresh: snapshot.fresh } } : {}),
    messages: [...errors, ...writeReply, ...effects.messages],
    close: forced !== undefined && issue.state === "open" && effects.close === null ? "forced" : effects.close,
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
  config: IncidentKeeperConfig,
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
      config: config.alerts,
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
  return reconcileIncident({ ...snapshot, previous: amended }, config, now, { markResolved: resolveIncident });
}

/** A sweep tick: post each owed reminder once (by its marker too), label a breach, record them. */
function onTick(snapshot: IncidentSnapshot, config: IncidentKeeperConfig, now: Date): IncidentEffects {
  const { issue, thread } = snapshot;
  const check = checkReminders({ issue, config, thread, now, becameIncidentAt: snapshot.becameIncidentAt });
  if (check.owed.length === 0) return noEffects();
  const { severity } = readClassification(issue.labels, config.labels);
  const assignees = issue.assignees.filter((a) => LOGIN.test(a));
  const reminders: Message[] = [];
  const posted = new Set(thread.markers);
  for (const owed of check.owed) {
    const marker = reminderMarker(owed.record[0] ?? owed.reminder.key);
    if (posted.has(marker)) continue;
    posted.add(marker);
    reminders.push({ kind: "reminder", marker, owed, assignees, severity });
  }
  const breachLabel = config.labels.sla_breached;
  const breach = check.owed.some((o) => o.reminder.kind !== "approaching") && !labelsInclude(issue.labels, breachLabel);
  const recordedNow = check.owed.flatMap((o) => o.record);
  const effects = reconcileIncident(snapshot, config, now, {
    amend: (state) => ({ ...state, reminders: [...new Set([...state.reminders, ...recordedNow])].slice(-400) }),
  });
  const spec = labelCatalog(config).get(breachLabel.toLowerCase());
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
  config: IncidentKeeperConfig,
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
    config,
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
    const breachLabel = config.labels.sla_breached;
    if (breached && !labelsInclude(issue.labels, breachLabel)) plan.labels.add.push(breachLabel);
  }
  // A close as "not planned" is accepted without a write-up unless the config asks for one (issue #10 item 10).
  const notPlanned =
    issue.state === "closed" && issue.stateReason === "not_planned" && !config.writeup.required_when_not_planned;
  if (notPlanned)
    plan.state = { ...plan.state, notPlannedAt: plan.state.notPlannedAt ?? (issue.closedAt ?? now).toISOString() };
  else if (plan.state.notPlannedAt !== undefined) {
    const { notPlannedAt: _closed, ...rest } = plan.state;
    plan.state = rest;
  }
  const judged = notPlanned ? { ...config, writeup: { ...config.writeup, required: "never" as const } } : config;

  // Follow-up actions: their states as loaded, checkboxes ticked where GitHub disagrees.
  const keys = actionKeys(issue.body, repo, config);
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
  const ticked = applyChecks(issue.body, changes, repo, config);
  if (ticked.changed > 0) {
    effects.checks = { changes, bodyFresh: snapshot.fresh };
    issue = { ...issue, body: ticked.body };
  }
  const writeup = assessWriteup({
    body: issue.body,
    repo,
    config: judged,
    classification: plan.classification,
    remote,
    reviews: plan.state.reviews,
    manual,
  });

  // Labels: classification, product hand-off, write-up.
  const needsWriteup = writeup.required && !writeup.sectionsOk;
  const writeupLabel = config.labels.needs_writeup;
  const had = (name: string): boolean => labelsInclude(snapshot.issue.labels, name);
  if (needsWriteup && !had(writeupLabel)) plan.labels.add.push(writeupLabel);
  if (!needsWriteup && had(writeupLabel)) plan.labels.remove.push(writeupLabel);
  const catalog = labelCatalog(config);
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
      issue = { ...issue, state: "open", closedAt: null };
      plan.state = { ...plan.state, resolvedAt: previous.resolvedAt };
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
    if (config.writeup.close_when_done) {
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
  config: IncidentKeeperConfig,
): { body: string; changed: number } {
  const refs = changes.flatMap(({ key, done }) => {
    const parsed = parseKey(key);
    return parsed ? [{ ref: parsed, checked: done }] : [];
  });
  return setChecksForRefs(body, { changes: refs, context: repo, rules: sectionRules(config) });
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
  const config = snapshot.config.value;
  if (!wantsMove({ trigger, labels: snapshot.issue.labels, previous: snapshot.previous, repo: snapshot.repo, config }))
    return effects;
  const reason = refusalOf(snapshot.security, config);
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
        mentions: securityMentions(config),
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
  config: IncidentKeeperConfig,
  trigger: Extract<IncidentTrigger, { kind: "security-moved" }>,
  now: Date,
): IncidentEffects {
  const security = snapshot.previous.security ?? { from: trigger.from, movedAt: trigger.movedAt };
  const moved = { ...snapshot, previous: { ...snapshot.previous, security } };
  const { securityNotMoved: _said, ...kept } = moved.previous;
  const effects = reconcileIncident({ ...moved, previous: kept }, config, now, {
    extraLabels: [config.labels.security],
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
