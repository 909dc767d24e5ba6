/** A pull request's status comment: a security incident shown outside its own repository says nothing of it (issue #14). */
import { describe, expect, test } from "@jest/globals";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { policiesOf } from "../../src/config/policies.js";
import { assessWriteup } from "../../src/core/writeup.js";
import { renderPrStatus, type PrStatusIncident } from "../../src/render/pr-status.js";
import { incidentIssue } from "../support/incident-fixtures.js";

const classification = { category: "core-bug", severity: 2, devops: 3 } as const;
const body = "## Actions\n- [ ] acme/api#12 enforce tenant isolation\n";
const incident = (security: boolean | undefined, owner: string, repo: string): PrStatusIncident => ({
  owner,
  repo,
  issue: incidentIssue({ number: 5, title: "Tenant tokens exposed", body }),
  actionKey: "acme/api#12",
  classification,
  writeup: assessWriteup({
    body,
    repo: { owner, repo },
    policy: policiesOf(DEFAULT_CONFIG).writeup,
    classification,
    remote: new Map(),
  }),
  ...(security === undefined ? {} : { security }),
});

describe("renderPrStatus", () => {
  test.each([
    { name: "a security incident, PR in the public repository", security: true, repo: "security", withheld: true },
    { name: "a security incident, PR in its own repository", security: true, repo: "api", withheld: false },
    { name: "an ordinary incident in another repository", security: false, repo: "web", withheld: false },
    { name: "no security flag (an older caller)", security: undefined, repo: "web", withheld: false },
  ])("$name", ({ security, repo, withheld }) => {
    const text = renderPrStatus([incident(security, "acme", repo)], { owner: "acme", repo: "api" });
    if (withheld) {
      expect(text).toContain("**🔒 Security incident (details withheld)**: this pull request is linked to it.");
      for (const leak of ["Tenant tokens", "tenant isolation", "Sev", "#5", "#12", "acme/security"])
        expect(text).not.toContain(leak);
    } else {
      expect(text).toContain("Tenant tokens exposed (Sev 2)");
      expect(text).toContain("#12");
      expect(text).not.toContain("withheld");
    }
  });
});
