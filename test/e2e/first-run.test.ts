/**
 * The first run a new user makes: `npm start` (`probot run ./lib/index.js`) with no GitHub App yet.
 * Probot serves its setup page; the manifest in it (what the browser posts to GitHub) is built from
 * app.yml; after GitHub's redirect back, the app's credentials land in `.env`. Offline: GitHub's one
 * endpoint of this flow (the manifest conversion) is a small local fake here. Needs `npm run build`.
 */
import { afterEach, describe, expect, it } from "@jest/globals";
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { freePort } from "../support/e2e.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const PROBOT_BIN = join(root, "node_modules/probot/bin/probot.js");
const ENTRY = join(root, "lib/index.js");

interface Started {
  child: ChildProcess;
  url: string;
  cwd: string;
  logs: string[];
}

const running: Started[] = [];
const servers: Server[] = [];

afterEach(async () => {
  for (const started of running.splice(0)) {
    if (started.child.exitCode === null) {
      const exited = new Promise((resolve) => started.child.once("exit", resolve));
      started.child.kill("SIGTERM");
      await exited;
    }
    rmSync(started.cwd, { recursive: true, force: true });
  }
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** `probot run lib/index.js` as `npm start` runs it, in a fresh folder holding the project's app.yml and package.json. */
async function startWithoutApp(extra: Record<string, string>): Promise<Started> {
  const cwd = mkdtempSync(join(tmpdir(), "ik-first-run-"));
  copyFileSync(join(root, "app.yml"), join(cwd, "app.yml"));
  copyFileSync(join(root, "package.json"), join(cwd, "package.json"));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    "APP_ID",
    "PRIVATE_KEY",
    "PRIVATE_KEY_PATH",
    "WEBHOOK_SECRET",
    "NODE_ENV",
    "NODE_OPTIONS",
    "GHE_HOST",
    "GHE_PROTOCOL",
    "WEBHOOK_PROXY_URL",
    "GH_ORG",
    "PROJECT_DOMAIN",
    "REDIS_URL",
  ])
    delete env[name];
  const child = spawn(process.execPath, [PROBOT_BIN, "run", ENTRY], {
    cwd,
    env: { ...env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "info", ...extra },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  child.stdout?.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
  const started = { child, url: `http://127.0.0.1:${port}`, cwd, logs };
  running.push(started);
  const deadline = performance.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`probot exited (${child.exitCode}):\n${logs.join("")}`);
    try {
      const response = await fetch(`${started.url}/probot`);
      if (response.ok) return started;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`no setup page within 20 s:\n${logs.join("")}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The setup page's form: where it posts and the manifest it carries (HTML-unescaped as a browser would). */
async function setupPage(url: string): Promise<{ action: string; manifest: Record<string, unknown> }> {
  const html = await (await fetch(`${url}/probot`)).text();
  const action = /<form action="([^"]+)" method="post"/.exec(html)?.[1];
  const value = /name="manifest" id="manifest" value='([^']*)'/.exec(html)?.[1];
  if (!action || value === undefined) throw new Error(`unexpected setup page:\n${html}`);
  return {
    action,
    manifest: JSON.parse(value.replaceAll("&quot;", '"').replaceAll("&amp;", "&")) as Record<string, unknown>,
  };
}

describe("first run with no GitHub App configured", () => {
  it("serves Probot's setup page whose manifest is app.yml's name, description, permissions, events and hook URL", async () => {
    const smee = "https://smee.io/incident-keeper-first-run";
    const app = await startWithoutApp({ WEBHOOK_PROXY_URL: smee });
    const { action, manifest } = await setupPage(app.url);
    const yml = parse(readFileSync(join(root, "app.yml"), "utf8")) as Record<string, unknown>;

    expect(action).toBe("https://github.com/settings/apps/new");
    expect(manifest).toMatchObject({
      name: yml.name,
      description: yml.description,
      public: false,
      default_permissions: {
        issues: "write",
        pull_requests: "write",
        contents: "write",
        metadata: "read",
        checks: "write",
      },
      default_events: ["issues", "issue_comment", "pull_request", "check_suite", "check_run"],
      hook_attributes: { url: smee },
      redirect_url: `${app.url}/probot/setup`,
    });
    expect(app.logs.join("")).toContain("Probot is in setup mode");
  });

  it("on GitHub Enterprise Server, registers on GHE_HOST and writes the new app's credentials to .env", async () => {
    const conversions: IncomingMessage[] = [];
    const ghe = createServer((request, response) => {
      conversions.push(request);
      const ok = request.method === "POST" && request.url === "/api/v3/app-manifests/code-123/conversions";
      response.writeHead(ok ? 201 : 404, { "content-type": "application/json" });
      response.end(
        JSON.stringify(
          ok
            ? {
                id: 4242,
                slug: "incident-keeper",
                client_id: "Iv1.abc",
                client_secret: "client-secret-1",
                webhook_secret: "hook-secret-1",
                pem: "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n",
                html_url: "http://ghe.example/github-apps/incident-keeper",
              }
            : { message: "Not Found" },
        ),
      );
    });
    servers.push(ghe);
    const gheUrl = await new Promise<string>((resolve) =>
      ghe.listen(0, "127.0.0.1", () => resolve(`127.0.0.1:${(ghe.address() as { port: number }).port}`)),
    );
    const app = await startWithoutApp({ GHE_HOST: gheUrl, GHE_PROTOCOL: "http", NO_SMEE_SETUP: "true" });

    const { action, manifest } = await setupPage(app.url);
    expect(action).toBe(`http://${gheUrl}/settings/apps/new`);
    expect(manifest).toMatchObject({ hook_attributes: { url: `${app.url}/` } });

    // GitHub redirects the browser back with a code; Probot exchanges it for the app's credentials.
    const back = await fetch(`${app.url}/probot/setup?code=code-123`, { redirect: "manual" });
    expect(back.status).toBe(302);
    expect(back.headers.get("location")).toBe("http://ghe.example/github-apps/incident-keeper/installations/new");
    expect(conversions.map((request) => `${request.method} ${request.url}`)).toEqual([
      "POST /api/v3/app-manifests/code-123/conversions",
    ]);

    const env = readFileSync(join(app.cwd, ".env"), "utf8");
    expect(env).toContain("APP_ID=4242");
    expect(env).toContain("WEBHOOK_SECRET=hook-secret-1");
    expect(env).toContain('PRIVATE_KEY="-----BEGIN RSA PRIVATE KEY-----\\nMIIE\\n-----END RSA PRIVATE KEY-----\\n"');
    expect(env).toContain("GITHUB_CLIENT_ID=Iv1.abc");
  });
});
