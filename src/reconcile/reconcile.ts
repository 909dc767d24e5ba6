/**
 * One reconciliation: trigger -> snapshot -> decide -> apply, under the incident's lock. Every
 * adapter (webhook handlers, the sweep) ends here; see docs/ARCHITECTURE.md.
 */
import type { Clock } from "../clock.js";
import type { DashboardCache } from "../dashboard/cache.js";
import { decide } from "../core/decide.js";
import type { IncidentEffects } from "../core/effects.js";
import type { IncidentSnapshot } from "../core/snapshot.js";
import type { IncidentTrigger } from "../core/trigger.js";
import type { IncidentLock } from "../runtime/incident-lock.js";
import type { ReplyLimiter } from "../runtime/reply-limiter.js";
import { applyEffects, type Applied } from "./apply-effects.js";
import { loadSnapshot, type IncidentTarget } from "./load-snapshot.js";
import { IncidentLabelHints, incidentKey } from "./services.js";

export interface ReconcileDeps {
  clock: Clock;
  lock: IncidentLock;
  replies?: ReplyLimiter;
  incidentLabels?: IncidentLabelHints;
  /** The app's dashboard view, which the applier keeps current (absent: no dashboard, e.g. the CLI). */
  dashboard?: DashboardCache;
}

export interface Reconciled {
  snapshot: IncidentSnapshot;
  effects: IncidentEffects;
  applied: Applied;
}

/** Reconciles the incident `target` for `trigger`; null when there was nothing to decide. */
export async function reconcile(
  deps: ReconcileDeps,
  target: IncidentTarget,
  trigger: IncidentTrigger,
): Promise<Reconciled | null> {
  const { owner, repo } = target.gateway.repo;
  const key = incidentKey(target.installationId, owner, repo, target.seen.number);
  const result = await deps.lock.run(key, () => reconcileHeld(deps, target, trigger));
  return result ? afterMove(deps, target, result, trigger) : null;
}

/**
 * {@link reconcile} for a caller that already holds the incident's lock (the sweep's chunks): the
 * caller runs {@link afterMove} once it has released the lock.
 */
export async function reconcileHeld(
  deps: Omit<ReconcileDeps, "lock">,
  target: IncidentTarget,
  trigger: IncidentTrigger,
): Promise<Reconciled | null> {
  const { owner, repo } = target.gateway.repo;
  const snapshot = await loadSnapshot(
    target,
    trigger,
    deps.incidentLabels ?? new IncidentLabelHints(),
    deps.clock.now(),
  );
  if (!snapshot) return null;
  const now = deps.clock.now();
  const effects = decide(snapshot, trigger, now);
  const applied = await applyEffects({
    gateway: target.gateway,
    snapshot,
    effects,
    now,
    installationId: target.installationId,
    replies: deps.replies,
    dashboard: deps.dashboard,
    log: target.log,
  });
  target.log.debug(
    { incident: `${owner}/${repo}#${target.seen.number}`, trigger: trigger.kind, wrote: applied.wrote },
    "incident reconciled",
  );
  return { snapshot, effects, applied };
}

/**
 * After a security incident's transfer (issue #14), outside the old number's lock: the moved issue
 * is reconciled in the private repository (the team mentioned, the move recorded, the security
 * windows shown); a failed transfer is said once on the incident where it stayed.
 */
export async function afterMove(
  deps: ReconcileDeps,
  target: IncidentTarget,
  result: Reconciled,
  cause: IncidentTrigger,
): Promise<Reconciled> {
  const { applied, effects, snapshot } = result;
  const transfer = effects.transfer;
  if (!transfer) return result;
  if (applied.moved) {
    const gateway = target.gateway.forRepo({ owner: applied.moved.owner, repo: applied.moved.repo });
    const moved: IncidentTarget = {
      gateway,
      installationId: target.installationId,
      seen: { ...snapshot.issue, number: applied.moved.number },
      config: gateway.readConfig(),
      log: target.log,
    };
    await reconcile(deps, moved, {
      kind: "security-moved",
      from: transfer.from,
      movedAt: applied.moved.movedAt,
      mentions: transfer.mentions,
    });
  } else if (applied.moveFailed) {
    const trigger: IncidentTrigger = {
      kind: "security-not-moved",
      reason: "failed",
      login: cause.kind === "command" ? cause.login : null,
    };
    await reconcile(deps, { ...target, seen: snapshot.issue }, trigger);
  }
  return result;
}
