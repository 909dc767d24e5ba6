import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "@jest/globals";
import { verify } from "@octokit/webhooks-methods";
import { readFileSync } from "node:fs";
import { PermissionDeniedError, type GitHubSimulator } from "../../simulator/src/index.js";
import {
  eventNames,
  installationOctokit,
  SECRET,
  startReceiver,
  startSimulator,
  type Receiver,
  type TestOctokitInstance,
} from "./helpers.js";

let sim: GitHubSimulator;
let receiver: Receiver;
let octokit: TestOctokitInstance;
const api = { owner: "acme", repo: "api" };

beforeAll(async () => {
  sim = await startSimulator();
  receiver = await startReceiver({ secret: SECRET });
  sim.setWebhookUrl(receiver.url);
  octokit = await installationOctokit(sim);
});
beforeEach(() => {
  receiver.received.length = 0;
  receiver.onDelivery = undefined;
});
afterEach(() => sim.settle());
afterAll(async () => {
  await sim.stop();
  await receiver.stop();
});

describe("signed deliveries", () => {
  test("carry GitHub's headers and a signature that @octokit/webhooks-methods verifies", async () => {
    const { status, data } = await sim
      .user("alice")
      .openIssue("acme/api", { title: "DB down", body: "help", labels: ["incident"] });
    expect(status).toBe(200);
    const [opened] = receiver.received;
    expect(opened?.headers["x-github-event"]).toBe("issues");
    expect(opened?.headers["x-github-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(opened?.headers["content-type"]).toBe("application/json");
    expect(await verify(SECRET, opened?.raw ?? "", String(opened?.headers["x-hub-signature-256"]))).toBe(true);
    expect(opened?.payload).toMatchObject({
      action: "opened",
      issue: { number: data.number, title: "DB down", user: { login: "alice" } },
      repository: { full_name: "acme/api", private: true },
      organization: { login: "acme" },
      installation: { id: 77 },
      sender: { login: "alice", type: "User" },
    });
  });

  test("a forged signature is refused by a verifying receiver", async () => {
    const status = await sim.deliver("issues", { action: "opened" }, { signature: "sha256=0000" });
    expect(status).toBe(400);
  });

  test("payload keys match @octokit/webhooks-examples", async () => {
    const examples = JSON.parse(
      readFileSync("node_modules/@octokit/webhooks-examples/api.github.com/index.json", "utf8"),
    ) as Array<{
      name: string;
      examples: Array<{ action?: string } & Record<string, Record<string, unknown>>>;
    }>;
    const { data } = await sim.user("alice").openIssue("acme/api", { title: "shape" });
    await sim.user("alice").comment("acme/api", data.number, "a comment");
    for (const delivery of receiver.received) {
      const example = examples
        .find((group) => group.name === delivery.event)
        ?.examples.find((e) => e.action === delivery.action);
      const payload = delivery.payload as Record<string, Record<string, unknown>>;
      for (const key of ["issue", "comment", "repository", "sender"] as const) {
        if (!example?.[key]) continue;
        const missing = Object.keys(example[key]).filter((name) => !(name in (payload[key] ?? {})));
        expect({ event: `${delivery.event}.${delivery.action ?? ""}`, key, missing }).toEqual({
          event: expect.any(String),
          key,
          missing: [],
        });
      }
    }
  });
});

describe("user actions", () => {
  test("each action changes state, delivers its webhooks and returns their status", async () => {
    const alice = sim.user("alice");
    const { data: issue } = await alice.openIssue("acme/api", {
      title: "outage",
      labels: ["incident", "sev:1"],
      assignees: ["alice"],
    });
    expect(eventNames(receiver)).toEqual(["issues.opened", "issues.labeled", "issues.labeled", "issues.assigned"]);
    expect(receiver.received[0]?.payload).toMatchObject({
      issue: { labels: [{ name: "incident" }, { name: "sev:1" }], assignees: [{ login: "alice" }] },
    });
    await sim.user("bob").addLabels("acme/api", issue.number, ["triaged"]);
    await sim.user("bob").removeLabel("acme/api", issue.number, "sev:1");
    const { data: comment } = await sim.user("mallory").comment("acme/api", issue.number, "+1");
    await alice.editBody("acme/api", issue.number, "new body");
    await alice.close("acme/api", issue.number, { reason: "not_planned" });
    await alice.reopen("acme/api", issue.number);
    expect(eventNames(receiver).slice(4)).toEqual([
      "issues.labeled",
      "issues.unlabeled",
      "issue_comment.created",
      "issues.edited",
      "issues.closed",
      "issues.reopened",
    ]);
    expect(receiver.received.find((d) => d.action === "edited")?.payload).toMatchObject({
      changes: { body: { from: "" } },
    });
    expect(receiver.received.find((d) => d.action === "closed")?.payload).toMatchObject({
      issue: { state: "closed", state_reason: "not_planned" },
    });
    expect(comment).toMatchObject({ body: "+1", user: "mallory", viaApp: false });
    expect(sim.issue("acme/api", issue.number)).toMatchObject({
      labels: ["incident", "triaged"],
      state: "open",
      stateReason: "reopened",
      body: "new body",
    });
  });

  test("GitHub's role rules apply: a read-only user cannot label, nor close someone else's issue", async () => {
    const { data: issue } = await sim.user("alice").openIssue("acme/api", { title: "guarded" });
    await expect(sim.user("mallory").addLabels("acme/api", issue.number, ["x"])).rejects.toThrow(PermissionDeniedError);
    await expect(sim.user("mallory").close("acme/api", issue.number)).rejects.toThrow(/requires triage/);
    await expect(sim.user("stranger").comment("acme/api", issue.number, "hi")).rejects.toThrow(/role "none"/);
  });

  test("a merged pull request closes the issues its body names with closing keywords, across repositories", async () => {
    const alice = sim.user("alice");
    sim.seed.permission("acme/web", "alice", "write");
    const { data: here } = await alice.openIssue("acme/api", { title: "bug here" });
    const { data: there } = await alice.openIssue("acme/web", { title: "bug there" });
    const { data: mentioned } = await alice.openIssue("acme/api", { title: "only mentioned" });
    const { data: pr } = await alice.openPullRequest("acme/api", {
      title: "fix",
      body: `Fixes #${here.number}, resolves acme/web#${there.number}; see #${mentioned.number}`,
    });
    expect(sim.timeline("acme/api", here.number)).toEqual([
      expect.objectContaining({ event: "cross-referenced", detail: `acme/api#${pr.number}` }),
    ]);
    receiver.received.length = 0;
    const merged = await alice.mergePullRequest("acme/api", pr.number);
    expect(merged.data).toMatchObject({ merged: true, state: "closed" });
    expect(eventNames(receiver)).toEqual(["pull_request.closed", "issues.closed", "issues.closed"]);
    expect(receiver.received[0]?.payload).toMatchObject({
      pull_request: { merged: true, merged_by: { login: "alice" } },
    });
    expect(sim.issue("acme/api", here.number)).toMatchObject({ state: "closed", stateReason: "completed" });
    expect(sim.issue("acme/web", there.number).state).toBe("closed");
    expect(sim.issue("acme/api", mentioned.number).state).toBe("open");
  });

  test("comment mentions of other issues record cross-references once per source", async () => {
    const target = sim.seed.issue("acme/api", { title: "target" });
    const { data: source } = await sim.user("alice").openIssue("acme/web", { title: "source" });
    await sim.user("alice").comment("acme/web", source.number, `related to acme/api#${target}`);
    await sim.user("alice").comment("acme/web", source.number, `again acme/api#${target}`);
    expect(sim.timeline("acme/api", target).map((event) => event.detail)).toEqual([`acme/web#${source.number}`]);
  });
});

describe("echoes of the app's own writes", () => {
  test("labels, comments and state changes made through the API are delivered with the bot as sender", async () => {
    const { data: issue } = await sim.user("alice").openIssue("acme/api", { title: "echo" });
    receiver.received.length = 0;
    await octokit.rest.issues.addLabels({ ...api, issue_number: issue.number, labels: ["status:investigating"] });
    const { data: comment } = await octokit.rest.issues.createComment({
      ...api,
      issue_number: issue.number,
      body: "status",
    });
    await octokit.rest.issues.updateComment({ ...api, comment_id: comment.id, body: "status 2" });
    await octokit.rest.issues.update({ ...api, issue_number: issue.number, state: "closed" });
    await sim.settle();
    expect(eventNames(receiver)).toEqual([
      "issues.labeled",
      "issue_comment.created",
      "issue_comment.edited",
      "issues.closed",
    ]);
    for (const delivery of receiver.received)
      expect(delivery.payload.sender).toMatchObject({ login: "incident-keeper[bot]", type: "Bot" });
    expect(receiver.received[1]?.payload).toMatchObject({
      comment: { performed_via_github_app: { id: 4242, slug: "incident-keeper" } },
    });
    expect(receiver.received[2]?.payload).toMatchObject({ changes: { body: { from: "status" } } });
  });

  test("deliveries do not block API answers and stay in order per repository", async () => {
    const { data: issue } = await sim.user("alice").openIssue("acme/api", { title: "slow app" });
    receiver.received.length = 0;
    // The receiver holds every delivery until released: the API must answer all three calls meanwhile
    // (no wall-time bound: a gate, so a loaded machine cannot make it pass or fail).
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let handled = 0;
    receiver.onDelivery = async () => {
      await gate;
      handled += 1;
    };
    for (const label of ["a", "b", "c"])
      await octokit.rest.issues.addLabels({ ...api, issue_number: issue.number, labels: [label] });
    expect(handled).toBe(0);
    release();
    await sim.settle();
    expect(handled).toBe(3);
    expect(receiver.received.map((delivery) => (delivery.payload.label as { name: string }).name)).toEqual([
      "a",
      "b",
      "c",
    ]);
  });
});

describe("settle", () => {
  test("waits for the work an app does after answering a delivery", async () => {
    receiver.onDelivery = (delivery) => {
      // Like an app that answers at once and writes a moment later.
      setTimeout(() => {
        const number = (delivery.payload.issue as { number: number }).number;
        void octokit.rest.issues.createComment({ ...api, issue_number: number, body: "late" });
      }, 60);
    };
    const { data: issue } = await sim.user("alice").openIssue("acme/api", { title: "settle" });
    receiver.onDelivery = undefined;
    await sim.settle({ quietMs: 150 });
    expect(sim.comments("acme/api", issue.number).map((comment) => comment.body)).toEqual(["late"]);
  });

  test("times out with a clear message when deliveries never finish", async () => {
    receiver.onDelivery = () => new Promise((resolve) => setTimeout(resolve, 400));
    void sim.user("alice").openIssue("acme/api", { title: "stuck" });
    await expect(sim.settle({ timeoutMs: 100 })).rejects.toThrow(/deliveries in flight/);
  });
});

describe("subscriptions", () => {
  test("events the app does not subscribe to are not delivered", async () => {
    const narrow = await startSimulator({ events: ["issues"] });
    const local = await startReceiver();
    narrow.setWebhookUrl(local.url);
    const { data } = await narrow.user("alice").openIssue("acme/api", { title: "x" });
    const { status } = await narrow.user("alice").comment("acme/api", data.number, "not delivered");
    expect(status).toBe(0);
    expect(eventNames(local)).toEqual(["issues.opened"]);
    await narrow.stop();
    await local.stop();
  });

  test("installation.created lists the installation's repositories", async () => {
    await sim.user("alice").installApp(77);
    expect(receiver.received[0]?.payload).toMatchObject({
      action: "created",
      installation: { id: 77, account: { login: "acme", type: "Organization" }, app_id: 4242 },
      repositories: [{ full_name: "acme/api" }, { full_name: "acme/web" }, { full_name: "acme/.github" }],
    });
  });
});

describe("delivery ordering", () => {
  /** Four label additions by bob on four issues of one repository, all at once; the receiver's peak of deliveries in flight. */
  async function peakInFlight(
    options: Parameters<typeof startSimulator>[0],
  ): Promise<{ peak: number; labelled: number[] }> {
    const local = await startSimulator(options);
    const slow = await startReceiver({ secret: SECRET });
    local.setWebhookUrl(slow.url);
    const numbers: number[] = [];
    for (let i = 0; i < 4; i += 1) numbers.push(local.seed.issue("acme/api", { title: `issue ${i}`, user: "alice" }));
    let inFlight = 0;
    let peak = 0;
    slow.onDelivery = async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 100));
      inFlight -= 1;
    };
    const results = await Promise.all(numbers.map((n) => local.user("bob").addLabels("acme/api", n, ["sev:2"])));
    await local.settle();
    await local.stop();
    await slow.stop();
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    return {
      peak,
      labelled: slow.received.map((d) => (d.payload.issue as { number: number }).number).sort((a, b) => a - b),
    };
  }

  test("by default a repository's deliveries go out one at a time, each after the previous answer", async () => {
    const { peak, labelled } = await peakInFlight({});
    expect(peak).toBe(1);
    expect(labelled).toHaveLength(4);
  });

  test('webhookOrdering "concurrent" posts each delivery at once, as GitHub does', async () => {
    const { peak, labelled } = await peakInFlight({ webhookOrdering: "concurrent" });
    expect(peak).toBe(4);
    expect(labelled).toHaveLength(4);
  });
});
