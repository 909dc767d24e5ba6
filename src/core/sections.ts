/**
 * Finds the write-up sections of an incident issue body (Timeline, RCA, Actions) and decides whether
 * each one is written. Pure: the body is parsed as GitHub Flavored Markdown, so headings inside code
 * blocks, quotes of headings in inline code and the like never count.
 *
 * A section starts at a top-level heading of any level, or at a bold pseudo-heading (a paragraph that
 * is only `**Name**`, optionally followed by a colon), or at a bold lead-in label of a known section
 * (`**Root cause:** the cache...`). It runs until the next heading or pseudo-heading of the same or
 * higher level (pseudo-headings count as level 7), or until the next heading that starts any known
 * section, whichever comes first.
 */
import type { Nodes, PhrasingContent, Root, RootContent, Strong } from "mdast";
import { endOffset, MarkdownTooComplexError, parseMarkdown, startLine, startOffset } from "./markdown.js";
import {
  normalizeSectionName,
  RETROSPECTIVE_NAMES,
  SECTION_LEXICON,
  singular,
  trimPunctuation,
  withoutQualifier,
  type HeadingClass,
  type SectionKey,
} from "./section-lexicon.js";

export type { SectionKey } from "./section-lexicon.js";

/** The three sections every write-up needs, in the order a write-up usually has them. */
export const SECTION_KEYS: readonly SectionKey[] = ["timeline", "rca", "actions"];

/** Headings accepted for one section (matched ignoring case, surrounding punctuation and a trailing colon). */
export interface SectionRule {
  key: SectionKey;
  names: string[];
}

/** The lexicon's names for the three sections (see `section-lexicon.ts`, each with its source). */
export const DEFAULT_SECTION_RULES: SectionRule[] = (["timeline", "rca", "actions"] as const).map((key) => ({
  key,
  names: SECTION_LEXICON.filter(
    (entry) => entry.class === key || (key === "rca" && entry.class === "ambiguous-rca"),
  ).map((entry) => entry.name),
}));

/**
 * What the incident issue form (`.github/ISSUE_TEMPLATE/incident.yml`) pre-fills into the write-up
 * fields (`value:`), which means "not written yet". Keep in sync with the form.
 */
export const ISSUE_FORM_PLACEHOLDERS: readonly string[] = [
  "To be written once the incident is resolved.",
  "Fill in after the incident is resolved.",
];

/**
 * Section contents that mean "not written yet" when they are the whole content (or every line of it).
 * Compared ignoring case, surrounding punctuation and Markdown emphasis.
 */
export const DEFAULT_PLACEHOLDERS: readonly string[] = [
  // GitHub's issue forms write this for a field left blank.
  "_No response_",
  "TBD",
  "TBC",
  "TODO",
  "To do",
  "N/A",
  "To be determined",
  "To be confirmed",
  "To be completed",
  "To be written",
  "Coming soon",
  "WIP",
  ...ISSUE_FORM_PLACEHOLDERS,
];

/**
 * - `filled`: has real content;
 * - `placeholder`: only placeholder text (`_No response_`, `TBD`, ...);
 * - `empty`: nothing but whitespace, HTML comments, an empty task item or a header-only table;
 * - `missing`: no heading for it.
 */
export type SectionState = "filled" | "missing" | "empty" | "placeholder";

export interface SectionReport {
  key: SectionKey;
  present: boolean;
  filled: boolean;
  /** The heading text as written (plain text, trimmed), or null when missing. */
  heading: string | null;
  state: SectionState;
  /** Where the section's content starts in the body (just after its heading), or null when missing. */
  startOffset: number | null;
  /** Where the section's content ends in the body (the next section's heading, or the end), or null when missing. */
  endOffset: number | null;
}

export interface AnalyzeSectionsOptions {
  /** Replaces {@link DEFAULT_PLACEHOLDERS}. */
  placeholders?: readonly string[];
}

/** One occurrence of a known section in a parsed body. */
export interface LocatedSection {
  key: SectionKey;
  heading: string;
  startOffset: number;
  endOffset: number;
  /** The rest of a lead-in label's paragraph (`**RCA:** this part`); empty for headings. */
  lead: PhrasingContent[];
  /** The top-level blocks of the section, in order. */
  blocks: RootContent[];
}

/**
 * Reports, for each of the three sections, whether the body has it and whether it is written.
 * When a section appears more than once, the best occurrence is reported (filled, then placeholder,
 * then empty; the first of equals). Never throws: a body too complex to parse reports every section
 * missing.
 */
export function analyzeSections(
  body: string,
  rules: readonly SectionRule[] = DEFAULT_SECTION_RULES,
  options: AnalyzeSectionsOptions = {},
): Record<SectionKey, SectionReport> {
  let tree: Root;
  try {
    tree = parseMarkdown(body);
  } catch (error) {
    if (error instanceof MarkdownTooComplexError) return missingReports();
    throw error;
  }
  return reportSections(locateSections(tree, rules), options.placeholders ?? DEFAULT_PLACEHOLDERS);
}

/** Section rules from the config's `writeup.sections` (`{ timeline: [...], rca: [...], actions: [...] }`). */
export function sectionRulesFrom(names: Record<SectionKey, readonly string[]>): SectionRule[] {
  return SECTION_KEYS.map((key) => ({ key, names: [...names[key]] }));
}

/** The reports for sections already located in a parsed body. */
export function reportSections(
  located: readonly LocatedSection[],
  placeholders: readonly string[] = DEFAULT_PLACEHOLDERS,
): Record<SectionKey, SectionReport> {
  const reports = missingReports();
  const placeholderSet = new Set(placeholders.map(normalizeText));
  const rank: Record<SectionState, number> = { filled: 3, placeholder: 2, empty: 1, missing: 0 };
  for (const section of located) {
    const state = sectionState(section, placeholderSet);
    if (rank[state] <= rank[reports[section.key].state]) continue;
    reports[section.key] = {
      key: section.key,
      present: true,
      filled: state === "filled",
      heading: section.heading,
      state,
      startOffset: section.startOffset,
      endOffset: section.endOffset,
    };
  }
  return reports;
}

/** Every occurrence of a known section in a parsed body, in document order. */
export function locateSections(tree: Root, rules: readonly SectionRule[] = DEFAULT_SECTION_RULES): LocatedSection[] {
  return outlineSections(tree, rules).located;
}

/** How one heading (or pseudo-heading, or label) of a write-up was read: for `lint --explain`. */
export interface HeadingDecision {
  /** 1-based line of the heading. */
  line: number;
  heading: string;
  /** Heading level; pseudo-headings and labels are 7. */
  level: number;
  kind: "heading" | "bold" | "label";
  /** What the heading names, after the rules below; null when it names nothing known. */
  match: HeadingMatch | null;
  /** The section it was taken for, or null. */
  section: SectionKey | null;
  /** Why it was (or was not) taken, in words. */
  reason: string;
}

export interface HeadingMatch {
  class: HeadingClass;
  /** The lexicon or config name it matched. */
  name: string;
  source: string;
  /** How: exactly (after normalising), as a plural, or after dropping a trailing qualifier. */
  how: "exact" | "plural" | "qualifier";
}

export interface SectionOutline {
  located: LocatedSection[];
  decisions: HeadingDecision[];
}

/**
 * Reads the outline of a parsed write-up: which headings start which sections, and why.
 *
 * - Headings are matched against the rules' names and the lexicon's other sections after
 *   normalising (see {@link normalizeSectionName}); a trailing qualifier is tried last.
 * - A section runs until the next heading of the same or a higher level, or the next heading that
 *   names a different known section. Deeper headings naming nothing known (`### Short term`,
 *   `### 09:14`) and deeper headings of the same section belong to it.
 * - The ambiguous "What went wrong" is the RCA only where it stands as a section of its own: no
 *   known section above it (such as Lessons learned), no retrospective heading beside it (What went
 *   well, Where we got lucky), and no other root-cause heading in the document. Otherwise it is a
 *   lessons-learned subsection.
 */
export function outlineSections(tree: Root, rules: readonly SectionRule[] = DEFAULT_SECTION_RULES): SectionOutline {
  const lexicon = lexiconFor(rules);
  const children = tree.children;
  const boundaries: Boundary[] = [];
  children.forEach((node, index) => {
    const boundary = boundaryAt(node, index, lexicon);
    if (boundary) boundaries.push(boundary);
  });
  // Parents: the nearest earlier boundary of a lower level.
  const parents: (number | null)[] = [];
  boundaries.forEach((boundary, position) => {
    let parent: number | null = position - 1;
    while (parent !== null && parent >= 0 && (boundaries[parent] as Boundary).level >= boundary.level) {
      parent = parents[parent] ?? null;
    }
    parents.push(parent !== null && parent >= 0 ? parent : null);
  });
  const ancestors = (position: number): Boundary[] => {
    const chain: Boundary[] = [];
    for (let at = parents[position] ?? null; at !== null; at = parents[at] ?? null)
      chain.push(boundaries[at] as Boundary);
    return chain;
  };
  const hasPlainRca = boundaries.some((boundary) => boundary.match?.class === "rca");
  const retrospective = new Set(RETROSPECTIVE_NAMES.map((name) => singular(normalizeSectionName(name))));
  boundaries.forEach((boundary, position) => {
    if (boundary.match?.class !== "ambiguous-rca") return;
    const above = ancestors(position).find((parent) => parent.match !== null);
    const beside = boundaries.find(
      (other, at) =>
        at !== position &&
        parents[at] === parents[position] &&
        other.level === boundary.level &&
        other.match !== null &&
        retrospective.has(singular(normalizeSectionName(other.match.name))),
    );
    if (above) boundary.decision = `a subsection of "${above.heading}", not a section of its own: not the RCA`;
    else if (beside) boundary.decision = `beside "${beside.heading}", a lessons-learned subsection: not the RCA`;
    else if (hasPlainRca) boundary.decision = "another heading names the root cause: this one is not the RCA";
    else boundary.key = "rca";
  });

  const located: LocatedSection[] = [];
  boundaries.forEach((boundary, position) => {
    if (boundary.key === null) return;
    const owner = ancestors(position).find((parent) => parent.match !== null);
    if (owner && owner.key === boundary.key) {
      boundary.decision = `part of the ${boundary.key} section "${owner.heading}" above it`;
      return;
    }
    // Each scan stops at the next known section at the latest, so all scans together are linear.
    let end: Boundary | undefined;
    for (let next = position + 1; next < boundaries.length && end === undefined; next += 1) {
      const candidate = boundaries[next] as Boundary;
      const differentSection = candidate.match !== null && candidate.key !== boundary.key;
      if (candidate.level <= boundary.level || differentSection) end = candidate;
    }
    const endIndex = end ? end.index : children.length;
    const endAt = end ? startOffset(children[end.index] as RootContent) : endOffset(tree);
    boundary.decision = `the ${boundary.key} section`;
    located.push({
      key: boundary.key,
      heading: boundary.heading,
      startOffset: boundary.contentStart,
      endOffset: Math.max(endAt, boundary.contentStart),
      lead: boundary.lead,
      blocks: children.slice(boundary.index + 1, endIndex),
    });
  });
  const decisions = boundaries.map((boundary) => ({
    line: startLine(children[boundary.index] as RootContent),
    heading: boundary.heading,
    level: boundary.level,
    kind: boundary.kind,
    match: boundary.match,
    section: located.some((section) => section.startOffset === boundary.contentStart && section.key === boundary.key)
      ? boundary.key
      : null,
    reason:
      boundary.decision ??
      (boundary.match
        ? `names the ${boundary.match.class} section "${boundary.match.name}"`
        : "names no known section"),
  }));
  return { located, decisions };
}

export { normalizeSectionName } from "./section-lexicon.js";

/** Placeholder comparison form: case-folded, single spaces, no surrounding punctuation or emphasis marks. */
export function normalizeText(text: string): string {
  return trimPunctuation(text.normalize("NFKC").toLowerCase().replace(/\s+/gu, " "));
}

interface Boundary {
  index: number;
  level: number;
  kind: "heading" | "bold" | "label";
  heading: string;
  match: HeadingMatch | null;
  /** The section it starts, once decided. */
  key: SectionKey | null;
  decision?: string;
  contentStart: number;
  lead: PhrasingContent[];
}

/** Pseudo-headings rank below every real heading. */
const PSEUDO_HEADING_LEVEL = 7;

interface Lexicon {
  /** By normalised name. */
  names: Map<string, { class: HeadingClass; name: string; source: string }>;
  /** By normalised name without a plural `s`. */
  singulars: Map<string, { class: HeadingClass; name: string; source: string }>;
}

/**
 * The rules' names as targets, and the default lexicon's other headings (and its targets the rules leave out)
 * as other sections.
 */
function lexiconFor(rules: readonly SectionRule[]): Lexicon {
  // Built once per set of rules (a pure computation; the maps are only read).
  const key = JSON.stringify(rules.map((rule) => [rule.key, rule.names]));
  const known = lexicons.get(key);
  if (known) return known;
  const built = buildLexicon(rules);
  if (lexicons.size >= 64) lexicons.clear();
  lexicons.set(key, built);
  return built;
}

const lexicons = new Map<string, Lexicon>();

function buildLexicon(rules: readonly SectionRule[]): Lexicon {
  const names: Lexicon["names"] = new Map();
  const singulars: Lexicon["singulars"] = new Map();
  const add = (name: string, value: { class: HeadingClass; name: string; source: string }): void => {
    const normalized = normalizeSectionName(name);
    if (normalized === "" || singulars.has(singular(normalized))) return;
    names.set(normalized, value);
    singulars.set(singular(normalized), value);
  };
  const sources = new Map(SECTION_LEXICON.map((entry) => [singular(normalizeSectionName(entry.name)), entry]));
  for (const rule of rules) {
    for (const name of rule.names) {
      const entry = sources.get(singular(normalizeSectionName(name)));
      const ambiguous = entry?.class === "ambiguous-rca" && rule.key === "rca";
      const source = entry && (entry.class === rule.key || ambiguous) ? entry.source : "writeup.sections in the config";
      add(name, { class: ambiguous ? "ambiguous-rca" : rule.key, name, source });
    }
  }
  // The lexicon's other headings, and its section names the rules leave out, still end sections.
  for (const entry of SECTION_LEXICON) add(entry.name, { class: "other", name: entry.name, source: entry.source });
  return { names, singulars };
}

function matchHeading(heading: string, lexicon: Lexicon, allowQualifier = true): HeadingMatch | null {
  const normalized = normalizeSectionName(heading);
  const exact = lexicon.names.get(normalized);
  if (exact) return { ...exact, how: "exact" };
  const plural = lexicon.singulars.get(singular(normalized));
  if (plural) return { ...plural, how: "plural" };
  if (!allowQualifier) return null;
  const head = withoutQualifier(heading);
  if (head === null) return null;
  const qualified = matchHeading(head, lexicon, false);
  return qualified ? { ...qualified, how: "qualifier" } : null;
}

/** A heading that is a time or a date (`### 09:14`, `**2026-03-14 10:02**`): an entry of a timeline, not a section. */
function isTimeHeading(text: string): boolean {
  return TIME_HEADING.test(text.trim());
}

const TIME_HEADING = new RegExp(
  String.raw`^\W*(?:\d{1,2}[:.h]\d{2}|\d{4}-\d{2}-\d{2}|\d{1,2}\s+\p{L}{3,9}|\p{L}{3,9}\s+\d{1,2}\b|` +
    String.raw`(?:mon|tue|wed|thu|fri|sat|sun)\p{L}*\b)`,
  "iu",
);

function boundaryAt(node: RootContent, index: number, lexicon: Lexicon): Boundary | null {
  const make = (
    kind: Boundary["kind"],
    level: number,
    heading: string,
    contentStart: number,
    lead: PhrasingContent[],
  ): Boundary => {
    const match = matchHeading(heading, lexicon);
    const key = match && match.class !== "other" && match.class !== "ambiguous-rca" ? match.class : null;
    return { index, level, kind, heading, match, key, contentStart, lead };
  };
  if (node.type === "heading") {
    const heading = plainText(node.children).trim();
    const boundary = make("heading", node.depth, heading, endOffset(node), []);
    return boundary.match === null && isTimeHeading(heading) ? null : boundary;
  }
  if (node.type !== "paragraph") return null;
  const [first, ...rest] = node.children;
  if (first?.type === "text") return plainLabelAt(node.children, index, lexicon, make);
  const strong = first ? boldOf(first) : null;
  if (!first || !strong) return null;
  const heading = plainText(strong.children).trim();
  const restText = plainText(rest);
  if (/^\s*:?\s*$/u.test(restText) && rest.every((child) => child.type === "text")) {
    const boundary = make("bold", PSEUDO_HEADING_LEVEL, heading, endOffset(node), []);
    return boundary.match === null && isTimeHeading(heading) ? null : boundary;
  }
  // A lead-in label (`**RCA:** text` or `**Timeline**` then a line break) only counts for known
  // names: ordinary bold openers (`**Note:** ...`) are prose.
  const second = rest[0];
  const isLabel =
    heading.endsWith(":") ||
    second?.type === "break" ||
    (second?.type === "text" && /^[ \t]*(?::|\r?\n|\r)/u.test(second.value));
  const boundary = make("label", PSEUDO_HEADING_LEVEL, heading, endOffset(first), []);
  if (boundary.key === null && boundary.match?.class !== "ambiguous-rca") return null;
  if (!isLabel || !second) return null;
  const lead = [...rest];
  if (second.type === "text") {
    const colon = /^[ \t]*:/u.exec(second.value)?.[0] ?? "";
    boundary.contentStart = startOffset(second) + colon.length;
    lead[0] = { ...second, value: second.value.slice(colon.length) };
  }
  boundary.lead = lead;
  return boundary;
}

/**
 * A paragraph that opens with a known section's name and a colon, as in a document whose only
 * heading is its title (`Timeline:` on its own line, or `Root cause: the cache expired`). Only names
 * of the three sections count, and only exactly (no qualifier): ordinary prose is left alone.
 */
function plainLabelAt(
  children: PhrasingContent[],
  index: number,
  lexicon: Lexicon,
  make: (
    kind: Boundary["kind"],
    level: number,
    heading: string,
    contentStart: number,
    lead: PhrasingContent[],
  ) => Boundary,
): Boundary | null {
  const [first, ...rest] = children;
  if (first?.type !== "text") return null;
  const label = /^([^\n:]{1,60}):[ \t]*/u.exec(first.value);
  if (!label) return null;
  const match = matchHeading(label[1] ?? "", lexicon, false);
  if (!match || match.class === "other" || match.class === "ambiguous-rca") return null;
  const boundary = make(
    "label",
    PSEUDO_HEADING_LEVEL,
    `${(label[1] ?? "").trim()}:`,
    startOffset(first) + label[0].length,
    [],
  );
  boundary.lead = [{ ...first, value: first.value.slice(label[0].length) }, ...rest];
  return boundary;
}

/** `**x**`, or `***x***` (emphasis around strong, or strong around emphasis). */
function boldOf(node: PhrasingContent): Strong | null {
  if (node.type === "strong") return node;
  if (node.type === "emphasis" && node.children.length === 1 && node.children[0]?.type === "strong")
    return node.children[0];
  return null;
}

function sectionState(section: LocatedSection, placeholders: Set<string>): SectionState {
  const units = [plainText(section.lead), ...section.blocks.flatMap(contentUnits)]
    .map((unit) => unit.trim())
    .filter((unit) => unit !== "");
  if (units.length === 0) return "empty";
  const isPlaceholder = (text: string): boolean => {
    const normalized = normalizeText(text);
    return normalized === "" || placeholders.has(normalized) || isTemplatePrompt(text);
  };
  return units.every(isPlaceholder) || isPlaceholder(units.join(" ")) ? "placeholder" : "filled";
}

/** The texts of the leaf blocks under `node`: paragraphs, headings, code, table body cells. */
function contentUnits(node: Nodes): string[] {
  switch (node.type) {
    case "paragraph":
      return [plainText(node.children)];
    case "heading": {
      // A sub-heading (`### Short term`) is structure, not content; a time (`### 09:14`) is an entry.
      const text = plainText(node.children);
      return isTimeHeading(text) ? [text] : [];
    }
    case "code":
      return [node.value];
    case "html":
      return [htmlText(node.value)];
    case "listItem": {
      const [first, ...rest] = node.children;
      // `- [ ]` with nothing after it is not a task item to the parser, just the text "[ ]".
      const firstUnits =
        first?.type === "paragraph" && /^\[[ xX]?\]$/u.test(plainText(first.children).trim())
          ? []
          : first
            ? contentUnits(first)
            : [];
      return [...firstUnits, ...rest.flatMap(contentUnits)];
    }
    case "table":
      // The header row alone is a template, not content.
      return node.children.slice(1).flatMap((row) => row.children.map((cell) => plainText(cell.children)));
    case "list":
    case "blockquote":
    case "footnoteDefinition":
      return node.children.flatMap(contentUnits);
    default:
      return [];
  }
}

/**
 * Template prompts left in place: a whole unit in angle or square brackets or braces
 * (`<Describe what happened>`, `[Root cause here]`, `{{timeline}}`), or an instruction to the writer
 * (`Describe ... here`, `List the follow-up actions here, e.g. ...`): an imperative opening and a
 * pointer at the template (`here`, `this section`, `below`, `e.g.`).
 */
export function isTemplatePrompt(text: string): boolean {
  const unit = text
    .trim()
    .replace(/^[_*]+|[_*]+$/gu, "")
    .trim();
  if (/^(?:<[^<>]+>|\[[^[\]]+\]|\{\{[^{}]+\}\})$/u.test(unit)) return true;
  if (unit.length > 300) return false;
  // Verbs that only ever address the writer may point with "e.g."; verbs that also open real action
  // items ("Add an alert, e.g. at 1,000 messages") need a pointer at the template itself.
  const instruction = /^(?:please\s+)?(?:describe|list|explain|summari[sz]e|outline|fill in|enter|insert|replace)\b/iu;
  const imperative = /^(?:please\s+)?(?:document|write|provide|add|include|link|note)\b/iu;
  const here = /\b(?:here|this section|below|above)\b|\.\.\.$|…$/iu;
  const example = /\b(?:for example|such as)\b|\be\.g\./iu;
  return (
    (instruction.test(unit) && (here.test(unit) || example.test(unit))) || (imperative.test(unit) && here.test(unit))
  );
}

/**
 * Plain text of inline content: HTML comments and tags dropped (images kept as "image"), code kept,
 * links without text shown as their URL.
 */
export function plainText(nodes: readonly PhrasingContent[]): string {
  let text = "";
  for (const node of nodes) {
    switch (node.type) {
      case "text":
      case "inlineCode":
        // A body saved with CRLF (GitHub's editor) reads as with LF: a multi-line heading's text too.
        text += node.value.replace(/\r\n?/gu, "\n");
        break;
      case "html":
        text += htmlText(node.value);
        break;
      case "break":
        text += "\n";
        break;
      case "image":
      case "imageReference":
        text += node.alt ? node.alt : "image";
        break;
      case "link": {
        const inner = plainText(node.children);
        text += inner.trim() === "" ? node.url : inner;
        break;
      }
      case "footnoteReference":
        break;
      default:
        if ("children" in node) text += plainText(node.children);
    }
  }
  return text;
}

function htmlText(html: string): string {
  const withoutComments = html.replace(/<!--[\s\S]*?(?:-->|$)/gu, "");
  // Pasted screenshots arrive as `<img ...>` tags: they are content.
  return withoutComments.replace(/<img\b[^>]*>/giu, " image ").replace(/<[^>]*>/gu, "");
}

function missingReports(): Record<SectionKey, SectionReport> {
  const missing = (key: SectionKey): SectionReport => ({
    key,
    present: false,
    filled: false,
    heading: null,
    state: "missing",
    startOffset: null,
    endOffset: null,
  });
  return { timeline: missing("timeline"), rca: missing("rca"), actions: missing("actions") };
}

/**
 * The Markdown of the first section the lexicon knows as one of `names` (its other sections, such as
 * Summary or Impact: the public write-up draft quotes them, issue #14), from after its heading to the
 * next heading of its level or higher or the next known section; null when there is none (or the body
 * is too complex to parse).
 */
export function otherSectionMarkdown(
  body: string,
  names: readonly string[],
  rules: readonly SectionRule[] = DEFAULT_SECTION_RULES,
): string | null {
  let tree: Root;
  try {
    tree = parseMarkdown(body);
  } catch (error) {
    if (error instanceof MarkdownTooComplexError) return null;
    throw error;
  }
  const lexicon = lexiconFor(rules);
  const wanted = new Set(names.map((name) => singular(normalizeSectionName(name))));
  const children = tree.children;
  const boundaries = children.flatMap((node, index) => boundaryAt(node, index, lexicon) ?? []);
  for (const [position, boundary] of boundaries.entries()) {
    const name = boundary.match?.class === "other" ? boundary.match.name : null;
    if (name === null || !wanted.has(singular(normalizeSectionName(name)))) continue;
    const end = boundaries.slice(position + 1).find((next) => next.level <= boundary.level || next.match !== null);
    const endAt = end ? startOffset(children[end.index] as RootContent) : endOffset(tree);
    return body.slice(boundary.contentStart, Math.max(endAt, boundary.contentStart)).trim();
  }
  return null;
}
