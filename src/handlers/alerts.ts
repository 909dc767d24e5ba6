/**
 * The alert receivers on the app's server (Alertmanager, Grafana): each accepted notification is
 * queued per alert group and handled after the HTTP answer. Off unless a receiver secret is set.
 */
import type { ApplicationFunctionOptions, Probot } from "probot";
import type { AlertNotification, AlertSource } from "../core/alert-payload.js";
import { groupToken } from "../core/alert-payload.js";
import { installationFinder } from "../github/installations.js";
import { receiverSecretsFromEnv } from "../http/alert-auth.js";
import { alertReceiverHandler, DEFAULT_MAX_BODY_BYTES } from "../http/alert-receiver.js";
import { CoalescingQueue } from "../runtime/coalescing-queue.js";
import { handleAlertNotification, parseRepo } from "../reconcile/alert-incident.js";
import type { Services } from "../reconcile/services.js";

/** Tries per notification before it is given up (logged). */
const ALERT_ATTEMPTS = 9;

/** Registers the receivers when any is configured; returns the queue (tests wait on it) or null. */
export function registerAlertReceivers(
  app: Probot,
  services: Services,
  addHandler: ApplicationFunctionOptions["addHandler"] | undefined,
  environment: NodeJS.ProcessEnv = process.env,
): CoalescingQueue<AlertNotification> | null {
  const secrets: Record<AlertSource, ReturnType<typeof receiverSecretsFromEnv>> = {
    alertmanager: receiverSecretsFromEnv("alertmanager", environment),
    grafana: receiverSecretsFromEnv("grafana", environment),
  };
  if (!addHandler || (!secrets.alertmanager && !secrets.grafana)) return null;
  const configRepo = parseRepo(environment.ALERTS_CONFIG_REPO);
  if (!configRepo)
    app.log.warn(
      "alert receivers are on but ALERTS_CONFIG_REPO (owner/name) is not set: " +
        "notifications are accepted and logged, nothing is filed",
    );
  const deps = {
    services,
    finder: installationFinder(app, () => services.clock.now().getTime()),
    configRepo,
    log: app.log,
    groups: new Map<string, number>(),
  };
  const queue = new CoalescingQueue<AlertNotification>(
    async (notification) => {
      const outcome = await handleAlertNotification(notification, deps);
      app.log.info({ source: notification.source, outcome }, "alert notification handled");
    },
    {
      // About 4 minutes of retries (1 s, 2 s, ... 64 s, 2 min): GitHub trouble rarely lasts longer.
      attempts: ALERT_ATTEMPTS,
      backoffMs: (retry) => Math.min(1_000 * 2 ** (retry - 1), 120_000),
      onFailure: (error, key) =>
        app.log.error(
          { err: error, group: key },
          `alert notification failed ${ALERT_ATTEMPTS} times; the sender's next notification for the group retries it`,
        ),
    },
  );
  const maxBytes = Number(environment.ALERTS_MAX_BODY_BYTES);
  addHandler(
    alertReceiverHandler({
      secrets,
      maxBodyBytes: Number.isInteger(maxBytes) && maxBytes > 0 ? maxBytes : DEFAULT_MAX_BODY_BYTES,
      nowMs: () => services.clock.now().getTime(),
      accept: (notification) => queue.push(groupToken(notification.source, notification.groupKey), notification),
      log: app.log,
    }),
  );
  return queue;
}
