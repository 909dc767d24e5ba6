/**
 * The timeline's GitHub events end to end (issue #14): an incident filed from an Alertmanager
 * notification, a thread of label changes by people, a follow-up action closed and the alert
 * resolved produce the expected entries in the status comment, in GitHub's time order, and with
 * `/timeline --write` in the body; a label delivery sent again writes nothing; people's edits inside
 * the app's marked block make it theirs. Recording costs no API call (the data is in the payload or
 * in reads the app makes anyway). Every request validated against GitHub's OpenAPI description.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { SCENARIO, startSimulatedApp, type SimulatedApp } from "../../simulator/src/app-process.js";
import { alertmanagerNotification, postAlertmanager, type DemoAlert } from "../../simulator/src/demo/alertmanager.js";
import { DEMO_CONFIG, demoAppEnv } from "../../simulator/src/demo/play.js";
import type { RequestRecord } from "../../simulator/src/index.js";
import { decodeState } from "../../src/core/status-state.js";
import { atOnce, expectCallGroups } from "../support/call-groups.js";
import { expectNoViolations } from "../support/e2e.js";

const repo = SCENARIO.repo;
const STATUS = "<!-- incident-keeper:status -->";

let e2e: SimulatedApp;
beforeAll(async () => {
  e2e = await startSimulatedApp({ config: DEMO_CONFIG, env: demoAppEnv() });
  e2e.sim.seed.permission(repo, "carol", "write");
}, 60_000);
afterAll(() => e2e?.stop());
afterEach(() => expectNoViolations(e2e.sim));

const statusOf = (n: number): string =>
  e2e.sim
    .comments(repo, n)
    .filter((c) => c.viaApp)
    .map((c) => c.body)
    .find((b) => b.startsWith(STATUS)) ?? "";
/** The status comment's timeline lines, without their times. */
const timelineOf = (n: number): string[] => {
  const status = statusOf(n);
  // "**Timeline**", or "<b>Timeline</b>" once folded into <details>.
  const start = status.search(/\*\*Timeline\*\*|<b>Timeline<\/b>/);
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

function alert(startsAt: Date, endsAt: Date | null): DemoAlert {
  return {
    labels: { alertname: "QueueBacklog", service: "billing" },
    annotations: { summary: "Billing queue backlog above 10k" },
    startsAt,
    endsAt,
  };
}

describe("label changes, an action closed and an alert resolved, on the timeline", () => {
  let incident = 0;
  let action = 0;
  const startsAt = new Date(Math.floor((Date.now() - 20 * 60_000) / 60_000) * 60_000);
  /** Calls per person's event, for the figures. */
  const perEvent: Record<string, string[]> = {};

  it("records who changed which classification label, at GitHub's times, without an extra call", async () => {
    await postAlertmanager(
      e2e.app.url,
      alertmanagerNotification({ groupBy: ["alertname"], alerts: [alert(startsAt, null)] }),
    );
    const deadline = Date.now() + 30_000;
    while (
      Date.now() < deadline &&
      !e2e.sim.issues(repo).some((i) => i.labels.includes("incident") && statusOf(i.number))
    )
      await new Promise((r) => setTimeout(r, 100));
    await e2e.sim.settle();
    incident = e2e.sim.issues(repo).find((i) => i.labels.includes("incident"))!.number;

    // Each change in a later second of GitHub's (whole-second) clock than the one before: two label
    // changes of one second are ordered on the timeline by their text, not by when they were made
    // (timeline.ts: time, rank, then content), so the order asserted below needs distinct seconds.
    let lastSecond = 0;
    const step = async (name: string, act: () => Promise<unknown>): Promise<void> => {
      while (Math.floor(Date.now() / 1000) <= lastSecond) await new Promise((r) => setTimeout(r, 50));
      const mark = e2e.sim.requests.length;
      await act();
      lastSecond = Math.floor(Date.now() / 1000);
      await e2e.sim.settle();
      perEvent[name] = calls(e2e.sim.requests.slice(mark));
    };
    await step("category label", () => e2e.sim.user("bob").addLabels(repo, incident, ["category:core-bug"]));
    await step("severity label", () => e2e.sim.user("carol").addLabels(repo, incident, ["sev:2"]));
    await step("severity replaced", () => e2e.sim.user("carol").addLabels(repo, incident, ["sev:1"]));
    await step("remediation label", () => e2e.sim.user("bob").addLabels(repo, incident, ["devops:2"]));
    await step("remediation label removed", () => e2e.sim.user("bob").removeLabel(repo, incident, "devops:2"));

    expect(e2e.sim.issue(repo, incident).labels).toEqual(
      expect.arrayContaining(["incident", "category:core-bug", "sev:1"]),
    );
    expect(timelineOf(incident)).toEqual([
      "- Alert QueueBacklog fired",
      "- Category set to Core product bug (label category:core-bug) (bob)",
      "- Severity set to Sev 2 (label sev:2) (carol)",
      "- Severity set to Sev 1 (label sev:1) (carol)",
      "- Remediation difficulty set to DevOps 2 (label devops:2) (bob)",
      "- Remediation difficulty DevOps 2 removed (label devops:2) (bob)",
    ]);
    // Each entry at GitHub's time of its change: the `updated_at` of its own delivery's issue, a
    // removal's (`unlabeled`) as an addition's.
    const state = decodeState(statusOf(incident));
    for (const action of ["labeled", "unlabeled"]) {
      const delivery = e2e.sim.deliveries.find(
        (d) =>
          d.event === "issues" &&
          d.action === action &&
          d.sender === "bob" &&
          /devops/.test(JSON.stringify(d.payload.label)),
      )!;
      const key = `label:${action === "labeled" ? "+" : "-"}:devops:2:`;
      expect(state.timeline?.entries.filter((e) => e.key?.startsWith(key) === true).map((e) => e.at)).toEqual([
        new Date((delivery.payload.issue as { updated_at: string }).updated_at).toISOString(),
      ]);
    }
    // Each label event costs what it cost before the timeline recorded it: the config, the app's
    // comments, the status edit (and the replaced label's removal): the entry is in the payload. The
    // config and the comments are read at once (issue #12): that pair is compared as a set.
    expectCallGroups(perEvent["category label"], [
      atOnce("GET repos/get-content", "GET issues/list-comments"),
      "PATCH issues/update-comment",
    ]);
    expectCallGroups(perEvent["severity replaced"], [
      atOnce("GET repos/get-content", "GET issues/list-comments"),
      "DELETE issues/remove-label",
      "PATCH issues/update-comment",
    ]);
    expectCallGroups(perEvent["remediation label removed"], [
      atOnce("GET repos/get-content", "GET issues/list-comments"),
      "PATCH issues/update-comment",
    ]);
  }, 60_000);

  it("a label delivery sent again (GitHub's at-least-once delivery) writes nothing", async () => {
    const delivery = e2e.sim.deliveries
      .filter((d) => d.event === "issues" && d.action === "labeled" && d.sender === "bob")
      .at(0)!;
    const before = statusOf(incident);
    const mark = e2e.sim.requests.length;
    expect(await e2e.sim.deliver("issues", delivery.payload)).toBe(200);
    await e2e.sim.settle();
    expect(calls(e2e.sim.requests.slice(mark)).filter((c) => !c.startsWith("GET "))).toEqual([]);
    expect(statusOf(incident)).toBe(before);
  }, 60_000);

  it("a follow-up action closed and the alert resolved, in GitHub's order; --write puts it all in the body", async () => {
    const { data } = await e2e.sim.user("alice").openIssue(repo, { title: "Autoscale the billing workers" });
    action = data.number;
    const body = e2e.sim.issue(repo, incident).body ?? "";
    const listedMark = e2e.sim.requests.length;
    await e2e.sim
      .user("alice")
      .editBody(
        repo,
        incident,
        body.replace(/### Actions\n\n_No response_/, `### Actions\n\n- [ ] #${action} autoscale`),
      );
    await e2e.sim.settle();
    perEvent["action listed"] = calls(e2e.sim.requests.slice(listedMark));
    // First sight of the action in the Actions section: opened, at GitHub's created_at of it.
    expect(timelineOf(incident).at(-1)).toBe(`- Follow-up action #${action} opened: Autoscale the billing workers`);
    const openedAt = decodeState(statusOf(incident)).timeline?.entries.find(
      (e) => e.key === `action-opened:${repo}#${action}`,
    )?.at;
    // GitHub's times are whole seconds.
    const createdMs = new Date(e2e.sim.issue(repo, action).createdAt).getTime();
    expect(openedAt).toBe(new Date(Math.floor(createdMs / 1000) * 1000).toISOString());
    // ...from the read of the action the app makes anyway (its state): no extra request.
    expectCallGroups(perEvent["action listed"], [
      atOnce("GET repos/get-content", "GET issues/list-comments"),
      "GET issues/get",
      "PATCH issues/update-comment",
    ]);
    const mark = e2e.sim.requests.length;
    await e2e.sim.user("bob").close(repo, action);
    await e2e.sim.settle();
    perEvent["action closed"] = calls(e2e.sim.requests.slice(mark));
    await postAlertmanager(
      e2e.app.url,
      alertmanagerNotification({ groupBy: ["alertname"], alerts: [alert(startsAt, new Date())] }),
    );
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !timelineOf(incident).includes("- Alert QueueBacklog resolved"))
      await new Promise((r) => setTimeout(r, 100));
    await e2e.sim.settle();
    const lines = timelineOf(incident);
    expect(lines.slice(-2)).toEqual([
      `- Follow-up action #${action} closed: Autoscale the billing workers`,
      "- Alert QueueBacklog resolved",
    ]);
    expect(lines.slice(-3, -2)).toEqual([`- Follow-up action #${action} opened: Autoscale the billing workers`]);
    // Closing the action: the calls the app made for it before the timeline recorded it (the action's
    // cross-references, the config, the app's comments, the incident and the action, the tick, the
    // status edit); its closed_at is in the delivery. Made at once, in the network's order (issue #12):
    // the action's own config read (the closed issue is no incident) beside its cross-references, then
    // the incident's current body beside the action's state.
    expectCallGroups(perEvent["action closed"], [
      atOnce("GET repos/get-content", "GET issues/list-events-for-timeline"),
      "GET issues/list-comments",
      atOnce("GET issues/get", "GET issues/get"),
      "PATCH issues/update",
      "PATCH issues/update-comment",
    ]);

    // The hidden state holds GitHub's time of each: the alert's startsAt, the labels' updated_at.
    const entries = decodeState(statusOf(incident)).timeline?.entries ?? [];
    expect(entries.find((e) => e.text === "Alert QueueBacklog fired")?.at).toBe(startsAt.toISOString());
    const times = entries.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    await e2e.sim.user("bob").comment(repo, incident, "/timeline --write");
    await e2e.sim.settle();
    const written = e2e.sim.issue(repo, incident).body ?? "";
    const block = written.slice(written.indexOf("<!-- incident-keeper:timeline -->"));
    for (const text of [
      ": Issue opened",
      ": Alert QueueBacklog fired",
      ": Severity set to Sev 1 (label sev:1) (carol)",
      `: Follow-up action #${action} opened: Autoscale the billing workers`,
      `: Follow-up action #${action} closed: Autoscale the billing workers`,
      ": Alert QueueBacklog resolved",
    ])
      expect(block).toContain(text);
    expect(block).toMatch(/<!-- incident-keeper:timeline-seal [A-Za-z0-9_-]+ -->\n<!-- \/incident-keeper:timeline -->/);
  }, 60_000);

  it("text people typed inside the marked block is theirs: the next --write leaves it and says so once", async () => {
    const body = e2e.sim.issue(repo, incident).body ?? "";
    const edited = body.replace(": Alert QueueBacklog fired", ": Alert QueueBacklog fired (paged Dana at 09:12)");
    await e2e.sim.user("alice").editBody(repo, incident, edited.replaceAll("\n", "\r\n"));
    await e2e.sim.settle();
    await e2e.sim.user("bob").comment(repo, incident, "/timeline 00:00 backlog drained\n/timeline --write");
    await e2e.sim.settle();
    expect(e2e.sim.issue(repo, incident).body).toBe(edited.replaceAll("\n", "\r\n"));
    const replies = e2e.sim
      .comments(repo, incident)
      .filter((c) => c.body.includes("incident-keeper:timeline-not-written"));
    expect(replies).toHaveLength(1);
    expect(timelineOf(incident)).toContain("- backlog drained (bob)");
  }, 60_000);

  /** An incident filed with the form's empty Timeline, one note at 00:01 and `--write`: its number and body. */
  async function writtenTimeline(title: string, note: string): Promise<{ number: number; body: string }> {
    const number = e2e.sim.seed.issue(repo, {
      title,
      body: "### Timeline\n\n_No response_\n",
      labels: ["incident"],
      user: "alice",
    });
    await e2e.sim.user("bob").comment(repo, number, `/timeline 00:01 ${note}\n/timeline --write`);
    await e2e.sim.settle();
    return { number, body: e2e.sim.issue(repo, number).body ?? "" };
  }

  it("a body only re-saved by GitHub's editor (CRLF line endings) is still the app's block", async () => {
    const { number: other, body: first } = await writtenTimeline("Cache stampede", "cache flushed");
    expect(first).toContain(": cache flushed (bob)");
    await e2e.sim.user("alice").editBody(repo, other, first.replaceAll("\n", "\r\n"));
    await e2e.sim.settle();
    await e2e.sim.user("bob").comment(repo, other, "/timeline 00:02 warmed up\n/timeline --write");
    await e2e.sim.settle();
    const second = e2e.sim.issue(repo, other).body ?? "";
    expect(second).toContain(": warmed up (bob)");
    expect(e2e.sim.comments(repo, other).some((c) => c.body.includes("timeline-not-written"))).toBe(false);
  }, 60_000);

  it("a block whose seal people removed is theirs (the seal is in the signed hidden state): one reply, untouched", async () => {
    const { number: other, body: first } = await writtenTimeline("DNS flaps", "resolver restarted");
    const seal = /<!-- incident-keeper:timeline-seal ([A-Za-z0-9_-]+) -->/.exec(first)?.[1];
    expect(seal).toBeDefined();
    expect(decodeState(statusOf(other)).timelineSeal).toBe(seal);
    // A person types inside the block and removes the seal, so the body alone would pass for the app's.
    const theirs = first
      .replace(": resolver restarted (bob)", ": resolver restarted (bob), then the cache warmed")
      .replace(/\n<!-- incident-keeper:timeline-seal [A-Za-z0-9_-]+ -->/, "");
    await e2e.sim.user("alice").editBody(repo, other, theirs);
    await e2e.sim.settle();
    const mark = e2e.sim.requests.length;
    await e2e.sim.user("bob").comment(repo, other, "/timeline 00:02 TTL lowered\n/timeline --write");
    await e2e.sim.settle();
    expect(e2e.sim.issue(repo, other).body).toBe(theirs);
    const replies = e2e.sim
      .comments(repo, other)
      .filter((c) => c.body.includes("incident-keeper:timeline-not-written"));
    expect(replies).toHaveLength(1);
    expect(timelineOf(other)).toContain("- TTL lowered (bob)");
    // As for any section people wrote: no body re-read, no body write; the reply and the status.
    expectCallGroups(calls(e2e.sim.requests.slice(mark)), [
      atOnce("GET repos/get-content", "GET repos/get-collaborator-permission-level", "GET issues/list-comments"),
      "POST issues/create-comment",
      "PATCH issues/update-comment",
    ]);
  }, 60_000);
});
