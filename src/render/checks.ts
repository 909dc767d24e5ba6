/** The words of the pull-request check runs (templates writeup-check and config-check). */
import type { ConfigCheckResult, WriteupFileResult } from "../core/writeup-check.js";
import { MAX_CHECKED_FILES } from "../core/writeup-check.js";
import { render } from "./templates.js";

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "failure" | "warning" | "notice";
  title: string;
  message: string;
}

export interface CheckOutput {
  conclusion: "success" | "failure";
  title: string;
  summary: string;
  annotations: CheckAnnotation[];
}

/** GitHub takes at most 50 annotations per request. */
export const MAX_ANNOTATIONS = 50;

const SECTION_NAMES = { timeline: "Timeline", rca: "RCA", actions: "Actions" } as const;
const EXAMPLES = { timeline: "## Timeline", rca: "## Root cause", actions: "## Action items" } as const;
const STATE_WORDS = { filled: "✓", empty: "✗ empty", placeholder: "✗ placeholder", missing: "✗ missing" } as const;

/** The write-up check for the checked files (`skipped`: changed postmortems beyond the per-run limit). */
export function writeupCheckOutput(results: readonly WriteupFileResult[], skipped: number): CheckOutput {
  const failing = results.filter((result) => !result.ok).length;
  const files = results.map((result) => {
    const cell = (key: "timeline" | "rca" | "actions"): string =>
      STATE_WORDS[result.sections.find((s) => s.key === key)?.state ?? "missing"];
    return {
      path: result.path,
      timeline: cell("timeline"),
      rca: cell("rca"),
      actions: cell("actions"),
      refs: result.refs.join(", ") || "—",
    };
  });
  const annotations: CheckAnnotation[] = [];
  for (const result of results) {
    for (const section of result.sections) {
      if (section.state === "filled") continue;
      const view = {
        section: SECTION_NAMES[section.key],
        heading: section.heading,
        example: EXAMPLES[section.key],
        [section.state]: true,
      };
      annotations.push({
        path: result.path,
        start_line: section.line,
        end_line: section.line,
        annotation_level: "failure",
        title: `${SECTION_NAMES[section.key]} ${section.state}`,
        message: render("writeup-check", { annotation: view }),
      });
    }
  }
  return {
    conclusion: failing === 0 ? "success" : "failure",
    title: render("writeup-check", {
      title: { ok: failing === 0, failing, total: results.length, plural: results.length !== 1 },
    }),
    summary: render("writeup-check", {
      summary: {
        files,
        skipped: skipped > 0 ? { count: skipped, plural: skipped !== 1, max: MAX_CHECKED_FILES } : null,
      },
    }),
    annotations: annotations.slice(0, MAX_ANNOTATIONS),
  };
}

/** The config check of a changed `.github/incident-keeper.yml`. */
export function configCheckOutput(path: string, result: ConfigCheckResult): CheckOutput {
  const count = result.issues.length;
  return {
    conclusion: result.ok ? "success" : "failure",
    title: render("config-check", { title: { ok: result.ok, count, plural: count !== 1 } }),
    summary: render("config-check", { summary: { ok: result.ok, issues: result.issues } }),
    annotations: result.issues.slice(0, MAX_ANNOTATIONS).map((issue) => ({
      path,
      start_line: issue.line,
      end_line: issue.line,
      annotation_level: "failure",
      title: issue.path,
      message: issue.message,
    })),
  };
}
