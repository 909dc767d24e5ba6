/**
 * The app's webhook deliveries, as GitHub keeps them: `GET /app/hook/deliveries` lists every attempt,
 * newest first, cursor-paginated (`cursor` in the Link header's next URL); `POST
 * /app/hook/deliveries/{delivery_id}/attempts` sends that attempt's delivery again (same GUID, a new
 * attempt with `redelivery: true`) and answers 202 at once.
 */
import { NotFoundError } from "../errors.js";
import { json } from "../http-util.js";
import { isoSeconds } from "../payloads.js";
import type { DeliveryRecord } from "../webhooks.js";
import type { RouteDefinition } from "./types.js";

function idOf(value: unknown): number | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const id = (value as { id?: unknown }).id;
  return typeof id === "number" ? id : null;
}

function itemJson(d: DeliveryRecord): Record<string, string | number | boolean | null> {
  const ok = d.status >= 200 && d.status < 300;
  return {
    id: d.attemptId,
    guid: d.id,
    delivered_at: isoSeconds(d.at),
    redelivery: d.redelivery,
    duration: d.durationMs / 1000,
    status: ok ? "OK" : d.status === 0 ? "failed to connect" : `Invalid HTTP Response: ${d.status}`,
    status_code: d.status,
    event: d.event,
    action: d.action,
    installation_id: idOf(d.payload.installation),
    repository_id: idOf(d.payload.repository),
    throttled_at: null,
  };
}

/** Hook delivery routes (app JWT). */
export const hookDeliveryRoutes: RouteDefinition[] = [
  {
    operationId: "apps/list-webhook-deliveries",
    auth: "app",
    handle: (request, { hooks }) => {
      const perPage = Math.min(100, Math.max(1, Number(request.query.get("per_page") ?? 30) || 30));
      const cursor = Number(request.query.get("cursor") ?? Number.POSITIVE_INFINITY);
      const status = request.query.get("status");
      const newestFirst = [...hooks.deliveries]
        .filter((d) => d.attemptId < cursor)
        .filter((d) => status === null || (status === "success") === (d.status >= 200 && d.status < 300))
        .sort((a, b) => b.attemptId - a.attemptId);
      const page = newestFirst.slice(0, perPage);
      const headers: Record<string, string> = {};
      const last = page.at(-1);
      if (last && newestFirst.length > perPage) {
        const next = new URL(request.publicUrl);
        next.searchParams.set("per_page", String(perPage));
        next.searchParams.set("cursor", String(last.attemptId));
        headers.link = `<${next.toString()}>; rel="next"`;
      }
      return json(200, page.map(itemJson), headers);
    },
  },
  {
    operationId: "apps/redeliver-webhook-delivery",
    auth: "app",
    handle: (request, { hooks }) => {
      const sent = hooks.redeliver(Number(request.params.delivery_id));
      if (!sent) throw new NotFoundError();
      void sent.catch(() => undefined);
      return json(202, {});
    },
  },
];
