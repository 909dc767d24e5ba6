/**
 * The incident's timeline end to end (issue #14): a thread of commands and events produces the
 * expected timeline in the status comment; editing and deleting a note's comment edits and removes
 * its entry; `/timeline --write` fills the body's Timeline only where nobody wrote it, and people's
 * text is never touched. Every request validated against GitHub's OpenAPI description.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { SCENARIO, startSimulatedApp, type SimulatedApp } from "../../simulator/src/app-process.js";
import type { RequestRecord } from "../../simulator/src/index.js";
import { decodeState } from "../../src/core/status-state.js";
import { atOnce, expectCallGroups } from "../support/call-groups.js";
import { expectNoViolations } from "../support/e2e.js";

const repo = SCENARIO.repo;
const STATUS = "<!-- incident-keeper:status -->";

let e2e: SimulatedApp;
beforeAll(async () => {
  e2e = await startSimulatedApp({ config: "incident_label: incident\n" });
  e2e.sim.seed.permission(repo, "carol", "write");
}, 60_000);
afterAll(() => e2e?.stop());
afterEach(() => expectNoViolations(e2e.sim));

const appComments = (n: number): string[] =>
  e2e.sim
    .comments(repo, n)
    .filter((c) => c.viaApp)
    .map((c) => c.body);
const statusOf = (n: number): string => appComments(n).find((b) => b.startsWith(STATUS)) ?? "";
/** The timeline lines of the status comment, without their times. */
const timelineOf = (n: number): string[] => {
  const status = statusOf(n);
  const start = status.indexOf("**Timeline**");
  if (start === -1) return [];
  return status
    .slice(start)
    .split("\n")
    .filter((l) => /^- \d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(l))
    .map((l) => l.replace(/^- \d{4}-\d{2}-\d{2} \d{2}:\d{2}(?: UTC)?(?::)?/, "-"));
};
const calls = (records: RequestRecord[]): string[] =>
  records
    .filter((r) => !r.path.endsWith("/access_tokens") && r.operationId !== "apps/get-authenticated")
    .map((r) => `${r.method} ${r.operationId ?? r.path}`);

describe("a thread of commands and events", () => {
  let incident = 0;
  let noteId = 0;
  beforeAll(() => {
    incident = e2e.sim.seed.issue(repo, {
      title: "Payments time out",
      body: "Card payments time out.\n\n### Timeline\n\n_No response_\n\n### RCA\n\n_No response_\n",
      labels: ["incident"],
      user: "alice",
    });
  });

  it("records classification, notes with their tags and a stranger's refusal as the status comment's timeline", async () => {
    await e2e.sim.user("bob").comment(repo, incident, "/sev 2\n/devops 3\n/category core-bug");
    await e2e.sim.settle();
    const { data: note } = await e2e.sim
      .user("bob")
      .comment(repo, incident, "Found it.\n\n/timeline --detected 00:00 first alert fired");
    noteId = note.id;
    await e2e.sim.settle();
    await e2e.sim.user("carol").comment(repo, incident, "/timeline --mitigated traffic moved to eu-west @alice");
    await e2e.sim.settle();
    await e2e.sim.user("mallory").comment(repo, incident, "/timeline I was here");
    await e2e.sim.settle();
    const lines = timelineOf(incident);
    expect(lines).toContain("- **detected**: first alert fired (bob)");
    expect(lines).toContain("- **mitigated**: traffic moved to eu-west &#64;alice (carol)");
    // The app's own events are kept in the hidden state (and go into --write), not shown here.
    expect(lines.join("\n")).not.toContain("Severity: Sev 2");
    const events = decodeState(statusOf(incident))
      .timeline?.entries.filter((e) => e.kind === "event")
      .map((e) => `${e.text} (${e.by ?? ""})`);
    // (Within one second, GitHub's whole-second times leave the order to the text.)
    expect(events?.sort()).toEqual([
      "Category: Core product bug (bob)",
      "Issue opened ()",
      "Remediation difficulty: DevOps 3 (bob)",
      "Severity: Sev 2 (bob)",
    ]);
    expect(lines.join("\n")).not.toContain("I was here");
    // The metrics' shape: detected and mitigated instants.
    const state = decodeState(statusOf(incident));
    expect(Object.keys(state.tags ?? {}).sort()).toEqual(["detected", "mitigated"]);
    expect(state.tags?.detected?.slice(11, 16)).toBe("00:00");
    expect(statusOf(incident)).not.toContain("<details>");
  }, 60_000);

  it("an edited note comment edits its entry, a deleted one removes it (and its tag)", async () => {
    await e2e.sim
      .user("bob")
      .editComment(repo, noteId, "Found it.\n\n/timeline --detected 00:00 first alert fired (p99 latency)");
    await e2e.sim.settle();
    expect(timelineOf(incident)).toContain("- **detected**: first alert fired (p99 latency) (bob)");
    expect(timelineOf(incident)).not.toContain("- **detected**: first alert fired (bob)");
    await e2e.sim.user("bob").deleteComment(repo, noteId);
    await e2e.sim.settle();
    expect(timelineOf(incident).join("\n")).not.toContain("first alert fired");
    expect(decodeState(statusOf(incident)).tags?.detected).toBeUndefined();
    // A comment that never held a note costs no request when edited.
    const { data: plain } = await e2e.sim.user("bob").comment(repo, incident, "just a remark");
    await e2e.sim.settle();
    const mark = e2e.sim.requests.length;
    await e2e.sim.user("bob").editComment(repo, plain.id, "just a remark, edited");
    await e2e.sim.settle();
    expect(calls(e2e.sim.requests.slice(mark))).toEqual([]);
  }, 60_000);

  it("--write fills the placeholder Timeline with a marked block, then rewrites only that block", async () => {
    const mark = e2e.sim.requests.length;
    await e2e.sim.user("bob").comment(repo, incident, "/timeline --write");
    await e2e.sim.settle();
    const body = e2e.sim.issue(repo, incident).body ?? "";
    expect(body).toContain("<!-- incident-keeper:timeline -->");
    expect(body).toContain("**mitigated**: traffic moved to eu-west &#64;alice (carol)");
    expect(body).toContain(": Severity: Sev 2 (bob)");
    expect(body).toContain("### RCA\n\n_No response_");
    expect(body.startsWith("Card payments time out.\n\n### Timeline\n\n")).toBe(true);
    // The config, the commenter's permission and the app's comments are read at once (one round
    // trip, issue #12): their arrival order is the network's, so those three are compared as a set.
    expectCallGroups(calls(e2e.sim.requests.slice(mark)), [
      atOnce("GET repos/get-content", "GET repos/get-collaborator-permission-level", "GET issues/list-comments"),
      "GET issues/get", // the body re-read just before writing: a person's concurrent edit is never lost
      "PATCH issues/update",
      // The status comment's timeline did not change, but its write-up checklist did: the Timeline
      // section is judged on the body --write leaves (the app ignores its own edit's event, so this
      // is the only moment to say it). Before timeline2 the status kept "still the placeholder".
      "PATCH issues/update-comment",
    ]);
    expect(statusOf(incident)).toContain("✅ Timeline: filled in");
    // People add their own text after the block; a second --write rewrites the block only.
    await e2e.sim
      .user("alice")
      .editBody(repo, incident, body.replace("### RCA", "Customer emails started at 00:05.\n\n### RCA"));
    await e2e.sim.settle();
    await e2e.sim.user("bob").comment(repo, incident, "/timeline 00:10 status page updated\n/timeline --write");
    await e2e.sim.settle();
    const second = e2e.sim.issue(repo, incident).body ?? "";
    expect(second).toContain("Customer emails started at 00:05.");
    expect(second).toContain(": status page updated (bob)");
    expect(second.match(/<!-- incident-keeper:timeline -->/g)).toHaveLength(1);
  }, 60_000);
});

describe("--write never overwrites people's Timeline", () => {
  it("leaves the body alone and says so once", async () => {
    const body = "Checkout down.\n\n### Timeline\n\n- 09:12 UTC we noticed\n";
    const incident = e2e.sim.seed.issue(repo, { title: "Checkout down", body, labels: ["incident"], user: "alice" });
    await e2e.sim.user("bob").comment(repo, incident, "/timeline 00:01 paged on-call\n/timeline --write");
    await e2e.sim.settle();
    expect(e2e.sim.issue(repo, incident).body).toBe(body);
    const replies = appComments(incident).filter((b) => b.includes("incident-keeper:timeline-not-written"));
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain("I left the Timeline section alone");
    expect(timelineOf(incident)).toEqual(["- paged on-call (bob)"]);
  }, 60_000);
});

describe("a note comment's edits and deletion delivered out of order", () => {
  it("the newest edit by the comment's updated_at wins; a deletion wins over a late edit; no write for a stale one", async () => {
    const sim = e2e.sim;
    const incident = sim.seed.issue(repo, {
      title: "Queue stalls",
      body: "Jobs wait.",
      labels: ["incident"],
      user: "alice",
    });
    const webhookUrl = `${e2e.app.url}/api/github/webhooks`;
    // Whole minutes apart, so each edit has its own updated_at (GitHub's times are whole seconds).
    sim.setTime(new Date(Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000));
    const { data: note } = await sim.user("bob").comment(repo, incident, "/timeline queue stalled");
    await sim.settle();
    expect(timelineOf(incident)).toContain("- queue stalled (bob)");
    // The edits happen while no webhook reaches the app; their deliveries are sent afterwards, newest first.
    sim.setWebhookUrl(undefined);
    const held = sim.deliveries.length;
    sim.advanceTime(60_000);
    await sim.user("bob").editComment(repo, note.id, "/timeline queue stalled (db locks)");
    sim.advanceTime(60_000);
    await sim.user("bob").editComment(repo, note.id, "/timeline queue stalled (db locks, vacuum)");
    sim.setTime(null);
    await sim.settle();
    const [older, newer] = sim.deliveries.slice(held).filter((d) => d.event === "issue_comment");
    expect([older?.action, newer?.action]).toEqual(["edited", "edited"]);
    sim.setWebhookUrl(webhookUrl);
    await sim.deliver(newer!.event, newer!.payload);
    await sim.settle();
    expect(timelineOf(incident)).toContain("- queue stalled (db locks, vacuum) (bob)");
    const mark = sim.requests.length;
    await sim.deliver(older!.event, older!.payload);
    await sim.settle();
    expect(timelineOf(incident)).toContain("- queue stalled (db locks, vacuum) (bob)");
    expect(timelineOf(incident).join("\n")).not.toContain("(db locks) (bob)");
    // The stale edit is read (config, permission for its command, comments) and writes nothing.
    expect(calls(sim.requests.slice(mark)).filter((c) => !c.startsWith("GET "))).toEqual([]);
    // Deleted, then the older edit delivered again: the note stays gone.
    await sim.user("bob").deleteComment(repo, note.id);
    await sim.settle();
    expect(timelineOf(incident).join("\n")).not.toContain("queue stalled");
    await sim.deliver(older!.event, older!.payload);
    await sim.deliver(newer!.event, newer!.payload);
    await sim.settle();
    expect(timelineOf(incident).join("\n")).not.toContain("queue stalled");
  }, 60_000);
});
