/**
 * `/incident-keeper/dashboard`: every open incident of the installations this server serves, from
 * the in-memory view (0 API calls per page view). Access with `DASHBOARD_TOKEN`: as a bearer header,
 * or entered once in the form, which sets an HttpOnly, SameSite=Strict cookie holding an HMAC of the
 * token (never the token itself); or by GitHub sign-in (`./sign-in.ts`), which shows only the
 * incidents of repositories the signed-in person can read. With neither configured the route does not
 * exist (404). No incident data in any answer without access. Strict CSP: only the page's own script
 * and style.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import Mustache from "mustache";
import type { ApplicationFunctionOptions } from "probot";
import type { Clock } from "../clock.js";
import { CATEGORY_TITLES } from "../core/classification.js";
import { windowWords } from "../core/security.js";
import { formatRelative, formatUtc } from "../core/time-format.js";
import type { DashboardCache } from "../dashboard/cache.js";
import { groupByRepository, windowStateAt, type DashboardEntry } from "../dashboard/entry.js";
import { cookieValue, LOGIN_PATH, LOGOUT_PATH, SIGN_IN_BASE, type SignIn } from "./sign-in.js";

type Handler = Parameters<ApplicationFunctionOptions["addHandler"]>[0];

export const DASHBOARD_PATH = "/incident-keeper/dashboard";
const COOKIE = "ik_dashboard";
const COOKIE_MAX_AGE_S = 30 * 24 * 3600;
const MAX_FORM_BYTES = 4096;
const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#b42318"/></svg>\n';

const TEMPLATES = new URL("../../templates/", import.meta.url);
const files = new Map<string, string>();
function file(name: string): string {
  let text = files.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(name, TEMPLATES), "utf8");
    files.set(name, text);
  }
  return text;
}

const SECURITY_HEADERS = {
  "content-security-policy": [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; "),
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cache-control": "no-store",
};

/** HTML text and attribute escaping (mustache's default also escapes `/`, `=` and backticks, needlessly). */
function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function html(template: string, view: object): string {
  return Mustache.render(file(template), view, {}, { escape: escapeHtml });
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": type, ...SECURITY_HEADERS, ...headers });
  res.end(body);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_FORM_BYTES) return null;
    chunks.push(buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

/** Where incident links point: github.com, or the GitHub Enterprise host the app talks to. */
export function webBaseUrl(env: NodeJS.ProcessEnv): string {
  return env.GHE_HOST ? `${env.GHE_PROTOCOL || "https"}://${env.GHE_HOST}` : "https://github.com";
}

/** The dashboard page's view model at `now`. */
export function dashboardView(
  entries: readonly DashboardEntry[],
  now: Date,
  webBase: string,
  updatedAt: number | null,
): object {
  const groups = groupByRepository(entries, now);
  let breachedCount = 0;
  const view = groups.map((group) => ({
    repository: group.repository,
    anchor: group.repository.replace(/[^A-Za-z0-9_-]/g, "-"),
    entries: group.entries.map((entry) => {
      const states = entry.windows.map((w) => windowStateAt(w, now));
      const breached = states.includes("breached");
      if (breached) breachedCount += 1;
      const c = entry.classification;
      return {
        repository: entry.repository,
        number: entry.number,
        title: entry.title,
        url: `${webBase}/${entry.repository}/issues/${entry.number}`,
        rowClass: breached ? "breached" : entry.paused ? "paused" : "",
        breached,
        paused: entry.paused,
        alerts: entry.alerts,
        classification: [
          c.category ? CATEGORY_TITLES[c.category] : "category not set",
          c.severity ? `Sev ${c.severity}` : "severity not set",
          c.devops ? `DevOps ${c.devops}` : "DevOps not set",
        ].join(" · "),
        windows: entry.windows.map((w, i) => {
          const state = states[i]!;
          const deadline = w.deadline && (state === "on-track" || state === "breached") ? w.deadline : null;
          return {
            state,
            // A security incident's investigation column is its acknowledge window: named in the cell.
            window: entry.security && w.name === "investigation" ? windowWords(w.name, true).title : null,
            stateText: {
              pending: "not started",
              "not-applicable": "none",
              paused: "paused",
              "on-track": "due",
              met: "met",
              breached: "breached",
            }[state],
            deadline,
            deadlineText: deadline ? formatUtc(new Date(deadline)) : "",
            relative: deadline ? formatRelative(new Date(deadline), now) : "",
          };
        }),
        openActions: entry.openActions.map((key) => {
          const match = /^([^/]+\/[^#]+)#(\d+)$/.exec(key);
          return { key, url: match ? `${webBase}/${match[1]}/issues/${match[2]}` : webBase };
        }),
      };
    }),
  }));
  const updated = new Date(updatedAt ?? now.getTime());
  return {
    groups: view,
    count: entries.length,
    breached: breachedCount,
    updatedIso: updated.toISOString(),
    updatedText: updated.toISOString().slice(0, 16).replace("T", " "),
  };
}

/** The route handler. Neither `token` nor `signIn` = no route. */
export function dashboardHandler(args: {
  token: string | undefined;
  /** GitHub sign-in (GITHUB_CLIENT_ID / GITHUB_CLIENT_SECRET), or undefined. */
  signIn?: SignIn;
  cache: DashboardCache;
  clock: Clock;
  webBase: string;
}): Handler {
  const session = args.token
    ? createHmac("sha256", args.token).update("incident-keeper dashboard session v1").digest("base64url")
    : "";
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const token = args.token;
    const signIn = args.signIn;
    if (!token && !signIn) return false;
    if (signIn && url.pathname.startsWith(`${SIGN_IN_BASE}/`) && (await signIn.handle(req, res, url.pathname)))
      return true;
    if (url.pathname !== DASHBOARD_PATH && !url.pathname.startsWith(`${DASHBOARD_PATH}/`)) return false;
    const base = DASHBOARD_PATH;
    // The page's own assets carry no data: served without access so the login page is styled.
    if (url.pathname === `${base}/dashboard.css`) {
      send(res, 200, "text/css; charset=utf-8", file("dashboard.css"), { "cache-control": "public, max-age=3600" });
      return true;
    }
    if (url.pathname === `${base}/dashboard.js`) {
      send(res, 200, "text/javascript; charset=utf-8", file("dashboard.js"), {
        "cache-control": "public, max-age=3600",
      });
      return true;
    }
    if (url.pathname === `${base}/favicon.svg`) {
      send(res, 200, "image/svg+xml", FAVICON, { "cache-control": "public, max-age=86400" });
      return true;
    }
    if (url.pathname !== base) {
      send(res, 404, "text/plain; charset=utf-8", "not found\n");
      return true;
    }
    const login = (status: number, error: string | null): void =>
      send(
        res,
        status,
        "text/html; charset=utf-8",
        html("dashboard-login.html.mustache", {
          base,
          error,
          tokenForm: token !== undefined,
          signInUrl: signIn ? LOGIN_PATH : null,
        }),
      );
    if (req.method === "POST") {
      const form = await readForm(req);
      const given = form?.get("token") ?? "";
      if (!form || !token || !same(given, token)) {
        login(401, "That token is not right.");
        return true;
      }
      const secure =
        req.headers["x-forwarded-proto"] === "https" || (req.socket as { encrypted?: boolean }).encrypted === true;
      const attributes = [
        `Path=${base}`,
        "HttpOnly",
        "SameSite=Strict",
        `Max-Age=${COOKIE_MAX_AGE_S}`,
        ...(secure ? ["Secure"] : []),
      ];
      const cookie = [`${COOKIE}=${session}`, ...attributes].join("; ");
      send(res, 303, "text/plain; charset=utf-8", "signed in\n", { location: base, "set-cookie": cookie });
      return true;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      send(res, 405, "text/plain; charset=utf-8", "use GET\n", { allow: "GET, HEAD, POST" });
      return true;
    }
    const header = req.headers.authorization ?? "";
    const bearer = header.startsWith("Bearer ") ? header.slice("Bearer ".length) : null;
    const cookie = cookieValue(req, COOKIE);
    const byToken =
      token !== undefined && ((bearer !== null && same(bearer, token)) || (cookie !== null && same(cookie, session)));
    // Signed in with GitHub: only the incidents of repositories the person can read (no API call
    // unless the session's list of readable repositories is past its TTL).
    const viewer = byToken || !signIn ? null : await signIn.viewer(req);
    if (!byToken && !viewer) {
      login(
        401,
        bearer !== null || cookie !== null ? "That token is not right (or the server's token changed)." : null,
      );
      return true;
    }
    const now = args.clock.now();
    const entries = viewer
      ? args.cache.all().filter((entry) => viewer.canRead(entry.installationId, entry.repository))
      : args.cache.all();
    const page = html("dashboard.html.mustache", {
      base,
      signOut: viewer ? LOGOUT_PATH : null,
      ...dashboardView(entries, now, args.webBase, args.cache.updatedAt),
    });
    send(res, 200, "text/html; charset=utf-8", req.method === "HEAD" ? "" : page);
    return true;
  };
}
