/**
 * Which webhook deliveries to ask GitHub for again (pure). GitHub does not redeliver a delivery that
 * failed (the app down, a 5xx, a timeout); it lists every attempt under `GET /app/hook/deliveries`,
 * newest first, one entry per attempt with the delivery's GUID. A delivery is owed a redelivery when
 * none of its attempts succeeded, it is recent enough for GitHub to redeliver it, and the app has not
 * asked for it before.
 */

/** One attempt, as `GET /app/hook/deliveries` lists it (the fields the decision uses). */
export interface DeliveryAttempt {
  id: number;
  guid: string;
  deliveredAt: Date;
  statusCode: number;
  event: string;
  /** The installation the delivery was for (null: an app-level event). */
  installationId?: number | null;
}

export interface RedeliveryPlan {
  /** Distinct deliveries whose every listed attempt failed. */
  failed: number;
  /** The newest attempt of each failed delivery not asked for yet, oldest delivery first. */
  redeliver: DeliveryAttempt[];
  /** Installations of the deliveries to redeliver: something was lost there since the last pass. */
  installations: number[];
}

/** A 2xx answer: GitHub counts the delivery as delivered (the app answers 202 for long work too). */
export function deliverySucceeded(statusCode: number): boolean {
  return statusCode >= 200 && statusCode < 300;
}

/**
 * Plans the redeliveries from the listed attempts. `asked` holds the GUIDs already redelivered
 * (by this or another instance); attempts older than `now - maxAgeMs` are ignored. `failedHere` holds
 * the GUIDs whose handling failed in the app after it had answered 2xx: the webhook's answer does not
 * wait past 9 s (202 "still processing"), while GitHub's 503s are retried for 14 s, so during an outage
 * GitHub lists most failed deliveries as delivered.
 */
export function planRedeliveries(args: {
  attempts: readonly DeliveryAttempt[];
  asked: ReadonlySet<string>;
  failedHere?: ReadonlySet<string>;
  now: Date;
  maxAgeMs: number;
}): RedeliveryPlan {
  const oldestMs = args.now.getTime() - args.maxAgeMs;
  const byGuid = new Map<string, DeliveryAttempt[]>();
  for (const attempt of args.attempts) {
    const list = byGuid.get(attempt.guid) ?? [];
    list.push(attempt);
    byGuid.set(attempt.guid, list);
  }
  let failed = 0;
  const redeliver: DeliveryAttempt[] = [];
  const installations = new Set<number>();
  for (const [guid, attempts] of byGuid) {
    const failedInApp = args.failedHere?.has(guid) === true;
    if (!failedInApp && attempts.some((a) => deliverySucceeded(a.statusCode))) continue;
    const newest = attempts.reduce((a, b) => (b.id > a.id ? b : a));
    if (newest.deliveredAt.getTime() < oldestMs) continue;
    failed += 1;
    if (args.asked.has(guid)) continue;
    redeliver.push(newest);
    if (typeof newest.installationId === "number") installations.add(newest.installationId);
  }
  // Oldest first: the handlers see the lost events in the order they happened.
  redeliver.sort(
    (a, b) =>
      Math.min(...(byGuid.get(a.guid) ?? []).map((x) => x.id)) -
      Math.min(...(byGuid.get(b.guid) ?? []).map((x) => x.id)),
  );
  return { failed, redeliver, installations: [...installations].sort((a, b) => a - b) };
}
