/**
 * The checks the app runs on pull requests, decided without GitHub: which changed files are
 * postmortems, what each one lacks, and what is wrong in a changed `.github/incident-keeper.yml`
 * (with the line of each bad key). Pure: file contents, and the config validator, are handed in.
 */
import picomatch from "picomatch";
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node } from "yaml";
import type { ConfigIssue } from "./config-error.js";
import { analyzeWriteup } from "./action-items.js";
import { formatRef } from "./references.js";
import { SECTION_KEYS, type SectionKey, type SectionRule, type SectionState } from "./sections.js";

export const WRITEUP_CHECK_NAME = "incident-keeper / write-up";
export const CONFIG_CHECK_NAME = "incident-keeper / config";
export const CONFIG_PATH = ".github/incident-keeper.yml";

/** Most files one check reads (each is one API call); the rest are named in the summary as not checked. */
export const MAX_CHECKED_FILES = 20;

/** Whether a changed file is a postmortem: Markdown under one of `writeup.paths`. */
export function isPostmortemFile(path: string, patterns: readonly string[]): boolean {
  if (!/\.(?:md|markdown|mdx)$/iu.test(path)) return false;
  return picomatch.isMatch(path, [...patterns], { dot: true });
}

export interface WriteupFileResult {
  path: string;
  ok: boolean;
  sections: { key: SectionKey; state: SectionState; heading: string | null; line: number }[];
  refs: string[];
}

/** Each file's sections (with the line of each heading, 1 when missing) and references. */
export function checkWriteupFiles(
  files: readonly { path: string; body: string }[],
  rules: readonly SectionRule[],
): WriteupFileResult[] {
  return files.map(({ path, body }) => {
    const { sections, actions } = analyzeWriteup(body, { rules });
    return {
      path,
      ok: SECTION_KEYS.every((key) => sections[key].filled),
      sections: SECTION_KEYS.map((key) => ({
        key,
        state: sections[key].state,
        heading: sections[key].heading,
        line: sections[key].startOffset === null ? 1 : lineOf(body, sections[key].startOffset),
      })),
      refs: [...new Set(actions.flatMap((item) => item.refs.map((ref) => formatRef(ref))))],
    };
  });
}

export interface ConfigCheckResult {
  ok: boolean;
  /** Each invalid key with its reason and the line it is on (1 when it cannot be placed). */
  issues: (ConfigIssue & { line: number })[];
}

/** The app's config validation (src/config/load.ts `validateConfig`), handed in by the caller. */
export type ConfigValidator = (raw: unknown) => { ok: true } | { ok: false; error: { issues: ConfigIssue[] } };

/** Validates a config file's text with `validate` (as the app would), placing each issue on its line. */
export function checkConfigText(text: string, validate: ConfigValidator): ConfigCheckResult {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (document.errors.length > 0) {
    const error = document.errors[0];
    const line = error?.linePos?.[0]?.line ?? 1;
    return {
      ok: false,
      issues: [
        {
          path: "(file)",
          message: `could not be read as YAML: ${error?.message.split("\n")[0] ?? "unreadable"}`,
          line,
        },
      ],
    };
  }
  const result = validate(document.toJS() as unknown);
  if (result.ok) return { ok: true, issues: [] };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({ ...issue, line: lineOfKey(document.contents, issue, lines) })),
  };
}

function lineOfKey(root: Node | null, issue: ConfigIssue, lines: LineCounter): number {
  const path = issue.path === "(root)" ? [] : issue.path.split(".");
  // An unknown key is reported on its parent: place it on the key itself.
  const unknown = /Unrecognized keys?: (.+)$/u.exec(issue.message)?.[1]?.match(/"([^"]+)"/u)?.[1];
  if (unknown !== undefined) path.push(unknown);
  let node: Node | null = root;
  let offset = 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = (pair.value as Node | null) ?? null;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return lines.linePos(offset).line;
}

function lineOf(body: string, offset: number): number {
  let line = 1;
  for (let i = body.indexOf("\n"); i !== -1 && i < offset; i = body.indexOf("\n", i + 1)) line += 1;
  return line;
}
