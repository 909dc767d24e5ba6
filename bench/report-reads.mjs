/**
 * What `incident-keeper report` costs in API calls for 1,000 incidents (issue #16's target: at most
 * 30). The simulator is seeded with 1,000 incidents over 10 repositories, each with the app's status
 * comment, all opened in the reported range; the report runs as a child process with each reader.
 * Part 4 of `npm run bench` (`--only=report`); `node bench/report-reads.mjs` alone (after `npm run build`)
 * prints the figures and writes bench/results/report-reads.json.
 *
 * The GraphQL reader needs GraphQL in the simulator: until it has it, that row records the
 * simulator's answer instead of a count.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PROJECT_ROOT, simulatorEnvironment } from "../simulator/lib/app-process.js";
import { countCalls, startSimulator } from "./lib/harness.mjs";
import { seedIncidents } from "./sweep.mjs";

const CLI_BIN = fileURLToPath(new URL("../bin/incident-keeper.js", import.meta.url));
const RESULTS = fileURLToPath(new URL("./results/", import.meta.url));
const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 1000);

async function runReport(target, env, args) {
  const child = spawn(process.execPath, [CLI_BIN, "report", ...args], {
    cwd: PROJECT_ROOT,
    env: simulatorEnvironment({
      privateKey: target.privateKey,
      simulatorHost: target.simulatorHost,
      extra: { LOG_LEVEL: "error", ...env },
    }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (c) => (stdout += c));
  child.stderr.setEncoding("utf8").on("data", (c) => (stderr += c));
  const started = performance.now();
  const code = await new Promise((resolve) => child.once("close", resolve));
  return { code, stdout, stderr, wallMs: Math.round(performance.now() - started) };
}

/** Runs the report with each reader over `incidents` seeded incidents; resolves to the figures. */
export async function runReportReads({ incidents = INCIDENTS, log = () => {} } = {}) {
  const now = new Date();
  const target = await startSimulator({ seed: (sim) => seedIncidents(sim, { incidents, repos: 10, now }) });
  const since = new Date(now.getTime() - 70 * 86_400_000).toISOString().slice(0, 10);
  const until = now.toISOString().slice(0, 10);
  const results = { generatedAt: now.toISOString(), incidents, repositories: 10, target: 30, readers: {} };
  try {
    for (const reader of ["graphql", "rest"]) {
      const from = target.sim.requests.length;
      const out = await runReport(target, { REPORT_READER: reader }, [
        "--since",
        since,
        "--until",
        until,
        "--format",
        "json",
      ]);
      const records = target.sim.requests.slice(from);
      const json = out.code === 0 ? JSON.parse(out.stdout) : null;
      results.readers[reader] = {
        exitCode: out.code,
        incidentsRead: json?.source.incidents ?? null,
        apiCalls: records.length,
        reportedApiCalls: json?.source.apiCalls ?? null,
        byOperation: countCalls(records).byOperation,
        graphqlPoints: countCalls(records).graphqlPoints,
        wallMs: out.wallMs,
        error: out.code === 0 ? null : out.stderr.trim().split("\n").at(-1),
      };
      log(
        `  ${reader}: exit ${out.code}, ${records.length} API call(s) for ${json?.source.incidents ?? "?"} incident(s), ${out.wallMs} ms${out.code === 0 ? "" : `: ${results.readers[reader].error}`}`,
      );
    }
  } finally {
    await target.sim.stop();
  }
  return results;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const results = await runReportReads({ log: (line) => console.log(line) });
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(`${RESULTS}report-reads.json`, `${JSON.stringify(results, null, 2)}\n`);
}
