/**
 * Part 2: deliveries per second one app process sustains, and the time from a delivery to the app's
 * last write for it, against the bare Probot app (bench/bare-app.mjs: acknowledges, nothing else).
 * Both are served by bench/unthrottled-server.mjs (Probot's `run()`, Octokit throttling OFF), each
 * round on a fresh simulator and process, the two kinds interleaved (order alternating per round) so
 * that the machine's noise hits both alike.
 *
 * Workload: N open incidents (incident, category:core-bug, devops:3; seeded, no comments yet);
 * `bob` adds `sev:2` to each, `concurrency` deliveries in flight. For incident-keeper each delivery
 * costs API calls (config, its own comments, then its writes: counted in `callsPerDelivery`) and the
 * echo webhooks of its own writes, which it acknowledges and ignores. The simulator delivers
 * concurrently (`webhookOrdering: "concurrent"`), as GitHub does, so `concurrency` deliveries really
 * are in flight at once.
 */
import { BENCH_CONFIG } from "./scenarios.mjs";
import {
  appRequests,
  countCalls,
  median,
  percentile,
  processCpuMs,
  SCENARIO,
  startApp,
  startSimulator,
} from "./lib/harness.mjs";

const repo = SCENARIO.repo;
const SEEDED_LABELS = ["incident", "category:core-bug", "devops:3", "sev:2", "incident:needs-writeup"];

function seed(sim, count) {
  for (const name of SEEDED_LABELS) sim.seed.label(repo, { name });
  for (let i = 0; i < count; i += 1)
    sim.seed.issue(repo, {
      title: `Checkout errors ${i}`,
      body: "Seeded by the benchmark.",
      labels: ["incident", "category:core-bug", "devops:3"],
      user: "alice",
    });
}

/** The instant (ms) of the last write the app made for issue `n` (its comments resolved by id). */
function lastWriteAt(sim, records, n) {
  const commentIds = new Set(sim.comments(repo, n).map((c) => String(c.id)));
  const issuePath = new RegExp(`^/repos/${repo}/issues/${n}(/|$)`);
  let last = null;
  for (const r of records) {
    if (r.method === "GET") continue;
    const comment = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(r.path);
    if (issuePath.test(r.path) || (comment && commentIds.has(comment[1]))) {
      const end = r.at.getTime() + r.durationMs;
      if (last === null || end > last) last = end;
    }
  }
  return last;
}

async function measure(kind, { deliveries, concurrency }) {
  // Concurrent delivery, as GitHub does: with the simulator's default (a repository's deliveries one
  // at a time, each after the app's answer) all deliveries here, to one repository, would queue
  // behind each other, and `concurrency` would measure nothing but the sum of the handlers' latencies.
  const target = await startSimulator({
    config: BENCH_CONFIG,
    webhookOrdering: "concurrent",
    seed: (sim) => seed(sim, deliveries + 1),
  });
  const { sim } = target;
  const app = await startApp(target, { kind });
  try {
    // Warm-up on issue 1: process-lifetime caches (GET /app, labels) are not what this measures.
    await sim.user("bob").addLabels(repo, 1, ["sev:2"]);
    await sim.settle({ quietMs: 200, timeoutMs: 60_000 });
    const from = sim.requests.length;
    const cpuBefore = processCpuMs(app.child.pid);
    const simCpuBefore = process.cpuUsage();
    const queue = Array.from({ length: deliveries }, (_, i) => i + 2);
    const timings = [];
    const started = Date.now();
    const worker = async () => {
      for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
        const sent = Date.now();
        const { status } = await sim.user("bob").addLabels(repo, n, ["sev:2"]);
        timings.push({ n, sent, acked: Date.now(), status });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    await sim.settle({ quietMs: 200, timeoutMs: 120_000 });
    const cpuMs = processCpuMs(app.child.pid) - cpuBefore;
    const simCpu = process.cpuUsage(simCpuBefore);
    const simCpuMs = (simCpu.user + simCpu.system) / 1000;
    const records = appRequests(sim, from);
    const latencies = [];
    let finished = started;
    for (const t of timings) {
      const done = kind === "bare" ? t.acked : Math.max(t.acked, lastWriteAt(sim, records, t.n) ?? t.acked);
      latencies.push(done - t.sent);
      finished = Math.max(finished, done);
    }
    const failed = timings.filter((t) => t.status < 200 || t.status >= 300).length;
    const calls = countCalls(records);
    return {
      kind,
      deliveries,
      concurrency,
      failed,
      elapsedMs: finished - started,
      perSecond: Number(((deliveries * 1000) / (finished - started)).toFixed(1)),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      cpuMsPerDelivery: Number((cpuMs / deliveries).toFixed(2)),
      // the bench process: the simulator answering the app's calls and sending the echo webhooks
      simulatorCpuMsPerDelivery: Number((simCpuMs / deliveries).toFixed(2)),
      echoDeliveries: sim.deliveries.filter((d) => d.sender === sim.botLogin).length,
      callsPerDelivery: {
        reads: Number((calls.reads / deliveries).toFixed(2)),
        writes: Number((calls.writes / deliveries).toFixed(2)),
      },
      violations: sim.violations.length,
    };
  } finally {
    await app.kill();
    await sim.stop();
  }
}

/** `rounds` interleaved rounds of both kinds; medians and the per-round ratio app/bare. */
export async function runThroughput({ rounds, deliveries, concurrency, log = () => {} }) {
  const runs = [];
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? ["bare", "unthrottled"] : ["unthrottled", "bare"];
    const pair = {};
    for (const kind of order) pair[kind] = await measure(kind, { deliveries, concurrency });
    const ratio = Number((pair.unthrottled.perSecond / pair.bare.perSecond).toFixed(2));
    log(
      `  round ${round + 1}: app ${pair.unthrottled.perSecond}/s (p50 ${pair.unthrottled.p50Ms} ms, p99 ${pair.unthrottled.p99Ms} ms), bare ${pair.bare.perSecond}/s (p50 ${pair.bare.p50Ms} ms, p99 ${pair.bare.p99Ms} ms), ratio ${ratio}`,
    );
    runs.push({ round: round + 1, app: pair.unthrottled, bare: pair.bare, ratio });
  }
  const med = (pick) => median(runs.map(pick));
  return {
    rounds,
    deliveries,
    concurrency,
    runs,
    median: {
      appPerSecond: med((r) => r.app.perSecond),
      barePerSecond: med((r) => r.bare.perSecond),
      ratio: med((r) => r.ratio),
      appP50Ms: med((r) => r.app.p50Ms),
      appP99Ms: med((r) => r.app.p99Ms),
      bareP50Ms: med((r) => r.bare.p50Ms),
      bareP99Ms: med((r) => r.bare.p99Ms),
      appCpuMsPerDelivery: med((r) => r.app.cpuMsPerDelivery),
      bareCpuMsPerDelivery: med((r) => r.bare.cpuMsPerDelivery),
      appSimulatorCpuMsPerDelivery: med((r) => r.app.simulatorCpuMsPerDelivery),
      bareSimulatorCpuMsPerDelivery: med((r) => r.bare.simulatorCpuMsPerDelivery),
    },
  };
}
