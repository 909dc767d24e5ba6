/**
 * `command: lint` of the GitHub Action: lints the write-up files named by the `files` input (paths or
 * globs, one per line or space-separated; default the config's `writeup.paths`), with the repository's
 * `.github/incident-keeper.yml` when present (or the `config` input), and reports each incomplete
 * section as a workflow annotation on its line. Exit 1 when any file is incomplete, 2 on a bad
 * config. No token and no API call: it reads the checked-out workspace.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import picomatch from "picomatch";
import { parse as parseYaml } from "yaml";
import { validateConfig } from "../config/load.js";
import { DEFAULT_CONFIG, type IncidentKeeperConfig } from "../config/schema.js";
import { checkWriteupFiles } from "../core/writeup-check.js";
import { policiesOf } from "../config/policies.js";
import { writeupCheckOutput } from "../render/checks.js";

const SKIP_DIRS = new Set([".git", "node_modules"]);

export async function runLintAction(
  env: NodeJS.ProcessEnv,
  out: (text: string) => void = (t) => void process.stdout.write(t),
): Promise<number> {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const configPath = (env.INPUT_CONFIG ?? "").trim() || ".github/incident-keeper.yml";
  let config: IncidentKeeperConfig = DEFAULT_CONFIG;
  const configText = await readFile(join(workspace, configPath), "utf8").catch(() => null);
  if (configText !== null) {
    let raw: unknown;
    try {
      raw = parseYaml(configText) as unknown;
    } catch (error) {
      out(`::error file=${configPath}::could not be read as YAML: ${oneLine(error)}\n`);
      return 2;
    }
    const result = validateConfig(raw);
    if (!result.ok) {
      for (const issue of result.error.issues)
        out(`::error file=${configPath}::${issue.path}: ${escapeData(issue.message)}\n`);
      return 2;
    }
    config = result.value;
  }
  const patterns = splitPatterns(env.INPUT_FILES ?? "");
  const matcher = picomatch(patterns.length > 0 ? patterns : config.writeup.paths, { dot: true });
  const paths = (await listFiles(workspace))
    .filter((path) => /\.(?:md|markdown|mdx)$/iu.test(path) && matcher(path))
    .sort();
  if (paths.length === 0) {
    const looked = patterns.length > 0 ? patterns : config.writeup.paths;
    out(`incident-keeper lint: no write-up files match ${looked.join(", ")}\n`);
    return 0;
  }
  const files = await Promise.all(
    paths.map(async (path) => ({ path, body: await readFile(join(workspace, path), "utf8") })),
  );
  const results = checkWriteupFiles(files, policiesOf(config).writeup.sections);
  const output = writeupCheckOutput(results, 0);
  for (const annotation of output.annotations) {
    out(
      `::error file=${annotation.path},line=${annotation.start_line},` +
        `title=${escapeProperty(annotation.title)}::${escapeData(annotation.message)}\n`,
    );
  }
  for (const result of results) out(`${result.ok ? "ok" : "not ok"}  ${result.path}\n`);
  out(`${output.title}\n`);
  if (env.GITHUB_STEP_SUMMARY) {
    const { appendFile } = await import("node:fs/promises");
    await appendFile(env.GITHUB_STEP_SUMMARY, `### ${output.title}\n\n${output.summary}\n`);
  }
  return output.conclusion === "success" ? 0 : 1;
}

function splitPatterns(input: string): string[] {
  return input
    .split(/[\s,]+/u)
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

async function listFiles(root: string, dir = root): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : listFiles(root, join(dir, entry.name));
      return entry.isFile() ? [relative(root, join(dir, entry.name)).split("\\").join("/")] : [];
    }),
  );
  return nested.flat();
}

/** Workflow-command escaping (actions/toolkit's command.ts). */
function escapeData(text: string): string {
  return text.replace(/%/gu, "%25").replace(/\r/gu, "%0D").replace(/\n/gu, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/gu, "%3A").replace(/,/gu, "%2C");
}

function oneLine(error: unknown): string {
  return escapeData((error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "");
}
