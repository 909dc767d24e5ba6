/**
 * `npm run demo`: one incident played offline, from its alarm to its lessons. Starts the GitHub
 * simulator and the real app process (`node lib/server.js`, what `npm start` serves) wired to it, plays the story of
 * play.ts (an Alertmanager notification files the incident, a reminder sweep, commands, the alert
 * resolving, an early close, the write-up, an action fixed by a merged pull request, the close), prints
 * the issue thread as a person would read it, then the report of the incident's figures, with the
 * number of API requests and OpenAPI violations. No GitHub App and no network.
 *
 * `--serve`: afterwards a second alert fires (an open incident to look at, on the dashboard as soon
 * as the app filed it), and the simulator and the app keep running; the dashboard's URL and token are
 * printed; Ctrl-C stops both.
 * `--security`: instead, a security incident filed in public and moved to the private repository with
 * `/security` (issue #14; security-play.ts), its thread there, the old address's 301 and the figures.
 *
 * Exit 0 on success; 1 with the reason (and the app's last log lines) when a step does not turn out as
 * expected, the simulator saw an invalid request, or it takes too long.
 */
import { randomBytes } from "node:crypto";
import { SCENARIO, startSimulatedApp, type SimulatedApp } from "../app-process.js";
import { wallNow } from "../clock.js";
import type { GitHubSimulator } from "../index.js";
import { alertmanagerNotification, postAlertmanager } from "./alertmanager.js";
import { DEMO_CONFIG, DEMO_SITE, demoAppEnv, playIncident, type PlayOutcome } from "./play.js";
import { runReport } from "./report-step.js";
import { renderThread } from "./thread-text.js";
import { playSecurityIncident, SECURITY_DEMO_CONFIG, SECURITY_REPO, seedSecurityRepo } from "./security-play.js";

const DEMO_TIMEOUT_MS = 120_000;
const repo = SCENARIO.repo;
const RULE = "─".repeat(100);

function say(text: string): void {
  process.stdout.write(`▶ ${text}\n`);
}

function printThread(sim: GitHubSimulator, n: number, where: string = repo): void {
  const thread = renderThread({
    repo: where,
    issue: sim.issue(where, n),
    comments: sim.comments(where, n),
    timeline: sim.timeline(where, n),
  });
  process.stdout.write(`\n${RULE}\n${thread}${RULE}\n`);
}

/** The public write-up's draft (`/postmortem`, issue #14): its pull request and file, as committed on its branch. */
function printDraft(sim: GitHubSimulator, outcome: PlayOutcome): void {
  const { number, branch, path } = outcome.postmortem;
  const file = sim.branches(DEMO_SITE).get(branch)?.files.get(path) ?? "";
  say(`the public write-up's draft: ${DEMO_SITE}#${number} (draft pull request from ${branch}), file ${path}`);
  process.stdout.write(`\n${RULE}\n${file.trimEnd()}\n${RULE}\n`);
}

async function printReport(running: SimulatedApp, outcome: PlayOutcome): Promise<void> {
  say(`the report of the incident's figures (incident-keeper report --repo ${repo} --format md)`);
  const report = await runReport({
    simulatorHost: running.app.simulatorHost,
    privateKey: running.app.privateKey,
    repo,
    since: outcome.alertStartedAt,
    until: new Date(wallNow()),
  });
  if (report.code !== 0)
    throw new Error(`the report exited with ${String(report.code)}:\n${report.stderr || report.stdout}`);
  process.stdout.write(`\n${RULE}\n${report.stdout.trimEnd()}\n${RULE}\n${report.stderr}`);
}

function summarise(sim: GitHubSimulator): number {
  const appRequests = sim.requests.filter((r) => !r.path.endsWith("/access_tokens"));
  const reads = appRequests.filter((r) => r.method === "GET").length;
  const tokens = sim.requests.length - appRequests.length;
  const violations = sim.violations.length;
  process.stdout.write(
    `API requests: ${appRequests.length} (${reads} reads, ${appRequests.length - reads} writes; ` +
      `plus ${tokens} token creations) · webhooks delivered: ${sim.deliveries.length} · ` +
      `OpenAPI violations: ${violations}\n`,
  );
  if (violations === 0) return 0;
  process.stderr.write(
    `demo failed: the simulator recorded ${violations} request(s) GitHub would reject or that it cannot answer:\n`,
  );
  for (const v of sim.violations) process.stderr.write(`- [${v.kind}] ${v.method} ${v.path}: ${v.reason}\n`);
  return 1;
}

/** `--serve`: an open incident for the dashboard, then keep running until a signal. */
async function serve(running: SimulatedApp, token: string): Promise<void> {
  say("a second alert fires (DiskFillingUp, warning) so the dashboard has an open incident");
  await postAlertmanager(
    running.app.url,
    alertmanagerNotification({
      groupBy: ["alertname"],
      alerts: [
        {
          labels: { alertname: "DiskFillingUp", severity: "warning", service: "search", instance: "search-3" },
          annotations: { summary: "search-3's data disk will be full within 12 hours" },
          startsAt: new Date(wallNow() - 20 * 60_000),
          endsAt: null,
        },
      ],
    }),
  );
  const deadline = wallNow() + 30_000;
  while (running.sim.issues(repo).filter((i) => i.state === "open" && i.labels.includes("incident")).length === 0) {
    if (wallNow() > deadline) throw new Error("the app did not file the second alert's incident in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await running.sim.settle();
  // The app's filing put the incident on the dashboard's view at once (no sweep needed).
  process.stdout.write(
    [
      "",
      `the dashboard: ${running.app.url}/incident-keeper/dashboard`,
      `its access token (enter it on the page): ${token}`,
      `the simulator's REST API (GHE_HOST): http://${running.app.simulatorHost}/api/v3`,
      "the simulator and the app keep running; Ctrl-C stops both",
      "",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
}

/**
 * One play under the demo's watchdog: the simulator and the app started by `start`, `play` run with
 * them; after DEMO_TIMEOUT_MS it gives up (the app's last log lines printed); a failure prints the
 * app's last log lines too; both are always stopped. `play` returns the exit code and may keep them
 * running (`--serve`) after calling `done()`, which stops the watchdog.
 */
async function underWatchdog(
  start: () => Promise<SimulatedApp>,
  play: (running: SimulatedApp, done: () => void) => Promise<number>,
): Promise<number> {
  let running: SimulatedApp | null = null;
  const timer = setTimeout(() => {
    process.stderr.write(
      `demo: gave up after ${DEMO_TIMEOUT_MS / 1000} s\n${running?.app.logs.slice(-20).join("\n") ?? ""}\n`,
    );
    running?.app.process.kill("SIGKILL");
    process.exit(1);
  }, DEMO_TIMEOUT_MS);
  try {
    say("starting the GitHub simulator and the app (node lib/server.js, as npm start)");
    running = await start();
    return await play(running, () => clearTimeout(timer));
  } catch (error) {
    process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    const logs = running?.app.logs.slice(-20) ?? [];
    if (logs.length > 0) process.stderr.write(`last lines of the app's log:\n${logs.join("\n")}\n`);
    return 1;
  } finally {
    clearTimeout(timer);
    await running?.stop();
  }
}

/** `--security`: the security play (issue #14), its moved thread, the old address and the figures. */
function securityDemo(): Promise<number> {
  const started = wallNow();
  return underWatchdog(
    () => startSimulatedApp({ orgConfig: SECURITY_DEMO_CONFIG, env: demoAppEnv() }),
    async (running) => {
      seedSecurityRepo(running);
      say(`acme/.github's .github/incident-keeper.yml:\n${SECURITY_DEMO_CONFIG.replace(/^/gm, "    ").trimEnd()}`);
      say(`${SECURITY_REPO} is private and in the app's installation`);
      const outcome = await playSecurityIncident(running, say);
      say(
        `acme/api#${outcome.publicNumber}'s old address answers ${outcome.oldAddress.status} -> ` +
          (outcome.oldAddress.location ?? "").replace(/^https?:\/\/[^/]+\/api\/v3/, ""),
      );
      say(`the incident's thread in the private repository ${SECURITY_REPO}`);
      printThread(running.sim, outcome.privateNumber, SECURITY_REPO);
      const code = summarise(running.sim);
      process.stdout.write(`demo finished in ${((wallNow() - started) / 1000).toFixed(1)} s\n`);
      return code;
    },
  );
}

async function main(argv: readonly string[]): Promise<number> {
  const unknown = argv.filter((a) => a !== "--serve" && a !== "--security");
  if (unknown.length > 0) {
    process.stderr.write(`demo: unknown option ${unknown.join(" ")} (options: --serve, --security)\n`);
    return 2;
  }
  // `--security` (issue #14): the security incident filed in the public repository and moved to the private one.
  if (argv.includes("--security")) return securityDemo();
  const serving = argv.includes("--serve");
  const token = randomBytes(18).toString("base64url");
  const started = wallNow();
  return underWatchdog(
    () =>
      startSimulatedApp({
        config: DEMO_CONFIG,
        env: demoAppEnv(serving ? { DASHBOARD_TOKEN: token, SWEEP_TRIGGER_TOKEN: token } : {}),
      }),
    async (running, done) => {
      say(`acme/api's .github/incident-keeper.yml:\n${DEMO_CONFIG.replace(/^/gm, "    ").trimEnd()}`);
      const outcome = await playIncident(running, say);
      printThread(running.sim, outcome.incident);
      printDraft(running.sim, outcome);
      await printReport(running, outcome);
      const code = summarise(running.sim);
      process.stdout.write(`demo finished in ${((wallNow() - started) / 1000).toFixed(1)} s\n`);
      done();
      if (serving && code === 0) await serve(running, token);
      return code;
    },
  );
}

process.exitCode = await main(process.argv.slice(2));
