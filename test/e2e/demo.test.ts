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

function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not for the demo
  const child = spawn(process.execPath, ["simulator/lib/demo/demo.js"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), 150_000);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

describe("npm run demo", () => {
  it("plays the incident offline, prints the thread with its key moments, and exits 0 with no violations", async () => {
    const { code, stdout, stderr, ms } = await runDemo();
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const thread = stdout.slice(stdout.indexOf("acme/api#1  "));
    expect(thread).toContain("acme/api#1  [Incident] Checkout fails in the EU\nstate: closed (completed)    labels: category:core-bug, devops:1, incident, sev:2\n");
    // Classified from the form's dropdowns, then by bob's commands.
    expect(thread).toContain("· incident-keeper[bot] added category:core-bug, sev:3 and incident:needs-writeup on ");
    expect(thread).toContain("· incident-keeper[bot] added sev:2 and devops:1 and removed sev:3 on ");
    // The reminder the sweep posted, 7 hours into the 12 to classify.
    expect(thread).toContain("⏰ SLA reminder: investigation & classification due in 5 hours");
    // The stranger's refusal.
    expect(thread).toContain("@mallory `/sev` needs at least triage permission on this repository (you have read), so nothing was changed.");
    // The premature close, the reopen and its reason.
    expect(thread).toMatch(/· alice closed this as completed on .+\n\n {2}· incident-keeper\[bot\] reopened this on .+\n\n● incident-keeper\[bot\] commented on .+\n {4}🔁 Reopened: this incident is not done yet\n[\s\S]*Write-up sections still missing or empty:\n {4}- Timeline\n {4}- RCA \(root cause analysis\)\n {4}- Actions\n/);
    // The ticked action and the end.
    expect(thread).toContain("    - [x] #2 alert on the checkout error rate");
    expect(thread).toContain("- ✅ #2: Alert on the checkout error rate — done");
    expect(thread).toContain("✅ Incident complete");
    expect(thread).toMatch(/Resolve \(12 hours\) +\d{4}-\d\d-\d\d \d\d:\d\d UTC +✅ met \(resolved /);
    // Readable: no hidden markers, no base64 state, no HTML.
    expect(thread).not.toMatch(/<!--|incident-keeper:state|<sub>|&quot;|&#64;/);
    expect(stdout).toMatch(/^API requests: \d+ \(\d+ reads, \d+ writes; plus \d+ token creations\) · webhooks delivered: \d+ · OpenAPI violations: 0$/m);
    console.log(`demo: ${(ms / 1000).toFixed(1)} s; ${/^API requests: .*$/m.exec(stdout)?.[0] ?? ""}`);
  }, 160_000);
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
    body: '<!-- incident-keeper:status -->\n### 🚨 Incident status\n\n| SLA | Due |\n|---|---|\n| Resolve | 2026-11-23 21:00 UTC |\n\n**Still to classify:** devops &amp; &quot;more&quot; \\| x\n<sub>Updated 09:05</sub>\n<!-- incident-keeper:state eyJ2IjoxfQ== -->',
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
    expect(readableBody("| Key | Problem |\n|---|---|\n| `a` | one of \"x\"\\|\"y\" |")).toBe('Key   Problem\n`a`   one of "x"|"y"');
  });
});
