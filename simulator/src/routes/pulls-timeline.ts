/** Pull requests (read, merge) and issue timelines. */
import { HttpError, NotFoundError } from "../errors.js";
import { pullRequestJson, timelineEventJson } from "../issue-payloads.js";
import { json, paginate } from "../http-util.js";
import { mergePullRequest } from "../issue-mutations.js";
import type { SimIssue } from "../types.js";
import { bodyRecord, intParam, optionalString } from "./body.js";
import type { RouteDefinition, RouteRequest, RouteServices } from "./types.js";

function pullOf(request: RouteRequest, services: RouteServices, access: "read" | "write"): SimIssue {
  const repo = services.repo(request, access);
  const issue = repo.issues.get(intParam(request.params, "pull_number"));
  if (!issue?.pullRequest) throw new NotFoundError();
  return issue;
}

/** Pull-request and timeline routes. */
export const pullAndTimelineRoutes: RouteDefinition[] = [
  {
    operationId: "issues/list-events-for-timeline",
    auth: "installation",
    permission: ["issues", "read"],
    handle: (request, services) => {
      const repo = services.repo(request, "read");
      const issue = services.state.requireIssue(repo, intParam(request.params, "issue_number"));
      const page = paginate(issue.timeline, request.query, request.publicUrl);
      return json(
        200,
        page.items.map((event) => timelineEventJson(services.state, issue, event)),
        page.headers,
      );
    },
  },
  {
    operationId: "pulls/get",
    auth: "installation",
    permission: ["pull_requests", "read"],
    handle: (request, services) => json(200, pullRequestJson(services.state, pullOf(request, services, "read"))),
  },
  {
    operationId: "pulls/merge",
    auth: "installation",
    permission: ["contents", "write"],
    handle: (request, services) => {
      const pull = pullOf(request, services, "write");
      const sha = optionalString(bodyRecord(request.body), "sha");
      if (sha && sha !== pull.pullRequest?.headSha)
        throw new HttpError(409, "Head branch was modified. Review and try the merge again.");
      const mergeSha = mergePullRequest(services.appContext(), pull);
      return json(200, { sha: mergeSha, merged: true, message: "Pull Request successfully merged" });
    },
  },
];
