/**
 * Writes `/postmortem`'s draft (issue #14) in the publishing repository: the incident's branch (made
 * from the base when missing), the file on it (written only when its text changed, with the blob sha
 * it replaces), and one open draft pull request (found again by its head branch, never a second one).
 * A 403 or 404 on the first write ends it with a reply and nothing half-done: the branch is created
 * only once the file is known to need it, and a fresh branch goes straight on to its pull request.
 */
import { mayHaveLanded, statusOf } from "../github/gateway.js";
import type { DraftPull, PublishingGateway } from "../github/publishing.js";
import type { PostmortemOutcome, PublishEffect } from "../core/postmortem.js";
import { renderPostmortemDraft, renderPostmortemPull } from "../render/postmortem.js";
import type { StatusState } from "../core/status-state.js";

export interface Published {
  outcome: PostmortemOutcome;
  /** What the incident's hidden state records (null: no pull request). */
  record: StatusState["postmortem"] | null;
}

export async function publishDraft(publishing: PublishingGateway, effect: PublishEffect): Promise<Published> {
  const { repository: target, branch, base, path } = effect;
  const repository = `${target.owner}/${target.repo}`;
  const text = renderPostmortemDraft(effect.view);
  const pull = renderPostmortemPull({ title: effect.view.title, incident: effect.incident, path });
  const message = `Incident report draft${effect.incident ? ` for ${effect.incident}` : ""}: ${effect.view.title} (incident-keeper /postmortem)`;
  try {
    const head = await publishing.branchSha(target, branch);
    let fresh = false;
    let changed = false;
    if (head === null) {
      const baseSha = await publishing.branchSha(target, base);
      if (baseSha === null) return { outcome: { kind: "no-base", repository, base }, record: null };
      // The new branch would start with the base's file: the same text means nothing to propose.
      const onBase = await publishing.file(target, path, base);
      if (onBase?.text === text) return { outcome: { kind: "published", repository, base, path }, record: null };
      await publishing.createBranch(target, branch, baseSha);
      fresh = true;
      await publishing.putFile(target, { path, branch, text, message, sha: onBase?.sha ?? null });
      changed = true;
    } else {
      changed = await writeIfChanged(publishing, effect, { text, message });
    }
    // A branch made just now has no pull request yet: no need to look for one.
    let found: DraftPull | null = fresh ? null : await publishing.openPullFrom(target, branch);
    let opened = false;
    if (found === null) {
      found = await createPull(publishing, effect, pull);
      opened = true;
    } else if (found.title !== pull.title) {
      await publishing.retitlePull(target, found.number, pull.title);
      changed = true;
    }
    const record = { repository, number: found.number, url: found.url, branch, path };
    const kind = opened ? "opened" : changed ? "updated" : "unchanged";
    return { outcome: { kind, repository, number: found.number, url: found.url, path }, record };
  } catch (error) {
    const status = statusOf(error);
    if (status === 403) return { outcome: { kind: "forbidden", repository, detail: errorDetail(error) }, record: null };
    if (status === 404) return { outcome: { kind: "not-installed", repository }, record: null };
    throw error;
  }
}

/**
 * Writes the file on the incident's branch when its text differs. Someone pushing to the branch
 * between the read and the write makes the sha stale (GitHub: 409, or 422 for a file created
 * meanwhile): read once more and try again, once.
 */
async function writeIfChanged(
  publishing: PublishingGateway,
  effect: PublishEffect,
  args: { text: string; message: string },
): Promise<boolean> {
  const { repository: target, branch, path } = effect;
  for (let attempt = 0; ; attempt += 1) {
    const current = await publishing.file(target, path, branch);
    if (current?.text === args.text) return false;
    try {
      await publishing.putFile(target, { path, branch, ...args, sha: current?.sha ?? null });
      return true;
    } catch (error) {
      const status = statusOf(error);
      if (attempt > 0 || (status !== 409 && status !== 422)) throw error;
    }
  }
}

/** Opens the draft pull request; a lost answer (5xx, timeout) is looked for before anything else. */
async function createPull(
  publishing: PublishingGateway,
  effect: PublishEffect,
  pull: { title: string; body: string },
): Promise<DraftPull> {
  const args = { ...pull, head: effect.branch, base: effect.base };
  try {
    return await publishing.createDraftPull(effect.repository, args);
  } catch (error) {
    // 422: one already exists (opened meanwhile); 5xx / no answer: it may exist anyway.
    if (!mayHaveLanded(error) && statusOf(error) !== 422) throw error;
    const landed = await publishing.openPullFrom(effect.repository, effect.branch);
    if (landed) return landed;
    throw error;
  }
}

/** GitHub's message of a refused request, bounded (it names the missing permission). */
function errorDetail(error: unknown): string {
  const text =
    typeof error === "object" && error !== null && "message" in error && typeof error.message === "string"
      ? error.message
      : "refused";
  return text.replace(/[`<>@\n\r]/g, " ").slice(0, 120);
}
