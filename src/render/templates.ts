/**
 * Renders the mustache templates in `templates/`. Every sentence the app writes on GitHub lives there.
 * `{{x}}` escapes user-controlled text for Markdown (no HTML, no mentions, no hidden markers);
 * `{{{x}}}` is for text the app or the repository's maintainers wrote (mentions from config, markers).
 */
import { readFileSync } from "node:fs";
import Mustache from "mustache";

const TEMPLATE_DIR = new URL("../../templates/", import.meta.url);
const cache = new Map<string, string>();

export type TemplateName =
  | "status"
  | "memo"
  | "handoff"
  | "command-refused"
  | "command-errors"
  | "config-error"
  | "config-fixed"
  | "reminder"
  | "reopened"
  | "writeup-complete"
  | "pr-status"
  | "alert-title"
  | "alert-issue"
  | "writeup-check"
  | "config-check"
  | "report"
  | "digest-title"
  | "timeline-block"
  | "timeline-not-written"
  | "security-not-moved"
  | "security-team";

/** Makes user text inert in GitHub Markdown: no HTML or comments, no @-mentions. */
export function escapeMarkdownText(value: unknown): string {
  return String(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/@/g, "&#64;");
}

function load(name: TemplateName): string {
  let template = cache.get(name);
  if (template === undefined) {
    template = readFileSync(new URL(`${name}.md.mustache`, TEMPLATE_DIR), "utf8");
    cache.set(name, template);
  }
  return template;
}

/** Renders a template with a view; the result is trimmed and ends without trailing blank lines. */
export function render(name: TemplateName, view: object): string {
  return Mustache.render(load(name), view, {}, { escape: escapeMarkdownText })
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
