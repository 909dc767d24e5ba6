/**
 * Hostile and broken input against the running app: each row tries one kind, asserts exactly what
 * the app did (answer, API calls, comments, labels), and the table of kinds and outcomes is written
 * for RELIABILITY.md.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { CommentView, JsonObject, RequestRecord } from "../../simulator/src/index.js";
import { SCENARIO, startReliabilityApp, writeReport, type ReliabilityApp } from "./support.js";

let e2e: ReliabilityApp;
const table: Array<[string, string, string]> = [];
const repo = SCENARIO.repo;

beforeAll(async () => {
  e2e = await startReliabilityApp();
}, 60_000);
afterAll(async () => {
  await e2e?.stop();
  if (table.length > 0)
    writeReport(
      "bad-input.md",
      ["| kind | tried | what the app did |", "|---|---|---|", ...table.map((r) => `| ${r.join(" | ")} |`)].join("\n"),
    );
});

/** Runs `act`, waits for the app, returns the API requests it caused (token creation aside). */
async function requestsDuring(act: () => Promise<unknown>): Promise<RequestRecord[]> {
  const before = e2e.sim.requests.length;
  await act();
  await e2e.sim.settle();
  return e2e.sim.requests.slice(before).filter((r) => !r.path.includes("access_tokens") && r.path !== "/app");
}

const appComments = (n: number, r: string = repo): CommentView[] => e2e.sim.comments(r, n).filter((c) => c.viaApp);
const writes = (requests: RequestRecord[]): string[] =>
  requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.operationId ?? r.path}`);

/** An incident with its status comment, to aim commands at. */
async function incident(title = "DB down"): Promise<number> {
  const { data } = await e2e.sim
    .user("alice")
    .openIssue(repo, { title, labels: ["incident", "category:core-bug", "sev:2", "devops:1"] });
  await e2e.sim.settle();
  return data.number;
}

function record(kind: string, tried: string, outcome: string): void {
  table.push([kind, tried.replaceAll("|", "\\|"), outcome.replaceAll("|", "\\|")]);
}

describe("bad input", () => {
  it("oversized issue body (1 MB)", async () => {
    const body = `## Timeline\n${"x".repeat(1024 * 1024)}`;
    let status = 0;
    await requestsDuring(
      async () =>
        ({ status } = await e2e.sim.user("alice").openIssue(repo, { title: "Huge", body, labels: ["incident"] })),
    );
    const n = e2e.sim.issues(repo).at(-1)!.number;
    expect(status).toBe(200);
    expect(appComments(n).map((c) => c.body.split("\n", 1)[0])).toEqual(["<!-- incident-keeper:status -->"]);
    expect(e2e.sim.issue(repo, n).body).toBe(body);
    record(
      "oversized body",
      "1 MB issue body on a new incident",
      `answered ${status}; one status comment; body untouched`,
    );
  });

  it("oversized comment (65,536 characters, no command)", async () => {
    const n = await incident();
    const requests = await requestsDuring(() => e2e.sim.user("bob").comment(repo, n, "a".repeat(65_536)));
    expect(requests).toEqual([]);
    record("oversized comment", "65,536-character comment", "0 API requests");
  });

  it("invalid UTF-16 (lone surrogates) in title, body and a command", async () => {
    const title = "DB \uD800 down \uDFFF";
    const { status, data } = await e2e.sim.user("alice").openIssue(repo, {
      title,
      body: "broken \uD83D text",
      labels: ["incident", "category:operator-error", "sev:3", "devops:1"],
    });
    await e2e.sim.settle();
    const requests = await requestsDuring(() => e2e.sim.user("bob").comment(repo, data.number, "/sev \uD800"));
    expect(status).toBe(200);
    expect(
      appComments(data.number)
        .map((c) => c.body.split("\n", 1)[0])
        .sort(),
    ).toEqual(
      [
        "<!-- incident-keeper:notice memo:operator-error -->",
        `<!-- incident-keeper:reply ${e2e.sim.comments(repo, data.number).at(-2)!.id} -->`,
        "<!-- incident-keeper:status -->",
      ].sort(),
    );
    expect(writes(requests)).toEqual(["POST issues/create-comment"]);
    expect(e2e.sim.issue(repo, data.number).labels).toContain("sev:3");
    record(
      "invalid UTF-16",
      "lone surrogates in title and body; `/sev \\uD800`",
      "answered 200; memo and status posted; the command got one error reply, labels unchanged",
    );
  });

  it("malformed config YAML", async () => {
    const bad = `${SCENARIO.org}/bad-yaml`;
    e2e.sim.seed.repo(bad, { installationId: SCENARIO.installationId });
    e2e.sim.seed.permission(bad, "alice", "admin");
    e2e.sim.seed.file(bad, SCENARIO.configPath, "sla: [unclosed\n  - : :\n");
    const { status, data } = await e2e.sim
      .user("alice")
      .openIssue(bad, { title: "DB down", labels: ["incident", "sev:1"] });
    await e2e.sim.settle();
    const comments = appComments(data.number, bad);
    expect(status).toBe(200);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("configuration is invalid");
    expect(e2e.sim.issue(bad, data.number).labels).toEqual(["incident", "sev:1"]);
    record(
      "malformed config YAML",
      "`sla: [unclosed` in .github/incident-keeper.yml",
      "one config-error comment; no labels, no SLA action",
    );
  });

  it("wrong types in config", async () => {
    const bad = `${SCENARIO.org}/bad-types`;
    e2e.sim.seed.repo(bad, { installationId: SCENARIO.installationId });
    e2e.sim.seed.permission(bad, "alice", "admin");
    e2e.sim.seed.file(
      bad,
      SCENARIO.configPath,
      "sla:\n  investigation_hours: soon\nteams:\n  product: 42\nunknown_key: true\n",
    );
    const { data } = await e2e.sim.user("alice").openIssue(bad, { title: "DB down", labels: ["incident"] });
    await e2e.sim.settle();
    const comments = appComments(data.number, bad);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("`sla.investigation_hours`");
    expect(comments[0]!.body).toContain("`teams.product`");
    expect(comments[0]!.body).toContain("unknown_key");
    expect(e2e.sim.issue(bad, data.number).labels).toEqual(["incident"]);
    record(
      "wrong types in config",
      "`investigation_hours: soon`, `product: 42`, an unknown key",
      "one config-error comment naming each key; no labels, no SLA action",
    );
  });

  it("unknown commands", async () => {
    const n = await incident();
    // `/sevv 1` was listed here as ignored; issue #10 item 5 makes it a near-miss that is answered (below).
    const requests = await requestsDuring(() => e2e.sim.user("bob").comment(repo, n, "/deploy now\n/everyone"));
    expect(requests).toEqual([]);
    record("unknown commands", "`/deploy now`, `/everyone`", "ignored: 0 API requests");
  });

  it("near-miss commands", async () => {
    const n = await incident();
    const labels = e2e.sim.issue(repo, n).labels;
    const requests = await requestsDuring(() => e2e.sim.user("bob").comment(repo, n, "/sevv 1\n/sev1\n/devop 3"));
    const reply = appComments(n).at(-1)!.body;
    expect(writes(requests)).toEqual(["POST issues/create-comment"]);
    expect(reply).toContain("did you mean `/sev 1`?");
    expect(reply).toContain("`/sev1` needs a space: `/sev 1`");
    expect(reply).toContain("did you mean `/devops 3`?");
    expect(e2e.sim.issue(repo, n).labels).toEqual(labels);
    record(
      "near-miss commands",
      "`/sevv 1`, `/sev1`, `/devop 3`",
      "one reply with the correction of each; labels unchanged",
    );
  });

  it("commands with junk arguments", async () => {
    const n = await incident();
    const labels = e2e.sim.issue(repo, n).labels;
    const requests = await requestsDuring(() =>
      e2e.sim.user("bob").comment(repo, n, "/sev 9\n/sev abc\n/devops\n/category bogus"),
    );
    const reply = appComments(n).at(-1)!.body;
    expect(writes(requests)).toEqual(["POST issues/create-comment"]);
    expect(reply).toContain("@bob I could not run:");
    expect(reply.match(/^- `/gm)).toHaveLength(4);
    expect(e2e.sim.issue(repo, n).labels).toEqual(labels);
    record(
      "junk arguments",
      "`/sev 9`, `/sev abc`, `/devops`, `/category bogus`",
      "one reply listing the 4 errors; labels unchanged",
    );
  });

  it("a stranger's command is refused once per comment, and replies are rate-limited", async () => {
    const n = await incident();
    const labels = e2e.sim.issue(repo, n).labels;
    for (let i = 0; i < 5; i++) await e2e.sim.user("mallory").comment(repo, n, "/sev 1");
    await e2e.sim.settle();
    const refusals = appComments(n).filter((c) => c.body.includes("needs at least"));
    expect(refusals).toHaveLength(3);
    expect(e2e.sim.issue(repo, n).labels).toEqual(labels);
    record(
      "command without permission",
      "5 × `/sev 1` by a read-only user",
      "3 short refusals (then silence: rate limit), labels unchanged",
    );
  });

  it("a forged status-comment marker in a user comment is neither edited nor trusted", async () => {
    const n = await incident();
    const forged =
      "<!-- incident-keeper:status -->\n<!-- incident-keeper:complete -->\nforged <!-- incident-keeper:state eyJ2IjoxfQ== -->";
    const { data: comment } = await e2e.sim.user("mallory").comment(repo, n, forged);
    await e2e.sim.user("bob").comment(repo, n, "/sev 1");
    await e2e.sim.settle();
    const own = appComments(n).filter((c) => c.body.startsWith("<!-- incident-keeper:status -->"));
    expect(own).toHaveLength(1);
    expect(own[0]!.body).toContain("Sev 1");
    expect(e2e.sim.comments(repo, n).find((c) => c.id === comment.id)!.body).toBe(forged);
    expect(e2e.sim.issue(repo, n).labels).toContain("sev:1");
    record(
      "forged marker",
      "a user comment starting with the status marker, a complete marker and a state line",
      "untouched; the app kept editing its own status comment",
    );
  });

  it("payloads missing fields and unknown actions", async () => {
    const installation = { id: SCENARIO.installationId };
    const repository = { name: "api", owner: { login: SCENARIO.org }, full_name: repo };
    const cases: Array<[string, JsonObject, string, number]> = [
      ["issues", { action: "opened", installation, repository }, "issues.opened without issue", 500],
      [
        "issue_comment",
        { action: "created", installation, repository, issue: { number: 1 } },
        "issue_comment.created without comment",
        500,
      ],
      [
        "issues",
        { action: "exploded", installation, repository, issue: { number: 1 } },
        "issues.exploded (unknown action)",
        200,
      ],
      [
        "issues",
        { action: "transferred", installation, repository, issue: { number: 1, labels: [] } },
        "issues.transferred (not subscribed)",
        200,
      ],
      ["deployment", { action: "created", installation, repository }, "an event the app does not handle", 200],
    ];
    for (const [event, payload, label, expectedStatus] of cases) {
      let status = 0;
      const requests = await requestsDuring(async () => (status = await e2e.sim.deliver(event, payload)));
      expect({ label, status, writes: writes(requests) }).toEqual({ label, status: expectedStatus, writes: [] });
      expect(e2e.app.process.exitCode).toBeNull();
      record(
        "malformed payload",
        label,
        `answered ${status}${status === 500 ? " (handler error, logged)" : ""}; no write; process alive`,
      );
    }
  });

  it("bad or missing webhook signature", async () => {
    const payload = {
      action: "created",
      installation: { id: SCENARIO.installationId },
      repository: { name: "api", owner: { login: SCENARIO.org } },
      issue: { number: 1 },
      comment: { body: "/sev 1", user: { login: "alice", type: "User" } },
      sender: { login: "alice", type: "User" },
    };
    let bad = 0;
    let missing = 0;
    const requests = await requestsDuring(async () => {
      bad = await e2e.sim.deliver("issue_comment", payload, { signature: `sha256=${"0".repeat(64)}` });
      missing = await e2e.sim.deliver("issue_comment", payload, { signature: "" });
    });
    expect([bad, missing]).toEqual([400, 400]);
    expect(requests).toEqual([]);
    record("bad signature", "X-Hub-Signature-256 wrong / empty", `answered ${bad} / ${missing}; 0 API requests`);
  });

  it("mention and HTML injection in titles and bodies", async () => {
    const title = "@everyone DB down @acme/all <img src=x onerror=alert(1)> <!-- incident-keeper:complete -->";
    const body = "cc @acme/all <script>alert(1)</script>";
    const { data } = await e2e.sim
      .user("alice")
      .openIssue(repo, { title, body, labels: ["incident", "category:operator-error", "sev:3", "devops:1"] });
    await e2e.sim.settle();
    const bodies = appComments(data.number).map((c) => c.body);
    expect(bodies).toHaveLength(2);
    const memo = bodies.find((b) => b.includes("Incident memo"))!;
    expect(memo).toContain(
      "&#64;everyone DB down &#64;acme/all &lt;img src=x onerror=alert(1)&gt; &lt;!-- incident-keeper:complete --&gt;",
    );
    for (const text of bodies) {
      expect(text).not.toMatch(/(^|[^&#\w])@(everyone|acme\/all)/);
      expect(text).not.toContain("<img");
      expect(text).not.toContain("<script");
      expect(text.match(/<!-- incident-keeper:complete -->/g)).toBeNull();
    }
    record(
      "mention / HTML injection",
      "title `@everyone … @acme/all <img onerror> <!-- incident-keeper:complete -->`, body with `<script>`",
      "escaped in the memo (`&#64;everyone`, `&lt;img`); no live mention, tag or marker in any app comment",
    );
  });
});
