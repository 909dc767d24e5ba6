/**
 * Signed webhook deliveries: POSTs like GitHub's hookshot (X-GitHub-Event, X-GitHub-Delivery,
 * X-Hub-Signature-256 over the exact bytes sent), in order per repository, recorded for tests.
 */
import { createHmac, randomUUID } from "node:crypto";
import { sign } from "@octokit/webhooks-methods";
import type { JsonObject, PendingWebhook } from "./types.js";
import { wallNow } from "./clock.js";

/** One delivery attempt and its outcome. */
export interface DeliveryRecord {
  /** The delivery's GUID (X-GitHub-Delivery): the same on every attempt of one delivery. */
  id: string;
  /** This attempt's numeric id, as `GET /app/hook/deliveries` lists it (unique per attempt). */
  attemptId: number;
  /** True for an attempt made by `POST /app/hook/deliveries/{id}/attempts`. */
  redelivery: boolean;
  event: string;
  action: string | null;
  orderKey: string;
  /** HTTP status of the receiver's answer; 0 when it could not be reached or no URL is set. */
  status: number;
  error?: string;
  sender: string | null;
  payload: JsonObject;
  at: Date;
  durationMs: number;
}

/** Dispatcher settings. */
export interface WebhookDispatcherOptions {
  secret: string;
  url?: string;
  /** GitHub gives up on a delivery after 10 s. */
  timeoutMs?: number;
  /** Deliver only these events (the app's subscriptions); undefined: all. */
  events?: string[];
  /**
   * "per-repository" (default): a delivery waits until the receiver has answered the previous one
   * with the same order key, so the app sees a repository's events one at a time, in order.
   * "concurrent": every delivery is posted at once, as GitHub's hookshot does for a busy repository
   * (GitHub promises no order); N deliveries in flight then really are N.
   */
  ordering?: WebhookOrdering;
}

/** How deliveries of one order key (one repository) are sequenced; see WebhookDispatcherOptions. */
export type WebhookOrdering = "per-repository" | "concurrent";

/** Raw delivery options for `send`. */
export interface SendOptions {
  /** Use this X-Hub-Signature-256 value instead of the correct one. */
  signature?: string;
  orderKey?: string;
}

/** Queues, signs and posts webhook deliveries. */
export class WebhookDispatcher {
  readonly deliveries: DeliveryRecord[] = [];
  url: string | undefined;
  readonly #secret: string;
  readonly #timeoutMs: number;
  readonly #events: Set<string> | null;
  readonly #ordered: boolean;
  readonly #chains = new Map<string, Promise<unknown>>();
  #pending = 0;
  #lastActivity = wallNow();
  #nextAttemptId = 1;

  constructor(options: WebhookDispatcherOptions) {
    this.#secret = options.secret;
    this.url = options.url;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#events = options.events ? new Set(options.events) : null;
    this.#ordered = (options.ordering ?? "per-repository") === "per-repository";
  }

  /** Deliveries queued or in flight. */
  get pending(): number {
    return this.#pending;
  }

  /** Real time (ms) of the last enqueue or completed delivery. */
  get lastActivityAt(): number {
    return this.#lastActivity;
  }

  /**
   * Builds the payload now (a snapshot) and delivers it after earlier deliveries with the same
   * order key. Null when the app is not subscribed to the event (GitHub would not send it).
   */
  enqueue(build: () => PendingWebhook): Promise<DeliveryRecord> | null {
    const hook = build();
    if (this.#events && !this.#events.has(hook.event)) return null;
    return this.send(hook.event, hook.payload, { orderKey: hook.orderKey });
  }

  /** Delivers a payload (in order with its key's queue, unless concurrent); resolves when the receiver has answered. */
  send(event: string, payload: JsonObject, options: SendOptions = {}): Promise<DeliveryRecord> {
    const body = JSON.stringify(payload);
    const orderKey = options.orderKey ?? "raw";
    this.#pending++;
    this.#lastActivity = wallNow();
    if (!this.#ordered) return this.#post({ event, payload, body, orderKey, signature: options.signature });
    const previous = this.#chains.get(orderKey) ?? Promise.resolve();
    const delivery = previous.then(() => this.#post({ event, payload, body, orderKey, signature: options.signature }));
    const settled = delivery.catch(() => undefined);
    this.#chains.set(orderKey, settled);
    void settled.then(() => {
      if (this.#chains.get(orderKey) === settled) this.#chains.delete(orderKey);
    });
    return delivery;
  }

  /**
   * GitHub's redelivery: the attempt `attemptId` is sent again (same GUID, event and payload) as a new
   * attempt flagged `redelivery`, outside any ordering queue. Null when no such attempt was recorded.
   */
  redeliver(attemptId: number): Promise<DeliveryRecord> | null {
    const original = this.deliveries.find((d) => d.attemptId === attemptId);
    if (!original) return null;
    this.#pending++;
    this.#lastActivity = wallNow();
    const body = JSON.stringify(original.payload);
    return this.#post({
      event: original.event,
      payload: original.payload,
      body,
      orderKey: original.orderKey,
      signature: undefined,
      guid: original.id,
    });
  }

  async #post(input: {
    event: string;
    payload: JsonObject;
    body: string;
    orderKey: string;
    signature: string | undefined;
    guid?: string;
  }): Promise<DeliveryRecord> {
    const started = wallNow();
    const id = input.guid ?? randomUUID();
    const attemptId = this.#nextAttemptId++;
    const action = typeof input.payload.action === "string" ? input.payload.action : null;
    const senderJson = input.payload.sender;
    const sender =
      typeof senderJson === "object" &&
      senderJson !== null &&
      !Array.isArray(senderJson) &&
      typeof senderJson.login === "string"
        ? senderJson.login
        : null;
    const record: DeliveryRecord = {
      id,
      attemptId,
      redelivery: input.guid !== undefined,
      event: input.event,
      action,
      orderKey: input.orderKey,
      status: 0,
      sender,
      payload: input.payload,
      at: new Date(started),
      durationMs: 0,
    };
    try {
      if (!this.url) {
        record.error = "no webhook URL set";
        return record;
      }
      const installation = input.payload.installation;
      const installationId =
        typeof installation === "object" && installation !== null && !Array.isArray(installation)
          ? installation.id
          : null;
      const targetId = typeof installationId === "number" ? String(installationId) : "";
      const response = await fetch(this.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "GitHub-Hookshot/simulator",
          "x-github-event": input.event,
          "x-github-delivery": id,
          "x-github-hook-id": "1",
          "x-github-hook-installation-target-type": "integration",
          "x-github-hook-installation-target-id": targetId,
          "x-hub-signature": `sha1=${createHmac("sha1", this.#secret).update(input.body).digest("hex")}`,
          "x-hub-signature-256": input.signature ?? (await sign(this.#secret, input.body)),
        },
        body: input.body,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      await response.arrayBuffer();
      record.status = response.status;
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
    } finally {
      record.durationMs = wallNow() - started;
      this.deliveries.push(record);
      this.#pending--;
      this.#lastActivity = wallNow();
    }
    return record;
  }
}
