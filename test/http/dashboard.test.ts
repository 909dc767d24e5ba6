/** The dashboard route in-process: off without a token, access rules, cookie attributes, headers. */
import { afterEach, describe, expect, it } from "@jest/globals";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fixedClock } from "../../src/clock.js";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { DashboardCache } from "../../src/dashboard/cache.js";
import { dashboardHandler } from "../../src/http/dashboard.js";
import { policiesOf } from "../../src/config/policies.js";

const NOW = "2026-03-02T12:00:00Z";
let server: Server | null = null;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(token: string | undefined): Promise<{ url: string; cache: DashboardCache }> {
  const cache = new DashboardCache();
  cache.enable();
  cache.record({
    installationId: 1,
    repository: "acme/api",
    issue: {
      number: 7,
      title: "Checkout down",
      body: "",
      state: "open",
      stateReason: null,
      labels: ["incident", "sev:1"],
      assignees: [],
      author: "a",
      createdAt: new Date("2026-03-02T09:00:00Z"),
      closedAt: null,
      isPullRequest: false,
    },
    policies: policiesOf(DEFAULT_CONFIG),
    state: null,
    now: new Date(NOW),
  });
  const handler = dashboardHandler({ token, cache, clock: fixedClock(NOW), webBase: "https://github.example" });
  server = createServer((req, res) => {
    void Promise.resolve(handler(req, res)).then((handled) => {
      if (!handled) {
        res.writeHead(404);
        res.end("Not found");
      }
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/incident-keeper/dashboard`, cache };
}

describe("the dashboard route", () => {
  it("does not exist without DASHBOARD_TOKEN", async () => {
    const { url } = await serve(undefined);
    for (const path of ["", "/dashboard.js", "/dashboard.css"]) expect((await fetch(url + path)).status).toBe(404);
  });

  it("refuses without access: the sign-in form, no incident data, strict headers", async () => {
    const { url } = await serve("s3cret");
    const res = await fetch(url);
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('<input id="token" name="token" type="password"');
    expect(html).not.toContain("Checkout down");
    expect(res.headers.get("content-security-policy")).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("the form sets an HttpOnly SameSite cookie that is not the token, and the cookie opens the page", async () => {
    const { url } = await serve("s3cret");
    const wrong = await fetch(url, {
      method: "POST",
      body: new URLSearchParams({ token: "nope" }),
      redirect: "manual",
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    const res = await fetch(url, {
      method: "POST",
      body: new URLSearchParams({ token: "s3cret" }),
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/incident-keeper/dashboard");
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(
      /^ik_dashboard=[A-Za-z0-9_-]{43}; Path=\/incident-keeper\/dashboard; HttpOnly; SameSite=Strict; Max-Age=2592000$/,
    );
    expect(cookie).not.toContain("s3cret");
    const page = await fetch(url, { headers: { cookie: cookie.split(";")[0]! } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<a href="https://github.example/acme/api/issues/7">#7</a> Checkout down');
    expect(html).toContain(
      '<time datetime="2026-03-02T21:00:00.000Z" data-countdown>2026-03-02 21:00 UTC (in 9 hours)</time>',
    );
    expect(html).not.toMatch(/<script>|style=/); // no inline script or style: the CSP forbids them
  });

  it("a form body over 4 KiB is refused", async () => {
    const { url } = await serve("s3cret");
    const res = await fetch(url, {
      method: "POST",
      body: new URLSearchParams({ token: "x".repeat(5000) }),
      redirect: "manual",
    });
    expect(res.status).toBe(401);
  });

  it("an incident that closes leaves the view", async () => {
    const { url, cache } = await serve("s3cret");
    cache.retainOpen(1, [], new Date(NOW));
    const html = await (await fetch(url, { headers: { authorization: "Bearer s3cret" } })).text();
    expect(html).toContain("No open incidents.");
  });
});
