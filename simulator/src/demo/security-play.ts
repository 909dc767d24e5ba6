/**
 * `npm run demo -- --security` (issue #14): a security incident filed in the public repository
 * acme/api, `/security` from a triager, and the app moving it with GraphQL `transferIssue` to the
 * private acme/security, where it mentions the security team once and runs the security SLA windows.
 * Each step checks what the app did and throws {@link DemoError} when it did not.
 */
import { SCENARIO, type SimulatedApp } from "../app-process.js";
import { wallNow } from "../clock.js";
import { DemoError, type Say } from "./play.js";

/** The private repository security incidents move to. */
export const SECURITY_REPO = "acme/security";

/** The organisation's config (acme/.github): every repository moves security incidents to acme/security. */
export const SECURITY_DEMO_CONFIG = [
  "security:",
  `  repository: ${SECURITY_REPO}`,
  "  acknowledge_hours: 1",
  "  resolution_hours: 24",
  "teams:",
  '  security: "@acme/security-team"',
  "",
].join("\n");

/** What the security play left behind, for the printer. */
export interface SecurityOutcome {
  /** The incident's number in acme/api before the move. */
  publicNumber: number;
  /** Its number in acme/security after the move. */
  privateNumber: number;
  /** What the public address answers now (GitHub: 301 to the private repository). */
  oldAddress: { status: number; location: string | null };
}

async function eventually(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = wallNow() + timeoutMs;
  while (!condition()) {
    if (wallNow() > deadline) throw new DemoError(`the app did not do what the demo expects in time: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Seeds the private repository (installed, with its people), before the play. */
export function seedSecurityRepo(running: SimulatedApp): void {
  running.sim.seed.repo(SECURITY_REPO, { installationId: SCENARIO.installationId, private: true });
  running.sim.seed.permission(SECURITY_REPO, "alice", "admin");
}

/** Plays the story: filed in public, `/security`, moved to the private repository. */
export async function playSecurityIncident(running: SimulatedApp, say: Say): Promise<SecurityOutcome> {
  const { sim } = running;
  const repo = SCENARIO.repo;
  const body = [
    "An API token with write access to the billing service was found in a public gist.",
    "",
    "## Timeline",
    "- 07:50 token found by a secret scan",
    "",
    "## RCA",
    "_No response_",
    "",
    "## Actions",
    "- [ ] #1 revoke the token and rotate the billing credentials",
  ].join("\n");
  say("alice files the follow-up action acme/api#1 and the incident, in the public repository acme/api");
  await sim.user("alice").openIssue(repo, { title: "Revoke the leaked billing token" });
  const { data: incident } = await sim.user("alice").openIssue(repo, {
    title: "Billing API token leaked",
    body,
    labels: ["incident", "category:core-bug", "sev:2", "devops:2"],
  });
  await sim.settle();
  say(`bob (triage) comments \`/security\` on acme/api#${incident.number}`);
  await sim.user("bob").comment(repo, incident.number, "/security");
  let privateNumber: number | null = null;
  await eventually(() => {
    const moved = sim.issues(SECURITY_REPO).find((i) => i.title === "Billing API token leaked");
    privateNumber = moved?.number ?? null;
    return (
      privateNumber !== null &&
      sim.comments(SECURITY_REPO, privateNumber).some((c) => c.body.includes("@acme/security-team"))
    );
  }, `acme/api#${incident.number} moved to ${SECURITY_REPO} and the security team mentioned`);
  await sim.settle();
  if (privateNumber === null) throw new DemoError("the incident did not arrive in the private repository");
  if (sim.issues(repo).some((i) => i.number === incident.number))
    throw new DemoError(`acme/api#${incident.number} is still in the public repository`);
  const number: number = privateNumber;
  say(`the app moved it with GraphQL transferIssue: it is ${SECURITY_REPO}#${number} now`);

  say(`alice closes the follow-up action acme/api#1 in the public repository`);
  await sim.user("alice").close(repo, 1);
  await eventually(
    () => (sim.issue(SECURITY_REPO, number).body ?? "").includes("- [x] #1 revoke"),
    `the moved incident's action box ticked`,
  );
  await sim.settle();
  const token = await installationToken(running);
  const response = await fetch(`${sim.baseUrl}/api/v3/repos/${repo}/issues/${incident.number}`, {
    headers: { authorization: `token ${token}` },
    redirect: "manual",
  });
  return {
    publicNumber: incident.number,
    privateNumber: number,
    oldAddress: { status: response.status, location: response.headers.get("location") },
  };
}

/** An installation token for the demo's own look at the old address (as the app's installation). */
async function installationToken(running: SimulatedApp): Promise<string> {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(wallNow() / 1000);
  const jwt = `${part({ alg: "RS256", typ: "JWT" })}.${part({ iat: now - 30, exp: now + 540, iss: SCENARIO.appId })}.c2ln`;
  const response = await fetch(
    `${running.sim.baseUrl}/api/v3/app/installations/${SCENARIO.installationId}/access_tokens`,
    { method: "POST", headers: { authorization: `Bearer ${jwt}`, accept: "application/vnd.github+json" } },
  );
  const { token } = (await response.json()) as { token: string };
  return token;
}
