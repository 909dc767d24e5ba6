/** Shared helpers for the simulator's own tests: a started simulator, an app octokit, a webhook receiver. */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { verify } from "@octokit/webhooks-methods";
import { ProbotOctokit } from "probot";
import { GitHubSimulator, type GitHubSimulatorOptions } from "../../simulator/src/index.js";

export const APP_ID = 4242;
export const SECRET = "simulator-test-secret";
export const INSTALLATION_ID = 77;

/** The Octokit Probot gives apps, without retries or throttling (see STACK-NOTES). */
export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));
export type TestOctokitInstance = InstanceType<typeof TestOctokit>;

/** A JWT whose payload names the app (the simulator checks `iss`, not the signature). */
export function fakeAppJwt(appId = APP_ID): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: "RS256", typ: "JWT" })}.${part({ iat: now - 30, exp: now + 540, iss: appId })}.c2lnbmF0dXJl`;
}

/** A started simulator with org "acme" (installation 77: acme/api, acme/web, acme/.github) and people. */
export async function startSimulator(options: Partial<GitHubSimulatorOptions> = {}): Promise<GitHubSimulator> {
  const sim = new GitHubSimulator({ appId: APP_ID, webhookSecret: SECRET, ...options });
  sim.seed.installation({ id: INSTALLATION_ID, account: "acme", type: "Organization" });
  for (const repo of ["acme/api", "acme/web", "acme/.github"]) sim.seed.repo(repo, { installationId: INSTALLATION_ID });
  sim.seed.permission("acme/api", "alice", "admin");
  sim.seed.permission("acme/api", "bob", "triage");
  sim.seed.permission("acme/api", "mallory", "read");
  await sim.start();
  return sim;
}

/** A fresh installation access token from the simulator. */
export async function installationToken(sim: GitHubSimulator, installationId = INSTALLATION_ID): Promise<string> {
  const app = new TestOctokit({ auth: { token: fakeAppJwt() }, baseUrl: `${sim.baseUrl}/api/v3` });
  const { data } = await app.request("POST /app/installations/{installation_id}/access_tokens", {
    installation_id: installationId,
  });
  return data.token;
}

/** An installation-token octokit against the simulator, as Probot builds it. */
export async function installationOctokit(
  sim: GitHubSimulator,
  installationId = INSTALLATION_ID,
): Promise<TestOctokitInstance> {
  return new TestOctokit({
    auth: { token: await installationToken(sim, installationId) },
    baseUrl: `${sim.baseUrl}/api/v3`,
  });
}

/** One delivery as the receiver saw it. */
export interface Received {
  event: string;
  action: string | undefined;
  headers: IncomingHttpHeaders;
  raw: string;
  payload: Record<string, unknown> & { sender?: { login: string; type: string } };
}

/** A tiny webhook receiver standing in for the app. */
export interface Receiver {
  url: string;
  received: Received[];
  /** Status to answer with (default 200); `onDelivery` runs before answering. */
  status: number;
  onDelivery?: (delivery: Received) => Promise<void> | void;
  stop(): Promise<void>;
}

/** Starts a receiver on a free port; with `secret`, it answers 400 to badly signed deliveries like Probot. */
export async function startReceiver(options: { secret?: string } = {}): Promise<Receiver> {
  const receiver: Receiver = { url: "", received: [], status: 200, stop: () => Promise.resolve() };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const payload = JSON.parse(raw) as Received["payload"];
      const delivery: Received = {
        event: String(req.headers["x-github-event"]),
        action: typeof payload.action === "string" ? payload.action : undefined,
        headers: req.headers,
        raw,
        payload,
      };
      receiver.received.push(delivery);
      const signature = String(req.headers["x-hub-signature-256"] ?? "");
      const checked = options.secret
        ? verify(options.secret, raw, signature).catch(() => false)
        : Promise.resolve(true);
      void checked.then(async (valid) => {
        if (!valid) return void res.writeHead(400).end("signature does not match");
        await receiver.onDelivery?.(delivery);
        res.writeHead(receiver.status).end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
  receiver.stop = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return receiver;
}

/** "event.action" names of what the receiver got. */
export function eventNames(receiver: Receiver): string[] {
  return receiver.received.map((delivery) =>
    delivery.action ? `${delivery.event}.${delivery.action}` : delivery.event,
  );
}
