/** Reports an invalid config on the incident, once, updated in place when the problems change. */
import type { ConfigError } from "../config/load.js";
import { CONFIG_ERROR_MARKER, CONFIG_FIXED_MARKER, configCommentToMarkFixed } from "../core/config-notice.js";
import { formatUtc } from "../core/time-format.js";
import type { GitHubGateway } from "../github/gateway.js";
import { render } from "../render/templates.js";
import type { OwnThread } from "./sync-incident.js";

export { CONFIG_ERROR_MARKER };

/** Posts or updates the config-error comment; writes nothing when it already says the same. */
export async function reportConfigError(args: { gateway: GitHubGateway; issueNumber: number; thread: OwnThread; error: ConfigError }): Promise<"created" | "updated" | "unchanged"> {
  const { gateway, issueNumber, thread, error } = args;
  gateway.warn("invalid .github/incident-keeper.yml: no SLA action taken", { repo: gateway.repo, issues: error.issues });
  // Each problem is a table row: a `|` in a message (zod's `"read"|"triage"`) would end its cell early.
  const cell = (text: string): string => text.replace(/\|/g, "\\|");
  const issues = error.issues.map((issue) => ({ path: cell(issue.path), message: cell(issue.message) }));
  const body = render("config-error", { marker: CONFIG_ERROR_MARKER, issues });
  const existing = thread.comments.find((c) => c.body.startsWith(CONFIG_ERROR_MARKER));
  if (!existing) {
    await gateway.createComment(issueNumber, body);
    return "created";
  }
  if (existing.body === body) return "unchanged";
  await gateway.updateComment(existing.id, body);
  return "updated";
}

/** The config is valid: edit an earlier config-error report once to say so (and since when). */
export async function markConfigFixed(args: { gateway: GitHubGateway; thread: OwnThread; now: Date }): Promise<boolean> {
  const id = configCommentToMarkFixed(args.thread.comments);
  if (id === null) return false;
  await args.gateway.updateComment(id, render("config-fixed", { marker: CONFIG_ERROR_MARKER, fixedMarker: CONFIG_FIXED_MARKER, fixedAt: formatUtc(args.now) }));
  return true;
}

/** The incident label to look for when the config could not be read (the file's own value if usable). */
export function fallbackIncidentLabel(): string {
  return "incident";
}
