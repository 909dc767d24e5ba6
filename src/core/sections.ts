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
import { endOffset, MarkdownTooComplexError, parseMarkdown, startOffset } from "./markdown.js";

export type SectionKey = "timeline" | "rca" | "actions";

/** The three sections every write-up needs, in the order a write-up usually has them. */
export const SECTION_KEYS: readonly SectionKey[] = ["timeline", "rca", "actions"];

/** Headings accepted for one section (matched ignoring case, surrounding punctuation and a trailing colon). */
export interface SectionRule {
  key: SectionKey;
  names: string[];
}

export const DEFAULT_SECTION_RULES: SectionRule[] = [
  { key: "timeline", names: ["Timeline"] },
  { key: "rca", names: ["RCA", "Root cause", "Root cause analysis", "What went wrong"] },
  { key: "actions", names: ["Actions", "Action items", "Follow-up actions", "Follow up actions", "Corrective actions"] },
];

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
  const names = new Map<string, SectionKey[]>();
  for (const rule of rules) {
    for (const name of rule.names) {
      const normalized = normalizeSectionName(name);
      const keys = names.get(normalized) ?? [];
      if (!keys.includes(rule.key)) keys.push(rule.key);
      names.set(normalized, keys);
    }
  }
  const children = tree.children;
  const boundaries: Boundary[] = [];
  children.forEach((node, index) => {
    const boundary = boundaryAt(node, index, names);
    if (boundary) boundaries.push(boundary);
  });
  const located: LocatedSection[] = [];
  boundaries.forEach((boundary, position) => {
    if (boundary.keys.length === 0) return;
    // Each scan stops at the next known section at the latest, so all scans together are linear.
    let end: Boundary | undefined;
    for (let next = position + 1; next < boundaries.length && end === undefined; next += 1) {
      const candidate = boundaries[next];
      if (candidate && (candidate.level <= boundary.level || candidate.keys.length > 0)) end = candidate;
    }
    const endIndex = end ? end.index : children.length;
    const endAt = end ? startOffset(children[end.index] as RootContent) : endOffset(tree);
    for (const key of boundary.keys) {
      located.push({
        key,
        heading: boundary.heading,
        startOffset: boundary.contentStart,
        endOffset: Math.max(endAt, boundary.contentStart),
        lead: boundary.lead,
        blocks: children.slice(boundary.index + 1, endIndex),
      });
    }
  });
  return located;
}

/**
 * A heading as compared with section names: case-folded, dashes as spaces, without surrounding
 * punctuation, symbols (emoji), a leading `1.` or a trailing `(UTC)`.
 */
export function normalizeSectionName(text: string): string {
  const spaced = text.normalize("NFKC").toLowerCase().replace(/[\s\-_\u2010-\u2015]+/gu, " ");
  const withoutNote = spaced.replace(/\s*\([^()]*\)[\s:.]*$/u, "");
  return trimPunctuation(trimPunctuation(withoutNote).replace(/^(?:\d{1,3}|[ivx]{1,4})[.)]\s+/u, ""));
}

/** Placeholder comparison form: case-folded, single spaces, no surrounding punctuation or emphasis marks. */
export function normalizeText(text: string): string {
  return trimPunctuation(text.normalize("NFKC").toLowerCase().replace(/\s+/gu, " "));
}

interface Boundary {
  index: number;
  level: number;
  heading: string;
  keys: SectionKey[];
  contentStart: number;
  lead: PhrasingContent[];
}

/** Pseudo-headings rank below every real heading. */
const PSEUDO_HEADING_LEVEL = 7;

function boundaryAt(node: RootContent, index: number, names: Map<string, SectionKey[]>): Boundary | null {
  if (node.type === "heading") {
    const heading = plainText(node.children).trim();
    return { index, level: node.depth, heading, keys: keysFor(heading, names), contentStart: endOffset(node), lead: [] };
  }
  if (node.type !== "paragraph") return null;
  const [first, ...rest] = node.children;
  const strong = first ? boldOf(first) : null;
  if (!first || !strong) return null;
  const heading = plainText(strong.children).trim();
  const keys = keysFor(heading, names);
  const restText = plainText(rest);
  if (/^\s*:?\s*$/u.test(restText) && rest.every((child) => child.type === "text")) {
    return { index, level: PSEUDO_HEADING_LEVEL, heading, keys, contentStart: endOffset(node), lead: [] };
  }
  // A lead-in label (`**RCA:** text` or `**Timeline**` then a line break) only counts for known
  // names: ordinary bold openers (`**Note:** ...`) are prose.
  const second = rest[0];
  const isLabel =
    heading.endsWith(":") ||
    second?.type === "break" ||
    (second?.type === "text" && /^[ \t]*(?::|\r?\n|\r)/u.test(second.value));
  if (keys.length === 0 || !isLabel || !second) return null;
  let contentStart = endOffset(first);
  const lead = [...rest];
  if (second.type === "text") {
    const colon = /^[ \t]*:/u.exec(second.value)?.[0] ?? "";
    contentStart = startOffset(second) + colon.length;
    lead[0] = { ...second, value: second.value.slice(colon.length) };
  }
  return { index, level: PSEUDO_HEADING_LEVEL, heading, keys, contentStart, lead };
}

/** `**x**`, or `***x***` (emphasis around strong, or strong around emphasis). */
function boldOf(node: PhrasingContent): Strong | null {
  if (node.type === "strong") return node;
  if (node.type === "emphasis" && node.children.length === 1 && node.children[0]?.type === "strong") return node.children[0];
  return null;
}

function keysFor(heading: string, names: Map<string, SectionKey[]>): SectionKey[] {
  return names.get(normalizeSectionName(heading)) ?? [];
}

function sectionState(section: LocatedSection, placeholders: Set<string>): SectionState {
  const units = [plainText(section.lead), ...section.blocks.flatMap(contentUnits)]
    .map((unit) => unit.trim())
    .filter((unit) => unit !== "");
  if (units.length === 0) return "empty";
  const isPlaceholder = (text: string): boolean => {
    const normalized = normalizeText(text);
    return normalized === "" || placeholders.has(normalized);
  };
  return units.every(isPlaceholder) || isPlaceholder(units.join(" ")) ? "placeholder" : "filled";
}

/** The texts of the leaf blocks under `node`: paragraphs, headings, code, table body cells. */
function contentUnits(node: Nodes): string[] {
  switch (node.type) {
    case "paragraph":
    case "heading":
      return [plainText(node.children)];
    case "code":
      return [node.value];
    case "html":
      return [htmlText(node.value)];
    case "listItem": {
      const [first, ...rest] = node.children;
      // `- [ ]` with nothing after it is not a task item to the parser, just the text "[ ]".
      const firstUnits = first?.type === "paragraph" && /^\[[ xX]?\]$/u.test(plainText(first.children).trim()) ? [] : first ? contentUnits(first) : [];
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
 * Plain text of inline content: HTML comments and tags dropped (images kept as "image"), code kept,
 * links without text shown as their URL.
 */
export function plainText(nodes: readonly PhrasingContent[]): string {
  let text = "";
  for (const node of nodes) {
    switch (node.type) {
      case "text":
      case "inlineCode":
        text += node.value;
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

function trimPunctuation(text: string): string {
  return text.replace(/^[\p{P}\p{S}\p{Z}\s]+|[\p{P}\p{S}\p{Z}\s]+$/gu, "");
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
