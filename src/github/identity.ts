/** Who the app is on GitHub, so it can ignore its own events and trust only its own comments. */
import type { Probot } from "probot";

export interface AppIdentity {
  appId: number;
  /** The login its installation tokens act as, e.g. `incident-keeper[bot]`. */
  botLogin: string;
}

/** Resolves the identity once per process (one `GET /app`), then from memory. */
export function identityResolver(app: Probot): () => Promise<AppIdentity> {
  let pending: Promise<AppIdentity> | null = null;
  return () => {
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
}

/** True for a comment the app itself wrote (never trust a look-alike marker in someone else's comment). */
export function isOwnComment(
  comment: { user?: { login?: string; type?: string } | null; performed_via_github_app?: { id?: number } | null },
  identity: AppIdentity,
): boolean {
  if (comment.performed_via_github_app?.id === identity.appId) return true;
  return comment.user?.type === "Bot" && comment.user.login === identity.botLogin;
}
