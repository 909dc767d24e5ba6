/**
 * Posts the SLA reminders an incident is owed now, each exactly once: the recorded keys live in the
 * status comment's hidden state and in each reminder's own marker (so a lost state write cannot cause
 * a second reminder).
 */
import { readClassification } from "../core/classification.js";
import { planIncident } from "../core/incident-plan.js";
import type { IncidentIssue } from "../core/incident.js";
import { owedReminders, recordedFromMarkers, reminderMarker, type OwedReminder } from "../core/incident-reminders.js";
import { decodeState, EMPTY_STATE } from "../core/status-state.js";
import { formatDuration, formatRelative, formatUtc } from "../core/time-format.js";
import { labelCatalog } from "../core/label-catalog.js";
import type { IncidentKeeperConfig } from "../config/schema.js";
import type { GitHubGateway } from "../github/gateway.js";
import { render } from "../render/templates.js";
import { syncIncident, type OwnThread } from "./sync-incident.js";

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

export interface ReminderCheck {
  owed: OwedReminder[];
  nextAt: Date | null;
  /** Writes sending them will take (comments, breach label, status comment). */
  writes: number;
}

/** What an incident is owed now (no writes). */
export function checkReminders(args: { issue: IncidentIssue; config: IncidentKeeperConfig; thread: OwnThread; now: Date; becameIncidentAt?: Date | null }): ReminderCheck {
  const { issue, config, thread, now } = args;
  const previous = thread.status ? decodeState(thread.status.body) : EMPTY_STATE;
  const plan = planIncident({ issue, config, previous, postedMarkers: thread.markers, becameIncidentAt: args.becameIncidentAt, now });
  const recorded = [...previous.reminders, ...recordedFromMarkers(thread.markers)];
  const { owed, nextAt } = owedReminders({ plan, config, recorded, now, open: issue.state === "open" });
  const breaches = owed.some((o) => o.reminder.kind !== "approaching") && !issue.labels.some((l) => l.toLowerCase() === config.labels.sla_breached.toLowerCase());
  return { owed, nextAt, writes: owed.length === 0 ? 0 : owed.length + (breaches ? 1 : 0) + 1 };
}

/** Posts what `check` found owed and records it in the status comment. Returns the writes made. */
export async function sendReminders(args: { gateway: GitHubGateway; issue: IncidentIssue; config: IncidentKeeperConfig; thread: OwnThread; now: Date; check: ReminderCheck; becameIncidentAt?: Date | null }): Promise<number> {
  const { gateway, issue, config, thread, now, check } = args;
  if (check.owed.length === 0) return 0;
  let writes = 0;
  for (const owed of check.owed) {
    const { reminder, record } = owed;
    const marker = reminderMarker(record[0] ?? reminder.key);
    if (thread.markers.has(marker)) continue;
    await gateway.createComment(issue.number, renderReminder({ issue, config, owed, marker, now }));
    thread.markers.add(marker);
    writes += 1;
  }
  const breachLabel = config.labels.sla_breached;
  if (check.owed.some((o) => o.reminder.kind !== "approaching") && !issue.labels.some((l) => l.toLowerCase() === breachLabel.toLowerCase())) {
    const spec = labelCatalog(config).get(breachLabel.toLowerCase());
    await gateway.ensureLabels(spec ? [spec] : []);
    await gateway.addLabels(issue.number, [breachLabel]);
    writes += 1;
  }
  const recordedNow = check.owed.flatMap((o) => o.record);
  const result = await syncIncident({
    issue: { ...issue, labels: issue.labels },
    config,
    gateway,
    thread,
    now,
    becameIncidentAt: args.becameIncidentAt,
    amendState: (state) => ({ ...state, reminders: [...new Set([...state.reminders, ...recordedNow])].slice(-400) }),
  });
  if (result.wrote.status !== "unchanged") writes += 1;
  return writes;
}

function renderReminder(args: { issue: IncidentIssue; config: IncidentKeeperConfig; owed: OwedReminder; marker: string; now: Date }): string {
  const { issue, config, owed, marker, now } = args;
  const { reminder } = owed;
  const assignees = issue.assignees.filter((a) => LOGIN.test(a)).map((a) => `@${a}`);
  const mentions = assignees.length > 0 ? assignees.join(" ") : (config.teams.responders ?? "");
  const { severity } = readClassification(issue.labels, config.labels);
  const escalation = reminder.kind !== "approaching" && severity !== null ? config.teams.escalation[`${severity}`] : null;
  return render("reminder", {
    marker,
    windowName: reminder.window === "investigation" ? "investigation & classification" : "resolution",
    approaching: reminder.kind === "approaching",
    breach: reminder.kind === "breach",
    overdue: reminder.kind === "overdue",
    investigation: reminder.window === "investigation",
    resolution: reminder.window === "resolution",
    deadline: formatUtc(reminder.deadline),
    relative: formatRelative(reminder.deadline, now),
    percent: reminder.percent,
    remaining: formatDuration(reminder.remainingMs),
    overdueBy: formatDuration(reminder.overdueMs),
    pausedLabel: config.labels.sla_paused,
    rearmedFrom: owed.rearmedFrom ? formatUtc(owed.rearmedFrom) : null,
    mentions,
    escalation,
  });
}
