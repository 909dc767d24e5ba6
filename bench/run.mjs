/**
 * `npm run bench` (builds first): runs the three parts against the GitHub simulator with the app as a
 * real process, then writes bench/results/latest.json, bench/results/sweep-growth.svg and
 * BENCHMARKS.md. Options: `--quick` (fewer deliveries, rounds and sweep sizes, for development),
 * `--only=scenarios|latency|sweep|report` (run one part; the others are kept from latest.json),
 * `--before=DIR` (part 2 also measures the build in DIR, e.g. main before a change),
 * `--scenarios=label,command` (part 2: only these scenarios).
 */
import { readFileSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { runScenarios } from "./scenarios.mjs";
import { runLatency } from "./latency.mjs";
import { runSweeps } from "./sweep.mjs";
import { writeReport } from "./report.mjs";
import { runReportReads } from "./report-reads.mjs";

const args = new Set(process.argv.slice(2));
const quick = args.has("--quick");
const option = (name) => [...args].find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? null;
const only = option("only");
// --before=DIR: another build of the app (DIR/lib/index.js) measured beside this one in part 2.
const beforeRoot = option("before");
const latencyScenarios = option("scenarios")?.split(",") ?? null;
const resultsDir = fileURLToPath(new URL("./results/", import.meta.url));
const latestPath = `${resultsDir}latest.json`;
const log = (line) => console.log(line);

const settings = quick
  ? {
      latency: { deliveries: 3, delayMs: 80 },
      sweepSizes: [
        { incidents: 100, repos: 1 },
        { incidents: 1000, repos: 10 },
      ],
    }
  : {
      latency: { deliveries: 10, delayMs: 80 },
      sweepSizes: [
        { incidents: 100, repos: 1 },
        { incidents: 1000, repos: 10 },
        { incidents: 10000, repos: 100 },
      ],
    };

const previous = existsSync(latestPath) ? JSON.parse(readFileSync(latestPath, "utf8")) : {};
const results = {
  ...previous,
  generatedAt: new Date().toISOString(),
  quick,
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "?",
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
  },
};

if (!only || only === "scenarios") {
  log("part 1: API calls per scenario (node lib/server.js, as npm start serves it; throttling on)");
  results.scenarios = await runScenarios({ kind: "app", log });
  results.partsRunAt = { ...results.partsRunAt, scenarios: new Date().toISOString() };
}
if (!only || only === "latency") {
  log(
    `part 2: latency against the critical path (${settings.latency.delayMs} ms per API call) and CPU against a replaying baseline, ${settings.latency.deliveries} deliveries per scenario`,
  );
  const loadAverageAtStart = os.loadavg().map((l) => Number(l.toFixed(2)));
  results.latency = {
    ...(await runLatency({ ...settings.latency, beforeRoot, only: latencyScenarios, log })),
    loadAverageAtStart,
  };
  results.partsRunAt = { ...results.partsRunAt, latency: new Date().toISOString() };
}
if (!only || only === "sweep") {
  log("part 3: sweep cost");
  // Before -> after: the same sweeps with SWEEP_READER=rest (one REST comment read per incident), same run.
  const sweeps = await runSweeps({ sizes: settings.sweepSizes, log });
  results.sweeps = sweeps.sweeps;
  results.sweepsBefore = sweeps.before;
  results.partsRunAt = { ...results.partsRunAt, sweep: new Date().toISOString() };
}

if (!only || only === "report") {
  log("part 4: what `incident-keeper report` reads for 1,000 incidents");
  results.reportReads = await runReportReads({ incidents: 1000, log });
  results.partsRunAt = { ...results.partsRunAt, report: new Date().toISOString() };
}

mkdirSync(resultsDir, { recursive: true });
writeFileSync(latestPath, `${JSON.stringify(results, null, 2)}\n`);
writeReport(results);
log("wrote bench/results/latest.json, bench/results/sweep-growth.svg, BENCHMARKS.md");
