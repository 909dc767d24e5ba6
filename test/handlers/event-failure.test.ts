import { describe, expect, it } from "@jest/globals";
import { failedEvent } from "../../src/handlers/event-failure.js";
import { INSTALLATION_ID, issuesEvent } from "../support/payloads.js";

/** Shaped like Octokit's RequestError: a status, and the request with its headers (the token). */
const requestError = (status: number): Error =>
  Object.assign(new Error(`HTTP ${status}`), {
    status,
    request: {
      method: "GET",
      url: "https://api.github.com/repos/acme/api/issues/7/comments",
      headers: { authorization: "token ghs_secret" },
    },
  });

describe("what a failed delivery logs", () => {
  it("names the delivery, the event, the repository and the incident, with GitHub's statuses", () => {
    const error = Object.assign(new AggregateError([requestError(502), new Error("socket hang up")]), {
      event: { id: "d-42", name: "issues", payload: issuesEvent("labeled", { number: 7, label: "sev:1" }) },
    });
    expect(failedEvent(error)).toEqual({
      delivery: "d-42",
      event: "issues.labeled",
      repository: "acme/api",
      number: 7,
      installationId: INSTALLATION_ID,
      statuses: [502, null],
      messages: ["HTTP 502", "socket hang up"],
    });
  });

  it("never carries the payload or request headers (tokens)", () => {
    const error = Object.assign(new AggregateError([requestError(500)]), {
      event: { id: "d-1", name: "issues", payload: issuesEvent("opened", { body: "secret body" }) },
    });
    const logged = JSON.stringify(failedEvent(error));
    expect(logged).not.toContain("ghs_secret");
    expect(logged).not.toContain("secret body");
  });

  it("copes with an error that has no event, and with a non-Error", () => {
    expect(failedEvent("boom")).toEqual({
      delivery: null,
      event: null,
      repository: null,
      number: null,
      installationId: null,
      statuses: [null],
      messages: ["boom"],
    });
  });
});
