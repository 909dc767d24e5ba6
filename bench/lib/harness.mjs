/**
 * Shared plumbing of the benchmark: a seeded simulator, app processes of three kinds, the sweep CLI
 * under /usr/bin/time, and request counting. Runs the built code (lib/): `npm run build` first.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { GitHubSimulator } from "../../simulator/lib/index.js";
import { freePort, generateAppPrivateKey, PROJECT_ROOT, SCENARIO, seedScenario, simulatorEnvironment } from "../../simulator/lib/app-process.js";

export { SCENARIO };

const PROBOT_BIN = fileURLToPath(new URL("../../node_modules/probot/bin/probot.js", import.meta.url));
const UNTHROTTLED = fileURLToPath(new URL("../unthrottled-server.mjs", import.meta.url));
const APP_STACK = fileURLToPath(new URL("../app-stack-server.mjs", import.meta.url));
const REPLAY_APP = fileURLToPath(new URL("../replay-app.mjs", import.meta.url));
const CLI_BIN = fileURLToPath(new URL("../../bin/incident-keeper.js", import.meta.url));

/** A key generated once per bench run: RSA generation costs ~100 ms and is not what we measure. */
let sharedKey = null;
function privateKey() {
  sharedKey ??= generateAppPrivateKey();
  return sharedKey;
}

/** The app's private key of this bench run (what the app processes get), e.g. to sign seeded hidden states. */
export const benchPrivateKey = privateKey;

/**
 * A started simulator with the standard scenario (acme/api, acme/web, acme/.github, alice/bob/mallory).
 * `config`: acme/api's .github/incident-keeper.yml (omit for none). `webhookOrdering`: the
 * simulator's delivery order ("per-repository" by default; "concurrent" posts each delivery at once).
 */
export async function startSimulator({ config, orgConfig, seed, webhookOrdering } = {}) {
  const secret = `bench-${Math.random().toString(36).slice(2)}`;
  const sim = new GitHubSimulator({ appId: SCENARIO.appId, webhookSecret: secret, webhookTimeoutMs: 30_000, webhookOrdering });
  seedScenario(sim, { config, orgConfig });
  seed?.(sim);
  const { port } = await sim.start();
  return { sim, secret, privateKey: privateKey(), simulatorHost: `127.0.0.1:${port}` };
}

/**
 * The command line of each kind of app process:
 * - `app`: `node lib/server.js`, exactly as `npm start` serves it (throttling on); a build from before
 *   lib/server.js existed (`--before`), `probot run ./lib/index.js` as it was served then;
 * - `app-stock`: the same build under `probot run ./lib/index.js` (Probot's stock pipeline);
 * - `unthrottled`: the app served by bench/unthrottled-server.mjs (Probot's `run()`, throttling off);
 * - `replay`: bench/replay-app.mjs (replays recorded API calls, nothing else), under `probot run`;
 * - `replay-app-stack`: the same replay on the app's request pipeline (bench/app-stack-server.mjs);
 * - `replay-unthrottled`: the same replay served by bench/unthrottled-server.mjs (throttling off).
 */
function commandOf(kind, appRoot) {
  // The app as `npm start` serves it (lib/server.js); a build from before that entry existed, by `probot run`.
  if (kind === "app") return existsSync(`${appRoot}/lib/server.js`) ? ["./lib/server.js"] : [PROBOT_BIN, "run", "./lib/index.js"];
  // The same app on Probot's stock pipeline (`probot run`), for comparisons of the pipeline itself.
  if (kind === "app-stock") return [PROBOT_BIN, "run", "./lib/index.js"];
  if (kind === "unthrottled") return [UNTHROTTLED, "./lib/index.js"];
  // The CPU baseline: replays recorded API calls (REPLAY_SCRIPT), a Probot app as `probot run` serves it.
  if (kind === "replay") return [PROBOT_BIN, "run", REPLAY_APP];
  // The same replay on the app's own request pipeline (bench/app-stack-server.mjs), for comparison.
  if (kind === "replay-app-stack") return [APP_STACK, REPLAY_APP];
  // The same replay without Probot's throttling (bench/unthrottled-server.mjs): what the limiter's own hops cost.
  if (kind === "replay-unthrottled") return [UNTHROTTLED, REPLAY_APP];
  throw new Error(`unknown app kind ${kind}`);
}

async function waitForPing(url, child, logs, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the app exited before answering /ping:\n${logs.join("\n")}`);
    try {
      const response = await globalThis.fetch(`${url}/ping`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the app did not answer /ping within ${timeoutMs} ms:\n${logs.join("\n")}`);
}

/** Starts an app process of `kind` wired to the simulator of `target`; resolves once it answers /ping. */
export async function startApp(target, { kind = "app", env = {}, appRoot = PROJECT_ROOT, nodeArgs = [] } = {}) {
  if (!existsSync(`${appRoot}/lib/index.js`)) throw new Error(`${appRoot}/lib/index.js is missing: run \`npm run build\` first`);
  const port = await freePort();
  const childEnv = simulatorEnvironment({
    privateKey: target.privateKey,
    simulatorHost: target.simulatorHost,
    extra: { WEBHOOK_SECRET: target.secret, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "error", ...env },
  });
  const child = spawn(process.execPath, [...nodeArgs, ...commandOf(kind, appRoot)], { cwd: appRoot, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  const logs = [];
  for (const stream of [child.stdout, child.stderr]) stream.setEncoding("utf8").on("data", (chunk) => logs.push(chunk));
  const url = `http://127.0.0.1:${port}`;
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForPing(url, child, logs, 30_000);
  } catch (error) {
    await kill();
    throw error;
  }
  target.sim.setWebhookUrl(`${url}/api/github/webhooks`);
  return { url, child, logs, kill, cpuMs: () => processCpuMs(child.pid), rssKb: () => processMemoryKb(child.pid) };
}

/** User + system CPU time of a live process, from /proc/<pid>/stat (clock ticks of 10 ms). */
export function processCpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // after the command: state(0) ... utime(11) stime(12)
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** VmRSS and VmHWM (peak) of a live process, in KiB. */
export function processMemoryKb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? NaN);
  return { rss: field("VmRSS"), peak: field("VmHWM") };
}

const TOKEN_CREATION = /^\/app\/installations\/\d+\/access_tokens$/;

/** The app's requests from index `from` on, without access-token creation (a JWT exchange, not an API call against the rate limit). */
export function appRequests(sim, from = 0) {
  return sim.requests.slice(from).filter((r) => !(r.method === "POST" && TOKEN_CREATION.test(r.path)));
}

/**
 * Reads (GET/HEAD, GraphQL queries) and writes (GraphQL mutations too) of a list of request records,
 * with a per-operation breakdown and the GraphQL requests and points among them.
 */
export function countCalls(records) {
  let reads = 0;
  let writes = 0;
  let notModified = 0;
  let graphqlRequests = 0;
  let graphqlPoints = 0;
  const byOperation = {};
  for (const r of records) {
    const isRead = r.graphql ? r.graphql.operation !== "mutation" : r.method === "GET" || r.method === "HEAD";
    if (isRead) reads += 1;
    else writes += 1;
    if (r.status === 304) notModified += 1;
    if (r.graphql) {
      graphqlRequests += 1;
      graphqlPoints += r.graphql.cost;
    }
    const key = r.graphql ? `graphql ${r.graphql.operation ?? "invalid"}` : `${r.method} ${r.operationId ?? r.path}`;
    byOperation[key] = (byOperation[key] ?? 0) + 1;
  }
  return { reads, writes, notModified, byOperation, graphqlRequests, graphqlPoints };
}

/**
 * Runs `node bin/incident-keeper.js sweep` once under `/usr/bin/time -v` (when present) against the
 * simulator of `target`, with SWEEP_REPORT_JSON=1. Resolves to the exit code, the sweep's own JSON
 * report, wall time, CPU time (user + system) and peak RSS of the sweep process.
 */
export async function runSweep(target, { env = {}, timeoutMs = 30 * 60_000 } = {}) {
  const childEnv = simulatorEnvironment({ privateKey: target.privateKey, simulatorHost: target.simulatorHost, extra: { SWEEP_REPORT_JSON: "1", LOG_LEVEL: "error", ...env } });
  const useTime = existsSync("/usr/bin/time");
  const [command, args] = useTime ? ["/usr/bin/time", ["-v", process.execPath, CLI_BIN, "sweep"]] : [process.execPath, [CLI_BIN, "sweep"]];
  const started = performance.now();
  const child = spawn(command, args, { cwd: PROJECT_ROOT, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const code = await new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  clearTimeout(timer);
  const wallMs = performance.now() - started;
  const report = stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line))
    .at(-1);
  const timeField = (label) => Number(new RegExp(`${label}:\\s*([\\d.]+)`).exec(stderr)?.[1] ?? NaN);
  return {
    code,
    report,
    summary: stdout.split("\n")[0],
    wallMs: Math.round(wallMs),
    cpuMs: useTime ? Math.round((timeField("User time \\(seconds\\)") + timeField("System time \\(seconds\\)")) * 1000) : null,
    peakRssKb: useTime ? timeField("Maximum resident set size \\(kbytes\\)") : null,
    stderr: code === 0 ? "" : stderr.slice(-4000),
  };
}

/** Median of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The p-th percentile (nearest rank) of numbers. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
