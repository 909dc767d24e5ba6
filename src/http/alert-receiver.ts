/**
 * `POST /api/incident-keeper/alerts/alertmanager` and `POST /api/incident-keeper/alerts/grafana`:
 * authenticate, bound, parse and validate one notification, answer 202 at once and hand it on (the
 * GitHub work happens after the answer: Alertmanager retries only until its group interval runs out,
 * Grafana never). A receiver without a configured secret does not exist (404).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApplicationFunctionOptions } from "probot";
import { parseAlertNotification, type AlertNotification, type AlertSource } from "../core/alert-payload.js";
import { authenticate, type ReceiverSecrets } from "./alert-auth.js";

type Handler = Parameters<ApplicationFunctionOptions["addHandler"]>[0];

export const ALERT_PATHS: Record<AlertSource, string> = {
  alertmanager: "/api/incident-keeper/alerts/alertmanager",
  grafana: "/api/incident-keeper/alerts/grafana",
};

/** Default largest body accepted (2 MiB: about 3,000 alerts of a typical size). */
export const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;

function reply(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

class TooLarge extends Error {}

/** Reads the body, stopping (without buffering the rest) once it passes `maxBytes`. */
async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) throw new TooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > maxBytes) throw new TooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export interface AlertReceiverOptions {
  /** Secrets per sender; a sender without any has no route. */
  secrets: Partial<Record<AlertSource, ReceiverSecrets | null>>;
  maxBodyBytes: number;
  nowMs: () => number;
  /** Takes an accepted notification; must not throw (it queues). */
  accept: (notification: AlertNotification) => void;
  log: { warn(fields: object, message: string): void };
}

/** The route handler for both receivers. */
export function alertReceiverHandler(options: AlertReceiverOptions): Handler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const source = (Object.keys(ALERT_PATHS) as AlertSource[]).find((s) => ALERT_PATHS[s] === url.pathname);
    const secrets = source ? options.secrets[source] : null;
    if (!source || !secrets) return false;
    if (req.method !== "POST" && !(source === "grafana" && req.method === "PUT")) {
      reply(res, 405, { error: "use POST" });
      return true;
    }
    let body: Buffer;
    try {
      body = await readBody(req, options.maxBodyBytes);
    } catch (error) {
      if (!(error instanceof TooLarge)) throw error;
      reply(res, 413, { error: `the body is larger than ${options.maxBodyBytes} bytes` });
      req.resume();
      return true;
    }
    const refused = authenticate({ headers: req.headers, body, secrets, nowMs: options.nowMs() });
    if (refused) {
      options.log.warn({ source, reason: refused }, "alert notification refused");
      reply(res, 401, { error: refused });
      return true;
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString("utf8"));
    } catch {
      reply(res, 400, { error: "the body is not valid JSON" });
      return true;
    }
    const parsed = parseAlertNotification(source, json);
    if (!parsed.ok) {
      reply(res, 400, { error: `not a ${source} notification: ${parsed.reason}` });
      return true;
    }
    options.accept(parsed.value);
    reply(res, 202, { accepted: true, alerts: parsed.value.alerts.length });
    return true;
  };
}
