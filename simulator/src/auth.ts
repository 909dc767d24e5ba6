import { randomBytes } from "node:crypto";
import { wallNow } from "./clock.js";

/** An installation access token the simulator handed out. */
export interface IssuedToken {
  token: string;
  installationId: number;
  expiresAt: Date;
}

/** A user-to-server token (the app acting for a person who signed in through it). */
export interface IssuedUserToken {
  token: string;
  login: string;
  expiresAt: Date;
}

/** How a request authenticated itself. */
export type Credentials =
  | { kind: "none" }
  | { kind: "app-jwt"; issuer: string }
  | { kind: "installation"; installationId: number }
  | { kind: "user"; login: string }
  | { kind: "invalid"; reason: string };

const TOKEN_LIFETIME_MS = 60 * 60 * 1000;
/** User-to-server tokens expire after 8 hours (GitHub's default for GitHub Apps). */
const USER_TOKEN_LIFETIME_MS = 8 * 60 * 60 * 1000;

/** Installation tokens and GitHub App JWTs. JWT signatures are not checked; the issuer (app id) is. */
export class TokenStore {
  readonly #tokens = new Map<string, IssuedToken>();
  readonly #userTokens = new Map<string, IssuedUserToken>();
  readonly #appId: number;

  constructor(appId: number) {
    this.#appId = appId;
  }

  /** Creates an installation token valid for one hour of real time (Probot caches by expiry). */
  issue(installationId: number): IssuedToken {
    const issued = {
      token: `ghs_${randomBytes(18).toString("base64url")}`,
      installationId,
      expiresAt: new Date(wallNow() + TOKEN_LIFETIME_MS),
    };
    this.#tokens.set(issued.token, issued);
    return issued;
  }

  /** A user-to-server token `ghu_...` for `login` (from the OAuth web flow). */
  issueUser(login: string): IssuedUserToken {
    const issued = {
      token: `ghu_${randomBytes(27).toString("base64url")}`,
      login,
      expiresAt: new Date(wallNow() + USER_TOKEN_LIFETIME_MS),
    };
    this.#userTokens.set(issued.token, issued);
    return issued;
  }

  /** Reads the `authorization` header: `token X`, `bearer X`, with a JWT or an installation token. */
  authenticate(header: string | undefined): Credentials {
    if (!header) return { kind: "none" };
    const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header.trim());
    const secret = match?.[1];
    if (!secret) return { kind: "invalid", reason: "Bad credentials" };
    if (secret.split(".").length === 3) return this.#readJwt(secret);
    const user = this.#userTokens.get(secret);
    if (user)
      return user.expiresAt.getTime() < wallNow()
        ? { kind: "invalid", reason: "Bad credentials" }
        : { kind: "user", login: user.login };
    const issued = this.#tokens.get(secret);
    if (!issued || issued.expiresAt.getTime() < wallNow()) return { kind: "invalid", reason: "Bad credentials" };
    return { kind: "installation", installationId: issued.installationId };
  }

  #readJwt(jwt: string): Credentials {
    try {
      const payload = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as {
        iss?: unknown;
      };
      if (String(payload.iss) !== String(this.#appId)) {
        return { kind: "invalid", reason: `'Issuer' claim ('iss') must be an Integer (the app id ${this.#appId})` };
      }
      return { kind: "app-jwt", issuer: String(payload.iss) };
    } catch {
      return { kind: "invalid", reason: "A JSON web token could not be decoded" };
    }
  }
}
