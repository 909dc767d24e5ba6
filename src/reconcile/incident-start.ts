/**
 * When did this issue become an incident? (issue #10 item 4) From the trigger when it says so (the
 * incident label's event, a `/incident` comment, an issue opened with the label); once the app's
 * state records it, from the state; the issue's timeline is read only when neither is there (the app
 * has no state yet for an issue that was already an incident).
 */
import { becameIncidentAt } from "../core/incident-start.js";
import type { OwnThread } from "../core/snapshot.js";
import type { IncidentKeeperConfig } from "../config/schema.js";
import type { GitHubGateway } from "../github/gateway.js";

/** The time to hand to the plan (undefined: the state has it, or the config does not need it). */
export async function incidentStartFor(args: {
  gateway: GitHubGateway;
  config: IncidentKeeperConfig;
  thread: OwnThread;
  issueNumber: number;
  /** The time the trigger carries, if it made the issue an incident. */
  trigger?: Date | null;
}): Promise<Date | null | undefined> {
  if (args.thread.status !== null) return undefined; // the state keeps it (or, written before it was kept, the opening)
  if (args.trigger) return args.trigger;
  if (args.config.sla.investigation_clock_start === "opened") return undefined;
  return becameIncidentAt(await args.gateway.labelEvents(args.issueNumber), args.config.incident_label);
}
