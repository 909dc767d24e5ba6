/**
 * `npm run bench` (builds first): runs the three parts against the GitHub simulator with the app as a
 * real process, then writes bench/results/latest.json, bench/results/sweep-growth.svg and
 * BENCHMARKS.md. Options: `--quick` (fewer deliveries, rounds and sweep sizes, for development),
 * `--only=scenarios|throughput|sweep|report` (run one part; the others are kept from latest.json).
 */
import { readFileSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { runScenarios } from "./scenarios.mjs";
import { runThroughput } from "./throughput.mjs";
import { runSweeps } from "./sweep.mjs";
import { writeReport } from "./report.mjs";
import { runReportReads } from "./report-reads.mjs";

const args = new Set(process.argv.slice(2));
const quick = args.has("--quick");
const only = [...args].find((a) => a.startsWith("--only="))?.slice("--only=".length) ?? null;
const resultsDir = fileURLToPath(new URL("./results/", import.meta.url));
const latestPath = `${resultsDir}latest.json`;
const log = (line) => console.log(line);

const settings = quick
  ? {
      throughput: { rounds: 2, deliveries: 40, concurrency: 8 },
      sweepSizes: [
        { incidents: 100, repos: 1 },
        { incidents: 1000, repos: 10 },
      ],
    }
  : {
      throughput: { rounds: 5, deliveries: 200, concurrency: 8 },
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
  log("part 1: API calls per scenario (probot run, throttling on)");
  results.scenarios = await runScenarios({ kind: "probot-run", log });
  results.partsRunAt = { ...results.partsRunAt, scenarios: new Date().toISOString() };
}
if (!only || only === "throughput") {
  log(
    `part 2: throughput, ${settings.throughput.rounds} interleaved rounds of ${settings.throughput.deliveries} deliveries (throttling off)`,
  );
  results.throughput = await runThroughput({ ...settings.throughput, log });
  results.partsRunAt = { ...results.partsRunAt, throughput: new Date().toISOString() };
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
