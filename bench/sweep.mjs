/**
 * Part 3: what one reminder sweep costs as the number of open incidents grows. The simulator is
 * seeded directly (no webhooks) with N open incidents over R repositories of installation 1001,
 * each with the app's status comment (hidden state: classified 5 minutes after opening), as a
 * running installation has them. 1 % are 60 days old, so their first resolution reminder (50 % of
 * the 90-day Sev 3 / DevOps 3 window) is due; the rest are a week old or younger and owe nothing.
 *
 * Two ways the sweep runs, both measured:
 * - the CLI (`node bin/incident-keeper.js sweep`, SWEEP_REPORT_JSON=1) under /usr/bin/time -v: a
 *   fresh process, so no cache (cron / Kubernetes CronJob deployments); Probot's default Octokit,
 *   throttling ON (search requests 2 s apart, writes 1 s apart), as users run it;
 * - the server (bench/unthrottled-server.mjs, throttling off) through its HTTP trigger, twice: the
 *   first sweep of the process, then a second one whose due-cache knows the quiet incidents, then a
 *   third with nothing changed (the repair pass reconciles nothing, the redelivery pass lists one page).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "../simulator/lib/app-process.js";
import { configureStateKey, encodeState, EMPTY_STATE, STATUS_MARKER } from "../lib/core/status-state.js";
import { stateKeyFrom } from "../lib/runtime/state-key.js";
import {
  appRequests,
  benchPrivateKey,
  countCalls,
  processCpuMs,
  processMemoryKb,
  runSweep,
  startApp,
  startSimulator,
} from "./lib/harness.mjs";

const DAY_MS = 24 * 3600_000;
const ORG_CONFIG = ["teams:", '  responders: "@acme/oncall"', ""].join("\n");
const TRIGGER_TOKEN = "bench-sweep-token";

/** Repository names: acme/svc-000 ... */
const repoName = (i) => `acme/svc-${String(i).padStart(3, "0")}`;

/** Seeds `incidents` open incidents over `repos` repositories; returns how many are due. */
export function seedIncidents(sim, { incidents, repos, now }) {
  // Signed with the app's key (STATE_SIGNING is on by default), as the app itself writes them: an
  // unsigned state would not verify and each incident read would be rebuilt from its history.
  configureStateKey(stateKeyFrom({ PRIVATE_KEY: benchPrivateKey() }));
  const labels = ["incident", "category:core-bug", "sev:3", "devops:3"];
  for (let r = 0; r < repos; r += 1) {
    sim.seed.repo(repoName(r), { installationId: 1001 });
    for (const name of labels) sim.seed.label(repoName(r), { name });
  }
  let due = 0;
  for (let i = 0; i < incidents; i += 1) {
    const old = i % 100 === 42;
    if (old) due += 1;
    // distinct creation seconds, so the search cursor past 1,000 results always advances
    const createdAt = new Date(now.getTime() - (old ? 60 * DAY_MS : 7 * DAY_MS) + i * 1000);
    const classifiedAt = new Date(createdAt.getTime() + 5 * 60_000);
    const repo = repoName(i % repos);
    const n = sim.seed.issue(repo, {
      title: `Incident ${i}`,
      body: "Seeded by the benchmark.",
      labels,
      user: "alice",
      createdAt,
    });
    const state = encodeState({ ...EMPTY_STATE, classifiedAt: classifiedAt.toISOString() });
    sim.seed.comment(repo, n, {
      body: `${STATUS_MARKER}\n${state}\n**Incident status** (seeded)`,
      viaApp: true,
      createdAt: classifiedAt,
    });
  }
  return due;
}

function splitCalls(records) {
  const counts = countCalls(records);
  const search = records.filter((r) => r.path === "/search/issues").length;
  const contents = records.filter((r) => r.path.includes("/contents/")).length;
  const comments = records.filter((r) => r.method === "GET" && /\/issues\/\d+\/comments$/.test(r.path)).length;
  const graphqlQueries = records.filter((r) => r.graphql && r.graphql.operation !== "mutation").length;
  const other = counts.reads - search - contents - comments - graphqlQueries;
  return {
    reads: counts.reads,
    writes: counts.writes,
    searchPages: search,
    configReads: contents,
    commentReads: comments,
    graphqlQueries,
    graphqlPoints: counts.graphqlPoints,
    other,
    byOperation: counts.byOperation,
  };
}

/**
 * The target of issue #12: pages of 100 to enumerate, plus the writes that are due (the sweep's own
 * count: reminder comment, breach label, status comment), plus the config reads (conditional REST),
 * plus one batch query per 100 incidents read; no per-incident read when nothing is due.
 */
function targetCalls(incidents, dueWrites, configReads, read) {
  const searchPages = Math.ceil(incidents / 100);
  const batches = Math.ceil(read / 100);
  return { searchPages, dueWrites, batches, target: searchPages + dueWrites + configReads + batches };
}

/** A throwaway redis-server on a free port (Debian's `redis-server`), or null when it is not installed. */
async function startRedis() {
  if (!existsSync("/usr/bin/redis-server")) return null;
  const port = await freePort();
  const child = spawn("/usr/bin/redis-server", ["--port", String(port), "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  await sleep(300);
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill("SIGTERM") };
}

async function sweepCli({ incidents, repos }, { redis = false } = {}) {
  const now = new Date();
  let due = 0;
  const target = await startSimulator({
    orgConfig: ORG_CONFIG,
    seed: (sim) => (due = seedIncidents(sim, { incidents, repos, now })),
  });
  const server = redis ? await startRedis() : null;
  if (redis && !server) {
    await target.sim.stop();
    return null;
  }
  try {
    const from = target.sim.requests.length;
    const run = await runSweep(target, { env: server ? { REDIS_URL: server.url } : {} });
    if (run.code !== 0) throw new Error(`sweep CLI exited ${run.code}: ${run.stderr}`);
    const totals = run.report.installations[0];
    const calls = splitCalls(appRequests(target.sim, from));
    return {
      mode: redis ? "cli (REDIS_URL)" : "cli",
      incidents,
      repos,
      due,
      ...targetCalls(incidents, totals.writes, calls.configReads, totals.read),
      graphql: totals.graphql ?? null,
      found: totals.found,
      read: totals.read,
      posted: totals.posted,
      wallMs: run.wallMs,
      cpuMs: run.cpuMs,
      peakRssKb: run.peakRssKb,
      calls,
      violations: target.sim.violations.length,
    };
  } finally {
    server?.stop();
    await target.sim.stop();
  }
}

async function trigger(app) {
  const response = await globalThis.fetch(`${app.url}/api/incident-keeper/sweep?wait=1`, {
    method: "POST",
    headers: { authorization: `Bearer ${TRIGGER_TOKEN}` },
  });
  if (response.status !== 200) throw new Error(`sweep trigger answered ${response.status}`);
  return response.json();
}

async function sweepServer({ incidents, repos }, { reader = "graphql" } = {}) {
  const now = new Date();
  let due = 0;
  const target = await startSimulator({
    orgConfig: ORG_CONFIG,
    seed: (sim) => (due = seedIncidents(sim, { incidents, repos, now })),
  });
  const app = await startApp(target, {
    kind: "unthrottled",
    env: { SWEEP_TRIGGER_TOKEN: TRIGGER_TOKEN, SWEEP_INTERVAL_MINUTES: "0", SWEEP_READER: reader },
  });
  try {
    const runs = [];
    // The third sweep: nothing changed since the second, so the repair pass must cost nothing.
    for (const phase of ["first", "second", "third, nothing changed"]) {
      const from = target.sim.requests.length;
      const cpuBefore = processCpuMs(app.child.pid);
      const started = performance.now();
      const report = await trigger(app);
      const wallMs = Math.round(performance.now() - started);
      await target.sim.settle({ quietMs: 200, timeoutMs: 120_000 });
      const cpuMs = processCpuMs(app.child.pid) - cpuBefore;
      const memory = processMemoryKb(app.child.pid);
      const totals = report.installations[0];
      const calls = splitCalls(appRequests(target.sim, from));
      runs.push({
        mode: `server (${phase} sweep)`,
        incidents,
        repos,
        due,
        ...targetCalls(incidents, totals.writes, calls.configReads, totals.read),
        graphql: totals.graphql ?? null,
        found: totals.found,
        read: totals.read,
        posted: totals.posted,
        repaired: totals.repaired ?? 0,
        redeliveryListed: report.redelivery?.listed ?? 0,
        wallMs,
        cpuMs,
        peakRssKb: memory.peak,
        rssKb: memory.rss,
        calls,
      });
    }
    runs.forEach((r) => (r.violations = target.sim.violations.length));
    return runs;
  } finally {
    await app.kill();
    await target.sim.stop();
  }
}

const line = (run) =>
  `  ${run.incidents} incidents / ${run.repos} repos, ${run.mode}: ${run.calls.reads}r/${run.calls.writes}w (search ${run.calls.searchPages}, config ${run.calls.configReads}, comments ${run.calls.commentReads}, graphql ${run.calls.graphqlQueries} = ${run.calls.graphqlPoints} points), wall ${run.wallMs} ms, cpu ${run.cpuMs} ms, peak rss ${Math.round(run.peakRssKb / 1024)} MB`;

/**
 * Every size of `sizes`, CLI then server; then, for before -> after, the server again with
 * SWEEP_READER=rest (one REST comment read per incident, the reads before issue #12) in the same run.
 */
export async function runSweeps({ sizes, log = () => {} }) {
  const results = [];
  const before = [];
  for (const size of sizes) {
    // With a shared (Redis) lock the due incidents' re-reads under their locks are batched too: the
    // largest size only (a throttled CLI run takes minutes).
    const shared = size === sizes.at(-1) ? await sweepCli(size, { redis: true }) : null;
    for (const run of [await sweepCli(size), ...(shared ? [shared] : []), ...(await sweepServer(size))]) {
      log(line(run));
      results.push(run);
    }
    for (const run of await sweepServer(size, { reader: "rest" })) {
      log(`${line(run)} [SWEEP_READER=rest]`);
      before.push(run);
    }
  }
  return { sweeps: results, before };
}
