/**
 * Ticks and unticks task-list checkboxes in an issue body. Pure. Only the one character between `[`
 * and `]` ever changes: every other byte of the body, line endings included, stays as it was.
 */
import { extractActionItems } from "./action-items.js";
import { rememberToggledChecks } from "./markdown.js";
import { sameIssue, type IssueRef, type RepoContext } from "./references.js";
import type { SectionRule } from "./sections.js";

/**
 * `body` with the checkbox at `item.checkboxOffset` ticked (`x`; an existing `X` stays) or unticked
 * (a space). Idempotent.
 * @throws RangeError when the offset does not point inside a `[ ]`/`[x]` checkbox of `body` (for
 * example because the body changed since the item was extracted).
 */
export function setTaskChecked(body: string, item: { checkboxOffset: number }, checked: boolean): string {
  const offset = item.checkboxOffset;
  const current = body[offset];
  if (
    !Number.isInteger(offset) ||
    body[offset - 1] !== "[" ||
    body[offset + 1] !== "]" ||
    current === undefined ||
    !" \txX".includes(current)
  ) {
    throw new RangeError(`offset ${offset} is not inside a task-list checkbox`);
  }
  const isChecked = current === "x" || current === "X";
  if (isChecked === checked) return body;
  return body.slice(0, offset) + (checked ? "x" : " ") + body.slice(offset + 1);
}

export interface SetChecksOptions {
  /** Section names, from the config; defaults to `DEFAULT_SECTION_RULES`. */
  rules?: readonly SectionRule[];
}

/**
 * Ticks (or unticks) every task item of the Actions section whose first reference is `ref`
 * (a bare `#12` is read in `context`'s repository). `changed` counts the checkboxes that changed.
 */
export function setChecksForRef(
  body: string,
  ref: IssueRef,
  context: RepoContext,
  checked: boolean,
  options: SetChecksOptions = {},
): { body: string; changed: number } {
  return setChecksForRefs(body, { changes: [{ ref, checked }], context, ...options });
}

/**
 * {@link setChecksForRef} for many references in one parse of the body (use it when syncing every
 * action of an incident: each parse of a long body costs tens of milliseconds). When several changes
 * name the same issue, the first wins.
 */
export function setChecksForRefs(
  body: string,
  args: { changes: readonly { ref: IssueRef; checked: boolean }[]; context: RepoContext } & SetChecksOptions,
): { body: string; changed: number } {
  let result = body;
  const toggles = new Map<number, boolean>();
  if (args.changes.length === 0) return { body, changed: 0 };
  for (const item of extractActionItems(body, args.rules ? { rules: args.rules } : {})) {
    if (item.checkboxOffset === null || item.ref === null) continue;
    const itemRef = item.ref;
    const change = args.changes.find((candidate) => sameIssue(itemRef, candidate.ref, args.context));
    if (!change) continue;
    const next = setTaskChecked(result, { checkboxOffset: item.checkboxOffset }, change.checked);
    if (next !== result) toggles.set(item.checkboxOffset, change.checked);
    result = next;
  }
  // The ticked body is read next (the write-up's assessment): its tree follows from this one's.
  rememberToggledChecks(body, result, toggles);
  return { body: result, changed: toggles.size };
}
