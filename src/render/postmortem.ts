/** The public write-up's words (issue #14): the draft file, its pull request, and the replies on the incident. */
import type { PostmortemOutcome, PostmortemView } from "../core/postmortem.js";

export type { PostmortemOutcome };
import { render } from "./templates.js";

/** The draft file's Markdown (front matter, then the sections). */
export function renderPostmortemDraft(view: PostmortemView): string {
  return render("postmortem", {
    ...view,
    // A YAML double-quoted scalar is a JSON string.
    titleYaml: JSON.stringify(view.title),
    hasTimeline: view.timeline.length > 0,
    hasActions: view.actions.length > 0,
  })
    .replace(/\n{3,}/g, "\n\n")
    .concat("\n");
}

/** The draft pull request's title and body. */
export function renderPostmortemPull(args: { title: string; incident: string | null; path: string }): {
  title: string;
  body: string;
} {
  return {
    title: `Incident report: ${args.title}`.slice(0, 250),
    body: render("postmortem-pr", { incident: args.incident, path: args.path }),
  };
}

/** The reply on the incident (one per `/postmortem` comment, by its marker). */
export function renderPostmortemReply(args: { marker: string; login: string; outcome: PostmortemOutcome }): string {
  const { outcome } = args;
  return render("postmortem-reply", {
    marker: args.marker,
    login: args.login,
    ...outcome,
    opened: outcome.kind === "opened",
    updated: outcome.kind === "updated",
    unchanged: outcome.kind === "unchanged",
    unconfigured: outcome.kind === "unconfigured",
    security: outcome.kind === "security",
    notInstalled: outcome.kind === "not-installed",
    forbidden: outcome.kind === "forbidden",
    noBase: outcome.kind === "no-base",
    published: outcome.kind === "published",
  });
}
