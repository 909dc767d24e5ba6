/**
 * Reads `.github/incident-keeper.yml` as @probot/octokit-plugin-config does (`config-files.ts`: a
 * missing file falls back to the org's `.github` repository and `_extends` works, each distinct text
 * parsed once); validates the merged result with zod.
 */
import type { ProbotOctokit } from "probot";
import { CONFIG_FILE, configReadError, validateConfig, type ConfigResult } from "../config/load.js";
import { readConfigFiles } from "./config-files.js";
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

/**
 * Which repositories were last seen without their own config file (per `installation:owner/repo`, lower
 * case; memory only, a cache): their next config read asks for the organisation's `.github` file at
 * the same time instead of after the repository's 404 (one round trip instead of two). A wrong entry
 * costs one unused read of the org file, never a wrong config.
 */
export class MissingConfigFiles {
  private readonly missing = new Set<string>();
  constructor(private readonly max = 10_000) {}

  has(key: string): boolean {
    return this.missing.has(key);
  }

  /** Records whether the repository `key` had its own config file. */
  record(key: string, hadFile: boolean): void {
    if (hadFile) {
      this.missing.delete(key);
      return;
    }
    if (this.missing.size >= this.max) this.missing.clear();
    this.missing.add(key);
  }
}

/** Where readRepoConfig remembers which repositories have no config file of their own. */
export interface ConfigFileMemory {
  installationId: number;
  missing: MissingConfigFiles;
}

/**
 * Loads and validates the config of one repository (1 read; 2 when the org `.github` is consulted,
 * at once when `memory` says the repository had no file the last time).
 */
export async function readRepoConfig(
  octokit: ProbotOctokit,
  repo: RepoRef,
  memory?: ConfigFileMemory,
): Promise<ConfigResult> {
  const path = `.github/${CONFIG_FILE}`;
  const key = memory ? `${memory.installationId}:${repo.owner}/${repo.repo}`.toLowerCase() : "";
  const prefetched =
    memory?.missing.has(key) && repo.repo.toLowerCase() !== ".github"
      ? prefetchFile(octokit, { owner: repo.owner, repo: ".github", path })
      : null;
  try {
    const files = await readConfigFiles(octokit, { ...repo, path });
    memory?.missing.record(key, files[0]?.config !== null && files[0]?.config !== undefined);
    const found = files.map((f) => f.config).filter((c): c is Mapping => c !== null);
    if (found.length === 0) return validateConfig(null);
    if (!found.every(isMapping)) return validateConfig([]);
    // files come nearest first (repo, then org .github, then _extends bases): the nearest wins.
    return validateConfig(mergeConfigFiles([...found].reverse()));
  } catch (error) {
    if (statusOf(error) !== null) throw error; // GitHub trouble, not a bad file
    return configReadError(error instanceof Error ? error.message : String(error));
  } finally {
    prefetched?.done();
  }
}

/** The raw-file read the config plugin (and `readConfigFiles`) makes (`GET .../contents/{path}`, raw media type). */
const rawFileRequest = (file: { owner: string; repo: string; path: string }) =>
  ({ method: "GET", url: "/repos/{owner}/{repo}/contents/{path}", ...file, mediaType: { format: "raw" } }) as const;

/** Reads started ahead of the config plugin asking for them, per octokit and `accept url`. */
const prefetches = new WeakMap<object, Map<string, Promise<unknown>>>();

const requestKey = (accept: unknown, url: string): string => `${typeof accept === "string" ? accept : ""} ${url}`;

/**
 * Starts reading `file` now; until `done()`, the same request from this octokit (the config plugin's,
 * once the repository's own file turns out to be missing) is answered by this read instead of a new one.
 */
function prefetchFile(octokit: ProbotOctokit, file: { owner: string; repo: string; path: string }): { done(): void } {
  let pending = prefetches.get(octokit);
  if (!pending) {
    const reads = new Map<string, Promise<unknown>>();
    pending = reads;
    prefetches.set(octokit, reads);
    octokit.hook.wrap("request", (request, options) => {
      const { method, url, headers } = octokit.request.endpoint.parse(options);
      const own = (options.request as { prefetch?: boolean } | undefined)?.prefetch === true;
      const early = method === "GET" && !own ? reads.get(requestKey(headers.accept, url)) : undefined;
      return (early ?? request(options)) as Promise<Awaited<ReturnType<typeof request>>>;
    });
  }
  const { url, headers } = octokit.request.endpoint(rawFileRequest(file));
  const key = requestKey(headers.accept, url);
  if (pending.has(key)) return { done: () => {} }; // another config read of this delivery started it
  const read = octokit.request({ ...rawFileRequest(file), request: { prefetch: true } });
  read.catch(() => {}); // its 404 or error is the config plugin's to handle, if it asks
  pending.set(key, read);
  const reads = pending;
  return {
    done: () => {
      if (reads.get(key) === read) reads.delete(key);
    },
  };
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
