/**
 * The app's webhook deliveries (app JWT, no installation permission): list the attempts newest first,
 * cursor-paginated, and ask for one again.
 */
import type { ProbotOctokit } from "probot";
import type { DeliveryAttempt } from "../core/redelivery.js";

/**
 * Attempts newest first, stopping at the first one delivered before `since` or after `maxCount`
 * attempts. Returns the attempts and the pages read.
 */
export async function listDeliveryAttempts(
  octokit: ProbotOctokit,
  bounds: { since: Date; maxCount: number },
): Promise<{ attempts: DeliveryAttempt[]; pages: number }> {
  const attempts: DeliveryAttempt[] = [];
  let pages = 0;
  const perPage = Math.min(100, Math.max(1, bounds.maxCount));
  for await (const { data } of octokit.paginate.iterator(octokit.rest.apps.listWebhookDeliveries, {
    per_page: perPage,
  })) {
    pages += 1;
    for (const item of data) {
      const deliveredAt = new Date(item.delivered_at);
      if (deliveredAt < bounds.since) return { attempts, pages };
      attempts.push({
        id: item.id,
        guid: item.guid,
        deliveredAt,
        statusCode: item.status_code,
        event: item.event,
        installationId: item.installation_id ?? null,
      });
      if (attempts.length >= bounds.maxCount) return { attempts, pages };
    }
  }
  return { attempts, pages };
}

/** Asks GitHub to send the delivery of attempt `attemptId` again (202: queued). */
export async function redeliverAttempt(octokit: ProbotOctokit, attemptId: number): Promise<void> {
  await octokit.rest.apps.redeliverWebhookDelivery({ delivery_id: attemptId });
}
