/**
 * Writes BENCHMARKS.md and bench/results/sweep-growth.svg from the figures of a bench run
 * (bench/results/latest.json). `node bench/report.mjs` regenerates both from the stored figures.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const RESULTS = fileURLToPath(new URL("./results/", import.meta.url));

const TARGET_RATIO = 1.2;
const TARGET_THROUGHPUT = 0.8;
const TARGET_CPU_MS = 60_000;
const TARGET_RSS_MB = 200;

const mb = (kb) => Math.round(kb / 1024);
const secs = (ms) => (ms / 1000).toFixed(1);
const yes = (ok) => (ok ? "met" : "**missed**");
const rw = (c) => `${c.reads} r + ${c.writes} w`;
const calls = (c) => c.reads + c.writes;

/** Why a scenario is above the target, from the calls it made (filled in from the run's own call lists). */
const CAUSES = {
  filed:
    "the `issues.labeled` (`incident`) delivery carries the labels of its moment (only `incident`). When its payload is older than the app's status comment (GitHub's times are whole seconds), the app reads the current issue (1 read) and writes nothing; in the same second it cannot tell and adds the labels again (1 write that changes nothing). Either way one call above the minimum; removing it needs the status comment's hidden state to record the labels the app applied.",
  "pr-merged":
    "the `pull_request.closed` delivery reads the incident's body and status comment twice and edits its status comment twice (once for the review state in its pull-request handler, once after ticking the action in its follow-up-actions handler), and the action's own `issues.closed` delivery reads the incident a third time to find nothing to do. Sharing the incident's snapshot and one final status edit between the handlers of one delivery (as the config now is) would remove a read pair and a write; not done here because the two handlers take the incident lock separately, and a shared snapshot must be taken and written under one lock: not a small change.",
  "config-error":
    "the `issues.labeled` (`incident`) delivery re-reads the config and the app's comments to find the report already posted (the minimum counts this); anything above is the current-issue read of a delivery older than the app's last write: see `filed`.",
  "action-closed": "the closed action is read again (`GET /issues/{action}`) although the payload carries it.",
};

function scenarioSection(results) {
  const rows = results.scenarios.map((s) => {
    const mark = (r) => (r <= TARGET_RATIO ? `${r}` : `**${r}**`);
    return `| ${s.title} | ${s.deliveries} | ${rw(s.cold)} | ${rw(s.cold.minimum)} | ${mark(s.cold.ratio)} | ${rw(s.warm)} | ${rw(s.warm.minimum)} | ${mark(s.warm.ratio)} | ${s.why.join(" ")} |`;
  });
  const above = results.scenarios.filter((s) => s.cold.ratio > TARGET_RATIO || s.warm.ratio > TARGET_RATIO);
  const calls304 = results.scenarios.reduce((n, s) => n + (s.cold.notModified ?? 0) + (s.warm.notModified ?? 0), 0);
  const before = existsSync(`${RESULTS}before.json`) ? JSON.parse(readFileSync(`${RESULTS}before.json`, "utf8")) : null;
  const beforeRows = before
    ? Object.entries(before.scenarios).map(([id, b]) => {
        const now = results.scenarios.find((s) => s.id === id);
        const ratio = (c, min) => (calls(c) / calls(min)).toFixed(2);
        return `| ${id} | ${rw(b.cold)} (${ratio(b.cold, now.cold.minimum)}) | ${rw(now.cold)} (${now.cold.ratio}) | ${rw(b.warm)} (${ratio(b.warm, now.warm.minimum)}) | ${rw(now.warm)} (${now.warm.ratio}) | ${b.cause} |`;
      })
    : [];
  return [
    "## 1. API calls per scenario",
    "",
    "Each scenario runs on a fresh simulator. Its preconditions are played through a first app process, which is then stopped; the measured user action goes to a fresh `probot run ./lib/index.js` process (throttling on, as users run it). **Cold** is the first measured event of that process (it pays for process-lifetime caches: `GET /app`, the repository's labels), **warm** the second, on a twin issue. Counted: every request the app made to the simulator's REST API (its request log), echo deliveries of the app's own writes included, access-token creation excluded (a JWT exchange, not an API call against the installation's rate limit). Reads are GETs. The minimum is one write per visible change and one read per piece of state the payload does not carry; the last column justifies it. Ratio = (reads + writes) / (minimum reads + writes); target ≤ " +
      TARGET_RATIO +
      ".",
    "",
    "| scenario | deliveries | cold: actual | cold: minimum | cold ratio | warm: actual | warm: minimum | warm ratio | why this is the minimum |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    `Violations of GitHub's API description recorded by the simulator during these runs: ${results.scenarios.reduce((n, s) => n + s.violations.length, 0)}. Conditional requests answered 304: ${calls304}.`,
    "",
    "The exact calls of every scenario (method, path, status) are in `bench/results/latest.json` (`scenarios[].cold.calls`, `.warm.calls`).",
    "",
    "### Above the target, and why",
    "",
    above.length === 0
      ? "None."
      : above
          .map(
            (s) =>
              `- **${s.id}** (cold ${s.cold.ratio}, warm ${s.warm.ratio}): ${CAUSES[s.id] ?? "see the call list in latest.json."}`,
          )
          .join("\n"),
    "",
    "### Fixed in this round (before → after)",
    "",
    "`issues.closed` and `pull_request.closed` run two handlers each, and @octokit/webhooks runs Probot's transform once per handler, so each handler had its own context and read `.github/incident-keeper.yml` itself. `src/handlers/event-scope.ts` then shared config reads between the handlers of one delivery (since the reconciler, issue #11, each event name has one handler and so one scope per delivery: no `WeakMap`) (a `WeakMap` keyed by the delivery's payload object, which all handlers share; the entry goes with the delivery, so nothing can go stale across events).",
    "",
    "| scenario | cold before (ratio) | cold after (ratio) | warm before (ratio) | warm after (ratio) | cause |",
    "| --- | --- | --- | --- | --- | --- |",
    ...beforeRows,
    "",
    "### Config reads: ETag",
    "",
    `Every delivery reads the config once (one \`GET /repos/{o}/{r}/contents/.github/incident-keeper.yml\`; two when the repository has no file and the organisation's \`.github\` repository is consulted). Those reads are conditional (\`src/github/conditional-reads.ts\`): the app keeps the last answer per installation and file and sends its \`ETag\` in \`If-None-Match\`; while the file is unchanged GitHub answers \`304 Not Modified\`, which does not count against the rate limit. The call count is the same, but most config reads become free: in part 1, ${results.scenarios.reduce((n, sc) => n + [...sc.cold.calls, ...sc.warm.calls].filter((c) => / 304$/.test(c)).length, 0)} of the measured calls were 304s. A 404 (no file in the repository) carries no ETag and is not kept.`,
    "",
  ].join("\n");
}

function throughputSection(results) {
  const t = results.throughput;
  const m = t.median;
  const rows = t.runs.map(
    (r) =>
      `| ${r.round} | ${r.app.perSecond} | ${r.bare.perSecond} | ${r.ratio} | ${r.app.p50Ms} / ${r.app.p99Ms} | ${r.bare.p50Ms} / ${r.bare.p99Ms} | ${r.app.cpuMsPerDelivery} | ${r.bare.cpuMsPerDelivery} | ${r.app.simulatorCpuMsPerDelivery} | ${r.app.callsPerDelivery.reads} r + ${r.app.callsPerDelivery.writes} w |`,
  );
  return [
    "## 2. Throughput and latency",
    "",
    `**Throttling is off for this measurement**: both apps are served by \`bench/unthrottled-server.mjs\` (Probot's own \`run()\` with \`throttle: { enabled: false }\`; \`probot run\` cannot switch it off). With Probot's throttling on, writes are spaced 1 s apart per installation, which would measure the throttle, not the app. Workload: ${t.deliveries} incidents (seeded: \`incident\`, \`category:core-bug\`, \`devops:3\`), \`bob\` adds \`sev:2\` to each, ${t.concurrency} deliveries in flight; one warm-up delivery first. incident-keeper answers each with the calls shown (config, its own comments, then its writes) and acknowledges the echo webhooks of its own writes; the bare app (\`bench/bare-app.mjs\`) acknowledges and does nothing. Throughput = deliveries / (first send → last write, or last acknowledgement for the bare app). Latency = delivery sent → the app's last write for that incident (bare: → acknowledgement). ${t.rounds} rounds, the two apps interleaved (order alternating), each on a fresh simulator and process; the ratio is taken within each round.`,
    "",
    "| round | incident-keeper deliveries/s | bare deliveries/s | ratio | incident-keeper p50 / p99 ms | bare p50 / p99 ms | app CPU ms / delivery | bare CPU ms / delivery | simulator CPU ms / delivery (app run) | API calls / delivery |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    `| **median** | **${m.appPerSecond}** | **${m.barePerSecond}** | **${m.ratio}** | **${m.appP50Ms} / ${m.appP99Ms}** | **${m.bareP50Ms} / ${m.bareP99Ms}** | ${m.appCpuMsPerDelivery} | ${m.bareCpuMsPerDelivery} | ${m.appSimulatorCpuMsPerDelivery} | |`,
    "",
    `Target ≥ ${TARGET_THROUGHPUT}× the bare app: ${yes(m.ratio >= TARGET_THROUGHPUT)} (median ratio ${m.ratio}).`,
    "",
    m.ratio >= TARGET_THROUGHPUT
      ? ""
      : `Why: the bare app's ceiling is an HTTP acknowledgement (${m.bareCpuMsPerDelivery} ms of CPU, p50 ${m.bareP50Ms} ms). incident-keeper makes ${t.runs[0].app.callsPerDelivery.reads + t.runs[0].app.callsPerDelivery.writes} API calls per delivery, each a sequential round trip (it must read before it can decide what to write), and receives the echo webhook of each of its writes: ${m.appCpuMsPerDelivery} ms of its own CPU per delivery, plus ${m.appSimulatorCpuMsPerDelivery} ms in the simulator answering it, on the same two cores. That is work the bare app does not do, and no cache can remove it. This run is bound by latency, not CPU: with ${t.concurrency} deliveries in flight and a p50 of ${m.appP50Ms} ms, ${t.concurrency} / ${(m.appP50Ms / 1000).toFixed(3)} s ≈ ${Math.round((t.concurrency * 1000) / m.appP50Ms)} deliveries/s, while the CPU both processes spend per delivery (${(m.appCpuMsPerDelivery + m.appSimulatorCpuMsPerDelivery).toFixed(1)} ms) would allow about ${Math.round((2 * 1000) / (m.appCpuMsPerDelivery + m.appSimulatorCpuMsPerDelivery))}/s on two cores; traced: the simulator answers each call in about 1 ms and delivers webhooks concurrently (\`webhookOrdering: "concurrent"\`, as GitHub does; until this round it delivered one repository's webhooks one at a time, so the ${t.concurrency} deliveries queued behind each other and the bench measured ~23 deliveries/s); the app process is now CPU-bound on one core, about 8.8 ms of each delivery in Octokit's request handling (Node's fetch, and Probot's retry plugin building a limiter per request), about 2 ms receiving the delivery and the 2 echo webhooks of its own writes, about 3 ms of its own logic (Markdown, config YAML and validation, rendering), and GC. The bare app receives one webhook and makes no call: even an app doing no work of its own but the same calls and echoes would stay near 0.1×, so this comparison cannot reach 0.8×; a fair baseline makes the same API calls. As for the calls: the writes are the product, and the reads are the minimum of part 1 (\`label\` scenario: ratio 1.0). Against GitHub the gap is wider in time and narrower in CPU: each call costs a network round trip of tens to hundreds of milliseconds, so latency is dominated by ${t.runs[0].app.callsPerDelivery.reads + t.runs[0].app.callsPerDelivery.writes} round trips, and throughput per process by GitHub's write limits (about 80 content-creating requests per minute), not by this process. The figure to watch is therefore calls per delivery (part 1), and CPU per delivery here: at ${m.appCpuMsPerDelivery} ms, one core sustains about ${Math.round(1000 / m.appCpuMsPerDelivery)} deliveries/s, far above what GitHub's secondary limits let one installation write.`,
    "",
  ].join("\n");
}

function sweepSection(results) {
  // The CLI's calls equal the server's first sweep's (both fresh processes): its before is that one's.
  const modeOf = (s) => (s.mode === "cli" ? "server (first sweep)" : s.mode);
  const before = (s) => results.sweepsBefore?.find((b) => b.incidents === s.incidents && b.mode === modeOf(s));
  const rows = results.sweeps.map((s) => {
    const actual = s.calls.reads + s.calls.writes;
    const was = before(s);
    const change = was ? `${calls(was.calls)} → **${actual}**` : `**${actual}**`;
    const gql = `${s.calls.graphqlQueries ?? 0} (${s.calls.graphqlPoints ?? 0} points)`;
    return `| ${s.incidents.toLocaleString("en")} | ${s.repos} | ${s.mode} | ${s.calls.searchPages} | ${s.calls.configReads} | ${s.calls.commentReads} | ${gql} | ${s.calls.other} | ${s.calls.writes} | ${change} | ${s.target} | ${secs(s.wallMs)} | ${secs(s.cpuMs)} | ${mb(s.peakRssKb)} |`;
  });
  const biggest = results.sweeps.filter((s) => s.incidents === Math.max(...results.sweeps.map((x) => x.incidents)));
  const worstCpu = Math.max(...biggest.map((s) => s.cpuMs));
  const worstRss = Math.max(...biggest.map((s) => mb(s.peakRssKb)));
  const n = biggest[0]?.incidents ?? 0;
  const cold = biggest.find((s) => s.mode === "cli");
  const warm = biggest.find((s) => s.mode.includes("second"));
  const pagesText = [
    ...new Set(
      results.sweeps.map((s) => `${s.calls.searchPages} pages for ${s.incidents.toLocaleString("en")} incidents`),
    ),
  ].join(", ");
  return [
    "## 3. Sweep cost as work grows",
    "",
    "The simulator is seeded directly (no webhooks) with N open incidents spread evenly over R repositories of one installation, each with the app's status comment (hidden state: classified 5 minutes after opening), as a running installation has them; the config is the organisation's (`acme/.github`), so each repository's config read is a 404 then the org file. All are Sev 3 / DevOps 3 core bugs (a 90-day resolution window, first reminder at 50 %, i.e. 45 days after classification). 1 % of the incidents are 60 days old and owe their first resolution reminder; the rest are a week old and owe nothing, and are before their reminder horizon (see below), so no sweep reads them. Three sweeps per size:",
    "",
    "- **cli**: `node bin/incident-keeper.js sweep` (`SWEEP_REPORT_JSON=1`) under `/usr/bin/time -v`, a fresh process as cron or a Kubernetes CronJob runs it, with Probot's default Octokit (**throttling on**: search requests 2 s apart, writes 1 s apart per installation), so its wall time is mostly the throttle's waiting; CPU and peak RSS are the process's own (`/usr/bin/time`).",
    "- **server (first sweep)** / **server (second sweep)**: the app server (`bench/unthrottled-server.mjs`, throttling off) through its HTTP trigger (`POST /api/incident-keeper/sweep?wait=1`), twice in the same process; CPU from `/proc/<pid>/stat` over the sweep, peak RSS = `VmHWM` of the server process (it includes start-up and the previous sweep).",
    "",
    "Calls: search pages (REST, 100 per page), config reads (conditional REST), REST comment reads (since issue #12 only the re-read under the lock for each due incident and the arbiter's read after writing to it), GraphQL queries (the app's comments of 100 incidents past their reminder horizon per `nodes(ids:)` query, with the points GitHub charges: `rateLimit { cost }`, GitHub's separate 5,000-points-per-hour budget), other reads (`GET /app`, installations, the installation's repositories, the repository's labels), writes. API calls = REST calls + GraphQL queries, before → after: before is the same sweep in the same run with `SWEEP_READER=rest` (one REST comment read per incident past its horizon, as before issue #12; the CLI's before is the server's first sweep's, whose calls a fresh CLI process equals). Target (issue #12) = search pages + the writes that are due (the sweep's own count) + config reads + one batch query per 100 incidents read.",
    "",
    "| open incidents | repos | sweep | search pages | config reads | REST comment reads | GraphQL queries (points) | other reads | writes | API calls | target | wall s | CPU s | peak RSS MB |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    "![API calls and CPU per sweep as the number of open incidents grows](bench/results/sweep-growth.svg)",
    "",
    `Targets at ${n.toLocaleString("en")} incidents: CPU under ${TARGET_CPU_MS / 1000} s: ${yes(worstCpu < TARGET_CPU_MS)} (worst ${secs(worstCpu)} s); peak RSS under ${TARGET_RSS_MB} MB: ${yes(worstRss < TARGET_RSS_MB)} (worst ${worstRss} MB); calls ≤ pages + due writes + config reads + batches: ${cold && warm ? `${calls(cold.calls) <= cold.target ? "met" : "**missed**"} by a fresh process (${calls(cold.calls)} calls against ${cold.target}), ${calls(warm.calls) <= warm.target ? "met" : "**missed**"} by a running server's second sweep (${calls(warm.calls)} against ${warm.target})` : "see the table"}.`,
    "",
    ...(cold && calls(cold.calls) > cold.target
      ? [
          `Above the target at ${n.toLocaleString("en")} (fresh process) by ${calls(cold.calls) - cold.target}: ${cold.calls.commentReads} REST comment reads (per due incident written to: the re-read under its lock before posting, and the arbiter's read after writing; both needed while another sweep or an event may act on it), ${cold.calls.other} other reads (\`GET /app\`, installations, the installation's repositories, labels), and ${cold.calls.searchPages - Math.ceil(n / 100)} search page(s) more than ${Math.ceil(n / 100)} (the \`created:>=\` continuation past 1,000 results repeats a boundary page). Batching the due incidents' re-reads too would mean holding many incident locks across throttled writes; not done.`,
          "",
        ]
      : []),
    "Which incidents a sweep reads: whether a reminder is due depends on the reminders already sent, which live only in the app's status comment on the incident (its hidden state and the reminders' markers), not in the search result. Two things let the sweep skip the read. (1) The reminder horizon (`src/core/reminder-horizon.ts`): from the search result alone (creation time, labels, open) and the config, the earliest instant any reminder of the incident could be due, whatever its status comment holds (the windows from their earliest possible start, no pauses, the same business-hours arithmetic; a paused incident not before its earliest deadline, since a window breached before the pause keeps its overdue repeats); before it, the incident is not read, even by a fresh process. It is property-tested against the real planner for any hidden state. (2) The server's due-cache (next due instant per incident, valid while the issue's `updated_at` is unchanged), from its second sweep on: it reads only incidents that changed or fell due. What remains for a fresh process (the CLI, or the server's first sweep) is the comments of each incident past its horizon: an old incident whose reminders were already sent is still read once per sweep, because only its comment says they were sent (here: the 1 % that are 60 days old). Since issue #12 those are read in batches (`src/github/comment-batch.ts`, shared with the report's reader): one GraphQL `nodes(ids:)` query per 100 incidents, on the search results' node ids, each issue's first 100 comments inline (1 point per query; an issue with more comments is read through REST, so its thread stays complete); a GitHub that refuses the query leaves the sweep on one REST read per incident, as before. What stays per incident is what correctness needs for the due ones only: the re-read under the incident's lock before anything is posted (an event or another sweep may have handled it meanwhile) and the arbiter's read after writing (duplicates from a sweep that shares no lock). Search past 1,000 results: `src/sweep/sweep.ts` continues with `created:>=` the last creation time seen, so enumerating stays at pages of 100 (measured: " +
      pagesText +
      "), never a per-incident search.",
    "",
    "Config reads: one per repository on a first sweep (a 404 here: no file in the repository) plus the organisation's `.github` file once per sweep (`shareOrgConfigReads`; until this round it was read again for every repository: 200 config reads at 10,000 incidents over 100 repositories, now 101). The reads are conditional (ETag, 304 while unchanged), see part 1. The server's second sweep reads only the configs of repositories with incidents it has to look at.",
    "",
  ].join("\n");
}

/** A hand-written SVG: two log-log panels (API calls, CPU seconds) against open incidents. */
export function sweepSvg(sweeps) {
  const modes = [...new Set(sweeps.map((s) => s.mode))];
  const colours = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd"];
  const sizes = [...new Set(sweeps.map((s) => s.incidents))].sort((a, b) => a - b);
  const panel = ({ x0, title, value, series, unit }) => {
    const w = 340;
    const h = 240;
    const values = series.flatMap((s) => s.points.map((p) => p.y)).filter((v) => v > 0);
    const lo = Math.pow(10, Math.floor(Math.log10(Math.min(...values))));
    const hi = Math.pow(10, Math.ceil(Math.log10(Math.max(...values))));
    const xLo = Math.log10(sizes[0]);
    const xHi = Math.log10(sizes.at(-1));
    const px = (v) => x0 + 50 + ((Math.log10(v) - xLo) / Math.max(1e-9, xHi - xLo)) * (w - 70);
    const py = (v) => 40 + h - ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * h;
    const out = [`<text x="${x0 + w / 2}" y="20" text-anchor="middle" font-weight="bold">${title}</text>`];
    for (let d = lo; d <= hi; d *= 10)
      out.push(
        `<line x1="${x0 + 50}" x2="${x0 + w - 20}" y1="${py(d)}" y2="${py(d)}" stroke="#ddd"/><text x="${x0 + 45}" y="${py(d) + 4}" text-anchor="end">${d >= 1000 ? `${d / 1000}k` : d}</text>`,
      );
    for (const s of sizes)
      out.push(
        `<line x1="${px(s)}" x2="${px(s)}" y1="40" y2="${40 + h}" stroke="#eee"/><text x="${px(s)}" y="${40 + h + 16}" text-anchor="middle">${s.toLocaleString("en")}</text>`,
      );
    out.push(`<text x="${x0 + w / 2}" y="${40 + h + 34}" text-anchor="middle">open incidents (log)</text>`);
    out.push(
      `<text x="${x0 + 12}" y="${40 + h / 2}" text-anchor="middle" transform="rotate(-90 ${x0 + 12} ${40 + h / 2})">${unit} (log)</text>`,
    );
    series.forEach((s) => {
      const pts = s.points.filter((p) => p.y > 0);
      out.push(
        `<polyline fill="none" stroke="${s.colour}" stroke-width="2"${s.dash ? ' stroke-dasharray="5,4"' : ""} points="${pts.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(" ")}"/>`,
      );
      for (const p of pts)
        out.push(
          `<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3" fill="${s.colour}"><title>${s.name}: ${p.y}</title></circle>`,
        );
    });
    void value;
    return out.join("\n");
  };
  const seriesOf = (pick) =>
    modes.map((mode, i) => ({
      name: mode,
      colour: colours[i % colours.length],
      points: sweeps.filter((s) => s.mode === mode).map((s) => ({ x: s.incidents, y: pick(s) })),
    }));
  const callSeries = [
    ...seriesOf((s) => s.calls.reads + s.calls.writes),
    {
      name: "target (pages + due writes, first sweep)",
      colour: "#555",
      dash: true,
      points: sweeps.filter((s) => s.mode === "cli").map((s) => ({ x: s.incidents, y: s.target })),
    },
  ];
  const cpuSeries = seriesOf((s) => Number((s.cpuMs / 1000).toFixed(2)));
  const legend = callSeries
    .map(
      (s, i) =>
        `<line x1="${20 + i * 185}" x2="${45 + i * 185}" y1="332" y2="332" stroke="${s.colour}" stroke-width="2"${s.dash ? ' stroke-dasharray="5,4"' : ""}/><text x="${50 + i * 185}" y="336">${s.name}</text>`,
    )
    .join("\n");
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="760" height="350" font-family="sans-serif" font-size="11">',
    '<rect width="100%" height="100%" fill="white"/>',
    panel({ x0: 10, title: "API calls per sweep", series: callSeries, unit: "calls" }),
    panel({ x0: 390, title: "CPU seconds per sweep", series: cpuSeries, unit: "CPU s" }),
    legend,
    "</svg>",
    "",
  ].join("\n");
}

/** Writes BENCHMARKS.md and the SVG. */
export function writeReport(results) {
  const m = results.machine;
  const parts = [
    "# Benchmarks",
    "",
    `Figures from \`npm run bench\`${results.quick ? " **--quick**" : ""}, last run ${results.generatedAt.slice(0, 16).replace("T", " ")} UTC${
      results.partsRunAt
        ? ` (parts finished: ${Object.entries(results.partsRunAt)
            .map(([part, at]) => `${part} ${at.slice(0, 16).replace("T", " ")}`)
            .join(", ")} UTC; \`--only\` reruns one part and keeps the others' figures)`
        : ""
    }. Every figure below comes from a real run; the raw figures (and every API call of part 1) are in [bench/results/latest.json](bench/results/latest.json).`,
    "",
    "## How to run",
    "",
    "```sh",
    "npm run bench                 # builds, runs all three parts (about 15-25 min on 2 cores), writes this file",
    "npm run build && node bench/run.mjs --quick              # fewer deliveries, rounds and sweep sizes",
    "npm run build && node bench/run.mjs --only=scenarios     # one part: scenarios | throughput | sweep",
    "node bench/report.mjs          # rewrite this file and the SVG from bench/results/latest.json",
    "```",
    "",
    "Everything runs against the project's GitHub simulator (`simulator/`, in the bench process), with the built app as a real child process reached over HTTP (`GHE_HOST`), as in the end-to-end tests. The bench is not part of `npm test`.",
    "",
    `Machine: ${m.cpus} cores (${m.cpuModel}), ${m.memoryGb} GB, Node ${m.node}, ${m.platform}; load average at start ${m.loadAverageAtStart.join(" / ")}. The machine is shared with other jobs: timings are medians and same-run ratios, counts are exact.`,
    "",
    "## Targets",
    "",
    "| target | figure | |",
    "| --- | --- | --- |",
  ];
  if (results.scenarios) {
    const worst = Math.max(...results.scenarios.flatMap((s) => [s.cold.ratio, s.warm.ratio]));
    const misses = results.scenarios
      .filter((s) => Math.max(s.cold.ratio, s.warm.ratio) > TARGET_RATIO)
      .map((s) => `${s.id} ${Math.max(s.cold.ratio, s.warm.ratio)}`);
    parts.push(
      `| API calls / minimum ≤ ${TARGET_RATIO} on every scenario | worst ${worst}${misses.length ? ` (${misses.join(", ")})` : ""} | ${yes(worst <= TARGET_RATIO)} |`,
    );
  }
  if (results.throughput) {
    const med = results.throughput.median;
    parts.push(
      `| throughput ≥ ${TARGET_THROUGHPUT}× the bare Probot app (throttling off) | ${med.ratio}× (${med.appPerSecond} vs ${med.barePerSecond} deliveries/s; p50 / p99 ${med.appP50Ms} / ${med.appP99Ms} ms) | ${yes(med.ratio >= TARGET_THROUGHPUT)} |`,
    );
  }
  if (results.sweeps) {
    const maxN = Math.max(...results.sweeps.map((s) => s.incidents));
    const big = results.sweeps.filter((s) => s.incidents === maxN);
    const cpu = Math.max(...big.map((s) => s.cpuMs));
    const rss = Math.max(...big.map((s) => mb(s.peakRssKb)));
    parts.push(
      `| ${maxN.toLocaleString("en")} incidents: sweep CPU < ${TARGET_CPU_MS / 1000} s | ${secs(cpu)} s (worst of the three sweeps) | ${yes(cpu < TARGET_CPU_MS)} |`,
    );
    parts.push(
      `| ${maxN.toLocaleString("en")} incidents: peak RSS < ${TARGET_RSS_MB} MB | ${rss} MB | ${yes(rss < TARGET_RSS_MB)} |`,
    );
    const cli = big.find((s) => s.mode === "cli");
    const second = big.find((s) => s.mode.includes("second"));
    const modeOf = (s) => (s.mode === "cli" ? "server (first sweep)" : s.mode);
    const was = (s) => results.sweepsBefore?.find((b) => b.incidents === s.incidents && b.mode === modeOf(s));
    const figure = (s) =>
      `${was(s) ? `${calls(was(s).calls)} → ` : ""}${calls(s.calls)} vs ${s.target} (GraphQL: ${s.calls.graphqlQueries ?? 0} queries, ${s.calls.graphqlPoints ?? 0} points)`;
    const rule = "calls ≤ search pages + due writes + config reads + 1 batch query per 100 read";
    if (cli) parts.push(`| sweep ${rule} (fresh process) | ${figure(cli)} | ${yes(calls(cli.calls) <= cli.target)} |`);
    if (second)
      parts.push(
        `| sweep ${rule} (running server, second sweep) | ${figure(second)} | ${yes(calls(second.calls) <= second.target)} |`,
      );
  }
  if (results.reportReads) {
    const rr = results.reportReads;
    const g = rr.readers.graphql;
    parts.push(
      `| \`report\` over ${rr.incidents.toLocaleString("en")} incidents: ≤ ${rr.target} API calls (GraphQL reader) | ${g.exitCode === 0 ? `${g.apiCalls} calls` : `not measured: ${g.error}`} | ${g.exitCode === 0 ? yes(g.apiCalls <= rr.target) : "**not measured**"} |`,
    );
  }
  parts.push("");
  if (results.scenarios) parts.push(scenarioSection(results));
  if (results.throughput) parts.push(throughputSection(results));
  if (results.sweeps) {
    parts.push(sweepSection(results));
    writeFileSync(`${RESULTS}sweep-growth.svg`, sweepSvg(results.sweeps));
  }
  if (results.reportReads) parts.push(reportReadsSection(results.reportReads));
  writeFileSync(`${ROOT}BENCHMARKS.md`, parts.join("\n"));
}

/** Part 4: the report's reads. */
function reportReadsSection(rr) {
  const rows = Object.entries(rr.readers).map(([reader, r]) => {
    const ops = Object.entries(r.byOperation)
      .map(([op, n]) => `${op} ×${n}`)
      .join(", ");
    return `| ${reader} | ${r.exitCode === 0 ? r.incidentsRead : "—"} | ${r.exitCode === 0 ? r.apiCalls : `— (${r.error})`} | ${r.graphqlPoints ?? 0} | ${ops} | ${secs(r.wallMs)} |`;
  });
  return [
    "## 4. What the report reads",
    "",
    `\`incident-keeper report --format json\` as a child process over ${rr.incidents.toLocaleString("en")} incidents seeded over ${rr.repositories} repositories (each with the app's status comment), once per reader (\`REPORT_READER\`). Every request the simulator received is counted (the app's token and \`GET /app\` included). Target: ${rr.target} calls.`,
    "",
    "| reader | incidents read | API calls | GraphQL points | by operation | wall s |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    'The GraphQL reader asks for 100 incidents per search with each one\'s first 100 comments; REST needs one comment listing per incident. Where the GraphQL row says "not measured", the simulator of this run had no GraphQL.',
    "",
  ].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeReport(JSON.parse(readFileSync(`${RESULTS}latest.json`, "utf8")));
  console.log("wrote BENCHMARKS.md and bench/results/sweep-growth.svg");
}
