/** What an incident is owed now by the reminder sweep (no writes): the sweep's check before a tick. */
import { planIncident } from "./incident-plan.js";
import { configFor } from "./security.js";
import type { IncidentIssue } from "./incident.js";
import { owedReminders, recordedFromMarkers, type OwedReminder } from "./incident-reminders.js";
import { labelsInclude } from "./labels.js";
import { previousState, type OwnThread } from "./snapshot.js";
import type { IncidentKeeperConfig } from "../config/schema.js";

export interface ReminderCheck {
  owed: OwedReminder[];
  nextAt: Date | null;
  /** Writes sending them will take (comments, breach label, status comment). */
  writes: number;
}

/** What an incident is owed now (no writes). */
export function checkReminders(args: {
  issue: IncidentIssue;
  config: IncidentKeeperConfig;
  thread: OwnThread;
  now: Date;
  becameIncidentAt?: Date | null;
}): ReminderCheck {
  const { issue, thread, now } = args;
  const previous = previousState(thread);
  // A security incident runs its own windows (issue #14), as decide does.
  const config = configFor(args.config, issue.labels, previous);
  const plan = planIncident({
    issue,
    config,
    previous,
    postedMarkers: thread.markers,
    becameIncidentAt: args.becameIncidentAt,
    now,
  });
  const recorded = [...previous.reminders, ...recordedFromMarkers(thread.markers)];
  const { owed, nextAt } = owedReminders({ plan, config, recorded, now, open: issue.state === "open" });
  const breaches =
    owed.some((o) => o.reminder.kind !== "approaching") && !labelsInclude(issue.labels, config.labels.sla_breached);
  return { owed, nextAt, writes: owed.length === 0 ? 0 : owed.length + (breaches ? 1 : 0) + 1 };
}
