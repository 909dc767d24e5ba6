/**
 * No secret leaks: the app runs at LOG_LEVEL=trace through an incident life with error paths (failing
 * requests, a handler error on a malformed payload, an invalid config), then the sweep CLI runs at
 * trace too. No log line, comment or error message may contain a line of the private key, the webhook
 * secret, or an installation token (any `ghs_` token the simulator issued).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { runSweepProcess } from "../../simulator/src/app-process.js";
import {
  fileIncident,
  LIFE_STEPS,
  SCENARIO,
  startReliabilityApp,
  writeReport,
  type ReliabilityApp,
} from "./support.js";

let e2e: ReliabilityApp;
/** Every installation token the simulator hands out has this shape (simulator/src/auth.ts). */
const TOKEN = /ghs_[A-Za-z0-9_-]{20,}/;

beforeAll(async () => {
  e2e = await startReliabilityApp({ env: { LOG_LEVEL: "trace" } });
}, 60_000);
afterAll(() => e2e?.stop());

function findLeaks(texts: string[], secrets: string[]): string[] {
  const leaks: string[] = [];
  for (const text of texts) {
    const token = TOKEN.exec(text);
    if (token) leaks.push(`token ${token[0].slice(0, 8)}… in: ${text.slice(0, 120)}`);
    for (const secret of secrets)
      if (text.includes(secret)) leaks.push(`secret ${secret.slice(0, 6)}… in: ${text.slice(0, 120)}`);
  }
  return leaks;
}

describe("no secret in logs, comments or error messages", () => {
  it("through an incident life with error paths, and the sweep CLI", async () => {
    const { sim, app, secret } = e2e;
    const repo = SCENARIO.repo;
    const n = await fileIncident(sim, 0);
    sim.faults = { failRate: 0.5, statuses: [500, 502], seed: 9, applyWritesBeforeFailing: true };
    await LIFE_STEPS[0]!(sim, n, 0);
    sim.faults = {};
    for (const step of LIFE_STEPS.slice(1)) await step(sim, n, 0);
    const broken = await sim.deliver("issues", {
      action: "opened",
      installation: { id: SCENARIO.installationId },
      repository: { name: "api", owner: { login: SCENARIO.org } },
    });
    sim.seed.file(repo, SCENARIO.configPath, "sla: [broken");
    await sim.user("alice").openIssue(repo, { title: "config broken", labels: ["incident"] });
    await sim.settle({ timeoutMs: 30_000 });
    const sweep = await runSweepProcess({
      simulatorHost: app.simulatorHost,
      privateKey: app.privateKey,
      env: { LOG_LEVEL: "trace" },
    });

    const pemLines = app.privateKey.split("\n").filter((l) => l.length >= 16 && !l.startsWith("-----"));
    const secrets = [secret, ...pemLines];
    const comments = sim.issues(repo).flatMap((i) => sim.comments(repo, i.number).map((c) => c.body));
    const sweepLines = `${sweep.stdout}\n${sweep.stderr}`.split("\n");
    const tokensIssued = sim.countRequests({ path: /\/access_tokens$/ }).total;
    const errorLines = app.logs.filter((l) => /ERROR|"level":50|err/.test(l));

    // The error paths were really taken, and the app did hold installation tokens.
    expect(broken).toBe(500);
    expect(sim.requests.filter((r) => r.fault).length).toBeGreaterThan(0);
    expect(errorLines.length).toBeGreaterThan(0);
    expect(tokensIssued).toBeGreaterThan(0);
    expect(sweep.code).toBe(0);
    expect(app.logs.length).toBeGreaterThan(50);
    expect(pemLines.length).toBeGreaterThan(20);

    // The detector itself finds a token and a key line.
    expect(findLeaks([`x ghs_${"a".repeat(24)}`, `k ${pemLines[3]!}`, secret], secrets)).toHaveLength(3);
    expect(findLeaks(app.logs, secrets)).toEqual([]);
    expect(findLeaks(comments, secrets)).toEqual([]);
    expect(findLeaks(sweepLines, secrets)).toEqual([]);

    writeReport(
      "secrets.md",
      [
        "| looked at | lines / bodies | leaks |",
        "|---|---|---|",
        `| app log lines at LOG_LEVEL=trace (incl. ${errorLines.length} error lines) | ${app.logs.length} | 0 |`,
        `| comment bodies | ${comments.length} | 0 |`,
        `| sweep CLI output lines at LOG_LEVEL=trace | ${sweepLines.length} | 0 |`,
        "",
        `Checked: the webhook secret, ${pemLines.length} private-key lines, any \`ghs_\` installation token (${tokensIssued} issued during the run).`,
      ].join("\n"),
    );
  }, 90_000);
});
