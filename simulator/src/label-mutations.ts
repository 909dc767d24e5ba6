/** Repository labels and the labels on issues. */
import { HttpError, NotFoundError, validationFailed } from "./errors.js";
import { labelJson } from "./issue-payloads.js";
import { recordTimeline, type MutationContext } from "./mutation-context.js";
import { issueWebhook } from "./webhook-payloads.js";
import type { SimIssue, SimLabel, SimRepo } from "./types.js";

/** GitHub's colour for labels created implicitly by adding them to an issue. */
export const DEFAULT_LABEL_COLOR = "ededed";

/** The repository label called `name` (case-insensitive), if any. */
export function findLabel(repo: SimRepo, name: string): SimLabel | undefined {
  return repo.labels.get(name.toLowerCase());
}

/** Creates a repository label; 422 `already_exists` when the name is taken. */
export function createLabel(
  ctx: MutationContext,
  repo: SimRepo,
  input: { name: string; color?: string; description?: string | null },
): SimLabel {
  if (findLabel(repo, input.name)) throw validationFailed("Label", "name", "already_exists");
  const label: SimLabel = {
    id: ctx.state.ids.label.take(),
    name: input.name,
    color: (input.color ?? DEFAULT_LABEL_COLOR).replace(/^#/, "").toLowerCase(),
    description: input.description ?? null,
    default: false,
  };
  repo.labels.set(label.name.toLowerCase(), label);
  return label;
}

/** Renames or recolours a repository label; the change shows on every issue carrying it. */
export function updateLabel(
  repo: SimRepo,
  label: SimLabel,
  input: { new_name?: string; color?: string; description?: string | null },
): SimLabel {
  if (input.new_name !== undefined && input.new_name.toLowerCase() !== label.name.toLowerCase()) {
    if (findLabel(repo, input.new_name)) throw validationFailed("Label", "name", "already_exists");
    repo.labels.delete(label.name.toLowerCase());
    repo.labels.set(input.new_name.toLowerCase(), label);
  }
  if (input.new_name !== undefined) label.name = input.new_name;
  if (input.color !== undefined) label.color = input.color.replace(/^#/, "").toLowerCase();
  if (input.description !== undefined) label.description = input.description;
  return label;
}

/** Deletes a repository label and takes it off every issue. */
export function deleteLabel(repo: SimRepo, label: SimLabel): void {
  repo.labels.delete(label.name.toLowerCase());
  for (const issue of repo.issues.values()) issue.labels = issue.labels.filter((on) => on !== label);
}

function ensureLabel(ctx: MutationContext, repo: SimRepo, name: string): SimLabel {
  const trimmed = name.trim();
  if (trimmed === "")
    throw new HttpError(422, "Validation Failed", {
      extra: { errors: [{ resource: "Label", code: "invalid", field: "name" }] },
    });
  return findLabel(repo, trimmed) ?? createLabel(ctx, repo, { name: trimmed });
}

/**
 * Adds labels (creating missing repository labels with the default colour, as GitHub does);
 * records `labeled` on the timeline and emits one `labeled` webhook per label actually added.
 */
export function addLabels(ctx: MutationContext, issue: SimIssue, names: string[]): SimLabel[] {
  const added: SimLabel[] = [];
  for (const name of names) {
    const label = ensureLabel(ctx, issue.repo, name);
    if (issue.labels.includes(label)) continue;
    issue.labels.push(label);
    added.push(label);
    recordTimeline(ctx, issue, { kind: "labeled", label: { name: label.name, color: label.color } });
    ctx.emit(() =>
      issueWebhook(ctx.state, "labeled", issue, ctx.actor, { label: labelJson(ctx.state, issue.repo, label) }),
    );
  }
  return added;
}

/** Removes one label; 404 "Label does not exist" when the issue does not carry it. */
export function removeLabel(ctx: MutationContext, issue: SimIssue, name: string): void {
  const label = findLabel(issue.repo, name);
  if (!label || !issue.labels.includes(label)) throw new NotFoundError("Label does not exist");
  issue.labels = issue.labels.filter((on) => on !== label);
  recordTimeline(ctx, issue, { kind: "unlabeled", label: { name: label.name, color: label.color } });
  ctx.emit(() =>
    issueWebhook(ctx.state, "unlabeled", issue, ctx.actor, { label: labelJson(ctx.state, issue.repo, label) }),
  );
}

/** Replaces the issue's labels with `names`, emitting `unlabeled` then `labeled` for the difference. */
export function setLabels(ctx: MutationContext, issue: SimIssue, names: string[]): void {
  const wanted = new Set(names.map((name) => name.trim().toLowerCase()));
  for (const label of [...issue.labels]) {
    if (!wanted.has(label.name.toLowerCase())) removeLabel(ctx, issue, label.name);
  }
  addLabels(ctx, issue, names);
}
