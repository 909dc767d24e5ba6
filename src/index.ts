import type { ApplicationFunctionOptions, Probot } from "probot";
import { configureStateSigning } from "./runtime/state-key.js";
import { systemClock, type Clock } from "./clock.js";
import { registerAlertReceivers } from "./handlers/alerts.js";
import { registerIssues } from "./handlers/issues.js";
import { registerIssueComment } from "./handlers/issue-comment.js";
import { registerTimelineNotes } from "./handlers/timeline-notes.js";
import { registerPullRequests } from "./handlers/pull-requests.js";
import { registerPullRequestChecks } from "./handlers/pull-request-checks.js";
import { failedEvent } from "./handlers/event-failure.js";
import { identityResolver } from "./github/identity.js";
import { sweepTriggerHandler } from "./http/sweep-trigger.js";
import { KeyedLock } from "./runtime/keyed-lock.js";
import { ReplyLimiter } from "./runtime/reply-limiter.js";
import { startScheduler, sweepRunner } from "./sweep/runner.js";
import { GitHubCaches } from "./github/prepare-octokit.js";
import { IncidentLabelHints, type IncidentLock, type Services } from "./reconcile/services.js";
import { deferredLock } from "./runtime/deferred-lock.js";
import { redactCredentialsInHttpLogs } from "./runtime/redact-http-logs.js";
import { recoverBottleneckAfterRedisDataLoss } from "./runtime/bottleneck-redis-recovery.js";

// Before Probot builds its HTTP logger: no receiver or trigger credential in request log lines.
redactCredentialsInHttpLogs();
import { DashboardCache } from "./dashboard/cache.js";
import { dashboardHandler, webBaseUrl } from "./http/dashboard.js";
import { signInFromEnv } from "./http/sign-in-env.js";
import { repairLedgerFor } from "./sweep/repair-ledger.js";
import { redeliveryMemory, redeliveryPass, redeliveryOptionsFromEnv } from "./sweep/redelivery.js";

export interface AppOptions extends Partial<Services> {
  /**
   * Minutes between scheduled sweeps; 0 = no in-process scheduler. Default: env SWEEP_INTERVAL_MINUTES or 15
   * (0 under jest).
   */
  sweepIntervalMinutes?: number;
  /** Bearer secret of the HTTP sweep trigger; default: env SWEEP_TRIGGER_TOKEN (unset = route off). */
  sweepTriggerToken?: string;
  /** Access token of the dashboard; default: env DASHBOARD_TOKEN (unset = route off). */
  dashboardToken?: string;
  /** Redis for cluster-wide sweeps; default: env REDIS_URL. */
  redisUrl?: string;
  /** Run the pull-request checks on pull_request events too (GitHub Actions mode: no check-suite events). */
  checksOnPullRequestEvents?: boolean;
}

/** Cross-process incident lock on Redis, loaded only when REDIS_URL is set. */
function redisLock(url: string, app: Probot): IncidentLock {
  const onContention = (key: string): void =>
    app.log.warn({ incident: key }, "incident lock still held elsewhere after 30 s: working without it");
  const onUnavailable = (key: string, error: unknown): void =>
    app.log.warn({ incident: key, err: error }, "Redis unreachable for the incident lock: working without it");
  return deferredLock(
    import("./runtime/redis-lock.js").then(({ RedisIncidentLock }) =>
      RedisIncidentLock.fromUrl(url, { onContention, onUnavailable }),
    ),
    { shared: true },
  );
}

function envNumber(name: string): number | undefined {
  const value = Number(process.env[name]);
  return process.env[name] && Number.isFinite(value) && value > 0 ? value : undefined;
}

function envMinutes(): number {
  const raw = process.env.SWEEP_INTERVAL_MINUTES;
  if (raw === undefined || raw === "") return process.env.NODE_ENV === "test" ? 0 : 15;
  const minutes = Number(raw);
  return Number.isFinite(minutes) && minutes >= 0 ? minutes : 15;
}

/** Builds the app with injectable services (tests pass a fixed clock). */
export function createApp(options: AppOptions = {}): (app: Probot, appOptions?: ApplicationFunctionOptions) => void {
  return (app, appOptions) => {
    const redisUrl = options.redisUrl ?? process.env.REDIS_URL;
    // Probot's throttling on Redis must survive a Redis restarted without its data.
    if (redisUrl) recoverBottleneckAfterRedisDataLoss();
    // The hidden state is signed with a key derived from the app's private key (on unless STATE_SIGNING=off).
    configureStateSigning(process.env);
    const services: Services = {
      clock: options.clock ?? systemClock,
      identity: options.identity ?? identityResolver(app),
      lock: options.lock ?? (redisUrl ? redisLock(redisUrl, app) : new KeyedLock()),
      replies: options.replies ?? new ReplyLimiter(),
      incidentLabels: options.incidentLabels ?? new IncidentLabelHints(),
      caches: options.caches ?? new GitHubCaches(),
      dashboard: options.dashboard ?? new DashboardCache(),
    };
    // One handler per event name: each turns a delivery into triggers for the reconciler.
    registerIssues(app, services);
    registerIssueComment(app, services);
    registerTimelineNotes(app, services);
    registerPullRequests(app, services);
    registerPullRequestChecks(app, services, { onPullRequestEvents: options.checksOnPullRequestEvents ?? false });
    // Failed webhook deliveries are asked for again at the start of every sweep pass.
    const redeliveryOptions = redeliveryOptionsFromEnv(process.env);
    const memory = redeliveryOptions ? redeliveryMemory(redisUrl) : null;
    // Installations with an event that failed here: the next repair pass looks for lost closes there.
    const failedInstallations = new Set<number>();
    app.onError((error) => {
      const failed = failedEvent(error);
      if (failed.installationId !== null) failedInstallations.add(failed.installationId);
      app.log.error(
        failed,
        "event failed after retries; the next event on this incident or a sweep recomputes it from GitHub",
      );
      // GitHub may have recorded it as delivered (the answer does not wait past 9 s): remember it here.
      if (memory && failed.delivery)
        memory
          .noteFailed(failed.delivery)
          .catch((err: unknown) => app.log.warn({ err }, "redelivery: could not record a failed delivery"));
    });
    const redelivery =
      redeliveryOptions && memory
        ? redeliveryPass({ clock: services.clock, memory, log: app.log, options: redeliveryOptions })
        : undefined;
    // With Redis the repair ledger is shared by every instance and survives a restart.
    const repair = repairLedgerFor(process.env, redisUrl);
    const { clock, identity, lock, caches, dashboard } = services;
    const runnerOptions = { clock, identity, lock, caches, dashboard, redelivery, repair, failedInstallations };
    const sweep = sweepRunner(app, runnerOptions);
    const onError = (error: unknown): void => app.log.error({ err: error }, "sweep failed");
    const minutes = options.sweepIntervalMinutes ?? envMinutes();

    // With Redis: one schedule across every instance, work spread over them. Without: in-process.
    let trigger: () => Promise<object> = sweep;
    if (redisUrl && minutes > 0) {
      // Loaded only with Redis: a single-process install never loads BullMQ.
      const queued = import("./sweep/queue.js").then(({ startQueuedSweeps }) =>
        startQueuedSweeps({
          app,
          redisUrl,
          intervalMs: minutes * 60_000,
          options: runnerOptions,
          lockDurationMs: envNumber("SWEEP_JOB_LOCK_MS"),
        }),
      );
      queued.catch(onError);
      trigger = async () => {
        await (await queued).trigger();
        return { queued: true };
      };
    } else if (minutes > 0) {
      startScheduler({ run: sweep, intervalMs: minutes * 60_000, log: app.log });
    }

    const token = options.sweepTriggerToken ?? process.env.SWEEP_TRIGGER_TOKEN;
    // The route exists only with a secret, and only when Probot serves HTTP (not in tests or Actions).
    if (token && appOptions?.addHandler) appOptions.addHandler(sweepTriggerHandler({ token, run: trigger, onError }));
    // The alert receivers exist only with a secret (env ALERTS_*), and only when Probot serves HTTP.
    registerAlertReceivers(app, services, appOptions?.addHandler);
    const dashboardToken = options.dashboardToken ?? process.env.DASHBOARD_TOKEN;
    // GitHub sign-in: with the app's OAuth client (GITHUB_CLIENT_ID / GITHUB_CLIENT_SECRET),
    // unless DASHBOARD_SIGNIN=off.
    const signIn = appOptions?.addHandler ? signInFromEnv(process.env, { clock, log: app.log, redisUrl }) : undefined;
    if ((dashboardToken || signIn) && appOptions?.addHandler) {
      dashboard.enable();
      const webBase = webBaseUrl(process.env);
      appOptions.addHandler(dashboardHandler({ token: dashboardToken, signIn, cache: dashboard, clock, webBase }));
      // A fresh process knows no incident yet: one sweep soon after start fills the view.
      if (minutes > 0) setTimeout(() => void trigger().catch(onError), 10_000).unref();
    }
  };
}

export type { Clock };

/** The app's entry for `probot run`: one handler module per webhook concern, plus the sweep. */
export default createApp();
