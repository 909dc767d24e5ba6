/**
 * The pull-request check runs, on real `check_suite` / `check_run` / `pull_request` payload shapes:
 * which requests each case makes (strict nock: an extra one fails, a missing one stays pending) and
 * the check-run bodies sent.
 */
import { beforeEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import type { Probot } from "probot";
import { githubMock, noConfig, repoConfig } from "../support/github-mock.js";
import { APP_ID, BOT_LOGIN, example, INSTALLATION_ID } from "../support/payloads.js";
import { testProbot } from "../support/probot.js";
import { useStrictNock } from "../support/strict-nock.js";

let probot: Probot;
const { requests, logged } = useStrictNock();
beforeEach(async () => {
  ({ probot } = await testProbot());
});
const api = (): nock.Scope => logged(githubMock());
const SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";

function inRepo(payload: ReturnType<typeof example>, sender: string): ReturnType<typeof example> {
  payload.installation = { id: INSTALLATION_ID, node_id: "I_1" };
  payload.repository.owner.login = "acme";
  payload.repository.name = "api";
  payload.repository.full_name = "acme/api";
  payload.repository.default_branch = "main";
  payload.sender = { login: sender, id: 99, type: sender === BOT_LOGIN ? "Bot" : "User" };
  return payload;
}

/** A `check_suite.requested` for a push to `branch`, naming pull request #40 unless `pulls` is empty. */
function suiteEvent(
  args: { branch?: string; pulls?: number[]; sender?: string; action?: "requested" | "rerequested" } = {},
): { name: string; payload: object } {
  const payload = inRepo(example("check_suite", args.action ?? "requested"), args.sender ?? "bob");
  Object.assign(payload.check_suite, {
    head_branch: args.branch ?? "postmortem",
    head_sha: SHA,
    pull_requests: (args.pulls ?? [40]).map((number) => ({
      number,
      id: number,
      url: "",
      head: { ref: "postmortem", sha: SHA },
      base: { ref: "main", sha: "0" },
    })),
  });
  return { name: "check_suite", payload };
}

const deliver = ({ name, payload }: { name: string; payload: object }): Promise<void> =>
  probot.receive({ id: `delivery-${Math.random()}`, name, payload } as Parameters<Probot["receive"]>[0]);

const file = (text: string): object => ({
  type: "file",
  encoding: "base64",
  content: Buffer.from(text).toString("base64"),
  path: "x",
  name: "x",
  sha: "1",
  size: text.length,
});
const POSTMORTEM = "# PM\n\n## Timeline\n\n- 10:00 x\n\n## Root cause\n\nTBD\n\n## Action items\n\n- [ ] acme/api#9\n";

describe("incident-keeper / write-up", () => {
  it("a repeated delivery updates the run it made on that commit, with the file's annotations", async () => {
    let sent: Record<string, unknown> = {};
    noConfig(
      api()
        .get("/repos/acme/api/pulls/40/files")
        .query({ per_page: "100" })
        .reply(200, [
          { filename: "postmortems/2026-11-30.md", status: "added" },
          { filename: "src/a.ts", status: "modified" },
        ]),
    )
      .get("/repos/acme/api/contents/postmortems%2F2026-11-30.md")
      .query({ ref: SHA })
      .reply(200, file(POSTMORTEM))
      .get(`/repos/acme/api/commits/${SHA}/check-runs`)
      .query({ app_id: String(APP_ID), filter: "latest", per_page: "100" })
      .reply(200, { total_count: 1, check_runs: [{ id: 77, name: "incident-keeper / write-up", app: { id: APP_ID } }] })
      .patch("/repos/acme/api/check-runs/77", (body: Record<string, unknown>) => {
        sent = body;
        return true;
      })
      .reply(200, { id: 77 });
    await deliver(suiteEvent());
    expect(requests.length).toBe(6);
    expect(sent).toMatchObject({
      status: "completed",
      conclusion: "failure",
      output: { title: "1 of 1 postmortem not complete" },
    });
    const output = sent.output as { annotations: object[]; summary: string };
    expect(output.annotations).toEqual([
      {
        path: "postmortems/2026-11-30.md",
        start_line: 7,
        end_line: 7,
        annotation_level: "failure",
        title: "RCA placeholder",
        message: 'The RCA section "Root cause" holds only a placeholder or a template prompt.',
      },
    ]);
    expect(output.summary).toContain("| `postmortems/2026-11-30.md` | ✓ | ✗ placeholder | ✓ | acme/api#9 |");
  });

  it("a push before any pull request: the branch's changes against the default branch; the repository's paths and headings", async () => {
    let sent: Record<string, unknown> = {};
    repoConfig(
      api()
        .get(`/repos/acme/api/compare/main...${SHA}`)
        .reply(200, { files: [{ filename: "ops/incidents/a.md", status: "modified" }] }),
      "writeup:\n  paths: [ops/incidents/**]\n  extra_sections:\n    rca: [Why]\n",
    )
      .get("/repos/acme/api/contents/ops%2Fincidents%2Fa.md")
      .query({ ref: SHA })
      .reply(200, file("## Timeline\n\nx\n\n## Why\n\ny\n\n## Actions\n\n- [ ] #3\n"))
      .get(`/repos/acme/api/commits/${SHA}/check-runs`)
      .query(true)
      .reply(200, { total_count: 0, check_runs: [] })
      .post("/repos/acme/api/check-runs", (body: Record<string, unknown>) => {
        sent = body;
        return true;
      })
      .reply(201, { id: 78 });
    await deliver(suiteEvent({ pulls: [] }));
    expect(sent).toMatchObject({
      name: "incident-keeper / write-up",
      head_sha: SHA,
      conclusion: "success",
      output: { annotations: [] },
    });
  });

  const quiet: [string, { name: string; payload: object }, (scope: nock.Scope) => void, number][] = [
    ["a push to the default branch: no request", suiteEvent({ branch: "main", pulls: [] }), () => undefined, 0],
    ["the app's own push: no request", suiteEvent({ sender: BOT_LOGIN }), () => undefined, 0],
    [
      "another app's check run re-run: no request",
      {
        name: "check_run",
        payload: Object.assign(inRepo(example("check_run", "rerequested"), "bob"), { action: "rerequested" }),
      },
      () => undefined,
      0,
    ],
    [
      "code files only: the file list, nothing else",
      suiteEvent({ action: "rerequested" }),
      (scope) =>
        void scope
          .get("/repos/acme/api/pulls/40/files")
          .query({ per_page: "100" })
          .reply(200, [{ filename: "src/a.ts", status: "modified" }]),
      1,
    ],
    [
      "a removed postmortem: no check",
      suiteEvent(),
      (scope) =>
        void scope
          .get("/repos/acme/api/pulls/40/files")
          .query({ per_page: "100" })
          .reply(200, [{ filename: "postmortems/old.md", status: "removed" }]),
      1,
    ],
    [
      "Markdown outside the paths: the file list and the config, no check",
      suiteEvent(),
      (scope) =>
        void noConfig(
          scope
            .get("/repos/acme/api/pulls/40/files")
            .query({ per_page: "100" })
            .reply(200, [{ filename: "README.md", status: "modified" }]),
        ),
      3,
    ],
  ];
  it.each(quiet)("%s", async (_, payload, mock, count) => {
    mock(api());
    await deliver(payload);
    expect(requests.length).toBe(count);
  });
});

describe("incident-keeper / config", () => {
  it("names the invalid key on its line", async () => {
    let sent: Record<string, unknown> = {};
    noConfig(
      api()
        .get("/repos/acme/api/pulls/40/files")
        .query({ per_page: "100" })
        .reply(200, [{ filename: ".github/incident-keeper.yml", status: "modified" }]),
    )
      .get("/repos/acme/api/contents/.github%2Fincident-keeper.yml")
      .query({ ref: SHA })
      .reply(200, file("reminders:\n  enabled: true\n  approaching_percents: [50, 150]\n"))
      .get(`/repos/acme/api/commits/${SHA}/check-runs`)
      .query(true)
      .reply(200, { total_count: 0, check_runs: [] })
      .post("/repos/acme/api/check-runs", (body: Record<string, unknown>) => {
        sent = body;
        return true;
      })
      .reply(201, { id: 79 });
    await deliver(suiteEvent());
    expect(sent).toMatchObject({
      name: "incident-keeper / config",
      conclusion: "failure",
      output: { title: "1 problem in .github/incident-keeper.yml" },
    });
    expect((sent.output as { annotations: object[] }).annotations).toEqual([
      expect.objectContaining({
        path: ".github/incident-keeper.yml",
        start_line: 3,
        title: "reminders.approaching_percents.1",
      }),
    ]);
  });
});
