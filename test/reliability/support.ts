/**
 * Helpers of the reliability tests: the real, built app against the GitHub simulator, a scripted
 * incident life, and a comparable snapshot of an incident's final state.
 *
 * `startReliabilityApp` runs lib/index.js through Probot's own `run()` exactly as `probot run` does,
 * with one difference when `unpaced` is set: the throttling plugin's pacing groups (writes 1 s apart,
 * comments 3 s apart per installation) get `minTime: 0`, so dozens of incident lives fit in a test's
 * time budget. Everything else stays as shipped: the retry plugin, the throttling plugin's rate-limit
 * handling, the app's own secondary-limit retry, timeouts and locks.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  freePort,
  generateAppPrivateKey,
  PROJECT_ROOT,
  SCENARIO,
  seedScenario,
  simulatorEnvironment,
  type AppProcess,
} from "../../simulator/src/app-process.js";
import { GitHubSimulator, incidentFormBody } from "../../simulator/src/index.js";

export { SCENARIO };

/** Simulator + app process. */
export interface ReliabilityApp {
  sim: GitHubSimulator;
  app: AppProcess;
  secret: string;
  stop(): Promise<void>;
}

const LAUNCHER = (unpaced: boolean): string => `
const probot = await import(${JSON.stringify(pathToFileURL(`${PROJECT_ROOT}node_modules/probot/lib/index.js`).href)});
const { IncidentKeeperOctokit } = await import(${JSON.stringify(pathToFileURL(`${PROJECT_ROOT}lib/github/octokit.js`).href)});
const { LocalLimiter } = await import(${JSON.stringify(pathToFileURL(`${PROJECT_ROOT}lib/github/local-limiter.js`).href)});
const app = (await import(${JSON.stringify(pathToFileURL(`${PROJECT_ROOT}lib/index.js`).href)})).default;
const unpaced = ${unpaced ? "true" : "false"};
const group = () => new LocalLimiter.Group({ maxConcurrent: 10, minTime: 0 });
const pacing = unpaced ? { write: group(), notifications: group(), search: group() } : {};
const retry = unpaced ? { retryAfterBaseValue: 100 } : {};
const Octokit = IncidentKeeperOctokit.defaults((options) => ({ ...options, retry: { ...options.retry, ...retry }, throttle: { ...options.throttle, ...pacing } }));
await probot.run(app, { Octokit });
`;

/** Starts the simulator (standard scenario) and the app; `env` adds to the app's environment. */
export async function startReliabilityApp(
  options: { config?: string; env?: Record<string, string>; unpaced?: boolean; simulatorEvents?: string[] } = {},
): Promise<ReliabilityApp> {
  const secret = `sim-${Math.random().toString(36).slice(2)}`;
  const sim = new GitHubSimulator({
    appId: SCENARIO.appId,
    webhookSecret: secret,
    ...(options.simulatorEvents ? { events: options.simulatorEvents } : {}),
  });
  seedScenario(sim, { config: options.config });
  const { port: simPort } = await sim.start();
  const privateKey = generateAppPrivateKey();
  const port = await freePort();
  const simulatorHost = `127.0.0.1:${simPort}`;
  const env = simulatorEnvironment({
    privateKey,
    simulatorHost,
    extra: { WEBHOOK_SECRET: secret, PORT: String(port), HOST: "127.0.0.1", ...options.env },
  });
  const child = spawn(process.execPath, ["--input-type=module", "-e", LAUNCHER(options.unpaced ?? true)], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let partial = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      logs.push(...lines.filter((l) => l.trim() !== ""));
    });
    stream.on("end", () => {
      if (partial.trim() !== "") logs.push(partial);
    });
  }
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await sim.stop();
      throw new Error(`the app exited before answering /ping:\n${logs.join("\n")}`);
    }
    const ok = await fetch(`${url}/ping`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await kill();
      await sim.stop();
      throw new Error(`the app did not answer /ping in 30 s:\n${logs.join("\n")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  sim.setWebhookUrl(`${url}/api/github/webhooks`);
  const app: AppProcess = { url, process: child, logs, privateKey, simulatorHost, kill };
  return {
    sim,
    app,
    secret,
    stop: async () => {
      await kill();
      await sim.stop();
    },
  };
}

/** An issue-form body (classification answers, empty write-up). */
export function formBody(severity: number): string {
  return incidentFormBody({
    summary: "Logins fail for EU customers.",
    category: "Core product bug",
    severity: `Sev ${severity} - major functionality broken, revenue affected`,
    devops: "DevOps 1 - config change, can be automated",
  });
}

/** The write-up that completes incident `i`, listing its action. */
export function writeup(i: number, actionNumber: number): string {
  return [
    "## Timeline",
    `- 09:1${i % 10} UTC alert fired`,
    "## RCA",
    `Cache ${i} disabled by a config push.`,
    "## Actions",
    `- [ ] #${actionNumber} alert on login error rate`,
  ].join("\n");
}

/** One incident's whole life; returns the incident's and its action's numbers. */
export interface LifeNumbers {
  incident: number;
  action: number;
}

/** Step of a scripted life (so a test can interleave lives or repair between steps). */
export type LifeStep = (sim: GitHubSimulator, numbers: LifeNumbers, i: number, repo?: string) => Promise<unknown>;

/**
 * The life of incident `i`: even ones filed from the issue form, odd ones labelled afterwards;
 * classified by commands; closed too early (reopened by the app); write-up filled with an action;
 * the action closed (ticked; incident complete).
 */
export async function fileIncident(
  sim: GitHubSimulator,
  i: number,
  repo: string = SCENARIO.repo,
): Promise<LifeNumbers> {
  const alice = sim.user("alice");
  const { data: action } = await alice.openIssue(repo, { title: `Alert on login error rate (${i})` });
  if (i % 2 === 0) {
    const { data } = await alice.openIssue(repo, {
      title: `[Incident] Logins fail ${i}`,
      body: formBody(2),
      labels: ["incident"],
    });
    return { incident: data.number, action: action.number };
  }
  const { data } = await alice.openIssue(repo, {
    title: `Checkout errors ${i}`,
    body: "Checkout answers 500 for some carts.",
  });
  await sim.user("bob").addLabels(repo, data.number, ["incident"]);
  return { incident: data.number, action: action.number };
}

/** The steps after filing, in order. */
export const LIFE_STEPS: LifeStep[] = [
  (sim, n, i, repo = SCENARIO.repo) =>
    sim
      .user("bob")
      .comment(repo, n.incident, i % 2 === 0 ? "/sev 1\n/devops 3" : "/category core-bug\n/sev 2\n/devops 1"),
  (sim, n, _i, repo = SCENARIO.repo) => sim.user("alice").close(repo, n.incident),
  (sim, n, i, repo = SCENARIO.repo) => sim.user("alice").editBody(repo, n.incident, writeup(i, n.action)),
  (sim, n, _i, repo = SCENARIO.repo) => sim.user("bob").close(repo, n.action),
];

/** Kind of an app comment: the first word after `incident-keeper:` in its marker. */
export function commentKind(body: string): string {
  return /<!-- incident-keeper:([a-z-]+)/.exec(body)?.[1] ?? "unmarked";
}

/** The comparable final state of an incident (no ids, no timestamps). */
export interface FinalState {
  state: string;
  labels: string[];
  body: string;
  appCommentKinds: string[];
  statusFacts: string;
}

/** Status comment text without times and the hidden state line. */
function statusFacts(body: string): string {
  return body
    .split("\n")
    .filter((l) => !l.startsWith("<!-- incident-keeper:state") && !l.startsWith("<sub>Updated"))
    .join("\n")
    .replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/g, "<time>")
    .replace(/ \((?:in|for) [^)]*\)| \([^)]* ago\)/g, "");
}

/** Final state of an incident, comparable across simulators. */
export function finalState(sim: GitHubSimulator, number: number, repo: string = SCENARIO.repo): FinalState {
  const issue = sim.issue(repo, number);
  const comments = sim.comments(repo, number).filter((c) => c.viaApp);
  const status = comments.find((c) => c.body.startsWith("<!-- incident-keeper:status -->"));
  return {
    state: issue.state,
    labels: [...issue.labels].sort(),
    body: issue.body ?? "",
    appCommentKinds: comments.map((c) => commentKind(c.body)).sort(),
    statusFacts: status ? statusFacts(status.body) : "",
  };
}

/** App comments per marker (first line) on an issue that appear more than once. */
export function duplicateAppComments(sim: GitHubSimulator, number: number, repo: string = SCENARIO.repo): string[] {
  const seen = new Map<string, number>();
  for (const c of sim.comments(repo, number).filter((x) => x.viaApp)) {
    const marker = c.body.split("\n", 1)[0] ?? "";
    seen.set(marker, (seen.get(marker) ?? 0) + 1);
  }
  return [...seen].filter(([, count]) => count > 1).map(([marker, count]) => `${marker} x${count}`);
}

/** Where the reliability tests write their figures (RELIABILITY.md quotes them). */
export const REPORT_DIR = process.env.RELIABILITY_REPORT_DIR ?? join(tmpdir(), "incident-keeper-reliability");

/** Writes `name` into REPORT_DIR and echoes it to stdout; returns the path. */
export function writeReport(name: string, text: string): string {
  mkdirSync(REPORT_DIR, { recursive: true });
  const path = join(REPORT_DIR, name);
  writeFileSync(path, text);
  process.stdout.write(`\n[reliability] ${path}\n${text}\n`);
  return path;
}
