/**
 * Part 1: API calls per scenario against the minimum a correct app needs. Each scenario group gets a
 * fresh simulator; its preconditions are played through one app process, which is then stopped, and
 * the measured events go to a second, fresh app process: the first measured event (cold) pays for
 * the process-lifetime caches (GET /app, the repository's labels), the second (warm) does not.
 */
import { incidentFormBody } from "../simulator/lib/index.js";
import { appRequests, countCalls, SCENARIO, startApp, startSimulator } from "./lib/harness.mjs";

const repo = SCENARIO.repo;

/** The repository's config in every scenario but the config error (one file, so one read). */
export const BENCH_CONFIG = [
  "teams:",
  '  responders: "@acme/oncall"',
  "  escalation:",
  '    "1": "@acme/sre-leads"',
  '    "2": "@acme/sre-leads"',
  "",
].join("\n");
const BAD_CONFIG = ["sla:", "  investigation_hours: -4", "severity_labels: true", ""].join("\n");

/** How GitHub renders a submission of .github/ISSUE_TEMPLATE/incident.yml. */
export function formBody(n) {
  return incidentFormBody({
    summary: `Checkout fails for EU customers (bench incident ${n}).`,
    impact: "About 30 % of orders fail.",
    category: "Core product bug",
    severity: "Sev 2 - major functionality broken, revenue affected",
    devops: "DevOps 3 - CI/CD or code change, 1-2 developers",
  });
}

function writeupBody(actions) {
  return [
    "## Timeline",
    "- 09:12 UTC alert fired",
    "- 09:40 UTC rolled back",
    "## RCA",
    "A bad config push disabled the session cache.",
    "## Actions",
    ...actions,
  ].join("\n");
}

/**
 * Each group: `setup(sim, count = 2)` (played through a first app process) returns `count` targets; `act(sim, target)`
 * is the measured user action; `minimum` is what a correct app needs for it, cold and warm, with why.
 */
export const SCENARIOS = [
  {
    id: "filed",
    title: "Incident filed (issue form, fully classified by the form)",
    deliveries: "issues.opened + issues.labeled (`incident`, applied by the form)",
    setup: null,
    act: async (sim, n) =>
      sim
        .user("alice")
        .openIssue(repo, { title: `[Incident] Checkout fails ${n}`, body: formBody(n), labels: ["incident"] }),
    minimum: {
      warm: { reads: 4, writes: 2 },
      cold: { reads: 6, writes: 6 },
      why: [
        "opened: the config file (1 read; the payload does not carry it) and the app's own comments (1 read): the payload says `comments: 0`, but GitHub delivers at least once and a redelivered `opened` says `comments: 0` too, so skipping this read would post a second status comment on every redelivery.",
        "opened: one write adds the three classification labels and `incident:needs-writeup` (one POST for all), one write creates the status comment.",
        "labeled (`incident`): the same user action; the payload is a snapshot taken before the app wrote, so a correct app must look before it writes: the config (1 read) and its own comments (1 read), and finds nothing to do (0 writes).",
        "cold: + `GET /app` (who am I, once per process) + `GET /repos/{o}/{r}/labels` (which of the four labels exist, once per repository and process) + 4 label creations (colour and description are visible; first use in the repository only).",
      ],
    },
  },
  {
    id: "label",
    title: "Classified by label (`sev:2` completes the classification)",
    deliveries: "issues.labeled",
    setup: async (sim, count = 2) => {
      const targets = [];
      for (let i = 0; i < count; i += 1) {
        const { data } = await sim.user("alice").openIssue(repo, {
          title: `Search is slow ${i}`,
          body: "Latency p99 above 4 s.",
          labels: ["incident", "category:core-bug", "devops:3"],
        });
        targets.push(data.number);
      }
      return targets;
    },
    act: async (sim, n) => sim.user("bob").addLabels(repo, n, ["sev:2"]),
    minimum: {
      warm: { reads: 2, writes: 1 },
      cold: { reads: 3, writes: 1 },
      why: [
        "the config (1 read) and the app's own comments (1 read: the status comment and its hidden state are not in the payload).",
        "one write: the status comment is edited (classification, resolution deadline now running).",
        "cold: + `GET /app`. No label is added, so the repository's labels need not be read.",
      ],
    },
  },
  {
    id: "command",
    title: "Classified by command (`/sev 2`)",
    deliveries: "issue_comment.created",
    setup: async (sim, count = 2) => {
      const targets = [];
      for (let i = 0; i < count; i += 1) {
        const { data } = await sim.user("alice").openIssue(repo, {
          title: `Payments delayed ${i}`,
          body: "Queue backlog growing.",
          labels: ["incident", "category:core-bug", "devops:3"],
        });
        targets.push(data.number);
      }
      return targets;
    },
    act: async (sim, n) => sim.user("bob").comment(repo, n, "/sev 2"),
    minimum: {
      warm: { reads: 3, writes: 2 },
      cold: { reads: 5, writes: 3 },
      why: [
        "the config (1 read), the commenter's permission (1 read: `author_association` cannot express triage), the app's own comments (1 read).",
        "two writes: add `sev:2`, edit the status comment.",
        "cold: + `GET /app` + the repository's labels (1 read) + creating `sev:2` (1 write) the first time a Sev 2 label is needed in the repository.",
      ],
    },
  },
  {
    id: "premature-close",
    title: "Premature close (write-up missing: reopened)",
    deliveries: "issues.closed",
    setup: async (sim, count = 2) => {
      const targets = [];
      for (let i = 0; i < count; i += 1) {
        const { data } = await sim.user("alice").openIssue(repo, {
          title: `Login errors ${i}`,
          body: "Users see 500 on login.",
          labels: ["incident", "category:core-bug", "sev:2", "devops:1"],
        });
        targets.push(data.number);
      }
      return targets;
    },
    act: async (sim, n) => sim.user("alice").close(repo, n),
    minimum: {
      warm: { reads: 3, writes: 3 },
      cold: { reads: 4, writes: 3 },
      why: [
        "the config (1 read), the app's own comments (1 read), and the closed issue's timeline (1 read): any closed issue may be another incident's follow-up action, and only its cross-references say which.",
        "three writes: reopen, the comment listing what is missing, the status comment (resolution time recorded then withdrawn: its text changes).",
        "cold: + `GET /app`.",
      ],
    },
  },
  {
    id: "action-closed",
    title: "Action closed (ticks the incident's checkbox)",
    deliveries: "issues.closed (the action)",
    setup: async (sim, count = 2) => {
      const targets = [];
      for (let i = 0; i < count; i += 1) {
        const { data: action } = await sim.user("alice").openIssue(repo, { title: `Alert on login error rate ${i}` });
        const { data: other } = await sim.user("alice").openIssue(repo, { title: `Runbook for cache flush ${i}` });
        await sim.user("alice").openIssue(repo, {
          title: `Logins fail ${i}`,
          body: writeupBody([`- [ ] #${action.number} alert on login error rate`, `- [ ] #${other.number} runbook`]),
          labels: ["incident", "category:core-bug", "sev:2", "devops:1"],
        });
        targets.push(action.number);
      }
      return targets;
    },
    act: async (sim, n) => sim.user("alice").close(repo, n),
    minimum: {
      warm: { reads: 4, writes: 2 },
      cold: { reads: 5, writes: 2 },
      why: [
        "the closed issue's timeline (1 read: which incidents list it), the config (1 read), the incident's current body (1 read: the cross-reference carries a snapshot, and the tick rewrites the whole body), the incident's status comment (1 read).",
        "two writes: the ticked body, the status comment (1 of 2 done).",
        "cold: + `GET /app`.",
      ],
    },
  },
  {
    id: "pr-merged",
    title: "PR merged (`Fixes #action`)",
    deliveries: "pull_request.closed (merged) + issues.closed (the action, closed by the merge)",
    setup: async (sim, count = 2) => {
      const targets = [];
      for (let i = 0; i < count; i += 1) {
        const { data: action } = await sim.user("alice").openIssue(repo, { title: `Alert on login error rate ${i}` });
        const { data: other } = await sim.user("alice").openIssue(repo, { title: `Runbook for cache flush ${i}` });
        await sim.user("alice").openIssue(repo, {
          title: `Logins fail ${i}`,
          body: writeupBody([`- [ ] #${action.number} alert on login error rate`, `- [ ] #${other.number} runbook`]),
          labels: ["incident", "category:core-bug", "sev:2", "devops:1"],
        });
        const { data: pr } = await sim
          .user("bob")
          .openPullRequest(repo, { title: `Add the alert ${i}`, body: `Fixes #${action.number}` });
        targets.push(pr.number);
      }
      return targets;
    },
    act: async (sim, n) => sim.user("alice").mergePullRequest(repo, n),
    minimum: {
      warm: { reads: 8, writes: 3 },
      cold: { reads: 9, writes: 3 },
      why: [
        "pull_request.closed: the referenced issue (1 read: is it an incident or an action?), its timeline (1 read: the incidents listing it), the incident's config (1 read), body (1 read) and status comment (1 read), the PR's own comments (1 read: its status comment).",
        "three writes: the ticked body, the incident's status comment (done, no longer in review), the PR's status comment.",
        "issues.closed (the action, closed by the merge): the config (1 read) and the action's timeline (1 read) to find the incident, which is then already up to date; a correct app may skip re-reading the incident when nothing in this delivery can change it... but cannot know that without reading, so: timeline + config = 2 reads, 0 writes (the incident's own reads are charged once, to the first delivery).",
        "cold: + `GET /app`.",
      ],
    },
  },
  {
    id: "config-error",
    title: "Config error (invalid `.github/incident-keeper.yml`)",
    deliveries: "issues.opened + issues.labeled (`incident`)",
    config: BAD_CONFIG,
    setup: null,
    act: async (sim, n) =>
      sim
        .user("alice")
        .openIssue(repo, { title: `[Incident] Queue stuck ${n}`, body: "Orders pile up.", labels: ["incident"] }),
    minimum: {
      warm: { reads: 4, writes: 1 },
      cold: { reads: 5, writes: 1 },
      why: [
        "opened: the config (1 read: invalid) and the app's own comments (1 read: a redelivered `opened` also says `comments: 0`, so without it a redelivery would post the report twice); one write: the comment naming each invalid key.",
        "labeled (`incident`): the config (1 read) and the app's own comments (1 read) to find the report already posted; no write.",
        "cold: + `GET /app`. No label is touched.",
      ],
    },
  },
];

/** Runs one group: returns cold and warm counts, with the per-operation breakdown. */
async function runGroup(scenario, { kind }) {
  const target = await startSimulator({ config: scenario.config ?? BENCH_CONFIG });
  const { sim } = target;
  try {
    let targets = [1, 2];
    if (scenario.setup) {
      // Preconditions are not measured: played through an unthrottled process for speed.
      const setupApp = await startApp(target, { kind: "unthrottled" });
      try {
        targets = await scenario.setup(sim);
        await sim.settle({ quietMs: 300, timeoutMs: 60_000 });
      } finally {
        await setupApp.kill();
      }
    }
    const app = await startApp(target, { kind });
    try {
      const result = {};
      for (const [phase, n] of [
        ["cold", targets[0]],
        ["warm", targets[1]],
      ]) {
        const from = sim.requests.length;
        const deliveriesFrom = sim.deliveries.length;
        const started = performance.now();
        await scenario.act(sim, n);
        await sim.settle({ quietMs: 300, timeoutMs: 60_000 });
        const wallMs = performance.now() - started;
        const records = appRequests(sim, from);
        const deliveries = sim.deliveries.slice(deliveriesFrom);
        result[phase] = {
          ...countCalls(records),
          wallMs: Math.round(wallMs),
          deliveries: deliveries.map(
            (d) => `${d.event}.${d.action ?? ""}${d.sender === sim.botLogin ? " (echo)" : ""} ${d.status}`,
          ),
          calls: records.map(
            (r) =>
              `${r.method} ${r.path}${r.query && r.method === "GET" && r.path.includes("/search/") ? r.query : ""} ${r.status}`,
          ),
        };
      }
      result.violations = sim.violations.map((v) => `[${v.kind}] ${v.method} ${v.path}: ${v.reason}`);
      return result;
    } finally {
      await app.kill();
    }
  } finally {
    await sim.stop();
  }
}

/** Part 1: every scenario, cold and warm, on app processes of `kind`. */
export async function runScenarios({ kind = "app", log = () => {} } = {}) {
  const results = [];
  for (const scenario of SCENARIOS) {
    const measured = await runGroup(scenario, { kind });
    const ratio = (phase) => {
      const min = scenario.minimum[phase];
      return (measured[phase].reads + measured[phase].writes) / (min.reads + min.writes);
    };
    const entry = {
      id: scenario.id,
      title: scenario.title,
      deliveries: scenario.deliveries,
      cold: { ...measured.cold, minimum: scenario.minimum.cold, ratio: Number(ratio("cold").toFixed(2)) },
      warm: { ...measured.warm, minimum: scenario.minimum.warm, ratio: Number(ratio("warm").toFixed(2)) },
      why: scenario.minimum.why,
      violations: measured.violations,
    };
    log(
      `  ${scenario.id}: cold ${entry.cold.reads}r/${entry.cold.writes}w (min ${scenario.minimum.cold.reads}r/${scenario.minimum.cold.writes}w), warm ${entry.warm.reads}r/${entry.warm.writes}w (min ${scenario.minimum.warm.reads}r/${scenario.minimum.warm.writes}w)`,
    );
    results.push(entry);
  }
  return results;
}
