/**
 * The write-up and its follow-up actions: which sections are filled, which actions are done, and
 * whether the incident may close. Pure: the states of referenced issues/PRs are handed in.
 */
import { analyzeWriteup, extractActionItems, type ActionItem } from "./action-items.js";
import { formatRef, resolveRef, type IssueRef } from "./references.js";
import { setChecksForRefs } from "./task-list.js";
import type { SectionReport } from "./sections.js";
import type { Classification } from "./classification.js";
import type { WriteupPolicy } from "./policy.js";

import { SECTION_KEYS, type SectionKey } from "./sections.js";

export { SECTION_KEYS, type SectionKey };
export const SECTION_TITLES: Record<SectionKey, string> = {
  timeline: "Timeline",
  rca: "RCA (root cause analysis)",
  actions: "Actions",
};

/** What GitHub says about an issue or pull request an action refers to. */
export type RemoteState =
  | { found: true; kind: "issue"; state: "open" | "closed"; stateReason: string | null; title: string }
  | { found: true; kind: "pull"; state: "open" | "closed"; merged: boolean; title: string }
  | { found: false };

/** The one builder of an action's state as the incident keeps it (bounded to fit the hidden state). */
export function remoteStateOf(item: {
  isPullRequest: boolean;
  state: "open" | "closed";
  stateReason?: string | null;
  merged?: boolean;
  title: string;
}): RemoteState {
  const title = item.title.slice(0, 300);
  if (item.isPullRequest) return { found: true, kind: "pull", state: item.state, merged: item.merged === true, title };
  return { found: true, kind: "issue", state: item.state, stateReason: item.stateReason?.slice(0, 50) ?? null, title };
}

export type ActionState =
  | "open"
  | "in-review"
  | "done"
  | "not-doing"
  | "closed-unmerged"
  | "unknown"
  | "task-open"
  | "task-done"
  /** An action the app cannot see, declared done by a person (`by`). */
  | "ticked-by-hand"
  /** Beyond the first {@link MAX_TRACKED_ACTIONS} referenced actions: not followed, never blocks a close. */
  | "untracked";

/** Actions followed per incident (keeps the hidden state within a comment); later ones are "untracked". */
export const MAX_TRACKED_ACTIONS = 100;

/** Who declared an action the app cannot see done (the hidden state's `manualTicks`). */
export type ManualTicks = Readonly<Record<string, { by: string; at: string }>>;

export interface ActionView {
  /** `owner/name#N`, or null for a plain task. */
  key: string | null;
  text: string;
  title: string | null;
  state: ActionState;
  done: boolean;
  checkbox: ActionItem["checkbox"];
  /** Pull requests in review that reference this action. */
  reviews: string[];
  /** Who ticked it by hand (state `ticked-by-hand`). */
  by?: string;
}

export interface WriteupAssessment {
  /** The write-up is required for this incident (config: required, severities, categories). */
  required: boolean;
  sections: Record<SectionKey, SectionReport>;
  sectionsOk: boolean;
  actions: ActionView[];
  actionsOk: boolean;
  /** Every required section filled and every action done (actions are always required). */
  complete: boolean;
}

/** Is a write-up required for this classification? */
export function writeupRequired(rule: WriteupPolicy, classification: Classification): boolean {
  if (rule.required === "never") return false;
  if (classification.severity !== null && !rule.severities.includes(classification.severity)) return false;
  if (classification.category !== null && !rule.categories.includes(classification.category)) return false;
  return true;
}

/** The normalised keys (`owner/name#N`) of every action that references an issue or PR. */
export function actionKeys(
  body: string,
  repo: { owner: string; repo: string },
  policy: Pick<WriteupPolicy, "sections">,
): string[] {
  const keys = new Set<string>();
  for (const item of extractActionItems(body, { rules: policy.sections })) {
    if (item.ref) keys.add(refKey(item.ref, repo));
  }
  return [...keys];
}

/** `owner/name#N` for a reference, resolving a bare `#N` against the incident's repository. */
export function refKey(ref: ActionItem["refs"][number], repo: { owner: string; repo: string }): string {
  const resolved = resolveRef(ref, repo);
  return formatRef({ owner: resolved.owner, repo: resolved.repo, number: resolved.number }).toLowerCase();
}

function actionState(
  item: ActionItem,
  remote: RemoteState | undefined,
  reviews: string[],
): { state: ActionState; done: boolean; title: string | null } {
  if (!item.ref)
    return item.checkbox === "checked"
      ? { state: "task-done", done: true, title: null }
      : { state: "task-open", done: false, title: null };
  if (!remote || !remote.found) return { state: "unknown", done: false, title: null };
  if (remote.kind === "pull") {
    if (remote.merged) return { state: "done", done: true, title: remote.title };
    return { state: remote.state === "closed" ? "closed-unmerged" : "in-review", done: false, title: remote.title };
  }
  if (remote.state === "closed")
    return { state: remote.stateReason === "not_planned" ? "not-doing" : "done", done: true, title: remote.title };
  return { state: reviews.length > 0 ? "in-review" : "open", done: false, title: remote.title };
}

/** Assesses the write-up of an incident. `remote` maps action keys to what GitHub says about them. */
export function assessWriteup(args: {
  body: string;
  repo: { owner: string; repo: string };
  policy: WriteupPolicy;
  classification: Classification;
  remote: ReadonlyMap<string, RemoteState>;
  reviews?: Readonly<Record<string, string[]>>;
  manual?: ManualTicks;
}): WriteupAssessment {
  const { body, repo, policy, classification, remote } = args;
  // One parse for both (analyzeSections + extractActionItems would parse the body twice).
  const analysis = analyzeWriteup(body, { rules: policy.sections });
  const sections = analysis.sections;
  const required = writeupRequired(policy, classification);
  const sectionsOk = SECTION_KEYS.every((key) => sections[key].filled);
  const tracked = new Set<string>();
  const actions: ActionView[] = analysis.actions.map((item) => {
    const key = item.ref ? refKey(item.ref, repo) : null;
    const reviews = key ? (args.reviews?.[key] ?? []) : [];
    if (key !== null && !tracked.has(key)) {
      if (tracked.size >= MAX_TRACKED_ACTIONS)
        return { key, text: item.text, title: null, state: "untracked", done: false, checkbox: item.checkbox, reviews };
      tracked.add(key);
    }
    const seen = key ? remote.get(key) : undefined;
    const hand = key && seen && !seen.found ? args.manual?.[key] : undefined;
    if (hand)
      return {
        key,
        text: item.text,
        title: null,
        state: "ticked-by-hand",
        done: true,
        checkbox: item.checkbox,
        reviews,
        by: hand.by,
      };
    const { state, done, title } = actionState(item, seen, reviews);
    return { key, text: item.text, title, state, done, checkbox: item.checkbox, reviews };
  });
  const actionsOk = actions.every((a) => a.done || a.state === "untracked");
  return { required, sections, sectionsOk, actions, actionsOk, complete: (sectionsOk || !required) && actionsOk };
}

/** What still blocks closing, for the reopen comment; empty when the incident may close. */
export function closeBlockers(assessment: WriteupAssessment): { sections: SectionKey[]; actions: ActionView[] } {
  return {
    sections: assessment.required ? SECTION_KEYS.filter((key) => !assessment.sections[key].filled) : [],
    actions: assessment.actions.filter((a) => !a.done && a.state !== "untracked"),
  };
}

/**
 * The body with every action's checkbox matching what GitHub says (closed issue or merged PR: ticked;
 * reopened: unticked), read with the configured section names, in one parse. Unknown states leave
 * their box alone.
 */
export function tickActions(args: {
  body: string;
  remote: ReadonlyMap<string, RemoteState>;
  repo: { owner: string; repo: string };
  policy: Pick<WriteupPolicy, "sections">;
}): { body: string; changed: number } {
  const changes: { ref: IssueRef; checked: boolean }[] = [];
  for (const [key, state] of args.remote) {
    if (!state.found) continue;
    const match = /^([^/\s]+)\/([^#\s]+)#(\d+)$/.exec(key);
    if (!match) continue;
    changes.push({
      ref: { owner: match[1]!, repo: match[2]!, number: Number(match[3]) },
      checked: state.kind === "pull" ? state.merged : state.state === "closed",
    });
  }
  return setChecksForRefs(args.body, { changes, context: args.repo, rules: args.policy.sections });
}

/** A leading reference (`#12`, `owner/name#12`, an issue or PR URL) and the separator after it. */
const LEADING_REF = /^(?:[\w.-]+\/[\w.-]+)?#\d+\b|^https?:\/\/\S+\/(?:issues|pull)\/\d+\S*/;

/**
 * The words an action gets next to its link: the issue's title when known, else the item's own text
 * without the reference it starts with (the link already shows it).
 */
export function actionDisplayText(action: Pick<ActionView, "key" | "text" | "title">): string {
  if (action.title !== null) return action.title;
  if (action.key === null) return action.text;
  const lead = LEADING_REF.exec(action.text);
  if (!lead) return action.text;
  return action.text.slice(lead[0].length).replace(/^\s*[-:–—]?\s*/, "");
}
