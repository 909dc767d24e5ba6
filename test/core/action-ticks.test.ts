/**
 * Ticking follow-up actions with the configured section names (issue #10 item 7), and the words an
 * action gets in the reopen comment (item 12).
 */
import { describe, expect, test } from "@jest/globals";
import { actionDisplayText, tickActions, type ActionView, type RemoteState } from "../../src/core/writeup.js";
import { configSchema, DEFAULT_CONFIG } from "../../src/config/schema.js";
import { policiesOf } from "../../src/config/policies.js";

const REPO = { owner: "acme", repo: "api" };
const closed: RemoteState = {
  found: true,
  kind: "issue",
  state: "closed",
  stateReason: "completed",
  title: "Harden the pool",
};
const open: RemoteState = { found: true, kind: "issue", state: "open", stateReason: null, title: "Harden the pool" };
const merged: RemoteState = { found: true, kind: "pull", state: "closed", merged: true, title: "Fix" };

describe("tickActions: the configured Actions section names decide which boxes tick", () => {
  const remediation = configSchema.parse({ writeup: { sections: { actions: ["Remediation"] } } });
  const cases = [
    {
      name: "custom section name: ticked",
      config: remediation,
      body: "## Remediation\n\n- [ ] #101 harden\n",
      remote: { "acme/api#101": closed },
      want: "## Remediation\n\n- [x] #101 harden\n",
      changed: 1,
    },
    {
      name: "custom name: a default Actions heading is not an actions section",
      config: remediation,
      body: "## Actions\n\n- [ ] #101 harden\n",
      remote: { "acme/api#101": closed },
      want: "## Actions\n\n- [ ] #101 harden\n",
      changed: 0,
    },
    {
      name: "default names",
      config: DEFAULT_CONFIG,
      body: "## Action items\n\n- [ ] acme/web#7 fix\n",
      remote: { "acme/web#7": merged },
      want: "## Action items\n\n- [x] acme/web#7 fix\n",
      changed: 1,
    },
    {
      name: "reopened action unticks",
      config: remediation,
      body: "## Remediation\n\n- [x] #101 harden\n",
      remote: { "acme/api#101": open },
      want: "## Remediation\n\n- [ ] #101 harden\n",
      changed: 1,
    },
    {
      name: "unknown state leaves the box",
      config: remediation,
      body: "## Remediation\n\n- [ ] #101 harden\n",
      remote: { "acme/api#101": { found: false } as RemoteState },
      want: "## Remediation\n\n- [ ] #101 harden\n",
      changed: 0,
    },
  ];
  test.each(cases)("$name", ({ config, body, remote, want, changed }) => {
    expect(
      tickActions({ body, remote: new Map(Object.entries(remote)), repo: REPO, policy: policiesOf(config).writeup }),
    ).toEqual({
      body: want,
      changed,
    });
  });
});

describe("actionDisplayText: the reference is said once", () => {
  const view = (text: string, title: string | null, key: string | null = "acme/api#101"): ActionView => ({
    key,
    text,
    title,
    state: "unknown",
    done: false,
    checkbox: "unchecked",
    reviews: [],
  });
  const cases = [
    { name: "title known", action: view("#101 harden the pool", "Harden the pool"), want: "Harden the pool" },
    {
      name: "title unknown: the leading #N is dropped",
      action: view("#101 harden the pool", null),
      want: "harden the pool",
    },
    {
      name: "title unknown: owner/repo#N and a separator",
      action: view("acme/web#7: rotate keys", null, "acme/web#7"),
      want: "rotate keys",
    },
    {
      name: "title unknown: a URL",
      action: view("https://github.com/acme/web/issues/7 - rotate keys", null, "acme/web#7"),
      want: "rotate keys",
    },
    {
      name: "title unknown: reference mid-text stays",
      action: view("harden the pool (#101)", null),
      want: "harden the pool (#101)",
    },
    { name: "title unknown, nothing but the reference", action: view("#101", null), want: "" },
    { name: "plain task", action: view("write the runbook", null, null), want: "write the runbook" },
  ];
  test.each(cases)("$name", ({ action, want }) => {
    expect(actionDisplayText(action)).toBe(want);
  });
});
