/** The security team's one mention (issue #14): moved in, or filed / labelled in the private repository. */
import { describe, expect, test } from "@jest/globals";
import { renderMessage } from "../../src/render/messages.js";
import { SECURITY_TEAM_MARKER } from "../../src/core/security.js";
import { policiesOf } from "../../src/config/policies.js";
import { configSchema } from "../../src/config/schema.js";

const policies = policiesOf(
  configSchema.parse({ security: { repository: "acme/security" }, teams: { security: "@acme/security-team" } }),
);
const ctx = { policies, repo: { owner: "acme", repo: "security" }, now: new Date("2026-11-23T08:00:00Z") };
const SLA =
  "Its SLA: acknowledge (classify) within **1 hour**, resolve within **24 hours** of the resolution clock's start.";

describe("the security-team mention", () => {
  test.each([
    ["moved in", "acme/api#7", "a security incident was moved here from acme/api#7, out of public view."],
    ["filed or labelled there", null, "this is a security incident, kept here out of public view."],
  ])("%s", (_name, from, sentence) => {
    const text = renderMessage(
      { kind: "security-team", marker: SECURITY_TEAM_MARKER, mentions: ["@acme/security-team", "@octocat"], from },
      ctx,
    );
    expect(text).toBe(`${SECURITY_TEAM_MARKER}\n🔒 @acme/security-team @octocat: ${sentence} ${SLA}`);
  });
});
