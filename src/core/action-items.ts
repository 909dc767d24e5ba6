/**
 * The follow-up actions of a write-up: the items of its Actions section(s). Pure.
 *
 * An action item is a list item (any depth, bullet or ordered) or a table body row under an Actions
 * section that references an issue or pull request, or a task-list item (`- [ ] ...`) with text even
 * without a reference (done when ticked). References in code, in link text and in anchors do not
 * count; a nested item's references belong to it, not to its parent.
 */
import type { Definition, ListItem, Nodes, PhrasingContent, Root, RootContent, TableRow } from "mdast";
import {
  checkboxOffsetOf,
  collectDefinitions,
  MarkdownTooComplexError,
  parseMarkdown,
  startLine,
  startOffset,
} from "./markdown.js";
import { findRefsInText, parseIssueUrl, type IssueRef } from "./references.js";
import {
  DEFAULT_PLACEHOLDERS,
  DEFAULT_SECTION_RULES,
  locateSections,
  plainText,
  reportSections,
  type LocatedSection,
  type SectionKey,
  type SectionReport,
  type SectionRule,
} from "./sections.js";

export type { IssueRef } from "./references.js";
export { formatRef, resolveRef } from "./references.js";

export interface ActionItem {
  /** Plain text of the item (without nested items), whitespace collapsed, trimmed. */
  text: string;
  /** The first reference in the item, or null. */
  ref: IssueRef | null;
  /** Every distinct reference in the item, in order. */
  refs: IssueRef[];
  checkbox: "checked" | "unchecked" | null;
  /** `prose`: a paragraph of the actions section that references issues (one item per paragraph). */
  source: "task" | "bullet" | "table" | "prose";
  /** 1-based line of the item in the body. */
  line: number;
  /** Offset in the body of the character between `[` and `]` of the checkbox, or null. */
  checkboxOffset: number | null;
}

export interface ExtractActionItemsOptions {
  rules?: readonly SectionRule[];
}

/**
 * The action items of every Actions section of `body`, in document order. Never throws: a body too
 * complex to parse (see `MARKDOWN_LIMITS`) has none.
 */
export function extractActionItems(body: string, options: ExtractActionItemsOptions = {}): ActionItem[] {
  let tree: Root;
  try {
    tree = parseMarkdown(body);
  } catch (error) {
    if (error instanceof MarkdownTooComplexError) return [];
    throw error;
  }
  return actionItemsOf(tree, body, options.rules ?? DEFAULT_SECTION_RULES);
}

export interface WriteupAnalysis {
  sections: Record<SectionKey, SectionReport>;
  actions: ActionItem[];
}

/**
 * `analyzeSections` and `extractActionItems` in one parse of the body. Never throws: a body too
 * complex to parse has every section missing and no action items.
 */
export function analyzeWriteup(
  body: string,
  options: { rules?: readonly SectionRule[]; placeholders?: readonly string[] } = {},
): WriteupAnalysis {
  const rules = options.rules ?? DEFAULT_SECTION_RULES;
  let tree: Root;
  try {
    tree = parseMarkdown(body);
  } catch (error) {
    if (error instanceof MarkdownTooComplexError) return { sections: reportSections([]), actions: [] };
    throw error;
  }
  const located = locateSections(tree, rules);
  return {
    sections: reportSections(located, options.placeholders ?? DEFAULT_PLACEHOLDERS),
    actions: actionItemsIn(tree, body, located),
  };
}

/** The action items of an already parsed body. */
export function actionItemsOf(
  tree: Root,
  body: string,
  rules: readonly SectionRule[] = DEFAULT_SECTION_RULES,
): ActionItem[] {
  return actionItemsIn(tree, body, locateSections(tree, rules));
}

function actionItemsIn(tree: Root, body: string, located: readonly LocatedSection[]): ActionItem[] {
  const collector = new Collector(body, collectDefinitions(tree));
  for (const section of located) {
    if (section.key !== "actions") continue;
    if (section.lead.length > 0) collector.addProse(section.lead, section.startOffset);
    for (const block of section.blocks) {
      if (block.type === "paragraph") collector.addProse(block.children, startOffset(block));
      else collector.visit(block);
    }
  }
  return collector.items;
}

class Collector {
  readonly items: ActionItem[] = [];
  private readonly seen = new Set<Nodes>();

  constructor(
    private readonly body: string,
    private readonly definitions: Map<string, Definition>,
  ) {}

  visit(node: Nodes): void {
    if (this.seen.has(node)) return;
    this.seen.add(node);
    if (node.type === "listItem") this.addListItem(node);
    if (node.type === "table") for (const row of node.children.slice(1)) this.addTableRow(row);
    if (node.type === "code" || node.type === "html" || node.type === "table") return;
    if ("children" in node) for (const child of node.children) this.visit(child);
  }

  private addListItem(item: ListItem): void {
    const own = inlineContent(item);
    const text = collapse(plainText(own));
    const refs = this.refsIn(own);
    const checkbox = item.checked === true ? "checked" : item.checked === false ? "unchecked" : null;
    if (refs.length === 0 && (checkbox === null || text === "")) return;
    this.items.push({
      text,
      ref: refs[0] ?? null,
      refs,
      checkbox,
      source: checkbox === null ? "bullet" : "task",
      line: startLine(item),
      checkboxOffset: checkbox === null ? null : checkboxOffsetOf(this.body, item),
    });
  }

  /** A paragraph that references issues: "We will add an alert (#12) and fix the retries in acme/api#7." */
  addProse(nodes: readonly PhrasingContent[], offset: number): void {
    const refs = this.refsIn(nodes);
    if (refs.length === 0) return;
    this.items.push({
      text: collapse(plainText([...nodes])),
      ref: refs[0] ?? null,
      refs,
      checkbox: null,
      source: "prose",
      line: lineAt(this.body, offset),
      checkboxOffset: null,
    });
  }

  private addTableRow(row: TableRow): void {
    const cells = row.children.map((cell) => cell.children);
    const refs = dedupe(cells.flatMap((cell) => this.refsIn(cell)));
    if (refs.length === 0) return;
    this.items.push({
      text: collapse(cells.map((cell) => collapse(plainText(cell))).join(" | ")),
      ref: refs[0] ?? null,
      refs,
      checkbox: null,
      source: "table",
      line: startLine(row),
      checkboxOffset: null,
    });
  }

  private refsIn(nodes: readonly PhrasingContent[]): IssueRef[] {
    const refs: IssueRef[] = [];
    const walk = (node: PhrasingContent): void => {
      switch (node.type) {
        case "text":
          refs.push(...findRefsInText(node.value));
          return;
        case "link": {
          // Like GitHub, only the link target counts, not references written in its text.
          const ref = parseIssueUrl(node.url);
          if (ref) refs.push(ref);
          return;
        }
        case "linkReference": {
          const definition = this.definitions.get(node.identifier);
          const ref = definition ? parseIssueUrl(definition.url) : null;
          if (ref) refs.push(ref);
          return;
        }
        default:
          if ("children" in node) for (const child of node.children) walk(child);
      }
    };
    for (const node of nodes) walk(node);
    return dedupe(refs);
  }
}

/**
 * The inline content that belongs to a list item itself: its paragraphs and headings, and those of
 * its block quotes, but not its nested lists or tables (they are items of their own) nor code.
 */
function inlineContent(item: ListItem): PhrasingContent[] {
  const inline: PhrasingContent[] = [];
  const walk = (node: RootContent): void => {
    if (node.type === "paragraph" || node.type === "heading") {
      // Separate blocks by a space so their words do not run together.
      if (inline.length > 0) inline.push({ type: "text", value: " " });
      inline.push(...node.children);
    } else if (node.type === "blockquote") {
      node.children.forEach(walk);
    }
  };
  item.children.forEach(walk);
  return inline;
}

function lineAt(body: string, offset: number): number {
  let line = 1;
  for (let i = body.indexOf("\n"); i !== -1 && i < offset; i = body.indexOf("\n", i + 1)) line += 1;
  return line;
}

function dedupe(refs: IssueRef[]): IssueRef[] {
  const seen = new Set<string>();
  return refs.filter((ref) => {
    const key = `${ref.owner?.toLowerCase() ?? ""}/${ref.repo?.toLowerCase() ?? ""}#${ref.number}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function collapse(text: string): string {
  return text.replace(/\s+/gu, " ").trim();
}
