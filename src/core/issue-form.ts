/**
 * Reads the classification answers of the incident issue form (`.github/ISSUE_TEMPLATE/incident.yml`)
 * from an issue body. GitHub renders a form submission as `### <field label>` headings each followed by
 * the answer (or `_No response_`). Pure.
 */
import { toString } from "mdast-util-to-string";
import {
  CATEGORIES,
  CATEGORY_TITLES,
  type Category,
  type Classification,
  type DevopsLevel,
  type Severity,
} from "./classification.js";
import { parseBlocks } from "./markdown.js";

/** The form's field labels, as written in the issue template. */
export const FORM_FIELDS = {
  category: ["category"],
  severity: ["severity"],
  devops: ["remediation difficulty", "devops level", "devops"],
} as const;

/** Longest body the form parser reads; GitHub caps bodies at 65,536 characters. */
const MAX_BODY_CHARS = 65_536;

/** The classification the form answered (null where unanswered or unrecognised). */
export function readIssueForm(body: string | null | undefined): Classification {
  const answers = formAnswers((body ?? "").slice(0, MAX_BODY_CHARS));
  return {
    category: parseCategory(answerFor(answers, FORM_FIELDS.category)),
    severity: parseLevel(
      answerFor(answers, FORM_FIELDS.severity),
      /\bsev(?:erity)?\s*[-:]?\s*([1-5])\b/i,
      5,
    ) as Severity | null,
    devops: parseLevel(
      answerFor(answers, FORM_FIELDS.devops),
      /\bdevops\s*[-:]?\s*([1-4])\b/i,
      4,
    ) as DevopsLevel | null,
  };
}

function answerFor(answers: Map<string, string>, names: readonly string[]): string | null {
  for (const name of names) {
    const answer = answers.get(name);
    if (answer !== undefined) return answer;
  }
  return null;
}

/** Heading text (lower case) -> the plain text that follows it up to the next heading. */
function formAnswers(body: string): Map<string, string> {
  const answers = new Map<string, string>();
  let current: string | null = null;
  let parts: string[] = [];
  const flush = (): void => {
    if (current !== null && !answers.has(current)) answers.set(current, parts.join("\n").trim());
  };
  // A body nesting or repeating lists and quotes too much to parse in bounded time has no readable answers.
  const tree = parseBlocks(body);
  if (tree === null) return answers;
  for (const node of tree.children) {
    if (node.type === "heading") {
      flush();
      current = toString(node).trim().toLowerCase();
      parts = [];
    } else if (current !== null && node.type !== "html") {
      parts.push(toString(node));
    }
  }
  flush();
  return answers;
}

function parseCategory(answer: string | null): Category | null {
  if (answer === null) return null;
  const normalised = answer.trim().toLowerCase();
  for (const category of CATEGORIES) {
    if (normalised === category || normalised.startsWith(CATEGORY_TITLES[category].toLowerCase())) return category;
  }
  return null;
}

function parseLevel(answer: string | null, pattern: RegExp, max: number): number | null {
  if (answer === null) return null;
  const match = pattern.exec(answer) ?? /^\s*([1-9])\b/.exec(answer);
  const level = match ? Number(match[1]) : NaN;
  return Number.isInteger(level) && level >= 1 && level <= max ? level : null;
}
