/**
 * What a fresh sweep CLI run without Redis pays for the repair pass (issue #17): N open incidents all
 * updated within REPAIR_LOOKBACK_MINUTES (30), the app's status comment the last write on most of them,
 * a person's comment after it on `changed` of them. Before: every incident inside the lookback was
 * reconciled. After: the status comments' times (GraphQL batches of 100) say which changed since the
 * app's last write; only those are reconciled.
 *
 *   node bench/repair-lookback.mjs [--root DIR]   # DIR: another checkout's built tree (e.g. main's), for "before"
 *
 * Prints one JSON line: requests (reads/writes, search, GraphQL), incidents repaired.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { encodeState, EMPTY_STATE, STATUS_MARKER } from "../lib/core/status-state.js";
import { SCENARIO, simulatorEnvironment } from "../simulator/lib/app-process.js";
import { appRequests, startSimulator } from "./lib/harness.mjs";

const args = process.argv.slice(2);
const root = args.includes("--root") ? args[args.indexOf("--root") + 1] : process.cwd();
const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 60);
const CHANGED = Math.max(1, Math.round(INCIDENTS / 10));
const MINUTE = 60_000;

const now = Date.now();
const target = await startSimulator({
  orgConfig: 'teams:\n  responders: "@acme/oncall"\n',
  seed: (sim) => {
    const labels = ["incident", "category:core-bug", "sev:3", "devops:3"];
    for (const name of labels) sim.seed.label(SCENARIO.repo, { name });
    for (let i = 0; i < INCIDENTS; i += 1) {
      const createdAt = new Date(now - 25 * MINUTE + i * 1000);
      const n = sim.seed.issue(SCENARIO.repo, {
        title: `Incident ${i}`,
        body: "Seeded.",
        labels,
        user: "alice",
        createdAt,
      });
      const state = encodeState({ ...EMPTY_STATE, classifiedAt: new Date(createdAt.getTime() + MINUTE).toISOString() });
      sim.seed.comment(SCENARIO.repo, n, {
        body: `${STATUS_MARKER}\n${state}\n**Incident status** (seeded)`,
        viaApp: true,
        createdAt: new Date(createdAt.getTime() + 2 * MINUTE),
      });
      if (i % 10 === 3)
        sim.seed.comment(SCENARIO.repo, n, {
          body: "Still looking.",
          user: "bob",
          createdAt: new Date(now - 5 * MINUTE),
        });
    }
  },
});
const env = simulatorEnvironment({
  privateKey: target.privateKey,
  simulatorHost: target.simulatorHost,
  extra: { SWEEP_REPORT_JSON: "1", LOG_LEVEL: "error", REDELIVERY_MAX_AGE_HOURS: "0" },
});
const from = target.sim.requests.length;
const child = spawn(process.execPath, [join(root, "bin/incident-keeper.js"), "sweep"], {
  cwd: root,
  env,
  stdio: ["ignore", "pipe", "pipe"],
});
let stdout = "";
child.stdout.setEncoding("utf8").on("data", (c) => (stdout += c));
child.stderr.resume();
const code = await new Promise((resolve) => child.once("close", resolve));
const report = stdout
  .split("\n")
  .filter((l) => l.startsWith("{"))
  .map((l) => JSON.parse(l))
  .at(-1);
const requests = appRequests(target.sim, from);
const count = (pred) => requests.filter(pred).length;
console.log(
  JSON.stringify({
    root,
    code,
    incidents: INCIDENTS,
    changedAfterAppWrite: CHANGED,
    requests: requests.length,
    reads: count(
      (r) => r.method === "GET" || (r.operationId === "graphql" && !/^\s*mutation/.test(String(r.body?.query ?? ""))),
    ),
    writes: count((r) => r.method !== "GET" && r.operationId !== "graphql"),
    searches: count((r) => r.path === "/search/issues"),
    graphql: count((r) => r.operationId === "graphql"),
    repaired: report?.installations?.[0]?.repaired ?? null,
    repairWrites: report?.installations?.[0]?.repairWrites ?? null,
  }),
);
await target.sim.stop();
