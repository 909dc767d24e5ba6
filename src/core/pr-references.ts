/**
 * The issues and pull requests a pull request's description refers to (`Fixes #12`, `acme/web#3`,
 * issue URLs), outside code. Pure.
 */
import type { Nodes } from "mdast";
import { collectDefinitions, parseMarkdown } from "./markdown.js";
import { findRefsInText, parseIssueUrl, resolveRef, type RepoContext, type ResolvedRef } from "./references.js";
import { refKeyOf } from "./references.js";

/** At most this many references are followed per pull request (each costs API reads). */
export const MAX_PR_REFERENCES = 10;

/** Distinct references in a PR body, resolved against the PR's repository, in order of appearance. */
export function pullRequestReferences(body: string, repo: RepoContext): ResolvedRef[] {
  let tree;
  try {
    tree = parseMarkdown(body.slice(0, 65_536));
  } catch {
    return [];
  }
  const definitions = collectDefinitions(tree);
  const found = new Map<string, ResolvedRef>();
  const add = (ref: ResolvedRef): void => {
    const key = refKeyOf(ref.owner, ref.repo, ref.number);
    if (!found.has(key) && found.size < MAX_PR_REFERENCES) found.set(key, ref);
  };
  const visit = (node: Nodes): void => {
    if (node.type === "code" || node.type === "inlineCode" || node.type === "html") return;
    if (node.type === "text") for (const ref of findRefsInText(node.value)) add(resolveRef(ref, repo));
    // Like GitHub (and the write-up's action items), only a link's target counts, not its text.
    if (node.type === "link" || node.type === "linkReference") {
      const url = node.type === "link" ? node.url : definitions.get(node.identifier)?.url;
      const ref = url ? parseIssueUrl(url) : null;
      if (ref) add(resolveRef(ref, repo));
      return;
    }
    if ("children" in node) for (const child of node.children) visit(child);
  };
  visit(tree);
  return [...found.values()];
}
