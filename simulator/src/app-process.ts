/**
 * The real, built app (`node lib/server.js`, what `npm start` serves) as a child process wired to a GitHub simulator,
 * and the sweep CLI (`bin/incident-keeper.js sweep`) run against it. Shared by the e2e harness
 * (test/support/e2e.ts) and the demo (simulator/src/demo/demo.ts); no test framework here. Both need
 * `npm run build` first (they run lib/).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { GitHubSimulator, type GitHubSimulatorOptions, type Violation } from "./index.js";
import { parse as parseYaml } from "yaml";
import { wallNow } from "./clock.js";

/** Repository root: this module is simulator/src/app-process.ts, or simulator/lib/app-process.js once built. */
export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PROBOT_BIN = fileURLToPath(new URL("../../node_modules/probot/bin/probot.js", import.meta.url));
const CLI_BIN = fileURLToPath(new URL("../../bin/incident-keeper.js", import.meta.url));
/** What `npm start` runs: the app on its own Octokit (src/server.ts). */
const SERVER_ENTRY = "./lib/server.js";

/** The installation and repositories every simulated scenario starts with. */
export const SCENARIO = {
  appId: 123456,
  installationId: 1001,
  org: "acme",
  repo: "acme/api",
  otherRepo: "acme/web",
  orgConfigRepo: "acme/.github",
  configPath: ".github/incident-keeper.yml",
} as const;

/** Options of {@link startSimulatedApp}. */
export interface SimulatedAppOptions {
  /** YAML of acme/api's .github/incident-keeper.yml (absent when undefined). */
  config?: string;
  /** YAML of the organisation-wide acme/.github/.github/incident-keeper.yml. */
  orgConfig?: string;
  /** Extra environment for the app process (overrides the defaults). */
  env?: Record<string, string>;
  /** Simulator settings (events the app subscribes to, permissions, response checks...). */
  simulator?: Partial<Omit<GitHubSimulatorOptions, "appId" | "webhookSecret">>;
  /** How long to wait for the app's GET /ping (default 20 s). */
  startTimeoutMs?: number;
  /**
   * An app function served by `probot run` (Probot's stock Octokit) instead of `npm start`'s server,
   * relative to the repository root.
   */
  entry?: string;
}

/** The running app process. */
export interface AppProcess {
  /** `http://127.0.0.1:PORT` of the app's server. */
  url: string;
  process: ChildProcess;
  /** Everything the app wrote to stdout and stderr, line by line. */
  logs: string[];
  /** The app's PKCS#1 private key (the sweep CLI uses the same). */
  privateKey: string;
  /** `127.0.0.1:PORT` of the simulator, the app's GHE_HOST. */
  simulatorHost: string;
  /** Kills the process (SIGTERM, then SIGKILL after 3 s). */
  kill(): Promise<void>;
}

/** A simulator with the standard scenario and the real app process wired to it. */
export interface SimulatedApp {
  sim: GitHubSimulator;
  app: AppProcess;
  /** "acme/api". */
  repo: string;
  installationId: number;
  /** Kills the app and stops the simulator. */
  stop(): Promise<void>;
}

/** What a finished child process said. */
export interface ProcessOutcome {
  /** Exit code; null when killed by a signal (e.g. the timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A PKCS#1 PEM RSA key, the format GitHub hands out for apps. */
export function generateAppPrivateKey(): string {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("could not find a free port");
  return address.port;
}

/** Seeds org `acme` (installation 1001) with acme/api, acme/web, acme/.github and the usual people. */
export function seedScenario(
  sim: GitHubSimulator,
  options: Pick<SimulatedAppOptions, "config" | "orgConfig"> = {},
): void {
  sim.seed.installation({ id: SCENARIO.installationId, account: SCENARIO.org, type: "Organization" });
  for (const repo of [SCENARIO.repo, SCENARIO.otherRepo, SCENARIO.orgConfigRepo])
    sim.seed.repo(repo, { installationId: SCENARIO.installationId });
  for (const repo of [SCENARIO.repo, SCENARIO.otherRepo]) {
    sim.seed.permission(repo, "alice", "admin");
    sim.seed.permission(repo, "bob", "triage");
  }
  sim.seed.permission(SCENARIO.repo, "mallory", "read");
  sim.seed.permission(SCENARIO.otherRepo, "mallory", "none");
  if (options.config !== undefined) sim.seed.file(SCENARIO.repo, SCENARIO.configPath, options.config);
  if (options.orgConfig !== undefined) sim.seed.file(SCENARIO.orgConfigRepo, SCENARIO.configPath, options.orgConfig);
}

/**
 * The environment of a child process that talks to the simulator as its GitHub Enterprise host.
 * Nothing from the caller's environment may redirect it elsewhere; NODE_ENV (jest sets "test") is
 * dropped too, so the app runs as a user would start it.
 */
export function simulatorEnvironment(input: {
  privateKey: string;
  simulatorHost: string;
  extra?: Record<string, string>;
}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    "NODE_ENV",
    "NODE_OPTIONS",
    "WEBHOOK_PROXY_URL",
    "REDIS_URL",
    "PRIVATE_KEY_PATH",
    "STATE_SIGNING",
    "WEBHOOK_PATH",
    "GHE_HOST",
    "GHE_PROTOCOL",
    "LOG_FORMAT",
    "JEST_WORKER_ID",
    "WEBHOOK_SECRET",
    "PORT",
    "HOST",
    "SWEEP_TRIGGER_TOKEN",
    "SWEEP_INTERVAL_MINUTES",
    "SWEEP_WRITE_BUDGET",
    "SWEEP_REPORT_JSON",
    "ALERTS_ALERTMANAGER_TOKEN",
    "ALERTS_ALERTMANAGER_BASIC_AUTH",
    "ALERTS_GRAFANA_TOKEN",
    "ALERTS_GRAFANA_BASIC_AUTH",
    "ALERTS_GRAFANA_HMAC_SECRET",
    "ALERTS_GRAFANA_HMAC_HEADER",
    "ALERTS_GRAFANA_TIMESTAMP_HEADER",
    "ALERTS_CONFIG_REPO",
    "ALERTS_MAX_BODY_BYTES",
    "DASHBOARD_TOKEN",
    "GITHUB_CLIENT_ID",
    "GITHUB_CLIENT_SECRET",
    "DASHBOARD_SIGNIN",
    "DASHBOARD_PUBLIC_URL",
  ]) {
    delete env[name];
  }
  return {
    ...env,
    APP_ID: String(SCENARIO.appId),
    PRIVATE_KEY: input.privateKey,
    GHE_HOST: input.simulatorHost,
    GHE_PROTOCOL: "http",
    LOG_LEVEL: "warn",
    ...input.extra,
  };
}

async function waitForPing(url: string, child: ChildProcess, logs: string[], timeoutMs: number): Promise<void> {
  const deadline = wallNow() + timeoutMs;
  while (wallNow() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `the app exited (${child.exitCode ?? child.signalCode ?? "?"}) before answering /ping:\n${logs.join("\n")}`,
      );
    }
    try {
      const response = await fetch(`${url}/ping`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the app did not answer GET /ping within ${timeoutMs} ms:\n${logs.join("\n")}`);
}

function collectLines(stream: NodeJS.ReadableStream | null, logs: string[]): void {
  let partial = "";
  stream?.setEncoding("utf8");
  stream?.on("data", (chunk: string) => {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    logs.push(...lines.filter((line) => line.trim() !== ""));
  });
  stream?.on("end", () => {
    if (partial.trim() !== "") logs.push(partial);
  });
}

async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}

/**
 * Spawns `node lib/server.js` (or `probot run ENTRY` when `entry` is given) with APP_ID, PRIVATE_KEY,
 * WEBHOOK_SECRET, PORT (free), HOST=127.0.0.1, GHE_HOST, GHE_PROTOCOL=http, LOG_LEVEL=warn (+ `env`)
 * and waits until it answers GET /ping.
 */
export async function startAppProcess(options: {
  simulatorHost: string;
  webhookSecret: string;
  privateKey?: string;
  env?: Record<string, string>;
  entry?: string;
  startTimeoutMs?: number;
}): Promise<AppProcess> {
  const entry = options.entry ?? SERVER_ENTRY;
  if (!existsSync(new URL(entry, new URL("../../", import.meta.url)))) {
    throw new Error(`${entry} is missing: run \`npm run build\` first`);
  }
  const privateKey = options.privateKey ?? generateAppPrivateKey();
  const port = await freePort();
  const logs: string[] = [];
  const env = simulatorEnvironment({
    privateKey,
    simulatorHost: options.simulatorHost,
    extra: { WEBHOOK_SECRET: options.webhookSecret, PORT: String(port), HOST: "127.0.0.1", ...options.env },
  });
  const command = options.entry === undefined ? [entry] : [PROBOT_BIN, "run", entry];
  const child = spawn(process.execPath, command, {
    cwd: PROJECT_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  collectLines(child.stdout, logs);
  collectLines(child.stderr, logs);
  const url = `http://127.0.0.1:${port}`;
  const app: AppProcess = {
    url,
    process: child,
    logs,
    privateKey,
    simulatorHost: options.simulatorHost,
    kill: () => killChild(child),
  };
  try {
    await waitForPing(url, child, logs, options.startTimeoutMs ?? 20_000);
  } catch (error) {
    await app.kill();
    throw error;
  }
  return app;
}

/**
 * Starts the simulator with the standard scenario ({@link seedScenario}) and the real app process
 * wired to it (webhooks to `APP/api/github/webhooks`). Always call `stop()`, also on failure.
 */
export async function startSimulatedApp(options: SimulatedAppOptions = {}): Promise<SimulatedApp> {
  const secret = `sim-${Math.random().toString(36).slice(2)}`;
  const sim = new GitHubSimulator({
    appId: SCENARIO.appId,
    webhookSecret: secret,
    ...manifestGrants(),
    ...options.simulator,
  });
  seedScenario(sim, options);
  const { port: simPort } = await sim.start();
  let app: AppProcess;
  try {
    app = await startAppProcess({
      simulatorHost: `127.0.0.1:${simPort}`,
      webhookSecret: secret,
      env: options.env,
      entry: options.entry,
      startTimeoutMs: options.startTimeoutMs,
    });
  } catch (error) {
    await sim.stop();
    throw error;
  }
  sim.setWebhookUrl(`${app.url}/api/github/webhooks`);
  const stop = async (): Promise<void> => {
    await app.kill();
    await sim.stop();
  };
  return { sim, app, repo: SCENARIO.repo, installationId: SCENARIO.installationId, stop };
}

/**
 * The permissions and events the project's app.yml declares: what an installation of the registered
 * app grants. The e2e apps run with exactly these, so a route the code needs but app.yml lacks is a
 * `permission` violation (and an event missing from app.yml is never delivered), as on GitHub.
 */
export function manifestGrants(): { permissions: Record<string, "read" | "write">; events: string[] } {
  const manifest = parseYaml(readFileSync(new URL("../../app.yml", import.meta.url), "utf8")) as {
    default_permissions?: Record<string, "read" | "write">;
    default_events?: string[];
  };
  return { permissions: manifest.default_permissions ?? {}, events: manifest.default_events ?? [] };
}

/**
 * Runs `node bin/incident-keeper.js <args>` once against the simulator, as the app (same id and key),
 * as a person or cron runs it, and resolves with what it printed when it exits. The process is killed
 * after `timeoutMs` (default 60 s; code null).
 */
export async function runCliProcess(
  args: string[],
  options: { simulatorHost: string; privateKey: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<ProcessOutcome> {
  if (!existsSync(new URL("../../lib/cli/main.js", import.meta.url)))
    throw new Error("lib/cli/main.js is missing: run `npm run build` first");
  const env = simulatorEnvironment({
    privateKey: options.privateKey,
    simulatorHost: options.simulatorHost,
    extra: options.env,
  });
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (exitCode) => resolve(exitCode));
  });
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** Runs `node bin/incident-keeper.js sweep` once against the simulator (see `runCliProcess`). */
export function runSweepProcess(options: {
  simulatorHost: string;
  privateKey: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}): Promise<ProcessOutcome> {
  return runCliProcess(["sweep"], options);
}

/** Human-readable list of violations, one `- [kind] METHOD path: reason` line each. */
export function formatViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `- [${v.kind}] ${v.method} ${v.path}: ${v.reason}`).join("\n");
}
