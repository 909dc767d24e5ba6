/**
 * The config files of one repository, as @probot/octokit-plugin-config's `config.get` reads them
 * (its `getConfigFiles`, 4.1.0, kept to the letter: the repository's file, else the organisation's
 * `.github` file, then the `_extends` chain, the same requests and the same error messages), with one
 * difference: a file's YAML is parsed once per distinct text (issue #12). Every delivery reads the same
 * file, mostly answered from the kept `304` (`conditional-reads.ts`), and the plugin parsed it again
 * each time. Each caller gets its own copy of the parsed value: nothing mutable is shared between
 * deliveries.
 */
import type { ProbotOctokit } from "probot";
import yaml from "yaml";

/** One file of the chain: `config` null when it does not exist. */
export interface ConfigFile {
  owner: string;
  repo: string;
  path: string;
  url: string;
  config: Record<string, unknown> | null;
}

const PREFIX = "[@probot/octokit-plugin-config]";
const SUPPORTED_FILE_EXTENSIONS = ["json", "yml", "yaml"];
const EXTENDS = /^(?:([a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})\/)?([-_.\w\d]+)(?::([-_./\w\d]+\.ya?ml))?$/i;

/** How many distinct file texts {@link parseYamlOnce} remembers (least recently used out first). */
export const PARSED_FILES_KEPT = 100;
const parsedTexts = new Map<string, unknown>();

/**
 * `yaml.parse(text, { logLevel: "error" })` (what the plugin calls), memoised by the text; a copy of
 * the remembered value each time (a caller may mutate its own: the chain deletes `_extends`).
 * @throws the parser's error for invalid YAML (not remembered).
 */
export function parseYamlOnce(text: string): unknown {
  let parsed: unknown;
  if (parsedTexts.has(text)) {
    parsed = parsedTexts.get(text);
    parsedTexts.delete(text);
  } else {
    parsed = yaml.parse(text, { logLevel: "error" }) as unknown;
  }
  parsedTexts.set(text, parsed);
  if (parsedTexts.size > PARSED_FILES_KEPT) parsedTexts.delete(parsedTexts.keys().next().value as string);
  return structuredClone(parsed);
}

/** The plugin's `getConfigFile`: one file, `config` null on a 404. */
async function configFile(
  octokit: ProbotOctokit,
  file: { owner: string; repo: string; path: string },
): Promise<ConfigFile> {
  const extension = file.path.split(".").pop()?.toLowerCase() ?? "";
  if (!SUPPORTED_FILE_EXTENSIONS.includes(extension)) {
    throw new Error(`${PREFIX} .${extension} extension is not support for configuration (path: "${file.path}")`);
  }
  const endpoint = {
    method: "GET",
    url: "/repos/{owner}/{repo}/contents/{path}",
    ...file,
    mediaType: { format: "raw" },
  } as const;
  const { url } = octokit.request.endpoint(endpoint);
  const empty: ConfigFile = { ...file, url, config: null };
  let data: unknown;
  let headers: Record<string, unknown>;
  try {
    const response = await octokit.request(endpoint);
    data = response.data;
    headers = response.headers;
  } catch (error) {
    if (typeof error === "object" && error !== null && "status" in error && error.status === 404) return empty;
    throw error;
  }
  if (headers["content-type"] === "application/json; charset=utf-8") {
    throw new Error(`${PREFIX} ${url} exists, but is either a directory or a submodule. Ignoring.`);
  }
  if (extension === "json") {
    if (typeof data === "string") {
      throw new Error(`${PREFIX} Configuration could not be parsed from ${url} (invalid JSON)`);
    }
    return { ...empty, config: data as Record<string, unknown> };
  }
  let config: unknown;
  try {
    config = parseYamlOnce(data as string) || {};
  } catch (error) {
    throw new Error(`${PREFIX} Configuration could not be parsed from ${url} (invalid YAML)`, { cause: error });
  }
  if (typeof config === "string") {
    throw new Error(`${PREFIX} Configuration could not be parsed from ${url} (YAML is not an object)`);
  }
  return { ...empty, config: config as Record<string, unknown> };
}

/** The plugin's `extendsToGetContentParams`. */
function extendsTarget(args: { owner: string; path: string; url: string; extendsValue: unknown }): {
  owner: string;
  repo: string;
  path: string;
} {
  if (typeof args.extendsValue !== "string") {
    throw new Error(`${PREFIX} Invalid value ${JSON.stringify(args.extendsValue)} for _extends in ${args.url}`);
  }
  const match = EXTENDS.exec(args.extendsValue);
  if (match === null) throw new Error(`${PREFIX} Invalid value "${args.extendsValue}" for _extends in ${args.url}`);
  return { owner: match[1] || args.owner, repo: match[2] ?? "", path: match[3] || args.path };
}

/**
 * The plugin's `getConfigFiles` (`octokit.config.get(...).files`): nearest first, the repository's
 * file, the organisation's `.github` file when the repository has none, then each `_extends` base.
 */
export async function readConfigFiles(
  octokit: ProbotOctokit,
  { owner, repo, path }: { owner: string; repo: string; path: string },
): Promise<ConfigFile[]> {
  const requested = await configFile(octokit, { owner, repo, path });
  const files = [requested];
  if (!requested.config) {
    if (repo === ".github") return files;
    files.push(await configFile(octokit, { owner, repo: ".github", path }));
  }
  const last = files[files.length - 1];
  if (!last?.config || !last.config._extends) return files;
  let target = extendsTarget({ owner, path, url: last.url, extendsValue: last.config._extends });
  delete last.config._extends;
  for (;;) {
    const base = await configFile(octokit, target);
    files.push(base);
    if (!base.config || !base.config._extends) return files;
    const extendsValue = base.config._extends;
    target = extendsTarget({ owner, path, url: base.url, extendsValue });
    delete base.config._extends;
    const next = target;
    const loaded = files.find((f) => f.owner === next.owner && f.repo === next.repo && f.path === next.path);
    if (loaded) {
      // The plugin's message, `undefined` included (it reads `_extends` after deleting it).
      const why = `Ignoring  "_extends: undefined" from ${base.url} because ${loaded.url} was already loaded.`;
      throw new Error(`${PREFIX} Recursion detected. ${why}`);
    }
  }
}
