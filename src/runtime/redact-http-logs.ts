/**
 * Probot's HTTP request log (pino-http with pino's standard request serializer) writes every request
 * header, so with LOG_FORMAT=json the `Authorization` of the alert receivers and of the sweep trigger
 * would reach the log. Probot offers no option for it, and its logger is built before the app loads.
 * So, once per process, each incoming request's credential headers are made non-enumerable as the
 * request arrives: still readable (`req.headers.authorization`), but skipped when a log line is
 * serialised.
 */
import { Server } from "node:http";

const CREDENTIAL_HEADERS = ["authorization", "proxy-authorization", "cookie"];
let installed = false;

/** Hides credential headers of one request from serialisation (JSON, pino), keeping them readable. */
export function hideCredentialHeaders(headers: Record<string, unknown>): void {
  for (const name of CREDENTIAL_HEADERS) {
    if (!Object.prototype.hasOwnProperty.call(headers, name)) continue;
    Object.defineProperty(headers, name, {
      value: headers[name],
      enumerable: false,
      writable: true,
      configurable: true,
    });
  }
}

/** Installs the redaction for every HTTP server of this process (idempotent). */
export function redactCredentialsInHttpLogs(): void {
  if (installed) return;
  installed = true;
  // Called with the server as `this` below, as Node calls it.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const emit = Server.prototype.emit as (this: Server, event: string | symbol, ...args: unknown[]) => boolean;
  Server.prototype.emit = function patchedEmit(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") {
      const req = args[0] as { headers?: Record<string, unknown> } | undefined;
      if (req?.headers) hideCredentialHeaders(req.headers);
    }
    return emit.call(this, event, ...args);
  } as typeof Server.prototype.emit;
}
