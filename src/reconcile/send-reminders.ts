/**
 * A tick on an incident whose own comments are already read (the sweep's check, tests): decide and
 * apply without loading again. Posts what `check` found owed, each reminder once, and records them in
 * the status comment. Returns the writes made.
 */
import { decide } from "../core/decide.js";
import type { IncidentIssue } from "../core/incident.js";
import type { ReminderCheck } from "../core/reminder-check.js";
import { previousState, type OwnThread } from "../core/snapshot.js";
import { actionKeys } from "../core/writeup.js";
import type { IncidentKeeperConfig } from "../config/schema.js";
import { policiesOf } from "../config/policies.js";
import type { GitHubGateway } from "../github/gateway.js";
import { actionStates } from "./action-states.js";
import { applyEffects } from "./apply-effects.js";

export async function sendReminders(args: {
  gateway: GitHubGateway;
  issue: IncidentIssue;
  config: IncidentKeeperConfig;
  thread: OwnThread;
  now: Date;
  check: ReminderCheck;
}): Promise<number> {
  const { gateway, issue, config, thread, now } = args;
  if (args.check.owed.length === 0) return 0;
  const previous = previousState(thread);
  const policies = policiesOf(config);
  const keys = actionKeys(issue.body, gateway.repo, policies.writeup);
  const actions = await actionStates({ gateway, keys, cached: previous.actions, refresh: "missing" });
  const snapshot = {
    repo: gateway.repo,
    issue,
    fresh: false,
    thread,
    previous,
    config: { ok: true as const, policies },
    actions,
    permission: null,
  };
  const applied = await applyEffects({
    gateway,
    snapshot,
    effects: decide(snapshot, { kind: "tick" }, now),
    now,
    installationId: 0,
  });
  return applied.writes;
}
