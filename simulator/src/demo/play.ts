/**
 * The demo's story: one incident from its alarm to its lessons, played against the simulator and the
 * real app process. Each step checks what the app did and throws {@link DemoError} when it did not.
 * Shared by `npm run demo` (demo.ts) and the README images (readme-images.ts).
 */
import { runSweepProcess, SCENARIO, type SimulatedApp } from "../app-process.js";
import { wallNow } from "../clock.js";
import { alertmanagerNotification, DEMO_ALERTMANAGER_AUTH, postAlertmanager, type DemoAlert } from "./alertmanager.js";

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const repo = SCENARIO.repo;

/** The demo repository's config: alerts land here, reminders mention the on-call team. */
export const DEMO_CONFIG = [
  "teams:",
  '  responders: "@acme/oncall"',
  "alerts:",
  "  default_repo: acme/api",
  "  resolve_incident: true",
  "",
].join("\n");

/** The app process's environment for the demo (the Alertmanager receiver on, no sweeps of its own). */
export function demoAppEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    SWEEP_INTERVAL_MINUTES: "0",
    ALERTS_ALERTMANAGER_BASIC_AUTH: DEMO_ALERTMANAGER_AUTH,
    ALERTS_CONFIG_REPO: repo,
    ...extra,
  };
}

export class DemoError extends Error {}

/** Waits (polling) until `condition` holds: the alert receiver answers 202 and files in the background. */
async function eventually(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = wallNow() + timeoutMs;
  while (!condition()) {
    if (wallNow() > deadline) throw new DemoError(`the app did not do what the demo expects in time: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function expectThat(condition: boolean, what: string): void {
  if (!condition) throw new DemoError(`the app did not do what the demo expects: ${what}`);
}

/** Where the story's steps are told (stdout for the demo; nothing for the README images). */
export type Say = (text: string) => void;

/** What the story left behind, for the printer, the report and the images. */
export interface PlayOutcome {
  incident: number;
  action: number;
  pull: number;
  /** When the alert started firing (minute-aligned). */
  alertStartedAt: Date;
  /** The first reminder's Markdown, as the app posted it. */
  reminderBody: string;
}

/** The alert the story starts with: checkout errors in the EU, critical. */
function checkoutAlert(startsAt: Date, endsAt: Date | null): DemoAlert {
  return {
    labels: { alertname: "CheckoutErrorRate", severity: "critical", service: "checkout", region: "eu-west-1" },
    annotations: {
      summary: "Checkout returns HTTP 500 for EU customers",
      description: "More than 30 % of checkout requests in eu-west-1 failed over the last 5 minutes.",
    },
    startsAt,
    endsAt,
  };
}

/**
 * The alert's body with its RCA and Actions filled in (everything from its first `### Timeline` heading
 * on is replaced); the Timeline stays the placeholder for `/timeline --write` (HOOK(#14, timeline)).
 */
function writeUp(body: string, actionNumber: number): string {
  const sections = body.search(/^### Timeline\s*$/m);
  return [
    (sections >= 0 ? body.slice(0, sections) : body).trimEnd(),
    "",
    "### Timeline",
    "",
    "_No response_",
    "",
    "### RCA",
    "",
    "A config change lowered the payment gateway timeout from 5 s to 50 ms in the EU region only;",
    "the change had no review because config files had no CODEOWNERS.",
    "",
    "### Actions",
    "",
    `- [ ] #${actionNumber} require a review for payment config changes`,
    "",
  ].join("\n");
}

/** Plays the story. Throws {@link DemoError} at the first step the app did not carry out. */
export async function playIncident(running: SimulatedApp, say: Say): Promise<PlayOutcome> {
  const { sim } = running;
  const alice = sim.user("alice");
  const bob = sim.user("bob");
  const comments = (n: number): string[] => sim.comments(repo, n).map((c) => c.body);
  const hasComment = (n: number, marker: string): boolean => comments(n).some((b) => b.includes(marker));
  const labelsOf = (n: number): readonly string[] => sim.issue(repo, n).labels;

  // The alert fired 7 hours ago (the simulator's clock, so GitHub's created_at says so); from then on
  // everything happens now, on the same clock as the app's.
  const alertStartedAt = new Date(Math.floor((wallNow() - 7 * HOUR_MS) / MINUTE_MS) * MINUTE_MS);
  sim.setTime(alertStartedAt);
  say("7 hours ago: Alertmanager notifies the app: CheckoutErrorRate is firing (severity: critical)");
  const before = sim.issues(repo).length;
  await postAlertmanager(
    running.app.url,
    alertmanagerNotification({ groupBy: ["alertname"], alerts: [checkoutAlert(alertStartedAt, null)] }),
  );
  const incidents = (): ReturnType<typeof sim.issues> => sim.issues(repo).filter((i) => i.labels.includes("incident"));
  await eventually(
    () => incidents().length === 1 && comments(incidents()[0]!.number).some((b) => b.includes("🔥 firing")),
    "file one incident from the alert, with its status comment",
  );
  await sim.settle();
  expectThat(sim.issues(repo).length === before + 1, "file one incident from the alert, and nothing else");
  const n = incidents()[0]!.number;
  sim.setTime(null);
  expectThat(
    labelsOf(n).includes("sev:1") && hasComment(n, "🔥 firing"),
    "file the incident with Sev 1 from the alert's severity and show the alert firing",
  );

  say("now: the reminder sweep runs (incident-keeper sweep); 7 of the 12 hours to classify have passed");
  const sweep = await runSweepProcess({
    simulatorHost: running.app.simulatorHost,
    privateKey: running.app.privateKey,
    timeoutMs: 60_000,
  });
  if (sweep.code !== 0)
    throw new DemoError(`the sweep exited with ${String(sweep.code)}:\n${sweep.stderr || sweep.stdout}`);
  await sim.settle();
  const reminderBody = comments(n).find((b) => b.includes("<!-- incident-keeper:reminder investigation:50@")) ?? "";
  expectThat(reminderBody !== "", "post the 50 % reminder of the investigation window");

  say("bob, a responder, classifies it: /category core-bug, /devops 1");
  await bob.comment(
    repo,
    n,
    "It's the payment-gateway config in the EU; a rollback fixes it.\n\n/category core-bug\n/devops 1",
  );
  await sim.settle();
  expectThat(
    ["category:core-bug", "devops:1", "sev:1"].every((l) => labelsOf(n).includes(l)),
    "label the incident category:core-bug and devops:1",
  );

  // HOOK(#14, timeline): responders add `/timeline` notes (the key moments tagged: the report's time
  // to detect and to mitigate); the write-up's Timeline is then filled from `/timeline --write`.
  const utc = (minutes: number): string =>
    new Date(alertStartedAt.getTime() + minutes * MINUTE_MS).toISOString().slice(0, 16).replace("T", " ");
  say("bob and alice note the key moments with /timeline (--start, --detected, --mitigated)");
  await bob.comment(
    repo,
    n,
    [
      `/timeline --start ${utc(-5)} config change lowers the EU payment-gateway timeout to 50 ms`,
      `/timeline --detected ${utc(2)} on-call confirms checkout errors in eu-west-1`,
    ].join("\n"),
  );
  await sim.settle();
  await alice.comment(repo, n, "/timeline --mitigated payment config rolled back in eu-west-1");
  await sim.settle();
  expectThat(
    ["--start", "--detected", "--mitigated"].every((tag) =>
      comments(n).some((b) => b.startsWith("<!-- incident-keeper:status -->") && b.includes(`**${tag.slice(2)}**`)),
    ),
    "show the three tagged notes in the status comment's timeline",
  );

  say("mallory, who has only read access, tries /sev 5");
  await sim.user("mallory").comment(repo, n, "/sev 5");
  await sim.settle();
  expectThat(
    hasComment(n, "needs at least **triage** permission") && !labelsOf(n).includes("sev:5"),
    "refuse mallory's /sev 5 with one reply",
  );

  say("the config is rolled back: Alertmanager notifies the app that the alert resolved");
  await postAlertmanager(
    running.app.url,
    alertmanagerNotification({ groupBy: ["alertname"], alerts: [checkoutAlert(alertStartedAt, new Date(wallNow()))] }),
  );
  await eventually(
    () => hasComment(n, "✅ resolved") && !hasComment(n, "🔥 firing"),
    "show the alert resolved and record the resolution",
  );
  await sim.settle();

  say("alice closes the incident once the fix is out, before the write-up");
  await alice.close(repo, n);
  await sim.settle();
  expectThat(
    sim.issue(repo, n).state === "open" && hasComment(n, "### 🔁 Reopened"),
    "reopen the incident and say why",
  );

  say("bob opens the follow-up action; alice fills in RCA and Actions, bob the Timeline with /timeline --write");
  const { data: action } = await bob.openIssue(repo, {
    title: "Require a review for payment config changes",
    body: "Add CODEOWNERS for config/payments/ so every change there needs the payments team's review.",
  });
  await alice.editBody(repo, n, writeUp(sim.issue(repo, n).body ?? "", action.number));
  await sim.settle();
  // HOOK(#14, timeline): the Timeline section filled from the incident's own timeline.
  await bob.comment(repo, n, "/timeline --write");
  await sim.settle();
  expectThat(
    (sim.issue(repo, n).body ?? "").includes("**mitigated**: payment config rolled back in eu-west-1 (alice)"),
    "fill the Timeline section from the timeline's notes and events",
  );
  expectThat(
    !labelsOf(n).includes("incident:needs-writeup"),
    "drop incident:needs-writeup once the write-up is filled in",
  );

  // HOOK(#14, postmortem): `/postmortem` opens the public draft PR here once it is on main; the demo
  // then prints the draft's file after the thread.

  say(`bob opens a pull request that fixes #${action.number}; alice merges it`);
  const { data: pull } = await bob.openPullRequest(repo, {
    title: "CODEOWNERS: payments reviews config/payments/",
    body: `Fixes #${action.number}`,
    files: { ".github/CODEOWNERS": "config/payments/ @acme/payments\n" },
  });
  await sim.settle();
  await alice.mergePullRequest(repo, pull.number);
  await sim.settle();
  expectThat(sim.issue(repo, action.number).state === "closed", `close #${action.number} by the merge (GitHub does)`);
  expectThat(
    (sim.issue(repo, n).body ?? "").includes(`- [x] #${action.number}`) && hasComment(n, "### ✅ Incident complete"),
    "tick the action's checkbox and say the incident is complete",
  );

  say("alice closes the incident; this time it stays closed");
  await alice.close(repo, n);
  await sim.settle();
  expectThat(sim.issue(repo, n).state === "closed", "keep the completed incident closed");
  return { incident: n, action: action.number, pull: pull.number, alertStartedAt, reminderBody };
}
