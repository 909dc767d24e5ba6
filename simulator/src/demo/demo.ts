/**
 * `npm run demo`: an incident played offline. Starts the GitHub simulator and the real app process
 * (`probot run ./lib/index.js`) wired to it, plays an incident from the issue form to its close, runs
 * one reminder sweep with the sweep CLI, and prints the issue thread as a person would read it.
 * No GitHub App and no network. Exit 0 on success; 1 with the reason (and the app's last log lines)
 * when a step does not turn out as expected, the simulator saw an invalid request, or it takes too long.
 */
import { runSweepProcess, SCENARIO, startSimulatedApp, type SimulatedApp } from "../app-process.js";
import { incidentFormBody, type GitHubSimulator, type IncidentFormAnswers } from "../index.js";
import { renderThread } from "./thread-text.js";
import { wallNow } from "../clock.js";

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const DEMO_TIMEOUT_MS = 120_000;
const repo = SCENARIO.repo;

/** The demo repository's config: reminders mention the on-call team. */
const CONFIG = ["teams:", '  responders: "@acme/oncall"', ""].join("\n");

/** Alice's answers in the incident form; the remediation difficulty is left open. */
const FORM_ANSWERS: IncidentFormAnswers = {
  summary: "Checkout returns HTTP 500 for every customer in the EU region.",
  impact: "About a third of all orders fail; revenue is affected.",
  category: "Core product bug",
  severity: "Sev 3 - minor problem",
};
const FORM_BODY = incidentFormBody(FORM_ANSWERS);

/** The filled-in write-up; its timeline is told relative to when the incident was filed. */
function writeUp(actionNumber: number, filedAt: Date): string {
  const at = (minutes: number): string => new Date(filedAt.getTime() + minutes * MINUTE_MS).toISOString().slice(11, 16);
  const timeline = [
    `- ${at(-4)} UTC error-rate alert for checkout-eu`,
    `- ${at(0)} UTC incident filed`,
    `- ${at(6 * 60 + 40)} UTC the payment-gateway timeout (50 ms) found in the EU config`,
    `- ${at(6 * 60 + 55)} UTC config rolled back, errors stop`,
  ].join("\n");
  return incidentFormBody({
    ...FORM_ANSWERS,
    timeline,
    rca: "A config change lowered the payment gateway timeout from 5 s to 50 ms in the EU region only; no alert covered the checkout error rate.",
    actions: `- [ ] #${actionNumber} alert on the checkout error rate`,
  });
}

class DemoError extends Error {}

function expectThat(condition: boolean, what: string): void {
  if (!condition) throw new DemoError(`the app did not do what the demo expects: ${what}`);
}

function say(text: string): void {
  process.stdout.write(`▶ ${text}\n`);
}

async function play(running: SimulatedApp): Promise<number> {
  const { sim } = running;
  const alice = sim.user("alice");
  const bob = sim.user("bob");
  const comments = (n: number): string[] => sim.comments(repo, n).map((c) => c.body);
  const hasComment = (n: number, marker: string): boolean => comments(n).some((b) => b.includes(marker));

  // The incident was filed 7 hours ago (the simulator's clock, so GitHub's created_at says so); from
  // then on everything happens now, on the same clock as the app's.
  const filedAt = new Date(Math.floor((wallNow() - 7 * HOUR_MS) / MINUTE_MS) * MINUTE_MS);
  sim.setTime(filedAt);
  say("7 hours ago: alice filed an incident from the issue form (Core product bug, Sev 3, remediation difficulty left open)");
  const { data: incident } = await alice.openIssue(repo, { title: "[Incident] Checkout fails in the EU", body: FORM_BODY, labels: ["incident"] });
  const n = incident.number;
  await sim.settle();
  sim.setTime(null);
  expectThat(["category:core-bug", "sev:3"].every((l) => sim.issue(repo, n).labels.includes(l)) && hasComment(n, "**Still to classify:** remediation difficulty"), "classify the incident from the form's dropdowns");

  say("now: the reminder sweep runs (incident-keeper sweep); 7 of the 12 hours to classify have passed");
  const sweep = await runSweepProcess({ simulatorHost: running.app.simulatorHost, privateKey: running.app.privateKey, timeoutMs: 60_000 });
  if (sweep.code !== 0) throw new DemoError(`the sweep exited with ${String(sweep.code)}:\n${sweep.stderr || sweep.stdout}`);
  await sim.settle();
  expectThat(hasComment(n, "<!-- incident-keeper:reminder investigation:50@"), "post the 50 % reminder of the investigation window");

  say("bob, a responder, classifies it with slash commands: /sev 2, /devops 1");
  await bob.comment(repo, n, "Revenue is hit, and the fix is a config rollback.\n\n/sev 2\n/devops 1");
  await sim.settle();
  const labels = sim.issue(repo, n).labels;
  expectThat(labels.includes("sev:2") && labels.includes("devops:1") && !labels.includes("sev:3"), "replace sev:3 with sev:2 and add devops:1");

  say("mallory, who has only read access, tries /sev 1");
  await sim.user("mallory").comment(repo, n, "/sev 1");
  await sim.settle();
  expectThat(hasComment(n, "needs at least **triage** permission") && !sim.issue(repo, n).labels.includes("sev:1"), "refuse mallory's /sev 1 with one reply");

  say("alice closes the incident once the fix is out, before the write-up");
  await alice.close(repo, n);
  await sim.settle();
  expectThat(sim.issue(repo, n).state === "open" && hasComment(n, "### 🔁 Reopened"), "reopen the incident and say why");

  say("bob opens the follow-up action; alice fills in Timeline, RCA and Actions");
  const { data: action } = await bob.openIssue(repo, { title: "Alert on the checkout error rate", body: "Page the on-call when checkout errors exceed 2 % for 5 minutes." });
  await alice.editBody(repo, n, writeUp(action.number, filedAt));
  await sim.settle();
  expectThat(!sim.issue(repo, n).labels.includes("incident:needs-writeup"), "drop incident:needs-writeup once the write-up is filled in");

  say(`bob closes the action #${action.number}`);
  await bob.close(repo, action.number);
  await sim.settle();
  expectThat((sim.issue(repo, n).body ?? "").includes(`- [x] #${action.number}`) && hasComment(n, "### ✅ Incident complete"), "tick the action's checkbox and say the incident is complete");

  say("alice closes the incident; this time it stays closed");
  await alice.close(repo, n);
  await sim.settle();
  expectThat(sim.issue(repo, n).state === "closed", "keep the completed incident closed");

  const rule = "─".repeat(100);
  process.stdout.write(`\n${rule}\n${renderThread({ repo, issue: sim.issue(repo, n), comments: sim.comments(repo, n), timeline: sim.timeline(repo, n) })}${rule}\n`);
  return summarise(sim);
}

function summarise(sim: GitHubSimulator): number {
  const appRequests = sim.requests.filter((r) => !r.path.endsWith("/access_tokens"));
  const reads = appRequests.filter((r) => r.method === "GET").length;
  const tokens = sim.requests.length - appRequests.length;
  const violations = sim.violations.length;
  process.stdout.write(
    `API requests: ${appRequests.length} (${reads} reads, ${appRequests.length - reads} writes; plus ${tokens} token creations) · webhooks delivered: ${sim.deliveries.length} · OpenAPI violations: ${violations}\n`,
  );
  if (violations === 0) return 0;
  process.stderr.write(`demo failed: the simulator recorded ${violations} request(s) GitHub would reject or that it cannot answer:\n`);
  for (const v of sim.violations) process.stderr.write(`- [${v.kind}] ${v.method} ${v.path}: ${v.reason}\n`);
  return 1;
}

async function main(): Promise<number> {
  const started = wallNow();
  let running: SimulatedApp | null = null;
  const timer = setTimeout(() => {
    process.stderr.write(`demo: gave up after ${DEMO_TIMEOUT_MS / 1000} s\n${running?.app.logs.slice(-20).join("\n") ?? ""}\n`);
    running?.app.process.kill("SIGKILL");
    process.exit(1);
  }, DEMO_TIMEOUT_MS);
  try {
    say("starting the GitHub simulator and the app (probot run ./lib/index.js)");
    running = await startSimulatedApp({ config: CONFIG, env: { SWEEP_INTERVAL_MINUTES: "0" } });
    say(`acme/api's .github/incident-keeper.yml:\n${CONFIG.replace(/^/gm, "    ").trimEnd()}`);
    const code = await play(running);
    process.stdout.write(`demo finished in ${((wallNow() - started) / 1000).toFixed(1)} s\n`);
    return code;
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

process.exitCode = await main();
