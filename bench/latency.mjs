/**
 * Part 2 (issue #12): latency against the critical path, and CPU per delivery against a baseline app.
 *
 * The simulator adds `delayMs` (default 80 ms, a realistic GitHub round trip) to every API call. Per
 * scenario, `deliveries` user actions, each on its own twin issue, go to the app process as `npm start`
 * serves it (`node lib/server.js`, throttling on), after one warm-up action; between actions the bench waits until
 * Probot's write spacing cannot reach into the next one. Measured per action: delivery sent -> the
 * end of the app's last write (p50 / p99), and the critical path of the calls the app made:
 * they are grouped into dependent round trips (a call that starts before the previous group's first
 * answer arrived was in flight with it), and the path is replayed on paper: each round trip costs
 * `delayMs`, and Probot's throttling starts an installation's writes (and GraphQL requests) at least
 * 1 s apart and its comment creations at least 3 s apart. Target: p50 <= 1.15x the critical path.
 *
 * CPU: the app process's user + system time over the measured actions (their echo webhooks included),
 * per delivery, against bench/replay-app.mjs on a fresh simulator with the same setup: a Probot app
 * that makes exactly the calls recorded from incident-keeper's run, step by step, and nothing else,
 * served by `probot run` as the issue defined it. Target: <= 1.5x. Beside it, the same replay on the
 * app's own request pipeline (`replay-app-stack`: src/github/octokit.ts, no Bottleneck timers), which
 * isolates the app's own logic from the pipeline it chose: reported, not the target's baseline.
 *
 * Where the time beyond the path goes (`waits`: delivery -> first call, then each answer -> the next
 * round trip's first call), for the app and for the baseline, and what Probot's throttling costs by
 * itself: the same replay served with throttling off (`replay-unthrottled`, bench/unthrottled-server.mjs),
 * for scenarios whose path has at most one spaced call, so that process skips no spacing the path
 * charges. The path itself stays what GitHub imposes (round trips, the write spacing): the throttling
 * plugin's limiter (Bottleneck) is not a GitHub cost but Probot's, and the baseline pays it too. It is
 * made of zero-delay timers, each at least 1 ms in Node: every `schedule()` yields through `setTimeout(0)`
 * about four times, a read passes two limiters (retry, global), a write three (retry, write, global),
 * and jobs on one limiter are registered one after another. Counted with a preload that logs
 * `setTimeout` (2026-12-01, label, 80 ms): 37 such timers from the delivery's arrival to the write (16
 * before the first read goes out, 17 between the reads' last answer and the write), in the app and in
 * the baseline alike; the same replay with throttling off ran p50 180 ms against 200 (waits 7 / 9 ms
 * against 14.5 / 21), where 1.15x of the 160 ms path leaves 24 ms for everything. So the app now runs on
 * its own pipeline (src/github/octokit.ts: the throttling plugin's limits on a limiter that starts a job
 * that may start at once, and Probot's retry rules without a per-request limiter); the baseline and the
 * unthrottled replay stay on Probot's, so they show what that pipeline costs.
 *
 * `before`: the same measurement of another build of the app (`--before=DIR`, e.g. an export of main
 * before issue #12's event work, built with `npx tsc -p tsconfig.build.json`), when given.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { BENCH_CONFIG, SCENARIOS } from "./scenarios.mjs";
import { appRequests, median, percentile, processCpuMs, startApp, startSimulator } from "./lib/harness.mjs";

const byId = (id) => SCENARIOS.find((s) => s.id === id);

/** The single-delivery scenarios of part 1, and the label change in a repository with no config file. */
export const LATENCY_SCENARIOS = [
  {
    ...byId("label"),
    id: "label-no-config",
    title: "Classified by label, repository without a config file (its 404, then the org's `.github` 404)",
    config: null,
  },
  byId("label"),
  byId("command"),
  byId("premature-close"),
  byId("action-closed"),
];

const isRead = (r) => (r.graphql ? r.graphql.operation !== "mutation" : r.method === "GET" || r.method === "HEAD");
/** Requests Probot's throttling spaces 1 s apart per installation: every write, and every GraphQL request. */
const isSpaced = (r) => !isRead(r) || r.path === "/graphql";
/** Comment and issue creation, spaced 3 s apart (plugin-throttling's notification paths). */
const isNotification = (r) =>
  r.method === "POST" &&
  /^\/repos\/[^/]+\/[^/]+\/(issues(\/\d+\/comments)?|pulls\/\d+\/(comments|reviews))$/.test(r.path);

/** The app's calls grouped into dependent round trips (see the file comment). */
export function roundTrips(records) {
  const steps = [];
  let current = null;
  for (const r of [...records].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    const start = r.at.getTime();
    if (current && start < current.firstEnd) current.calls.push(r);
    else {
      current = { firstEnd: start + r.durationMs, calls: [r] };
      steps.push(current);
    }
  }
  return steps.map((s) => s.calls);
}

/** The critical path (ms) of `steps` at `delayMs` per round trip, with Probot's write spacing. */
export function criticalPathMs(steps, delayMs) {
  let t = 0;
  let lastSpaced = -Infinity;
  let lastNotification = -Infinity;
  for (const step of steps) {
    let end = t;
    for (const call of step) {
      let start = t;
      if (isSpaced(call)) {
        start = Math.max(start, lastSpaced + 1000);
        if (isNotification(call)) start = Math.max(start, lastNotification + 3000);
        lastSpaced = start;
        if (isNotification(call)) lastNotification = start;
      }
      end = Math.max(end, start + delayMs);
    }
    t = end;
  }
  return t;
}

const describeCall = (r) => `${r.method} ${r.path}${r.graphql ? ` (${r.graphql.operation})` : ""} ${r.status}`;

/** One scenario on one kind of app: every action's latency, critical path and the app's CPU. */
export async function measure(scenario, { kind, appRoot, env = {}, deliveries, delayMs, nodeArgs = [] }) {
  const config = scenario.config === null ? undefined : (scenario.config ?? BENCH_CONFIG);
  const target = await startSimulator({ config });
  const { sim } = target;
  try {
    const count = deliveries + 1;
    let targets = Array.from({ length: count }, (_, i) => i + 1);
    if (scenario.setup) {
      const setupApp = await startApp(target, { kind: "unthrottled" });
      try {
        targets = await scenario.setup(sim, count);
        await sim.settle({ quietMs: 300, timeoutMs: 120_000 });
      } finally {
        await setupApp.kill();
      }
    }
    sim.latencyMs = delayMs;
    const app = await startApp(target, { kind, appRoot, env, nodeArgs });
    try {
      const actions = [];
      let cpuMs = 0;
      for (const [i, n] of targets.entries()) {
        const from = sim.requests.length;
        const deliveriesFrom = sim.deliveries.length;
        const cpuBefore = processCpuMs(app.child.pid);
        await scenario.act(sim, n);
        await sim.settle({ quietMs: 300, timeoutMs: 60_000 });
        const cpuAfter = processCpuMs(app.child.pid);
        const records = appRequests(sim, from);
        const sent = sim.deliveries.slice(deliveriesFrom).find((d) => d.sender !== sim.botLogin);
        const writes = records.filter((r) => !isRead(r));
        const lastWrite = Math.max(...writes.map((r) => r.at.getTime() + r.durationMs));
        const steps = roundTrips(records.filter((r) => r.at.getTime() + r.durationMs <= lastWrite));
        actions.push({
          warmUp: i === 0,
          latencyMs: sent && writes.length > 0 ? Math.round(lastWrite - sent.at.getTime()) : null,
          criticalPathMs: criticalPathMs(steps, delayMs),
          roundTrips: steps.length,
          readRoundTrips: steps.filter((s) => s.every(isRead)).length,
          calls: records.length,
          rateLimited: records.filter((r) => !r.graphql && r.status !== 304).length,
          graphqlPoints: records.reduce((n, r) => n + (r.graphql?.cost ?? 0), 0),
          steps: steps.map((s) => s.map(describeCall)),
          // Where the time beyond the critical path went: delivery -> first call, and between round trips.
          waits: sent
            ? steps.map((s, k) => {
                const start = Math.min(...s.map((r) => r.at.getTime()));
                const previousEnd =
                  k === 0 ? sent.at.getTime() : Math.max(...steps[k - 1].map((r) => r.at.getTime() + r.durationMs));
                return Math.round(start - previousEnd);
              })
            : [],
          replay: roundTrips(records).map((s) =>
            s
              .filter((r) => r.path !== "/app")
              .map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body })),
          ),
        });
        if (i > 0) cpuMs += cpuAfter - cpuBefore;
        // Probot spaces an installation's writes 1 s apart and its comment creations 3 s apart.
        await sleep(records.some(isNotification) ? 3_100 : 1_100);
      }
      const measured = actions.filter((a) => !a.warmUp);
      const latencies = measured.map((a) => a.latencyMs).filter((v) => v !== null);
      const last = measured.at(-1);
      return {
        p50Ms: median(latencies),
        p99Ms: percentile(latencies, 99),
        criticalPathMs: median(measured.map((a) => a.criticalPathMs)),
        roundTrips: last?.roundTrips ?? null,
        readRoundTrips: last?.readRoundTrips ?? null,
        // Per delivery (the last measured one): API calls, REST calls that count against the rate
        // limit (all but 304s), GraphQL points.
        calls: last?.calls ?? null,
        rateLimited: last?.rateLimited ?? null,
        graphqlPoints: last?.graphqlPoints ?? null,
        steps: last?.steps ?? [],
        // Median per round trip of the time between the previous answer (the delivery) and its first call.
        waitsMs: (last?.waits ?? []).map((_, k) => median(measured.map((a) => a.waits[k] ?? 0))),
        cpuMsPerDelivery: Number((cpuMs / measured.length).toFixed(1)),
        replay: actions.map((a) => a.replay),
        violations: sim.violations.length,
        botLogin: sim.botLogin,
      };
    } finally {
      await app.kill();
    }
  } finally {
    await sim.stop();
  }
}

/**
 * The label change's reads carried in one GraphQL query instead (the repository's file, the org's
 * `.github` file, the issue's comments): the REST-or-GraphQL choice of issue #12, measured by
 * replaying it with the same writes after it.
 */
const ONE_QUERY = `query($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) {
    object(expression: "HEAD:.github/incident-keeper.yml") { ... on Blob { text } }
    issue(number: $number) {
      comments(first: 100) { totalCount nodes { databaseId body updatedAt author { __typename login } } }
    }
  }
  org: repository(owner: $owner, name: ".github") {
    object(expression: "HEAD:.github/incident-keeper.yml") { ... on Blob { text } }
  }
  rateLimit { cost }
}`;

function asOneQuery(deliveries) {
  return deliveries.map((steps) => {
    const [reads, ...rest] = steps;
    const comments = reads
      ?.map((c) => /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(c.path))
      .find(Boolean);
    if (!comments) return steps;
    const variables = { owner: comments[1], name: comments[2], number: Number(comments[3]) };
    return [[{ method: "POST", path: "/graphql", query: "", body: { query: ONE_QUERY, variables } }], ...rest];
  });
}

/** Part 2: every latency scenario on this build (and `beforeRoot`'s), and the replaying baseline. */
export async function runLatency({
  deliveries = 10,
  delayMs = 80,
  beforeRoot = null,
  only = null,
  log = () => {},
} = {}) {
  const scenarios = [];
  const scriptDir = mkdtempSync(join(os.tmpdir(), "ik-replay-"));
  for (const scenario of LATENCY_SCENARIOS.filter((s) => !only || only.includes(s.id))) {
    const after = await measure(scenario, { kind: "app", deliveries, delayMs });
    const scriptPath = join(scriptDir, `${scenario.id}.json`);
    writeFileSync(scriptPath, JSON.stringify({ botLogin: after.botLogin, deliveries: after.replay }));
    const baseline = await measure(scenario, {
      kind: "replay",
      env: { REPLAY_SCRIPT: scriptPath },
      deliveries,
      delayMs,
    });
    // The same replay on the app's request pipeline: what the app's own logic costs beyond its calls.
    const sameStack = await measure(scenario, {
      kind: "replay-app-stack",
      env: { REPLAY_SCRIPT: scriptPath },
      deliveries,
      delayMs,
    });
    const before = beforeRoot
      ? await measure(scenario, { kind: "app", appRoot: beforeRoot, deliveries, delayMs })
      : null;
    // The reads as one GraphQL query (label changes only: the reads of issue #12's example).
    let oneQuery = null;
    if (scenario.id.startsWith("label")) {
      const queryPath = join(scriptDir, `${scenario.id}-graphql.json`);
      writeFileSync(queryPath, JSON.stringify({ botLogin: after.botLogin, deliveries: asOneQuery(after.replay) }));
      oneQuery = await measure(scenario, { kind: "replay", env: { REPLAY_SCRIPT: queryPath }, deliveries, delayMs });
    }
    // Probot's throttling pipeline, measured: the same replay with throttling off, where the path has at
    // most one spaced call (no spacing for the unthrottled process to skip; see the file comment).
    const spaced = after.steps.flat().filter((c) => !/^(GET|HEAD) /.test(c) || c.startsWith("POST /graphql")).length;
    const unthrottled =
      spaced <= 1
        ? await measure(scenario, {
            kind: "replay-unthrottled",
            env: { REPLAY_SCRIPT: scriptPath },
            deliveries,
            delayMs,
          })
        : null;
    const strip = ({ replay, botLogin, ...rest }) => rest;
    const entry = {
      id: scenario.id,
      title: scenario.title,
      after: strip(after),
      before: before ? strip(before) : null,
      baseline: { p50Ms: baseline.p50Ms, criticalPathMs: baseline.criticalPathMs, waitsMs: baseline.waitsMs },
      appStackBaseline: {
        p50Ms: sameStack.p50Ms,
        criticalPathMs: sameStack.criticalPathMs,
        waitsMs: sameStack.waitsMs,
        cpuMsPerDelivery: sameStack.cpuMsPerDelivery,
        violations: sameStack.violations,
      },
      unthrottledBaseline: unthrottled
        ? { p50Ms: unthrottled.p50Ms, criticalPathMs: unthrottled.criticalPathMs, waitsMs: unthrottled.waitsMs }
        : null,
      oneQuery: oneQuery ? strip(oneQuery) : null,
      baselineCpuMsPerDelivery: baseline.cpuMsPerDelivery,
      baselineViolations: baseline.violations,
      latencyRatio: Number((after.p50Ms / after.criticalPathMs).toFixed(2)),
      cpuRatio: Number((after.cpuMsPerDelivery / baseline.cpuMsPerDelivery).toFixed(2)),
      cpuRatioSameStack: Number((after.cpuMsPerDelivery / sameStack.cpuMsPerDelivery).toFixed(2)),
    };
    log(
      `  ${scenario.id}: p50 ${entry.after.p50Ms} ms / critical path ${entry.after.criticalPathMs} ms (${entry.latencyRatio}x; ${entry.after.roundTrips} round trips${before ? `, before ${before.roundTrips}` : ""}), CPU ${entry.after.cpuMsPerDelivery} vs baseline ${entry.baselineCpuMsPerDelivery} ms (${entry.cpuRatio}x; on the app's pipeline ${sameStack.cpuMsPerDelivery} ms, ${entry.cpuRatioSameStack}x); waits ${entry.after.waitsMs.join("/")} vs baseline ${baseline.waitsMs.join("/")} ms; baseline p50 ${baseline.p50Ms} ms${unthrottled ? `, unthrottled ${unthrottled.p50Ms} ms (waits ${unthrottled.waitsMs.join("/")})` : ""}`,
    );
    scenarios.push(entry);
  }
  return { delayMs, deliveries, scenarios };
}
