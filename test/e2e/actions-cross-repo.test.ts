/**
 * Follow-up actions in another repository of the installation: an action issue in acme/web, listed
 * in incidents of acme/api as `acme/web#N` or by URL, ticks every incident that lists it when it
 * closes. The incidents are found from the action's timeline (cross-references), never by listing
 * or searching every issue.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { SCENARIO, startSimulatedApp, type SimulatedApp } from "../../simulator/src/app-process.js";
import type { RequestRecord } from "../../simulator/src/request-log.js";
import { atOnce, expectCallGroups, type CallStep } from "../support/call-groups.js";
import { expectNoViolations } from "../support/e2e.js";

const api = SCENARIO.repo;
const web = SCENARIO.otherRepo;
const STATUS = "<!-- incident-keeper:status -->";
const CLASSIFIED = ["incident", "category:core-bug", "sev:3", "devops:3"];

let e2e: SimulatedApp;
beforeAll(async () => {
  e2e = await startSimulatedApp({ env: { SWEEP_INTERVAL_MINUTES: "0" } });
}, 60_000);
afterAll(() => e2e?.stop());

const statusOf = (n: number): string => {
  const all = e2e.sim.comments(api, n).filter((c) => c.viaApp && c.body.startsWith(STATUS));
  expect(all).toHaveLength(1);
  return all[0]!.body;
};
const requestsSince = (since: number): RequestRecord[] =>
  e2e.sim.requests.filter((r) => r.at.getTime() >= since && !r.path.endsWith("/access_tokens"));
const lines = (records: RequestRecord[]): string[] => records.map((r) => `${r.method} ${r.path}`);

describe("an action issue in another repository", () => {
  it("ticks every incident that lists it, found through its timeline", async () => {
    const alice = e2e.sim.user("alice");
    const { data: limit } = await alice.openIssue(web, { title: "Rate-limit the login endpoint" });
    const { data: retry } = await alice.openIssue(web, { title: "Retry with jitter" });
    // Unrelated open issues: a scan of the repositories would have to read them.
    for (let i = 0; i < 3; i += 1) e2e.sim.seed.issue(api, { title: `Unrelated ${i}` });

    const bodyX = [
      "## Timeline",
      "- 08:00 credential stuffing starts",
      "## RCA",
      "The login endpoint has no rate limit.",
      "## Actions",
      `- [ ] acme/web#${limit.number} rate limit`,
      `- [ ] https://github.com/acme/web/issues/${retry.number}`,
    ].join("\n");
    const bodyY = [
      "### Timeline",
      "- 08:30 second wave",
      "### Root cause",
      "Same as the first incident.",
      "### Action items",
      `- [ ] https://github.com/acme/web/issues/${limit.number} (shared with the first incident)`,
    ].join("\n");
    const { data: x } = await alice.openIssue(api, { title: "Login outage", body: bodyX, labels: CLASSIFIED });
    const { data: y } = await alice.openIssue(api, { title: "Login outage, again", body: bodyY, labels: CLASSIFIED });
    await e2e.sim.settle();
    expect(statusOf(x.number)).toContain(`- ⬜ acme/web#${limit.number}: Rate-limit the login endpoint — open`);
    expect(statusOf(x.number)).toContain(`- ⬜ acme/web#${retry.number}: Retry with jitter — open`);
    expect(statusOf(y.number)).toContain(`- ⬜ acme/web#${limit.number}: Rate-limit the login endpoint — open`);

    // Closing the shared action ticks both incidents, each body changing only in that checkbox.
    let since = Date.now();
    await alice.close(web, limit.number);
    await e2e.sim.settle();
    const tickedX = bodyX.replace(`- [ ] acme/web#${limit.number}`, `- [x] acme/web#${limit.number}`);
    const tickedY = bodyY.replace(
      `- [ ] https://github.com/acme/web/issues/${limit.number}`,
      `- [x] https://github.com/acme/web/issues/${limit.number}`,
    );
    expect(e2e.sim.issue(api, x.number).body).toBe(tickedX);
    expect(e2e.sim.issue(api, y.number).body).toBe(tickedY);
    expect(statusOf(x.number)).toContain(`- ✅ acme/web#${limit.number}: Rate-limit the login endpoint — done`);
    expect(statusOf(x.number)).toContain("**Follow-up actions** (1 of 2 done)");
    expect(statusOf(y.number)).toContain("**Follow-up actions** (1 of 1 done)");
    let requests = requestsSince(since);
    // Found from the action's timeline: one read of it, no listing or search of issues.
    expect(
      lines(requests).filter((l) => l.startsWith(`GET /repos/acme/web/issues/${limit.number}/timeline`)),
    ).toHaveLength(1);
    expect(
      requests.filter(
        (r) => r.method === "GET" && (/^\/repos\/[^/]+\/[^/]+\/issues$/.test(r.path) || r.path.startsWith("/search/")),
      ),
    ).toEqual([]);
    // Per incident (config reads aside): the app's comments (is this state already recorded?), the
    // fresh body and the action (in flight together since issue #12: their arrival order is the
    // network's, so that pair is compared as a set), the tick, the status edit.
    const perIncident = (n: number, extra: string[] = []): CallStep[] => [
      `GET /repos/acme/api/issues/${n}/comments`,
      atOnce(`GET /repos/acme/api/issues/${n}`, `GET /repos/acme/web/issues/${limit.number}`),
      `PATCH /repos/acme/api/issues/${n}`,
      ...extra,
      "PATCH /repos/acme/api/issues/comments/ID",
    ];
    expectCallGroups(
      lines(requests.filter((r) => !r.path.includes("/contents/"))).map((l) =>
        l.replace(/\/comments\/\d+$/, "/comments/ID"),
      ),
      [
        `GET /repos/acme/web/issues/${limit.number}/timeline`,
        ...perIncident(x.number),
        ...perIncident(y.number, [`POST /repos/acme/api/issues/${y.number}/comments`]), // Y is complete now
      ],
    );
    expect(
      e2e.sim.comments(api, y.number).filter((c) => c.body.includes("<!-- incident-keeper:complete -->")),
    ).toHaveLength(1);

    // The other action, listed by URL in X only: X ticked, Y untouched.
    since = Date.now();
    await alice.close(web, retry.number);
    await e2e.sim.settle();
    expect(e2e.sim.issue(api, x.number).body).toBe(
      tickedX.replace(
        `- [ ] https://github.com/acme/web/issues/${retry.number}`,
        `- [x] https://github.com/acme/web/issues/${retry.number}`,
      ),
    );
    expect(e2e.sim.issue(api, y.number).body).toBe(tickedY);
    expect(statusOf(x.number)).toContain("**Follow-up actions** (2 of 2 done)");
    requests = requestsSince(since);
    expect(lines(requests).filter((l) => l.includes(`/issues/${y.number}`))).toEqual([]);
    expect(
      requests.filter(
        (r) => r.method === "GET" && (/^\/repos\/[^/]+\/[^/]+\/issues$/.test(r.path) || r.path.startsWith("/search/")),
      ),
    ).toEqual([]);

    // Reopening the shared action unticks it in both.
    await alice.reopen(web, limit.number);
    await e2e.sim.settle();
    expect(e2e.sim.issue(api, y.number).body).toBe(bodyY);
    expect(e2e.sim.issue(api, x.number).body).toBe(
      bodyX.replace(
        `- [ ] https://github.com/acme/web/issues/${retry.number}`,
        `- [x] https://github.com/acme/web/issues/${retry.number}`,
      ),
    );
    expect(statusOf(y.number)).toContain(`- ⬜ acme/web#${limit.number}: Rate-limit the login endpoint — open`);
    expectNoViolations(e2e.sim);
  }, 90_000);
});
