/** Repository labels and the labels of an issue. */
import { NotFoundError } from "../errors.js";
import { labelJson } from "../issue-payloads.js";
import { json, noContent, paginate } from "../http-util.js";
import {
  addLabels,
  createLabel,
  deleteLabel,
  findLabel,
  removeLabel,
  setLabels,
  updateLabel,
} from "../label-mutations.js";
import type { SimIssue, SimLabel, SimRepo } from "../types.js";
import { bodyRecord, intParam, labelNames, optionalNullableString, optionalString } from "./body.js";
import type { RouteDefinition, RouteRequest, RouteServices } from "./types.js";

function labelOf(repo: SimRepo, request: RouteRequest): SimLabel {
  const label = findLabel(repo, request.params.name ?? "");
  if (!label) throw new NotFoundError();
  return label;
}

function issueOf(request: RouteRequest, services: RouteServices, access: "read" | "write"): SimIssue {
  const repo = services.repo(request, access);
  return services.state.requireIssue(repo, intParam(request.params, "issue_number"));
}

function issueLabels(services: RouteServices, issue: SimIssue): ReturnType<typeof labelJson>[] {
  return issue.labels.map((label) => labelJson(services.state, issue.repo, label));
}

/** Label routes. */
export const labelRoutes: RouteDefinition[] = [
  {
    operationId: "issues/list-labels-for-repo",
    auth: "installation",
    permission: ["issues", "read"],
    handle: (request, services) => {
      const repo = services.repo(request, "read");
      const page = paginate(
        [...repo.labels.values()].sort((a, b) => a.name.localeCompare(b.name)),
        request.query,
        request.publicUrl,
      );
      return json(
        200,
        page.items.map((label) => labelJson(services.state, repo, label)),
        page.headers,
      );
    },
  },
  {
    operationId: "issues/create-label",
    auth: "installation",
    permission: ["issues", "write"],
    handle: (request, services) => {
      const repo = services.repo(request, "write");
      const body = bodyRecord(request.body);
      const label = createLabel(services.appContext(), repo, {
        name: optionalString(body, "name") ?? "",
        color: optionalString(body, "color"),
        description: optionalNullableString(body, "description"),
      });
      return json(201, labelJson(services.state, repo, label));
    },
  },
  {
    operationId: "issues/get-label",
    auth: "installation",
    permission: ["issues", "read"],
    handle: (request, services) => {
      const repo = services.repo(request, "read");
      return json(200, labelJson(services.state, repo, labelOf(repo, request)));
    },
  },
  {
    operationId: "issues/update-label",
    auth: "installation",
    permission: ["issues", "write"],
    handle: (request, services) => {
      const repo = services.repo(request, "write");
      const body = bodyRecord(request.body);
      const label = updateLabel(repo, labelOf(repo, request), {
        new_name: optionalString(body, "new_name"),
        color: optionalString(body, "color"),
        description: optionalNullableString(body, "description"),
      });
      return json(200, labelJson(services.state, repo, label));
    },
  },
  {
    operationId: "issues/delete-label",
    auth: "installation",
    permission: ["issues", "write"],
    handle: (request, services) => {
      const repo = services.repo(request, "write");
      deleteLabel(repo, labelOf(repo, request));
      return noContent();
    },
  },
  {
    operationId: "issues/list-labels-on-issue",
    auth: "installation",
    permission: ["issues", "read"],
    handle: (request, services) => {
      const issue = issueOf(request, services, "read");
      const page = paginate(issueLabels(services, issue), request.query, request.publicUrl);
      return json(200, page.items, page.headers);
    },
  },
  {
    operationId: "issues/add-labels",
    auth: "installation",
    permission: ["issues", "write"],
    handle: (request, services) => {
      const issue = issueOf(request, services, "write");
      addLabels(services.appContext(), issue, labelNames(request.body));
      return json(200, issueLabels(services, issue));
    },
  },
  {
    operationId: "issues/set-labels",
    auth: "installation",
    permission: ["issues", "write"],
    handle: (request, services) => {
      const issue = issueOf(request, services, "write");
      setLabels(services.appContext(), issue, labelNames(request.body));
      return json(200, issueLabels(services, issue));
    },
  },
  {
    operationId: "issues/remove-all-labels",
    auth: "installation",
    permission: ["issues", "write"],
    handle: (request, services) => {
      const issue = issueOf(request, services, "write");
      setLabels(services.appContext(), issue, []);
      return noContent();
    },
  },
  {
    operationId: "issues/remove-label",
    auth: "installation",
    permission: ["issues", "write"],
    handle: (request, services) => {
      const issue = issueOf(request, services, "write");
      removeLabel(services.appContext(), issue, request.params.name ?? "");
      return json(200, issueLabels(services, issue));
    },
  },
];
