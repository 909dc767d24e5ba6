/**
 * Authentication of alert notifications the way their senders do it: Alertmanager's `http_config`
 * (`authorization` bearer credentials or `basic_auth`), Grafana's contact point (the same, or an
 * HMAC-SHA256 signature of the body, or of `timestamp:body`, in a configurable header). Secrets come
 * from env vars; every comparison is constant-time.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { AlertSource } from "../core/alert-payload.js";

export interface ReceiverSecrets {
  /** `Authorization: Bearer <token>`. */
  bearer: string | null;
  /** `user:password` for `Authorization: Basic`. */
  basic: string | null;
  /** Grafana's HMAC: secret, signature header, optional timestamp header. */
  hmac: { secret: string; header: string; timestampHeader: string | null } | null;
}

/** How far a signed timestamp may be from the receiver's clock (replays outside it are refused). */
export const HMAC_MAX_SKEW_MS = 5 * 60_000;
export const GRAFANA_SIGNATURE_HEADER = "X-Grafana-Alerting-Signature";

function env(environment: NodeJS.ProcessEnv, name: string): string | null {
  const value = environment[name];
  return value !== undefined && value !== "" ? value : null;
}

/** The secrets of one receiver from env vars; null when none is set (the receiver is off). */
export function receiverSecretsFromEnv(
  source: AlertSource,
  environment: NodeJS.ProcessEnv = process.env,
): ReceiverSecrets | null {
  const prefix = source === "alertmanager" ? "ALERTS_ALERTMANAGER" : "ALERTS_GRAFANA";
  const bearer = env(environment, `${prefix}_TOKEN`);
  const basic = env(environment, `${prefix}_BASIC_AUTH`);
  const hmacSecret = source === "grafana" ? env(environment, "ALERTS_GRAFANA_HMAC_SECRET") : null;
  const hmac = hmacSecret
    ? {
        secret: hmacSecret,
        header: env(environment, "ALERTS_GRAFANA_HMAC_HEADER") ?? GRAFANA_SIGNATURE_HEADER,
        timestampHeader: env(environment, "ALERTS_GRAFANA_TIMESTAMP_HEADER"),
      }
    : null;
  if (!bearer && !basic && !hmac) return null;
  return { bearer, basic, hmac };
}

/** Constant-time equality that does not leak the length either (both sides hashed first). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

function header(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name.toLowerCase()];
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

function authorizationOk(headers: IncomingHttpHeaders, secrets: ReceiverSecrets): boolean {
  const value = header(headers, "authorization") ?? "";
  const space = value.indexOf(" ");
  const scheme = space > 0 ? value.slice(0, space).toLowerCase() : "";
  const credentials = space > 0 ? value.slice(space + 1).trim() : "";
  let ok = false;
  if (secrets.bearer && scheme === "bearer") ok = sameSecret(credentials, secrets.bearer) || ok;
  if (secrets.basic && scheme === "basic")
    ok = sameSecret(Buffer.from(credentials, "base64").toString("utf8"), secrets.basic) || ok;
  return ok;
}

function signatureOk(
  headers: IncomingHttpHeaders,
  body: Buffer,
  hmac: NonNullable<ReceiverSecrets["hmac"]>,
  nowMs: number,
): string | null {
  const signature = header(headers, hmac.header)?.trim().toLowerCase() ?? "";
  if (signature === "") return `missing ${hmac.header} signature`;
  const mac = createHmac("sha256", hmac.secret);
  if (hmac.timestampHeader) {
    const timestamp = header(headers, hmac.timestampHeader)?.trim() ?? "";
    if (!/^\d{1,16}$/.test(timestamp)) return `missing or malformed ${hmac.timestampHeader}`;
    const raw = Number(timestamp);
    const ms = raw > 1e12 ? raw : raw * 1000; // seconds, as Grafana sends; milliseconds accepted too
    if (Math.abs(nowMs - ms) > HMAC_MAX_SKEW_MS) return `${hmac.timestampHeader} is more than 5 minutes off`;
    mac.update(`${timestamp}:`);
  }
  mac.update(body);
  return sameSecret(signature, mac.digest("hex")) ? null : `wrong ${hmac.header} signature`;
}

/**
 * Null when the request is authentic, else the reason for the 401. With a bearer or basic secret the
 * `Authorization` header must carry one of them; with an HMAC secret the signature must be valid too.
 */
export function authenticate(args: {
  headers: IncomingHttpHeaders;
  body: Buffer;
  secrets: ReceiverSecrets;
  nowMs: number;
}): string | null {
  const { headers, body, secrets } = args;
  if ((secrets.bearer || secrets.basic) && !authorizationOk(headers, secrets)) return "missing or wrong credentials";
  if (secrets.hmac) return signatureOk(headers, body, secrets.hmac, args.nowMs);
  return null;
}
