/**
 * `npm run demo`: the built demo (`node simulator/lib/demo/demo.js`) as a child process, exactly as a person
 * runs it; and the pure thread printer it ends with.
 */
import { describe, expect, it } from "@jest/globals";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { formatUtc } from "../../src/core/time-format.js";
import { formatTime, readableBody, renderThread } from "../../simulator/src/demo/thread-text.js";
import type { CommentView, IssueView, TimelineView } from "../../simulator/src/views.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function startDemo(args: string[] = []): {
  child: ReturnType<typeof spawn>;
  line(pattern: RegExp, timeoutMs: number): Promise<string>;
  done: Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>;
} {
  const started = Date.now();
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not for the demo
  const child = spawn(process.execPath, ["simulator/lib/demo/demo.js", ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), 150_000);
  const done = new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
  const line = async (pattern: RegExp, timeoutMs: number): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(stdout);
      if (match) return match[1]!;
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`no line ${String(pattern)}:\n${stdout}\n${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { child, line, done };
}

function runDemo(args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return startDemo(args).done;
}

describe("npm run demo", () => {
  it("plays the incident from its alarm to its report offline, each step as expected, with no violations", async () => {
    const { code, stdout, stderr, ms } = await runDemo();
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const start = stdout.indexOf("acme/api#1  ");
    const thread = stdout.slice(start, stdout.indexOf("# Incident report: "));
    const report = stdout.slice(stdout.indexOf("# Incident report: "));
    // The steps, told in order.
    const steps = [...stdout.slice(0, start).matchAll(/^▶ (.*)$/gm)].map((m) => m[1]!.split(":")[0]);
    expect(steps).toEqual([
      "starting the GitHub simulator and the app (node lib/server.js, as npm start)",
      "acme/api's .github/incident-keeper.yml",
      "7 hours ago",
      "now",
      "bob, a responder, classifies it",
      "bob and alice note the key moments with /timeline (--start, --detected, --mitigated)",
      "mallory, who has only read access, tries /sev 5",
      "the config is rolled back",
      "alice closes the incident once the fix is out, before the write-up",
      "bob opens the follow-up action; alice fills in RCA and Actions, bob the Timeline with /timeline --write",
      "alice drafts the public write-up",
      "bob opens a pull request that fixes #2; alice merges it",
      "alice closes the incident; this time it stays closed",
    ]);
    expect(thread).toContain(
      "acme/api#1  CheckoutErrorRate: Checkout returns HTTP 500 for EU customers\nstate: closed (completed)    labels: category:core-bug, devops:1, incident, sev:1\n",
    );
    // The alert filed it, seven hours ago, with Sev 1 from its severity label.
    expect(thread).toMatch(
      /● incident-keeper\[bot\] opened this on (\S+ \d\d:\d\d) UTC\n {4}🔔 Filed from Alertmanager: CheckoutErrorRate\n/,
    );
    expect(thread).toContain("- Alerts in the group: 1 · mapped to Sev 1 from label `severity`");
    expect(thread).toContain("· incident-keeper[bot] added incident, sev:1 and incident:needs-writeup on ");
    // The reminder the sweep posted, 7 hours into the 12 to classify, mentioning the responders.
    expect(thread).toMatch(
      /⏰ SLA reminder: investigation & classification due in 5 hours\n[\s\S]*?\n {4}@acme\/oncall\n/,
    );
    // bob's classification; the stranger's refusal.
    expect(thread).toContain("· incident-keeper[bot] added category:core-bug and devops:1 on ");
    expect(thread).toContain(
      "@mallory `/sev` needs at least triage permission on this repository (you have read), so nothing was changed.",
    );
    // The alert resolved: shown in the status comment, the resolution recorded.
    expect(thread).toMatch(
      /CheckoutErrorRate +✅ resolved +\d{4}-\d\d-\d\d \d\d:\d\d UTC +\d{4}-\d\d-\d\d \d\d:\d\d UTC\n/,
    );
    expect(thread).toContain("✅ resolved");
    expect(thread).toContain("the incident's resolution is recorded");
    expect(thread).not.toContain("🔥 firing");
    // The premature close, the reopen and its reason.
    expect(thread).toMatch(
      /· alice closed this as completed on .+\n\n {2}· incident-keeper\[bot\] reopened this on .+\n\n● incident-keeper\[bot\] commented on .+\n {4}🔁 Reopened: this incident is not done yet\n[\s\S]*Write-up sections still missing or empty:\n {4}- Timeline\n {4}- RCA \(root cause analysis\)\n {4}- Actions\n/,
    );
    // The write-up filled the alert body's sections (no placeholder left); the action ticked after the merge.
    expect(thread).not.toContain("_No response_");
    expect(thread).toContain("    - [x] #2 require a review for payment config changes");
    expect(thread).toContain("· incident-keeper[bot] mentioned this in acme/api#3 on ");
    expect(thread).toContain("- ✅ #2: Require a review for payment config changes — done");
    expect(thread).toContain("✅ Incident complete");
    expect(thread).toMatch(/Investigate & classify \(12 hours\) +\d{4}-\d\d-\d\d \d\d:\d\d UTC +✅ met \(classified /);
    expect(thread).toMatch(/Resolve \(12 hours\) +\d{4}-\d\d-\d\d \d\d:\d\d UTC +✅ met \(resolved /);
    expect(thread).toMatch(/· alice closed this as completed on [^\n]+\n─/);
    // The responders' /timeline notes (issue #14): in the status comment's timeline (folded once
    // long), with the alert's own times, the follow-up PR and action.
    const status = thread.slice(thread.lastIndexOf("🚨 Incident status"));
    // 9 entries: the 8 of before and the follow-up action's opening (first listed), at its created_at.
    expect(status).toContain("<details><summary><b>Timeline</b> (9 entries; times in UTC)</summary>");
    expect(status).toMatch(
      /- \d{4}-\d\d-\d\d \d\d:\d\d UTC start: config change lowers the EU payment-gateway timeout to 50 ms \(bob\)\n {4}- \d{4}-\d\d-\d\d \d\d:\d\d UTC: Alert CheckoutErrorRate fired\n {4}- \d{4}-\d\d-\d\d \d\d:\d\d UTC detected: on-call confirms checkout errors in eu-west-1 \(bob\)\n/,
    );
    expect(status).toMatch(/UTC mitigated: payment config rolled back in eu-west-1 \(alice\)\n/);
    expect(status).toContain(": Follow-up action #2 closed: Require a review for payment config changes");
    expect(status).toMatch(
      /UTC: Follow-up action #2 opened: Require a review for payment config changes\n {4}- \d{4}-\d\d-\d\d \d\d:\d\d UTC: Pull request #3 for follow-up action #2 opened\n/,
    );
    // The body's Timeline filled by /timeline --write from those notes and the app's events, not by hand.
    const body = thread.slice(0, thread.indexOf("🚨 Incident status"));
    const written = body.slice(body.indexOf("    Timeline\n"), body.indexOf("    RCA\n"));
    expect(written).toMatch(/UTC start: config change lowers the EU payment-gateway timeout to 50 ms \(bob\)/);
    expect(written).toMatch(/UTC: Issue opened\n/);
    expect(written).toMatch(/UTC: Category: Core product bug \(bob\)\n/);
    expect(written).toMatch(/UTC mitigated: payment config rolled back in eu-west-1 \(alice\)\n/);
    expect(written).toMatch(/UTC: Alert CheckoutErrorRate resolved\n/);
    expect(written).toContain("Written by incident-keeper with `/timeline --write`");
    expect(thread).toMatch(
      /● bob commented on [^\n]+\n {4}\/timeline --write\n\n {2}· incident-keeper\[bot\] removed incident:needs-writeup/,
    );
    // `/postmortem` (issue #14): one draft pull request in acme/website, replied and linked from the status.
    expect(thread).toContain("the public write-up's draft pull request is open: [acme/website#1](");
    expect(thread).toContain("📝 Public write-up: draft pull request [acme/website#1](");
    const draft = stdout.slice(
      stdout.indexOf("▶ the public write-up's draft: "),
      stdout.indexOf("▶ the report of the incident's figures"),
    );
    expect(draft).toContain(
      "▶ the public write-up's draft: acme/website#1 (draft pull request from incident-keeper/postmortem-acme-api-1), file content/blog/incidents/",
    );
    expect(draft).toContain('title: "CheckoutErrorRate: Checkout returns HTTP 500 for EU customers"\n');
    expect(draft).toContain("## Root cause\n\nA config change lowered the payment gateway timeout");
    // The draft's Timeline: the incident's reconstructed timeline (the body's is the app's own block),
    // the responders' tagged notes without their authors.
    expect(draft).toMatch(
      /## Timeline\n\nTimes in UTC\.\n\n- \d{4}-\d\d-\d\d \d\d:\d\d UTC \*\*start\*\*: config change lowers the EU payment-gateway timeout to 50 ms\n/,
    );
    expect(draft).toMatch(/UTC \*\*mitigated\*\*: payment config rolled back in eu-west-1\n/);
    // The action lives in the private acme/api: described, neither linked nor named.
    expect(draft).toContain("## What we are doing about it\n\n- require a review for payment config changes\n");
    expect(draft).not.toMatch(/acme\/api|#2|@/);
    // Readable: no hidden markers, no base64 state, no HTML.
    expect(thread).not.toMatch(/<!--|incident-keeper:state|<sub>|&quot;|&#64;/);
    // The report: the incident's figures (7 hours to classify and to resolve, both windows met).
    expect(report).toContain("Repository acme/api.");
    expect(report).toContain("**1** incident(s) opened in this range, **1** closed.");
    expect(report).toMatch(/\| time to classify \(MTTA\) \| 1 \| 7 h \| 7 h \| 7 h \|/);
    expect(report).toMatch(/\| time to resolve \(MTTR\) \| 1 \| 7 h \| 7 h \| 7 h \|/);
    // From the timeline's tags: detected 7 minutes after the start, mitigated about 7 hours after.
    expect(report).toMatch(/\| time to detect \| 1 \| 7 min \| 7 min \| 7 min \|/);
    expect(report).toMatch(/\| time to mitigate \| 1 \| 7\.1 h \| 7\.1 h \| 7\.1 h \|/);
    expect(report).toContain("| investigation | 1 | 1 | 0 | 0 | 100 % |");
    expect(report).toContain("| resolution | 1 | 1 | 0 | 0 | 100 % |");
    expect(report).toContain("Reopened because they were closed too early: **1** incident(s) (1 reopen(s)).");
    expect(report).toContain("**0** open (0 overdue against `report.action_slo_days`), **1** done");
    expect(report).toMatch(/^report: 1 incident\(s\) read with \d+ API call\(s\) \(graphql\)$/m);
    const counts =
      /^API requests: (\d+) \((\d+) reads, (\d+) writes; plus \d+ token creations\) · webhooks delivered: \d+ · OpenAPI violations: 0$/m.exec(
        stdout,
      );
    expect(counts).not.toBeNull();
    // The play's whole cost (app, sweep and report) stays in the measured range: 110 on this machine
    // with the /timeline notes and --write (+17) and /postmortem (17 calls, 7 of them in acme/website)
    // of issue #14; 80 before them.
    expect(Number(counts![1])).toBeLessThanOrEqual(115);
    console.log(`demo: ${(ms / 1000).toFixed(1)} s; ${counts![0]}`);
  }, 160_000);

  it("refuses unknown options", async () => {
    const unknown = await runDemo(["--nope"]);
    expect(unknown).toMatchObject({
      code: 2,
      stdout: "",
      stderr: "demo: unknown option --nope (options: --serve, --security)\n",
    });
  });

  // Issue #14: this replaces the placeholder that asserted `--security` exited 2 before the feature existed.
  it("--security plays a security incident moved to the private repository", async () => {
    const { code, stdout, stderr, ms } = await runDemo(["--security"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toContain("▶ bob (triage) comments `/security` on acme/api#2");
    expect(stdout).toContain("▶ the app moved it with GraphQL transferIssue: it is acme/security#1 now");
    expect(stdout).toContain("▶ acme/api#2's old address answers 301 -> /repos/acme/security/issues/1");
    const thread = stdout.slice(stdout.indexOf("acme/security#1  Billing API token leaked"));
    expect(thread).toMatch(/^acme\/security#1 {2}Billing API token leaked\nstate: open {4}labels: .*incident:security/);
    expect(thread).toContain("🔒 Security incident, moved here from acme/api#2 on ");
    expect(thread).toMatch(/Acknowledge & classify \(1 hour\) +\d{4}-\d\d-\d\d \d\d:\d\d UTC +✅ met/);
    expect(thread).toMatch(/Resolve \(24 hours\) +\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    // The follow-up action in the public repository, closed after the move, ticked the moved incident.
    expect(thread).toContain("    - [x] #1 revoke the token and rotate the billing credentials");
    expect(thread).toContain("- ✅ acme/api#1: Revoke the leaked billing token — done");
    // The security team mentioned once, in the private repository.
    expect(thread.match(/@acme\/security-team/g)).toHaveLength(1);
    expect(thread).not.toMatch(/<!--|incident-keeper:state/);
    const counts = /^API requests: (\d+) .* · OpenAPI violations: 0$/m.exec(stdout);
    expect(counts).not.toBeNull();
    console.log(`demo --security: ${(ms / 1000).toFixed(1)} s; ${counts![0]}`);
  }, 90_000);

  it("--serve keeps the simulator and the app running with the dashboard, until interrupted", async () => {
    const demo = startDemo(["--serve"]);
    try {
      const url = await demo.line(/^the dashboard: (http:\/\/127\.0\.0\.1:\d+\/incident-keeper\/dashboard)$/m, 150_000);
      const token = await demo.line(/^its access token \(enter it on the page\): (\S+)$/m, 5_000);
      const refused = await fetch(url);
      expect(refused.status).toBe(401);
      const page = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(page.status).toBe(200);
      const html = await page.text();
      // The second alert's incident is open on the dashboard; the demo's closed incident is not.
      expect(html).toContain("DiskFillingUp");
      expect(html).not.toContain("CheckoutErrorRate");
    } finally {
      demo.child.kill("SIGINT");
    }
    const { code, stderr } = await demo.done;
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
  }, 170_000);
});

describe("renderThread", () => {
  const at = (minute: number): Date => new Date(Date.UTC(2026, 10, 23, 9, minute));

  it("writes instants as the app does (the simulator has its own copy of formatUtc: it does not import the app)", () => {
    const instants = [at(0), at(59), new Date(Date.UTC(2026, 0, 1, 0, 0, 59)), new Date(Date.UTC(2027, 11, 31, 23, 7))];
    for (const instant of instants) expect(formatTime(instant)).toBe(formatUtc(instant));
  });
  const issue: IssueView = {
    number: 7,
    title: "DB down",
    body: "### Summary\n\nAll writes fail.",
    state: "open",
    stateReason: null,
    labels: ["sev:1", "incident"],
    assignees: [],
    user: "alice",
    locked: false,
    isPullRequest: false,
    merged: false,
    createdAt: at(0),
    updatedAt: at(5),
    closedAt: null,
    commentCount: 1,
  };
  const comment: CommentView = {
    id: 1,
    issueNumber: 7,
    body: "<!-- incident-keeper:status -->\n### 🚨 Incident status\n\n| SLA | Due |\n|---|---|\n| Resolve | 2026-11-23 21:00 UTC |\n\n**Still to classify:** devops &amp; &quot;more&quot; \\| x\n<sub>Updated 09:05</sub>\n<!-- incident-keeper:state eyJ2IjoxfQ== -->",
    user: "incident-keeper[bot]",
    viaApp: true,
    createdAt: at(1),
    updatedAt: at(5),
  };
  const timeline: TimelineView[] = [
    { event: "labeled", actor: "alice", createdAt: at(0), detail: "incident" },
    { event: "labeled", actor: "incident-keeper[bot]", createdAt: at(1), detail: "sev:1" },
    { event: "unlabeled", actor: "incident-keeper[bot]", createdAt: at(1), detail: "sev:3" },
    { event: "commented", actor: "incident-keeper[bot]", createdAt: at(1), detail: comment.body },
    { event: "closed", actor: "bob", createdAt: at(3), detail: "completed" },
    { event: "reopened", actor: "incident-keeper[bot]", createdAt: at(3), detail: null },
  ];

  it("prints title, state, labels, the body, then comments and events in order, as plain text", () => {
    expect(renderThread({ repo: "acme/api", issue, comments: [comment], timeline })).toBe(
      [
        "acme/api#7  DB down",
        "state: open    labels: incident, sev:1",
        "",
        "● alice opened this on 2026-11-23 09:00 UTC",
        "    Summary",
        "",
        "    All writes fail.",
        "",
        "  · alice added incident on 2026-11-23 09:00 UTC",
        "",
        "  · incident-keeper[bot] added sev:1 and removed sev:3 on 2026-11-23 09:01 UTC",
        "",
        "● incident-keeper[bot] commented on 2026-11-23 09:01 UTC (edited 2026-11-23 09:05 UTC)",
        "    🚨 Incident status",
        "",
        "    SLA       Due",
        "    Resolve   2026-11-23 21:00 UTC",
        "",
        '    Still to classify: devops & "more" \\| x',
        "    Updated 09:05",
        "",
        "  · bob closed this as completed on 2026-11-23 09:03 UTC",
        "",
        "  · incident-keeper[bot] reopened this on 2026-11-23 09:03 UTC",
        "",
      ].join("\n"),
    );
  });

  it("keeps a `|` escaped inside a table cell as one cell", () => {
    expect(readableBody('| Key | Problem |\n|---|---|\n| `a` | one of "x"\\|"y" |')).toBe(
      'Key   Problem\n`a`   one of "x"|"y"',
    );
  });
});
