/**
 * `incident-keeper lint FILE.md [--repo owner/name] [--config FILE] [--explain] [--json]`: checks an
 * incident write-up the way the app does before an incident may close. Exit 0 when Timeline, RCA and
 * Actions are all written, 1 when one is missing or not filled in, 2 on a usage error, an unreadable
 * file or an invalid config.
 */
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { validateConfig } from "../config/load.js";
import { analyzeWriteup, type ActionItem } from "../core/action-items.js";
import { markdownComplexity, parseMarkdown } from "../core/markdown.js";
import { formatRef, parseRepo } from "../core/references.js";
import {
  DEFAULT_SECTION_RULES,
  outlineSections,
  SECTION_KEYS,
  type HeadingDecision,
  type SectionKey,
  type SectionReport,
  type SectionRule,
} from "../core/sections.js";

/** What the lint command needs from its surroundings; tests pass fakes. */
export interface LintIo {
  readFile(path: string): Promise<string>;
  /** The whole of standard input. */
  stdin(): Promise<string>;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The `--json` document; key order is part of the format. */
export interface LintJson {
  sections: Record<SectionKey, { present: boolean; filled: boolean; heading: string | null }>;
  actions: { text: string; ref: string | null; done: boolean }[];
  ok: boolean;
}

export const LINT_USAGE = `usage: incident-keeper lint FILE.md [--repo owner/name] [--config FILE] [--explain] [--json]

Checks that an incident write-up has a filled-in Timeline, RCA and Actions section and lists its
action items.

  FILE.md            the write-up (an incident issue body); - reads standard input
  --repo owner/name  the incident's repository, for bare #12 references
  --config FILE      the app's config (.github/incident-keeper.yml): its writeup headings apply
  --explain          say which heading was taken for which section and why, and every reference
  --json             print one JSON document instead of the report
  -h, --help         show this help

Exit status: 0 complete, 1 a section missing or not filled in, 2 usage error, unreadable file or
invalid config.
`;

const SECTION_TITLES: Record<SectionKey, string> = { timeline: "Timeline", rca: "RCA", actions: "Actions" };

/** Runs `lint` with `argv` (the arguments after `lint`); resolves to the exit code. */
export async function runLint(argv: string[], io: LintIo): Promise<number> {
  let values: {
    repo?: string | undefined;
    config?: string | undefined;
    explain?: boolean | undefined;
    json?: boolean | undefined;
    help?: boolean | undefined;
  };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: {
        repo: { type: "string" },
        config: { type: "string" },
        explain: { type: "boolean" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    return usageError(io, error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    io.stdout(LINT_USAGE);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (file === undefined) return usageError(io, "missing FILE.md");
  if (extra.length > 0) return usageError(io, `unexpected argument: ${extra.join(" ")}`);
  if (values.repo !== undefined && parseRepo(values.repo) === null) {
    return usageError(io, `--repo must look like owner/name, got "${values.repo}"`);
  }

  let rules: readonly SectionRule[] = DEFAULT_SECTION_RULES;
  if (values.config !== undefined) {
    const loaded = await loadConfigRules(values.config, io);
    if (loaded === null) return 2;
    rules = loaded;
  }

  let body: string;
  try {
    body = file === "-" ? await io.stdin() : await io.readFile(file);
  } catch (error) {
    io.stderr(
      `incident-keeper lint: cannot read ${file === "-" ? "standard input" : file}: ` +
        `${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 2;
  }

  const tooComplex = markdownComplexity(body);
  if (tooComplex !== null) io.stderr(`incident-keeper lint: ${file}: not analysed, ${tooComplex}\n`);
  const { sections, actions } = analyzeWriteup(body, { rules });
  const report = lintJson(sections, actions, values.repo);
  const headings = values.explain && tooComplex === null ? outlineSections(parseMarkdown(body), rules).decisions : [];
  if (values.json) {
    const document = values.explain ? { ...report, explain: { headings } } : report;
    io.stdout(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    io.stdout(formatReport(report, sections, actions, file));
    if (values.explain) io.stdout(formatExplain(headings, actions, values.repo));
  }
  return report.ok ? 0 : 1;
}

/** The section rules of a config file, or null (after saying why) when it cannot be read or is invalid. */
async function loadConfigRules(path: string, io: LintIo): Promise<readonly SectionRule[] | null> {
  let raw: unknown;
  try {
    raw = parseYaml(await io.readFile(path)) as unknown;
  } catch (error) {
    io.stderr(
      `incident-keeper lint: cannot read config ${path}: ` +
        `${error instanceof Error ? error.message.split("\n")[0] : String(error)}\n`,
    );
    return null;
  }
  const result = validateConfig(raw);
  if (!result.ok) {
    const issues = result.error.issues.map((issue) => `  ${issue.path}: ${issue.message}`).join("\n");
    io.stderr(`incident-keeper lint: invalid config ${path}:\n${issues}\n`);
    return null;
  }
  if (raw !== null && typeof raw === "object" && "_extends" in raw) {
    io.stderr(`incident-keeper lint: ${path}: _extends is not followed here; only this file's keys apply\n`);
  }
  return result.policies.writeup.sections;
}

/** `--explain`: every heading with what it was taken for and why, then every reference found. */
export function formatExplain(
  headings: readonly HeadingDecision[],
  actions: readonly ActionItem[],
  repo?: string,
): string {
  const lines = ["headings:"];
  if (headings.length === 0) lines.push("  (none)");
  for (const decision of headings) {
    const mark = decision.kind === "heading" ? "#".repeat(decision.level) : decision.kind === "bold" ? "**" : "label";
    const how = (m: NonNullable<typeof decision.match>): string =>
      m.how === "exact" ? "" : m.how === "plural" ? " (plural)" : " (qualifier dropped)";
    const match = decision.match
      ? ` matches "${decision.match.name}"${how(decision.match)} [${decision.match.source}]`
      : "";
    const taken = decision.section ? `-> ${decision.section}` : "-> -";
    lines.push(`  line ${String(decision.line).padEnd(4)} ${mark} "${decision.heading}"${match}`);
    lines.push(`             ${taken}: ${decision.reason}`);
  }
  lines.push("references:");
  const refs = actions.flatMap((item) => item.refs.map((ref) => ({ ref, item })));
  if (refs.length === 0) lines.push("  (none)");
  for (const { ref, item } of refs)
    lines.push(`  line ${String(item.line).padEnd(4)} ${formatRef(ref, repo).padEnd(20)} ${item.source}: ${item.text}`);
  return `${lines.join("\n")}\n`;
}

/** The `--json` document for an analysed write-up. */
export function lintJson(
  sections: Record<SectionKey, SectionReport>,
  actions: readonly ActionItem[],
  repo?: string,
): LintJson {
  const sectionJson = (key: SectionKey): LintJson["sections"][SectionKey] => ({
    present: sections[key].present,
    filled: sections[key].filled,
    heading: sections[key].heading,
  });
  return {
    sections: { timeline: sectionJson("timeline"), rca: sectionJson("rca"), actions: sectionJson("actions") },
    actions: actions.map((item) => ({
      text: item.text,
      ref: item.ref ? formatRef(item.ref, repo) : null,
      done: item.checkbox === "checked",
    })),
    ok: SECTION_KEYS.every((key) => sections[key].filled),
  };
}

function formatReport(
  report: LintJson,
  sections: Record<SectionKey, SectionReport>,
  actions: readonly ActionItem[],
  file: string,
): string {
  const lines = [`${file === "-" ? "(stdin)" : file}`, "sections:"];
  for (const key of SECTION_KEYS) {
    const section = sections[key];
    const heading = section.heading === null ? "" : `  "${section.heading}"`;
    const mark = section.filled ? "✓" : "✗";
    lines.push(`  ${mark} ${SECTION_TITLES[key].padEnd(8)} ${section.state.padEnd(11)}${heading}`.trimEnd());
  }
  lines.push(`action items: ${actions.length}`);
  report.actions.forEach((action, index) => {
    const checkbox = actions[index]?.checkbox;
    const mark = checkbox === "checked" ? "[x]" : checkbox === "unchecked" ? "[ ]" : " - ";
    lines.push(
      `  ${mark} ${(action.ref ?? "(no ref)").padEnd(16)} ${action.text}  (line ${actions[index]?.line ?? "?"})`,
    );
  });
  const gaps = SECTION_KEYS.filter((key) => !sections[key].filled).map(
    (key) => `${SECTION_TITLES[key]} ${sections[key].state}`,
  );
  lines.push(report.ok ? "ok: the write-up is complete" : `not ok: ${gaps.join(", ")}`);
  return `${lines.join("\n")}\n`;
}

function usageError(io: LintIo, message: string): number {
  io.stderr(`incident-keeper lint: ${message}\n\n${LINT_USAGE}`);
  return 2;
}
