/** Who the app is on GitHub, so it can ignore its own events and trust only its own comments. */
import type { Probot } from "probot";

export interface AppIdentity {
  appId: number;
  /** The login its installation tokens act as, e.g. `incident-keeper[bot]`. */
  botLogin: string;
}

/** Resolves the app's identity; `learn` takes it from an answer that carries it anyway. */
export type IdentitySource = (() => Promise<AppIdentity>) & {
  /** Sets the identity from another answer (the installations listing), so no `GET /app` is needed. */
  learn?: (identity: AppIdentity) => void;
};

/**
 * Resolves the identity once per process (one `GET /app`), then from memory; none at all when a sweep
 * learnt it first from the installations listing (`app_id`, `app_slug`: the same values).
 */
export function identityResolver(app: Probot): IdentitySource {
  let pending: Promise<AppIdentity> | null = null;
  const resolve: IdentitySource = () => {
    pending ??= (async () => {
      const octokit = await app.auth();
      const { data } = await octokit.rest.apps.getAuthenticated();
      if (!data) throw new Error("GET /app returned no app");
      return { appId: data.id, botLogin: `${data.slug ?? "incident-keeper"}[bot]` };
    })().catch((error: unknown) => {
      pending = null;
      throw error;
    });
    return pending;
  };
  resolve.learn = (identity) => {
    pending ??= Promise.resolve(identity);
  };
  return resolve;
}

/** The identity an installation's record carries (`GET /app/installations`), or null without one. */
export function identityOfInstallation(installation: { app_id?: number; app_slug?: string }): AppIdentity | null {
  if (!installation.app_id || !installation.app_slug) return null;
  return { appId: installation.app_id, botLogin: `${installation.app_slug}[bot]` };
}

/** True for a comment the app itself wrote (never trust a look-alike marker in someone else's comment). */
export function isOwnComment(
  comment: { user?: { login?: string; type?: string } | null; performed_via_github_app?: { id?: number } | null },
  identity: AppIdentity,
): boolean {
  if (comment.performed_via_github_app?.id === identity.appId) return true;
  return comment.user?.type === "Bot" && comment.user.login === identity.botLogin;
}
