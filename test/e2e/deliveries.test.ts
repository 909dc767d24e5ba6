/**
 * Webhook deliveries end to end, as GitHub's hookshot sends them: a redelivery (same
 * X-GitHub-Delivery) and a duplicate (new id, same payload) converge on the same state; forged and
 * unsigned deliveries are refused before anything happens; the app's own echoes cost nothing.
 * This file starts the simulator and the app itself so that it knows the webhook secret.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { sign } from "@octokit/webhooks-methods";
import { SCENARIO, seedScenario, startAppProcess, type AppProcess } from "../../simulator/src/app-process.js";
import {
  GitHubSimulator,
  type DeliveryRecord,
  type JsonObject,
  type RequestRecord,
} from "../../simulator/src/index.js";
import { decodeState } from "../../src/core/status-state.js";
import { atOnce, expectCallGroups } from "../support/call-groups.js";
import { expectNoViolations } from "../support/e2e.js";

const repo = SCENARIO.repo;
const SECRET = `e2e-deliveries-${Math.random().toString(36).slice(2)}`;
/** A valid repository config: the app reads exactly one file per event (no org fallback). */
const CONFIG = "incident_label: incident\n";
const STATUS = "<!-- incident-keeper:status -->";

let sim: GitHubSimulator;
let app: AppProcess;
beforeAll(async () => {
  sim = new GitHubSimulator({ appId: SCENARIO.appId, webhookSecret: SECRET });
  seedScenario(sim, { config: CONFIG });
  const { port } = await sim.start();
  try {
    app = await startAppProcess({ simulatorHost: `127.0.0.1:${port}`, webhookSecret: SECRET });
  } catch (error) {
    await sim.stop();
    throw error;
  }
  sim.setWebhookUrl(`${app.url}/api/github/webhooks`);
}, 60_000);
afterAll(async () => {
  await app?.kill();
  await sim?.stop();
});
afterEach(() => expectNoViolations(sim));

/** Request figures per scenario, printed once at the end for the record. */
const figures: Record<string, { reads: number; writes: number; calls: string[] }> = {};
afterAll(() => {
  console.log(
    Object.entries(figures)
      .map(([name, f]) => `${name}: ${f.reads} reads, ${f.writes} writes (${f.calls.join(", ")})`)
      .join("\n"),
  );
});

/** The app's requests after `mark`, without access-token creation and the once-per-process `GET /app`. */
function requestsSince(mark: number): RequestRecord[] {
  return sim.requests
    .slice(mark)
    .filter((r) => !r.path.endsWith("/access_tokens") && r.operationId !== "apps/get-authenticated");
}
function split(records: RequestRecord[]): { reads: number; writes: number; calls: string[] } {
  const reads = records.filter((r) => r.method === "GET").length;
  return {
    reads,
    writes: records.length - reads,
    calls: records.map((r) => `${r.method} ${r.operationId ?? r.path}${r.status >= 400 ? ` (${r.status})` : ""}`),
  };
}

/** Everything the app could change in acme/api, and the request log's length. */
function snapshot(): unknown {
  const issues = sim.issues(repo);
  return {
    issues,
    comments: issues.map((i) => sim.comments(repo, i.number)),
    labels: sim.labels(repo),
    requests: sim.requests.length,
  };
}

/** POSTs a delivery to the app like hookshot; `signature: null` sends none at all. */
async function post(input: {
  event: string;
  payload: JsonObject;
  id: string;
  signature?: string | null;
}): Promise<number> {
  const body = JSON.stringify(input.payload);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/simulator",
    "x-github-event": input.event,
    "x-github-delivery": input.id,
    "x-github-hook-id": "1",
    "x-github-hook-installation-target-type": "integration",
    "x-github-hook-installation-target-id": String(SCENARIO.installationId),
  };
  const signature = input.signature === undefined ? await sign(SECRET, body) : input.signature;
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  const response = await fetch(`${app.url}/api/github/webhooks`, { method: "POST", headers, body });
  await response.arrayBuffer();
  return response.status;
}

let incident = 0;
let labeled: DeliveryRecord;
let settledState: unknown;

describe("the same delivery twice", () => {
  beforeAll(async () => {
    incident = sim.seed.issue(repo, {
      title: "Exports stuck",
      body: "CSV exports never finish.",
      labels: ["incident", "category:core-bug", "sev:3", "devops:1"],
      user: "alice",
    });
    const mark = sim.deliveries.length;
    await sim.user("bob").addLabels(repo, incident, ["sev:2"]);
    await sim.settle();
    labeled = sim.deliveries
      .slice(mark)
      .find((d) => d.event === "issues" && d.action === "labeled" && d.sender === "bob")!;
    expect(labeled.status).toBe(200);
    expect([...sim.issue(repo, incident).labels].sort()).toEqual([
      "category:core-bug",
      "devops:1",
      "incident",
      "incident:needs-writeup",
      "sev:2",
    ]);
    expect(sim.comments(repo, incident).filter((c) => c.body.startsWith(STATUS))).toHaveLength(1);
    const { requests: _requests, ...state } = snapshot() as { requests: number };
    settledState = state;
  }, 30_000);

  /** Only idempotent writes may repeat: re-adding labels the issue has, removing one that is gone (404). */
  function expectOnlyIdempotentWrites(records: RequestRecord[]): void {
    const writes = records.filter((r) => r.method !== "GET");
    for (const write of writes) {
      if (write.operationId === "issues/add-labels") {
        expect(
          (write.body as { labels: string[] }).labels.every((l) => sim.issue(repo, incident).labels.includes(l)),
        ).toBe(true);
      } else {
        expect({ op: write.operationId, status: write.status }).toEqual({ op: "issues/remove-label", status: 404 });
      }
    }
  }

  /**
   * What a repeated delivery of `labeled` must cost. Its payload predates the app's status comment
   * unless both fall in the same second of GitHub's (whole-second) clock: then the app reads the
   * current issue and writes nothing; in the same second it cannot tell, trusts the payload, and may
   * only repeat idempotent writes. Which case applies is read from the simulator's state.
   */
  function expectRepeatCost(calls: RequestRecord[]): void {
    const status = sim.comments(repo, incident).find((c) => c.body.startsWith(STATUS))!;
    const payloadAt = Date.parse((labeled.payload.issue as { updated_at: string }).updated_at);
    const statusAt = Math.floor(status.updatedAt.getTime() / 1000) * 1000;
    const reads = calls.filter((r) => r.method === "GET").map((r) => r.operationId ?? r.path);
    // The config and the app's comments are read at once (issue #12): that pair in either order.
    if (payloadAt < statusAt) {
      expectCallGroups(reads, [atOnce("repos/get-content", "issues/list-comments"), "issues/get"]);
      expect(calls.filter((r) => r.method !== "GET")).toEqual([]);
    } else {
      expectCallGroups(reads, [atOnce("repos/get-content", "issues/list-comments")]);
      expectOnlyIdempotentWrites(calls);
    }
  }

  it("redelivered with the same X-GitHub-Delivery: same final state, no duplicate comment", async () => {
    const mark = sim.requests.length;
    expect(await post({ event: labeled.event, payload: labeled.payload, id: labeled.id })).toBe(200);
    await sim.settle();
    const { requests: _requests, ...state } = snapshot() as { requests: number };
    expect(state).toEqual(settledState);
    const calls = requestsSince(mark);
    figures.redelivery = split(calls);
    expectRepeatCost(calls);
  }, 30_000);

  it("sent again under a new delivery id: the same", async () => {
    const mark = sim.requests.length;
    expect(await post({ event: labeled.event, payload: labeled.payload, id: "another-delivery-id" })).toBe(200);
    await sim.settle();
    const { requests: _requests, ...state } = snapshot() as { requests: number };
    expect(state).toEqual(settledState);
    const calls = requestsSince(mark);
    figures.duplicate = split(calls);
    expectRepeatCost(calls);
    expectOnlyIdempotentWrites(calls);
  }, 30_000);

  /** The re-add below: its payload, sent once, then again as GitHub's redelivery would. */
  let readd: JsonObject | undefined;

  // Was "an identical event on an up-to-date incident writes nothing", its calls [config, comments]:
  // its payload (the label already on the issue, `updated_at` now) is on GitHub a re-add (GitHub sends
  // `labeled` only when the label is added), and the timeline now records every signed label delivery
  // at its own time (the lead's decision, issue #14): the one status edit is new, nothing else is.
  it("an identical event on an up-to-date incident (on GitHub, a re-add): the status edit for its entry only", async () => {
    // The payload as GitHub would send it now: the issue as it is after the app's work.
    const mark = sim.requests.length;
    const current = sim.deliveries
      .filter((d) => d.event === "issues" && d.payload.issue && (d.payload.issue as JsonObject).number === incident)
      .at(-1)!;
    const issue = current.payload.issue as { labels: Array<{ name: string }> };
    expect(issue.labels.map((l) => l.name).sort()).toEqual([...sim.issue(repo, incident).labels].sort());
    // Sent now, so GitHub's updated_at is now: not older than the app's status comment. GitHub's clock
    // held at that second while the app writes, so its status edit is of the same second (the
    // redelivery below is then not older than the status comment either, and is trusted as is).
    const at = new Date(Math.floor(Date.now() / 1000) * 1000);
    const updatedAt = at.toISOString().replace(/\.\d{3}Z$/, "Z");
    readd = { ...labeled.payload, issue: { ...issue, updated_at: updatedAt } };
    sim.setTime(at);
    try {
      expect(await post({ event: "issues", payload: readd, id: "fresh-payload" })).toBe(200);
      await sim.settle();
    } finally {
      sim.setTime(null);
    }
    figures.identicalCurrent = split(requestsSince(mark));
    expectCallGroups(figures.identicalCurrent.calls, [
      atOnce("GET repos/get-content", "GET issues/list-comments"),
      "PATCH issues/update-comment",
    ]);
    // The edit adds the re-add to the timeline, at GitHub's time of it, and changes nothing else.
    const status = sim.comments(repo, incident).find((c) => c.body.startsWith(STATUS))!.body;
    const entries = decodeState(status).timeline?.entries ?? [];
    const name = (labeled.payload.label as { name: string }).name;
    expect(entries.filter((e) => e.key?.startsWith(`label:+:${name}:`) === true).map((e) => e.at)).toEqual([
      new Date((labeled.payload.issue as { updated_at: string }).updated_at).toISOString(),
      at.toISOString(),
    ]);
    expect([...sim.issue(repo, incident).labels].sort()).toEqual(
      (settledState as { issues: Array<{ number: number; labels: string[] }> }).issues
        .find((i) => i.number === incident)!
        .labels.slice()
        .sort(),
    );
  }, 30_000);

  it("that re-add redelivered (the same payload, a new delivery id): no write", async () => {
    expect(readd).toBeDefined();
    const before = snapshot() as { requests: number };
    const mark = sim.requests.length;
    expect(await post({ event: "issues", payload: readd!, id: "fresh-payload-redelivered" })).toBe(200);
    await sim.settle();
    figures.redeliveredReadd = split(requestsSince(mark));
    expectCallGroups(figures.redeliveredReadd.calls, [atOnce("GET repos/get-content", "GET issues/list-comments")]);
    const { requests: _before, ...was } = before;
    const { requests: _after, ...is } = snapshot() as { requests: number };
    expect(is).toEqual(was);
  }, 30_000);
});

describe("deliveries that are not from GitHub", () => {
  it("a bad signature and no signature are refused with 400; nothing changes, no request is made", async () => {
    const before = snapshot();
    const payload = structuredClone(labeled.payload) as JsonObject & { label: JsonObject };
    payload.label = { ...payload.label, name: "sev:1" };
    expect(await sim.deliver("issues", payload, { signature: `sha256=${"0".repeat(64)}` })).toBe(400);
    expect(
      await post({
        event: "issues",
        payload,
        id: "forged-other-secret",
        signature: await sign("not-the-secret", JSON.stringify(payload)),
      }),
    ).toBe(400);
    expect(await post({ event: "issues", payload, id: "unsigned", signature: null })).toBe(400);
    await sim.settle();
    expect(snapshot()).toEqual(before);
  }, 30_000);
});

describe("the app's own echoes", () => {
  it("cause no loop: after settling the request count is stable, and an echo delivered again costs nothing", async () => {
    const deliveryMark = sim.deliveries.length;
    await sim.user("bob").comment(repo, incident, "/devops 3");
    await sim.settle();
    const echoes = sim.deliveries.slice(deliveryMark).filter((d) => d.sender === sim.botLogin);
    // The app's label changes and its status-comment edit come back as webhooks.
    expect(echoes.map((d) => `${d.event}.${d.action}`).sort()).toEqual([
      "issue_comment.edited",
      "issues.labeled",
      "issues.unlabeled",
    ]);
    expect(echoes.every((d) => d.status === 200)).toBe(true);

    const requests = sim.requests.length;
    const deliveries = sim.deliveries.length;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await sim.settle();
    expect({ requests: sim.requests.length, deliveries: sim.deliveries.length }).toEqual({ requests, deliveries });

    for (const echo of echoes) expect(await sim.deliver(echo.event, echo.payload)).toBe(200);
    await sim.settle();
    expect(requestsSince(requests)).toEqual([]);
  }, 30_000);
});
