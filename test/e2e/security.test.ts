/**
 * Security incidents end to end (issue #14): the real app process against the simulator. `/security`
 * by a triager (or the security label) moves the incident to the private repository with GraphQL
 * `transferIssue`; there the security team is mentioned once and the status comment shows the
 * security windows; a stranger is refused with nothing changed; a public target or a failing
 * transfer leaves the incident where it is with one short note; an action closed in the original
 * repository ticks the moved incident's box. Every request validated (0 REST, 0 GraphQL violations).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { SCENARIO, startSimulatedApp, type SimulatedApp } from "../../simulator/src/app-process.js";
import type { GitHubSimulator, RequestRecord } from "../../simulator/src/index.js";
import { expectNoViolations } from "../support/e2e.js";
import { fakeAppJwt, TestOctokit } from "../simulator/helpers.js";
import { createRequire } from "node:module";
import { example } from "../support/payloads.js";

/** Every example of GitHub's `issues` deliveries (the opened one with `changes` is a transfer's). */
function issueExamples(): Array<Record<string, unknown> & { action?: string; changes?: unknown }> {
  const all = createRequire(import.meta.url)("@octokit/webhooks-examples/api.github.com/index.json") as Array<{
    name: string;
    examples: Array<Record<string, unknown> & { action?: string; changes?: unknown }>;
  }>;
  return all.find((g) => g.name === "issues")?.examples ?? [];
}

const api = SCENARIO.repo;
const web = SCENARIO.otherRepo;
const vault = "acme/security";
const exposed = "acme/public-sec";
const STATUS = "<!-- incident-keeper:status -->";
const TEAM_MARKER = "<!-- incident-keeper:security-team -->";
const NOT_MOVED = "<!-- incident-keeper:security-not-moved";
const ORG_CONFIG = ["security:", `  repository: ${vault}`, "teams:", '  security: "@acme/security-team"', ""].join(
  "\n",
);
const WEB_CONFIG = ["security:", `  repository: ${exposed}`, ""].join("\n");
const CLASSIFIED = ["incident", "category:core-bug", "sev:2", "devops:3"];

let e2e: SimulatedApp;
beforeAll(async () => {
  e2e = await startSimulatedApp({ orgConfig: ORG_CONFIG, env: { SWEEP_INTERVAL_MINUTES: "0" } });
  e2e.sim.seed.repo(vault, { installationId: SCENARIO.installationId, private: true });
  e2e.sim.seed.repo(exposed, { installationId: SCENARIO.installationId, private: false });
  e2e.sim.seed.file(web, SCENARIO.configPath, WEB_CONFIG);
  e2e.sim.seed.permission(vault, "alice", "admin");
}, 60_000);
afterAll(async () => {
  if (process.env.SECURITY_E2E_LOGS)
    (await import("node:fs")).writeFileSync(process.env.SECURITY_E2E_LOGS, e2e.app.logs.join("\n"));
  await e2e?.stop();
});
afterEach(() => {
  e2e.sim.faults = {};
  expectNoViolations(e2e.sim);
});

const figures: string[] = [];
afterAll(() => console.log(figures.join("\n")));

function requestsSince(sim: GitHubSimulator, mark: number): RequestRecord[] {
  return sim.requests
    .slice(mark)
    .filter((r) => !r.path.endsWith("/access_tokens") && r.operationId !== "apps/get-authenticated");
}
const calls = (records: RequestRecord[]): string[] =>
  records.map((r) =>
    r.operationId === "graphql"
      ? `graphql ${r.graphql ? `${r.graphql.operation ?? "?"} ${r.graphql.rootFields.join(",")}` : `(${r.status})`}`
      : `${r.method} ${r.path.replace(/\/comments\/\d+$/, "/comments/ID")}`,
  );
const appComments = (repo: string, n: number): string[] =>
  e2e.sim
    .comments(repo, n)
    .filter((c) => c.viaApp)
    .map((c) => c.body);
const statusOf = (repo: string, n: number): string => {
  const all = appComments(repo, n).filter((b) => b.startsWith(STATUS));
  expect(all).toHaveLength(1);
  return all[0]!;
};
/** The hidden state of a status comment (unsigned in these tests: no STATE_SIGNING). */
const stateOf = (body: string): Record<string, unknown> => {
  const match = /<!-- incident-keeper:state ([A-Za-z0-9+/=]+)/.exec(body);
  return JSON.parse(Buffer.from(match?.[1] ?? "", "base64").toString("utf8")) as Record<string, unknown>;
};
async function token(): Promise<string> {
  const app = new TestOctokit({ auth: { token: fakeAppJwt(SCENARIO.appId) }, baseUrl: `${e2e.sim.baseUrl}/api/v3` });
  const { data } = await app.request("POST /app/installations/{installation_id}/access_tokens", {
    installation_id: SCENARIO.installationId,
  });
  return data.token;
}
async function gql(query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(`${e2e.sim.baseUrl}/api/graphql`, {
    method: "POST",
    headers: { authorization: `token ${await token()}`, "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data ?? {};
}
/** Settles until `done()` holds (a retried request leaves quiet gaps that end one settle early). */
async function settleUntil(done: () => boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  await e2e.sim.settle();
  while (!done() && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    await e2e.sim.settle();
  }
}

/** Where the old address points now (GitHub: 301 to the moved issue). */
async function oldAddress(repo: string, n: number): Promise<{ status: number; location: string | null }> {
  const response = await fetch(`${e2e.sim.baseUrl}/api/v3/repos/${repo}/issues/${n}`, {
    headers: { authorization: `token ${await token()}` },
    redirect: "manual",
  });
  return { status: response.status, location: response.headers.get("location") };
}
/** Where `repo#n` moved (its `issues.transferred` delivery), or null before. */
function movedOrNull(repo: string, n: number): number | null {
  const delivery = e2e.sim.deliveries.find(
    (d) =>
      d.action === "transferred" &&
      (d.payload.repository as { full_name?: string }).full_name === repo &&
      (d.payload.issue as { number?: number }).number === n,
  );
  return (delivery?.payload.changes as { new_issue?: { number?: number } } | undefined)?.new_issue?.number ?? null;
}
/** The move is complete in the vault: the status shows it, the team was mentioned, the label is on. */
function arrived(repo: string, n: number): boolean {
  const moved = movedOrNull(repo, n);
  if (moved === null) return false;
  const own = appComments(vault, moved);
  return (
    own.some((b) => b.startsWith(STATUS) && b.includes("🔒 **Security incident**")) &&
    own.some((b) => b.includes(TEAM_MARKER)) &&
    e2e.sim.issue(vault, moved).labels.includes("incident:security")
  );
}

/** The refusal is complete: one note, and the status comment's state records it. */
function refused(repo: string, n: number): boolean {
  const own = appComments(repo, n);
  return (
    own.some((b) => b.includes(NOT_MOVED)) &&
    own.some((b) => b.startsWith(STATUS) && stateOf(b).securityNotMoved !== undefined)
  );
}

/** The incident that arrived in the vault from `repo#n`, from the `issues.transferred` delivery. */
function movedNumber(repo: string, n: number): number {
  const delivery = e2e.sim.deliveries.find(
    (d) =>
      d.event === "issues" &&
      d.action === "transferred" &&
      (d.payload.repository as { full_name?: string }).full_name === repo &&
      (d.payload.issue as { number?: number }).number === n,
  );
  const changes = delivery?.payload.changes as { new_issue?: { number?: number } } | undefined;
  expect(changes?.new_issue?.number).toEqual(expect.any(Number));
  return changes!.new_issue!.number!;
}

describe("/security by a triager", () => {
  it("moves the incident to the private repository: webhooks as GitHub sends them, REST and GraphQL agree, the team mentioned once, the security windows shown", async () => {
    const alice = e2e.sim.user("alice");
    const { data: action } = await alice.openIssue(api, { title: "Rotate the leaked credentials" });
    const body = [
      "Customer data may be exposed.",
      "## Timeline",
      "- 07:50 token found in a public gist",
      "## RCA",
      "A CI token was pasted in a gist.",
      "## Actions",
      `- [ ] #${action.number} rotate`,
    ].join("\n");
    const { data: incident } = await alice.openIssue(api, { title: "Token leaked", body, labels: CLASSIFIED });
    await e2e.sim.settle();
    expect(statusOf(api, incident.number)).toContain("Investigate & classify (12 hours)");

    const mark = e2e.sim.requests.length;
    const deliveriesBefore = e2e.sim.deliveries.length;
    await e2e.sim.user("bob").comment(api, incident.number, "/security");
    await settleUntil(() => arrived(api, incident.number));
    const requests = requestsSince(e2e.sim, mark);
    figures.push(`a move (/security): ${requests.length} calls: ${calls(requests).join(" | ")}`);
    // Config, permission, thread, the target query and the transfer; then in the vault: config,
    // thread, issue, the mention, the label (created once) and the status edit.
    expect(requests.length).toBeLessThanOrEqual(15);

    // Webhooks as GitHub sends them: the comment, then transferred (old) and opened (new), by the app.
    const sent = e2e.sim.deliveries.slice(deliveriesBefore).map((d) => ({
      name: `${d.event}.${d.action}`,
      repo: (d.payload.repository as { full_name: string }).full_name,
      sender: d.sender,
    }));
    const bot = e2e.sim.botLogin;
    // Each repository's deliveries in order; the two repositories' interleave as they come.
    expect(sent.filter((d) => d.name === "issues.transferred" || d.name === "issues.opened")).toEqual(
      expect.arrayContaining([
        { name: "issues.transferred", repo: api, sender: bot },
        { name: "issues.opened", repo: vault, sender: bot },
      ]),
    );
    expect(sent.filter((d) => d.name.startsWith("issues.") && d.repo === api).map((d) => d.name)).toEqual([
      "issues.transferred",
    ]);
    const moved = movedNumber(api, incident.number);
    // Shaped as GitHub's own examples of these two deliveries (@octokit/webhooks-examples).
    const transferred = e2e.sim.deliveries.find((d) => d.action === "transferred" && d.payload.issue !== undefined);
    const keys = (value: unknown): string[] => Object.keys(value as object).sort();
    const shapes = (payload: Record<string, unknown>) => ({
      top: keys(payload).filter((k) => k !== "installation" && k !== "organization"),
      changes: keys(payload.changes),
    });
    const gitHubTransferred = example("issues", "transferred") as Record<string, unknown>;
    expect(shapes(transferred!.payload)).toEqual(shapes(gitHubTransferred));
    expect(keys((transferred!.payload.changes as Record<string, unknown>).new_issue)).toEqual(
      expect.arrayContaining(
        keys((gitHubTransferred.changes as Record<string, unknown>).new_issue).filter(
          (k) => k !== "performed_via_github_app",
        ),
      ),
    );
    const openedExample = issueExamples().find((e) => e.action === "opened" && e.changes)?.changes as Record<
      string,
      unknown
    >;
    const openedDelivery = e2e.sim.deliveries.find(
      (d) => d.action === "opened" && (d.payload.changes as object | undefined),
    );
    expect(keys((openedDelivery!.payload.changes as Record<string, unknown>).old_issue)).toEqual(
      expect.arrayContaining(keys(openedExample.old_issue).filter((k) => k !== "performed_via_github_app")),
    );
    const opened = e2e.sim.deliveries.find(
      (d) =>
        d.event === "issues" &&
        d.action === "opened" &&
        (d.payload.repository as { full_name: string }).full_name === vault,
    );
    expect(opened?.payload).toMatchObject({
      issue: { number: moved },
      changes: { old_issue: { number: incident.number }, old_repository: { full_name: api } },
    });

    // Gone from the public repository: its old address answers 301 to the private one.
    expect(e2e.sim.issues(api).map((i) => i.number)).not.toContain(incident.number);
    expect(await oldAddress(api, incident.number)).toEqual({
      status: 301,
      location: `${e2e.sim.baseUrl}/api/v3/repos/${vault}/issues/${moved}`,
    });
    // REST and GraphQL views of the private repository agree.
    const rest = e2e.sim.issue(vault, moved);
    expect(rest).toMatchObject({ title: "Token leaked", state: "open", user: "alice" });
    expect(rest.labels).toEqual(expect.arrayContaining([...CLASSIFIED, "incident:security"]));
    const graph = (await gql(
      `query($n: Int!) { repository(owner: "acme", name: "security") { isPrivate issue(number: $n) { title state author { login } labels(first: 20) { nodes { name } } } } }`,
      { n: moved },
    )) as {
      repository: {
        isPrivate: boolean;
        issue: { title: string; state: string; author: { login: string }; labels: { nodes: Array<{ name: string }> } };
      };
    };
    expect(graph.repository.isPrivate).toBe(true);
    expect(graph.repository.issue).toMatchObject({ title: "Token leaked", state: "OPEN", author: { login: "alice" } });
    expect(graph.repository.issue.labels.nodes.map((l) => l.name).sort()).toEqual([...rest.labels].sort());

    // The status comment moved with the issue (one), shows the security windows and records the move.
    const status = statusOf(vault, moved);
    expect(status).toContain(`🔒 **Security incident**, moved here from ${api}#${incident.number}`);
    expect(status).toContain("Acknowledge & classify (1 hour)");
    expect(status).toContain("Resolve (24 hours)");
    expect(stateOf(status).security).toEqual({ from: `${api}#${incident.number}`, movedAt: expect.any(String) });
    // The team mentioned once, in the private repository; nothing said in public.
    const mentions = appComments(vault, moved).filter((b) => b.includes("@acme/security-team"));
    expect(mentions).toHaveLength(1);
    expect(mentions[0]).toContain(TEAM_MARKER);
    expect(mentions[0]).not.toContain("Token leaked");
    expect(appComments(vault, moved).filter((b) => b.includes(NOT_MOVED))).toEqual([]);
    // One transfer, no loop on the app's own webhooks: quiet after settling.
    expect(requests.filter((r) => r.operationId === "graphql").length).toBe(2);

    // Again: nothing happens twice (already moved; `/security` in the vault is not a move).
    const again = e2e.sim.requests.length;
    await alice.comment(vault, moved, "/security");
    await e2e.sim.settle();
    expect(requestsSince(e2e.sim, again).filter((r) => r.operationId === "graphql")).toEqual([]);
    expect(appComments(vault, moved).filter((b) => b.includes("@acme/security-team"))).toHaveLength(1);

    // The follow-up action in the original repository still ticks the moved incident's box.
    const closeMark = e2e.sim.requests.length;
    await alice.close(api, action.number);
    await settleUntil(() =>
      appComments(vault, moved).some((b) => b.startsWith(STATUS) && b.includes("Rotate the leaked credentials — done")),
    );
    const closing = requestsSince(e2e.sim, closeMark);
    figures.push(
      `an action closed in the public repository, moved incident ticked: ${closing.length} calls: ${calls(closing).join(" | ")}`,
    );
    expect(e2e.sim.issue(vault, moved).body).toBe(body.replace(`- [ ] #${action.number}`, `- [x] #${action.number}`));
    expect(statusOf(vault, moved)).toContain(`${api}#${action.number}: Rotate the leaked credentials — done`);
  });
});

describe("a stranger's /security", () => {
  it("gets the usual refusal and changes nothing", async () => {
    const { data: incident } = await e2e.sim
      .user("alice")
      .openIssue(api, { title: "Suspicious logins", labels: CLASSIFIED });
    await e2e.sim.settle();
    const before = { issue: e2e.sim.issue(api, incident.number), status: statusOf(api, incident.number) };
    const mark = e2e.sim.requests.length;
    await e2e.sim.user("mallory").comment(api, incident.number, "/security");
    await settleUntil(() => appComments(api, incident.number).some((b) => b.includes("@mallory")));
    const requests = requestsSince(e2e.sim, mark);
    figures.push(`a stranger's /security: ${requests.length} calls: ${calls(requests).join(" | ")}`);
    expect(requests.filter((r) => r.operationId === "graphql")).toEqual([]);
    expect(e2e.sim.issue(api, incident.number)).toMatchObject({ labels: before.issue.labels, body: before.issue.body });
    expect(statusOf(api, incident.number)).toBe(before.status);
    const replies = appComments(api, incident.number).filter((b) => !b.startsWith(STATUS));
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain("@mallory `/security` needs at least **triage** permission");
  });
});

describe("the security label", () => {
  it("moves an incident when a person adds it", async () => {
    const alice = e2e.sim.user("alice");
    const { data: incident } = await alice.openIssue(api, { title: "Exploit attempt", labels: CLASSIFIED });
    await e2e.sim.settle();
    const mark = e2e.sim.requests.length;
    await alice.addLabels(api, incident.number, ["incident:security"]);
    await settleUntil(() => arrived(api, incident.number));
    const requests = requestsSince(e2e.sim, mark);
    figures.push(`a move (label): ${requests.length} calls: ${calls(requests).join(" | ")}`);
    expect(requests.length).toBeLessThanOrEqual(12);
    const moved = movedNumber(api, incident.number);
    expect(e2e.sim.issue(vault, moved).labels).toContain("incident:security");
    expect(statusOf(vault, moved)).toContain("Acknowledge & classify (1 hour)");
    expect(appComments(vault, moved).filter((b) => b.includes("@acme/security-team"))).toHaveLength(1);
  });

  it("moves an incident filed with it", async () => {
    const { data: incident } = await e2e.sim
      .user("alice")
      .openIssue(api, { title: "Filed as security", labels: [...CLASSIFIED, "incident:security"] });
    await settleUntil(() => arrived(api, incident.number));
    const moved = movedNumber(api, incident.number);
    expect(statusOf(vault, moved)).toContain(`moved here from ${api}#${incident.number}`);
  });
});

describe("filed in the private repository itself", () => {
  it("with the security label: the team mentioned once, the security windows, no move, no extra API call", async () => {
    const mark = e2e.sim.requests.length;
    const { data: incident } = await e2e.sim
      .user("alice")
      .openIssue(vault, { title: "Filed privately", labels: [...CLASSIFIED, "incident:security"] });
    await settleUntil(() => appComments(vault, incident.number).some((b) => b.startsWith(STATUS)));
    const requests = requestsSince(e2e.sim, mark).filter((r) => r.method !== "POST" || !r.path.endsWith("/issues"));
    figures.push(`filed in the vault with the label: ${requests.length} calls: ${calls(requests).join(" | ")}`);
    const mentions = appComments(vault, incident.number).filter((b) => b.includes("@acme/security-team"));
    expect(mentions).toHaveLength(1);
    expect(mentions[0]).toContain(TEAM_MARKER);
    expect(mentions[0]).toContain("this is a security incident, kept here out of public view");
    expect(mentions[0]).not.toContain("moved here from");
    expect(mentions[0]).not.toContain("Filed privately");
    // The security windows, worded as a moved incident's: the acknowledge window.
    expect(statusOf(vault, incident.number)).toContain("classify (1 hour)");
    expect(statusOf(vault, incident.number)).toContain("| Acknowledge & classify (1 hour) |");
    expect(statusOf(vault, incident.number)).not.toContain("Investigate & classify");
    expect(statusOf(vault, incident.number)).toContain("Resolve (24 hours)");
    // No move, no target query: nothing over GraphQL.
    expect(requests.filter((r) => r.operationId === "graphql")).toEqual([]);
    // No new API call: the marker is in the app's own comments the loader reads anyway. Only the reads
    // and writes of any incident's events (config, the thread, the issue, labels, the status comment),
    // and exactly one comment beside the status comment: the mention.
    const allowed = [
      `GET /repos/acme/.github/contents/.github%2Fincident-keeper.yml`,
      `GET /repos/${vault}/contents/.github%2Fincident-keeper.yml`,
      `GET /repos/${vault}/issues/N/comments`,
      `GET /repos/${vault}/issues/N`,
      `GET /repos/${vault}/labels`,
      `POST /repos/${vault}/labels`,
      `POST /repos/${vault}/issues/N/labels`,
      `POST /repos/${vault}/issues/N/comments`,
      `PATCH /repos/${vault}/issues/comments/ID`,
    ];
    const kinds = calls(requests).map((c) => c.replace(/\/issues\/\d+/, "/issues/N"));
    expect(kinds.filter((k) => !allowed.includes(k))).toEqual([]);
    expect(requests.filter((r) => r.method === "POST" && r.path.endsWith("/comments"))).toHaveLength(2);

    // Second events there (the label again, a command): no second mention.
    await e2e.sim.user("alice").addLabels(vault, incident.number, ["incident:security"]);
    await e2e.sim.user("alice").comment(vault, incident.number, "/sev 1");
    await settleUntil(() => e2e.sim.issue(vault, incident.number).labels.includes("sev:1"));
    await e2e.sim.settle();
    expect(appComments(vault, incident.number).filter((b) => b.includes("@acme/security-team"))).toHaveLength(1);
  });
});

describe("references by the old number after the move", () => {
  it("a pull request in the original repository saying `Fixes #N` reaches the moved incident: its action ticked, nothing of it said in public", async () => {
    const alice = e2e.sim.user("alice");
    const body = [
      "Session tokens readable by other tenants.",
      "## Timeline",
      "- 08:00 report received",
      "## RCA",
      "The tenant check was missing.",
      "## Actions",
      "- [ ] enforce tenant isolation (the fix, to come)",
    ].join("\n");
    // The same pull request for an incident that did not move: what following a reference costs anyway.
    const { data: plain } = await alice.openIssue(api, { title: "Slow search", body, labels: CLASSIFIED });
    await e2e.sim.settle();
    const plainMark = e2e.sim.requests.length;
    const { data: plainPr } = await alice.openPullRequest(api, { title: "Tune", body: `Fixes #${plain.number}` });
    await settleUntil(() => appComments(api, plainPr.number).length > 0);
    await e2e.sim.settle();
    const unmoved = requestsSince(e2e.sim, plainMark);
    figures.push(`a PR naming an incident that did not move: ${unmoved.length} calls: ${calls(unmoved).join(" | ")}`);

    const { data: incident } = await alice.openIssue(api, { title: "Tenant tokens exposed", body, labels: CLASSIFIED });
    await e2e.sim.settle();
    await e2e.sim.user("bob").comment(api, incident.number, "/security");
    await settleUntil(() => arrived(api, incident.number));
    const moved = movedNumber(api, incident.number);
    // Every app comment of the public repository, to see that none is added on the wrong issue.
    const publicComments = (): Array<{ n: number; body: string }> =>
      e2e.sim.issues(api).flatMap((i) => appComments(api, i.number).map((b) => ({ n: i.number, body: b })));
    const before = publicComments();

    // The fix, in the public repository, names the incident by its old number (as people do).
    const openMark = e2e.sim.requests.length;
    const { data: pr } = await alice.openPullRequest(api, {
      title: "Add the check",
      body: `Fixes #${incident.number}`,
    });
    const prStatus = (): string | undefined =>
      appComments(api, pr.number).find((b) => b.startsWith("<!-- incident-keeper:pr-status -->"));
    await settleUntil(() => prStatus() !== undefined && stateOf(statusOf(vault, moved)).timeline !== undefined);
    await e2e.sim.settle();
    const opening = requestsSince(e2e.sim, openMark);
    figures.push(
      `a PR naming the moved incident by its old number: ${opening.length} calls: ${calls(opening).join(" | ")}`,
    );
    // GitHub's 301 for the old number, followed once: the moved incident is found where it is now. The
    // only requests beyond the unmoved case: the redirect's second hop and the private repository's config.
    expect(opening.filter((r) => r.status === 301)).toHaveLength(1);
    const kinds = (records: RequestRecord[]): string[] =>
      calls(records).map((c) => c.replace(/\/issues\/\d+/, "/issues/N").replace(/\/security\//, "/api/"));
    const extra = [...kinds(opening)];
    for (const kind of kinds(unmoved)) extra.splice(extra.indexOf(kind), extra.includes(kind) ? 1 : 0);
    expect(extra.sort()).toEqual(
      [
        "GET /repos/acme/api/issues/N",
        "GET /repos/acme/api/contents/.github%2Fincident-keeper.yml",
        "GET /repos/acme/.github/contents/.github%2Fincident-keeper.yml",
      ].sort(),
    );
    expect(opening.length).toBe(unmoved.length + 3);
    expect(JSON.stringify(stateOf(statusOf(vault, moved)).timeline)).toContain(`${api}#${pr.number}`);
    // Nothing of the incident in the public pull request's comment; no comment on any other public issue.
    const shown = prStatus()!;
    expect(shown).toContain("🔒 Security incident (details withheld)");
    for (const leak of ["Tenant tokens", "tenant isolation", "Sev", "security#", `#${moved}`])
      expect(shown).not.toContain(leak);
    expect(publicComments().filter((c) => c.n !== pr.number)).toEqual(before);

    // Listed as the incident's action after the move (a bare #P: the original repository), then merged.
    await alice.editBody(
      vault,
      moved,
      body.replace("- [ ] enforce tenant isolation (the fix, to come)", `- [ ] #${pr.number} enforce tenant isolation`),
    );
    await e2e.sim.settle();
    const mergeMark = e2e.sim.requests.length;
    await alice.mergePullRequest(api, pr.number);
    await settleUntil(() => (e2e.sim.issue(vault, moved).body ?? "").includes(`- [x] #${pr.number}`));
    await e2e.sim.settle();
    const merging = requestsSince(e2e.sim, mergeMark);
    figures.push(
      `that PR merged, the moved incident's action ticked: ${merging.length} calls: ${calls(merging).join(" | ")}`,
    );
    expect(e2e.sim.issue(vault, moved).body).toContain(`- [x] #${pr.number} enforce tenant isolation`);
    expect(statusOf(vault, moved)).toContain(`${api}#${pr.number}`);
    expect(prStatus()).not.toMatch(/Tenant tokens|tenant isolation|Sev /);
    expect(publicComments().filter((c) => c.n !== pr.number)).toEqual(before);
  }, 60_000);
});

describe("a transfer whose answer is lost", () => {
  it("counts as a move: the old number's redirect shows where it went, and the vault gets it as usual", async () => {
    const { data: incident } = await e2e.sim.user("alice").openIssue(api, { title: "Answer lost", labels: CLASSIFIED });
    await e2e.sim.settle();
    // The transfer happens, then GitHub answers 502 (the answer lost), on every attempt.
    e2e.sim.faults = { failRate: 1, statuses: [502], only: ["graphql:transferIssue"], applyWritesBeforeFailing: true };
    await e2e.sim.user("bob").comment(api, incident.number, "/security");
    await settleUntil(() => arrived(api, incident.number), 40_000);
    e2e.sim.faults = {};
    const moved = movedNumber(api, incident.number);
    expect(e2e.sim.issue(vault, moved).title).toBe("Answer lost");
    expect(appComments(vault, moved).filter((b) => b.includes(TEAM_MARKER))).toHaveLength(1);
    expect(appComments(vault, moved).filter((b) => b.includes(NOT_MOVED))).toEqual([]);
  }, 60_000);
});

describe("when the move cannot happen", () => {
  it("a public target: the incident stays intact, one note to the maintainers without its details", async () => {
    const alice = e2e.sim.user("alice");
    const { data: incident } = await alice.openIssue(web, {
      title: "Password dump",
      body: "secret details",
      labels: CLASSIFIED,
    });
    await e2e.sim.settle();
    const mark = e2e.sim.requests.length;
    await e2e.sim.user("bob").comment(web, incident.number, "/security");
    await settleUntil(() => refused(web, incident.number));
    const requests = requestsSince(e2e.sim, mark);
    figures.push(`a refused move (public target): ${requests.length} calls: ${calls(requests).join(" | ")}`);
    // Config, permission, thread, the target query; the note and the status edit.
    expect(requests.length).toBe(6);
    expect(requests.filter((r) => r.graphql?.rootFields?.includes("transferIssue"))).toEqual([]);
    expect(e2e.sim.issue(web, incident.number)).toMatchObject({
      state: "open",
      title: "Password dump",
      body: "secret details",
    });
    const notes = appComments(web, incident.number).filter((b) => b.includes(NOT_MOVED));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain(`the configured repository \`${exposed}\` is public`);
    expect(notes[0]).not.toMatch(/Password dump|secret details/);
    expect(stateOf(statusOf(web, incident.number)).securityNotMoved).toMatchObject({ reason: "public" });
    // Asked again: no second note.
    await e2e.sim.user("bob").comment(web, incident.number, "/security");
    await e2e.sim.settle();
    expect(appComments(web, incident.number).filter((b) => b.includes(NOT_MOVED))).toHaveLength(1);
  });

  it("a target the installation cannot see: one note, nothing moved", async () => {
    e2e.sim.seed.file(web, SCENARIO.configPath, ["security:", "  repository: acme/nowhere", ""].join("\n"));
    try {
      const { data: incident } = await e2e.sim
        .user("alice")
        .openIssue(web, { title: "Odd admin login", labels: CLASSIFIED });
      await e2e.sim.settle();
      await e2e.sim.user("bob").comment(web, incident.number, "/security");
      await settleUntil(() => refused(web, incident.number));
      expect(e2e.sim.issue(web, incident.number)).toMatchObject({ state: "open", title: "Odd admin login" });
      const notes = appComments(web, incident.number).filter((b) => b.includes(NOT_MOVED));
      expect(notes).toHaveLength(1);
      expect(notes[0]).toContain(
        "the configured repository `acme/nowhere` does not exist or the app is not installed on it",
      );
      expect(stateOf(statusOf(web, incident.number)).securityNotMoved).toMatchObject({ reason: "not-found" });
    } finally {
      e2e.sim.seed.file(web, SCENARIO.configPath, WEB_CONFIG);
    }
  });

  it("a failing transfer (simulator fault): the incident stays intact, one note, the failure recorded", async () => {
    const alice = e2e.sim.user("alice");
    const { data: incident } = await alice.openIssue(api, { title: "Key exfiltration", labels: CLASSIFIED });
    await e2e.sim.settle();
    const before = e2e.sim.issue(api, incident.number);
    e2e.sim.faults = { failRate: 1, statuses: [502], only: ["graphql:transferIssue"] };
    const mark = e2e.sim.requests.length;
    await e2e.sim.user("bob").comment(api, incident.number, "/security");
    await settleUntil(() => refused(api, incident.number));
    e2e.sim.faults = {};
    const requests = requestsSince(e2e.sim, mark);
    figures.push(
      `a failing move (502 on every transferIssue): ${requests.length} calls: ${calls(requests).join(" | ")}`,
    );
    expect(e2e.sim.issue(api, incident.number)).toMatchObject({
      state: "open",
      labels: before.labels,
      body: before.body,
    });
    expect(e2e.sim.issues(vault).map((i) => i.title)).not.toContain("Key exfiltration");
    const notes = appComments(api, incident.number).filter((b) => b.includes(NOT_MOVED));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain("@bob");
    expect(notes[0]).toContain("GitHub did not complete the transfer");
    expect(stateOf(statusOf(api, incident.number)).securityNotMoved).toMatchObject({ reason: "failed" });
  });
});
