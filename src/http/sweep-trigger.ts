/**
 * `POST /api/incident-keeper/sweep`: lets an external scheduler start one sweep. Authenticated with a
 * bearer secret (env SWEEP_TRIGGER_TOKEN); without that secret the route does not exist.
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApplicationFunctionOptions } from "probot";

type Handler = Parameters<ApplicationFunctionOptions["addHandler"]>[0];

export const SWEEP_TRIGGER_PATH = "/api/incident-keeper/sweep";

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function reply(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** The route handler; `run` performs one sweep and resolves with its report. */
export function sweepTriggerHandler(args: {
  token: string | undefined;
  run: () => Promise<object>;
  onError: (error: unknown) => void;
}): Handler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== SWEEP_TRIGGER_PATH || !args.token) return false;
    if (req.method !== "POST") {
      reply(res, 405, { error: "use POST" });
      return true;
    }
    const header = req.headers.authorization ?? "";
    const given = header.startsWith("Bearer ") ? header.slice("Bearer ".length) : "";
    if (!sameSecret(given, args.token)) {
      reply(res, 401, { error: "missing or wrong bearer token" });
      return true;
    }
    if (url.searchParams.get("wait") === "1") {
      try {
        reply(res, 200, await args.run());
      } catch (error) {
        args.onError(error);
        reply(res, 500, { error: "sweep failed; see the app's log" });
      }
      return true;
    }
    args.run().catch(args.onError);
    reply(res, 202, { started: true });
    return true;
  };
}
