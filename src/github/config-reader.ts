/**
 * Reads `.github/incident-keeper.yml` through @probot/octokit-plugin-config, so a missing file falls
 * back to the org's `.github` repository and `_extends` works; validates the merged result with zod.
 */
import type { ProbotOctokit } from "probot";
import { CONFIG_FILE, configReadError, validateConfig, type ConfigResult } from "../config/load.js";
import type { RepoRef } from "./gateway.js";
import { statusOf } from "./gateway.js";

type Mapping = Record<string, unknown>;

const isMapping = (value: unknown): value is Mapping =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Deep-merges mappings; arrays and scalars of later files replace earlier ones (no concatenation). */
export function mergeConfigFiles(configs: Mapping[]): Mapping {
  const merge = (base: Mapping, over: Mapping): Mapping => {
    const out: Mapping = { ...base };
    for (const [key, value] of Object.entries(over)) {
      const prior = out[key];
      out[key] = isMapping(prior) && isMapping(value) ? merge(prior, value) : value;
    }
    return out;
  };
  return configs.reduce<Mapping>((acc, next) => merge(acc, next), {});
}

/** Loads and validates the config of one repository (1 read; 2 when the org `.github` is consulted). */
export async function readRepoConfig(octokit: ProbotOctokit, repo: RepoRef): Promise<ConfigResult> {
  try {
    const { files } = await octokit.config.get({ ...repo, path: `.github/${CONFIG_FILE}` });
    const found = files.map((f) => f.config).filter((c): c is Mapping => c !== null);
    if (found.length === 0) return validateConfig(null);
    if (!found.every(isMapping)) return validateConfig([]);
    // files come nearest first (repo, then org .github, then _extends bases): the nearest wins.
    return validateConfig(mergeConfigFiles([...found].reverse()));
  } catch (error) {
    if (statusOf(error) !== null) throw error; // GitHub trouble, not a bad file
    return configReadError(error instanceof Error ? error.message : String(error));
  }
}

/** `GET /repos/{org}/.github/contents/...`: the organisation-wide config every repository falls back to. */
const ORG_CONFIG_URL = /\/repos\/[^/]+\/\.github\/contents\//i;

const orgConfigReads = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * Starts one pass over many repositories (a sweep): until the next call for the same octokit, the
 * organisation's `.github` file, the same for every repository without its own, is read once.
 */
export function shareOrgConfigReads(octokit: ProbotOctokit): void {
  const existing = orgConfigReads.get(octokit);
  if (existing) {
    existing.clear(); // a new pass reads afresh
    return;
  }
  const reads = new Map<string, Promise<unknown>>();
  orgConfigReads.set(octokit, reads);
  octokit.hook.wrap("request", (request, options) => {
    const { method, url } = octokit.request.endpoint.parse(options);
    if (method !== "GET" || !ORG_CONFIG_URL.test(url)) return request(options);
    let pending = reads.get(url);
    if (!pending) {
      pending = Promise.resolve(request(options));
      reads.set(url, pending);
    }
    return pending as Promise<Awaited<ReturnType<typeof request>>>;
  });
}
