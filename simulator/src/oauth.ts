/**
 * The GitHub App's user authorization (OAuth web flow) as github.com serves it, outside the REST API:
 * `GET /login/oauth/authorize` (the browser: answered with a redirect back to the app carrying `code`
 * and `state`, for the person signed in to the simulated github.com) and `POST /login/oauth/access_token`
 * (the app's server: code -> a user-to-server token `ghu_...`). Codes are single-use and expire after
 * 10 minutes, as GitHub's do; errors are answered 200 with `error`/`error_description`, as GitHub does.
 */
import { randomBytes } from "node:crypto";
import { wallNow } from "./clock.js";
import type { SimResponse } from "./http-util.js";
import type { TokenStore } from "./auth.js";
import type { SimState } from "./state.js";

const CODE_LIFETIME_MS = 10 * 60 * 1000;
const DOCS = "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors";

interface IssuedCode {
  login: string;
  clientId: string;
  redirectUri: string | null;
  expiresAt: number;
}

/** The app's OAuth client and the simulated browser's github.com session. */
export class OAuthStore {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Who is signed in to the simulated github.com in "the browser" (null: nobody: the authorize page refuses). */
  browserUser: string | null = null;
  /** The callback URL registered in the app's settings (null: any http(s) URL is accepted). */
  callbackUrl: string | null = null;
  readonly #codes = new Map<string, IssuedCode>();

  constructor(appId: number, clientSecret: string) {
    this.clientId = `Iv1.${appId.toString(16).padStart(16, "0")}`;
    this.clientSecret = clientSecret;
  }

  /** `GET /login/oauth/authorize`: redirect back to `redirect_uri` with a code for the signed-in person. */
  authorize(query: URLSearchParams, state: SimState): SimResponse {
    if (query.get("client_id") !== this.clientId) return page(404, "Not Found");
    const login = this.browserUser;
    if (!login || !state.findUser(login)) return page(401, "Sign in to GitHub to continue to the app.");
    const redirect = query.get("redirect_uri") ?? this.callbackUrl;
    if (!redirect || !/^https?:\/\//.test(redirect)) return page(400, "The redirect_uri is missing or not a URL.");
    if (this.callbackUrl && !redirect.startsWith(this.callbackUrl))
      return page(400, "The redirect_uri MUST match the registered callback URL for this application.");
    const code = randomBytes(10).toString("hex");
    this.#codes.set(code, {
      login,
      clientId: this.clientId,
      redirectUri: query.get("redirect_uri"),
      expiresAt: wallNow() + CODE_LIFETIME_MS,
    });
    const target = new URL(redirect);
    target.searchParams.set("code", code);
    const stateParam = query.get("state");
    if (stateParam !== null) target.searchParams.set("state", stateParam);
    return { status: 302, headers: { location: target.toString() }, body: "" };
  }

  /** `POST /login/oauth/access_token`: a code (once) for a user-to-server token. */
  exchange(body: unknown, query: URLSearchParams, tokens: TokenStore): SimResponse {
    const fields = { ...Object.fromEntries(query), ...(isRecord(body) ? body : {}) } as Record<string, unknown>;
    if (fields.client_id !== this.clientId || fields.client_secret !== this.clientSecret)
      return oauthError("incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect.");
    const code = typeof fields.code === "string" ? fields.code : "";
    const issued = this.#codes.get(code);
    this.#codes.delete(code);
    if (!issued || issued.expiresAt < wallNow() || issued.clientId !== fields.client_id)
      return oauthError("bad_verification_code", "The code passed is incorrect or expired.");
    if (issued.redirectUri !== null && fields.redirect_uri !== undefined && fields.redirect_uri !== issued.redirectUri)
      return oauthError(
        "redirect_uri_mismatch",
        "The redirect_uri MUST match the registered callback URL for this application.",
      );
    const user = tokens.issueUser(issued.login);
    return {
      status: 200,
      headers: { date: new Date(wallNow()).toUTCString() },
      body: {
        access_token: user.token,
        expires_in: Math.round((user.expiresAt.getTime() - wallNow()) / 1000),
        refresh_token: `ghr_${randomBytes(30).toString("base64url")}`,
        refresh_token_expires_in: 15_811_200,
        token_type: "bearer",
        scope: "",
      },
    };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function oauthError(error: string, description: string): SimResponse {
  return { status: 200, body: { error, error_description: description, error_uri: DOCS } };
}

function page(status: number, text: string): SimResponse {
  return { status, headers: { "content-type": "text/html; charset=utf-8" }, body: `<!doctype html><p>${text}</p>\n` };
}
