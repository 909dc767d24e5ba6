/**
 * GitHub sign-in for the dashboard: `/incident-keeper/login` sends the browser to GitHub's authorize
 * page with a random `state` bound to the browser by a short-lived cookie; `/incident-keeper/callback`
 * checks that state (CSRF), exchanges the code for the person's user-to-server token, reads once which
 * of the installations' repositories the person can read, and opens a session: an HttpOnly,
 * SameSite=Lax (Secure over https) cookie holding a signed session id. Sessions live in server memory
 * (a cache with a TTL) or, with REDIS_URL, in Redis (`./sessions.ts`); the token stays on the server
 * side, never in a cookie, a page or a log line. The readable
 * repositories are read again with the token once their TTL has passed. `/incident-keeper/logout`
 * (POST) ends the session.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "probot";
import {
  authorizationUrl,
  exchangeCode,
  readableRepositories,
  type OAuthClient,
  type ReadableRepositories,
} from "../github/user-access.js";
import { MemorySessionStore, type SessionStore } from "./sessions.js";

export const SIGN_IN_BASE = "/incident-keeper";
export const LOGIN_PATH = `${SIGN_IN_BASE}/login`;
export const CALLBACK_PATH = `${SIGN_IN_BASE}/callback`;
export const LOGOUT_PATH = `${SIGN_IN_BASE}/logout`;
const SESSION_COOKIE = "ik_session";
const STATE_COOKIE = "ik_oauth_state";
const STATE_MAX_AGE_S = 600;

/** Reads GitHub for what a signed-in person can read (replaceable in tests). */
export interface UserAccessReader {
  authorizationUrl(args: { redirectUrl: string; state: string }): string;
  exchangeCode(args: { code: string; redirectUrl: string }): Promise<{ token: string; expiresAt: number | null }>;
  readable(token: string): Promise<ReadableRepositories>;
}

/** The reader on GitHub (or GHE_HOST) with the app's OAuth client. */
export function githubUserAccess(client: OAuthClient, baseUrl: string): UserAccessReader {
  return {
    authorizationUrl: ({ redirectUrl, state }) => authorizationUrl({ client, baseUrl, redirectUrl, state }),
    exchangeCode: ({ code, redirectUrl }) => exchangeCode({ client, baseUrl, code, redirectUrl }),
    readable: (token) => readableRepositories({ baseUrl, token }),
  };
}

/** Sign-in settings (env: see README). */
export interface SignInOptions {
  reader: UserAccessReader;
  nowMs: () => number;
  log: Logger;
  /** Where sessions live (default: this process's memory). */
  store?: SessionStore;
  /** The key that signs session ids (default: random per process; derive it from the client secret to share sessions). */
  signingKey?: Buffer;
  /** How long a session lasts (default 8 hours, a user token's lifetime). */
  sessionTtlMs?: number;
  /** How long the readable repositories are trusted before they are read again (default 10 minutes). */
  accessTtlMs?: number;
  /** The app's public URL (e.g. https://keeper.example.com); default: from the request's Host. */
  publicUrl?: string;
  /** Counts the user-token requests (tests, the README's figures). */
  onRequests?: (count: number) => void;
}

/** Who the browser is: the repositories it may see, or null (no session). */
export type Viewer = { kind: "user"; canRead: (installationId: number, repository: string) => boolean };

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return null;
}

export function isHttps(req: IncomingMessage): boolean {
  return req.headers["x-forwarded-proto"] === "https" || (req.socket as { encrypted?: boolean }).encrypted === true;
}

function cookie(req: IncomingMessage, name: string, value: string, maxAgeS: number): string {
  return [
    `${name}=${value}`,
    `Path=${SIGN_IN_BASE}`,
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${maxAgeS}`,
    ...(isHttps(req) ? ["Secure"] : []),
  ].join("; ");
}

/** The sign-in routes and the session lookup the dashboard asks. */
export class SignIn {
  readonly #sessions: SessionStore;
  readonly #key: Buffer;
  readonly #sessionTtlMs: number;
  readonly #accessTtlMs: number;

  constructor(private readonly options: SignInOptions) {
    this.#sessions = options.store ?? new MemorySessionStore();
    this.#key = options.signingKey ?? randomBytes(32);
    this.#sessionTtlMs = options.sessionTtlMs ?? 8 * 3_600_000;
    this.#accessTtlMs = options.accessTtlMs ?? 10 * 60_000;
  }

  #sign(id: string): string {
    return `${id}.${createHmac("sha256", this.#key).update(id).digest("base64url")}`;
  }

  #sessionId(req: IncomingMessage): string | null {
    const value = cookieValue(req, SESSION_COOKIE);
    const id = value?.split(".")[0];
    return value && id && same(value, this.#sign(id)) ? id : null;
  }

  #redirectUrl(req: IncomingMessage): string {
    const base =
      this.options.publicUrl?.replace(/\/+$/, "") ??
      `${isHttps(req) ? "https" : "http"}://${req.headers.host ?? "localhost"}`;
    return `${base}${CALLBACK_PATH}`;
  }

  #count(requests: number): void {
    this.options.onRequests?.(requests);
  }

  /** The session store (Redis) failed: no session this time (the page asks to sign in), logged. */
  #storeFailed(error: unknown): null {
    this.options.log.error({ err: error }, "dashboard sign-in: the session store failed");
    return null;
  }

  /** The signed-in viewer of this request, re-reading their access once its TTL passed; null: none. */
  async viewer(req: IncomingMessage): Promise<Viewer | null> {
    const id = this.#sessionId(req);
    const now = this.options.nowMs();
    const session = id ? await this.#sessions.get(id, now).catch((error: unknown) => this.#storeFailed(error)) : null;
    if (!id || !session) return null;
    if (now - session.accessReadAt >= this.#accessTtlMs) {
      try {
        const read = await this.options.reader.readable(session.token);
        this.#count(read.requests);
        session.access = [...read.keys];
        session.accessReadAt = now;
        await this.#sessions.set(id, session, now).catch((error: unknown) => this.#storeFailed(error));
      } catch (error) {
        // A revoked or expired token ends the session; other trouble keeps the last answer a while.
        const status = (error as { status?: number }).status;
        this.options.log.warn({ status }, "dashboard sign-in: could not re-read the person's repositories");
        if (status === 401) {
          await this.#sessions.delete(id);
          return null;
        }
      }
    }
    const access = new Set(session.access);
    return {
      kind: "user",
      canRead: (installationId, repository) => access.has(`${installationId}:${repository}`.toLowerCase()),
    };
  }

  /** Answers the sign-in routes; false for any other path. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    if (path === LOGIN_PATH) {
      const state = randomBytes(32).toString("base64url");
      const location = this.options.reader.authorizationUrl({ redirectUrl: this.#redirectUrl(req), state });
      res.writeHead(302, {
        location,
        "set-cookie": cookie(req, STATE_COOKIE, state, STATE_MAX_AGE_S),
        "cache-control": "no-store",
        "referrer-policy": "no-referrer",
      });
      res.end();
      return true;
    }
    if (path === CALLBACK_PATH) {
      await this.#callback(req, res);
      return true;
    }
    if (path === LOGOUT_PATH) {
      if (req.method !== "POST") {
        res.writeHead(405, { allow: "POST", "content-type": "text/plain; charset=utf-8" });
        res.end("use POST\n");
        return true;
      }
      const id = this.#sessionId(req);
      if (id) await this.#sessions.delete(id).catch((error: unknown) => this.#storeFailed(error));
      res.writeHead(303, {
        location: `${SIGN_IN_BASE}/dashboard`,
        "set-cookie": cookie(req, SESSION_COOKIE, "", 0),
        "cache-control": "no-store",
      });
      res.end();
      return true;
    }
    return false;
  }

  async #callback(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const given = url.searchParams.get("state") ?? "";
    const expected = cookieValue(req, STATE_COOKIE) ?? "";
    const code = url.searchParams.get("code") ?? "";
    // The request log line (Probot's, written when the answer is sent) shows the path, not the code and state.
    req.url = CALLBACK_PATH;
    const clearState = cookie(req, STATE_COOKIE, "", 0);
    const refuse = (status: number, message: string): void => {
      res.writeHead(status, {
        "content-type": "text/plain; charset=utf-8",
        "set-cookie": clearState,
        "cache-control": "no-store",
      });
      res.end(`${message}\n`);
    };
    // The state must be the one this browser was given (CSRF: a sign-in started elsewhere is refused).
    if (!given || !expected || !same(given, expected) || !code) {
      refuse(
        400,
        "The sign-in could not be verified (it was not started in this browser, or it expired): start again.",
      );
      return;
    }
    let token: string;
    let expiresAt: number | null;
    let read: ReadableRepositories;
    try {
      ({ token, expiresAt } = await this.options.reader.exchangeCode({ code, redirectUrl: this.#redirectUrl(req) }));
      this.#count(1);
      read = await this.options.reader.readable(token);
      this.#count(read.requests);
    } catch (error) {
      // Never the error object itself: a request error carries the request, and the code or token with it.
      this.options.log.warn(
        { status: (error as { status?: number }).status },
        "dashboard sign-in: GitHub refused the code or the listing",
      );
      refuse(502, "GitHub did not complete the sign-in: start again.");
      return;
    }
    const now = this.options.nowMs();
    const id = randomBytes(24).toString("base64url");
    // The session ends with its TTL, or with the user token when that expires sooner.
    const ends = Math.min(now + this.#sessionTtlMs, expiresAt ?? Number.POSITIVE_INFINITY);
    try {
      await this.#sessions.set(id, { token, expiresAt: ends, access: [...read.keys], accessReadAt: now }, now);
    } catch (error) {
      this.#storeFailed(error);
      refuse(503, "The dashboard could not keep the session: try again later.");
      return;
    }
    const maxAgeS = Math.max(1, Math.floor((ends - now) / 1000));
    res.writeHead(303, {
      location: `${SIGN_IN_BASE}/dashboard`,
      "set-cookie": [clearState, cookie(req, SESSION_COOKIE, this.#sign(id), maxAgeS)],
      "cache-control": "no-store",
    });
    res.end();
  }
}
