/** Issues: list, create, read, update, lock, assignees. */
import { HttpError } from "../errors.js";
import { issueJson } from "../issue-payloads.js";
import { json, noContent, paginate } from "../http-util.js";
import {
  addAssignees,
  editIssue,
  openIssue,
  removeAssignees,
  setAssignees,
  setIssueState,
  setLocked,
} from "../issue-mutations.js";
import { setLabels } from "../label-mutations.js";
import type { SimIssue, StateReason } from "../types.js";
import { bodyRecord, intParam, nameList, optionalNullableString, optionalString } from "./body.js";
import type { RouteDefinition, RouteRequest, RouteServices } from "./types.js";

function issueOf(request: RouteRequest, services: RouteServices, access: "read" | "write"): SimIssue {
  const repo = services.repo(request, access);
  return services.state.requireIssue(repo, intParam(request.params, "issue_number"));
}

function filterIssues(issues: SimIssue[], query: URLSearchParams): SimIssue[] {
  const state = query.get("state") ?? "open";
  const labels = (query.get("labels") ?? "")
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const since = query.get("since") ? Date.parse(query.get("since") ?? "") : null;
  const assignee = query.get("assignee")?.toLowerCase();
  const creator = query.get("creator")?.toLowerCase();
  const mentioned = query.get("mentioned")?.toLowerCase();
  const milestone = query.get("milestone");
  return issues.filter((issue) => {
    if (state !== "all" && issue.state !== state) return false;
    if (!labels.every((name) => issue.labels.some((label) => label.name.toLowerCase() === name))) return false;
    if (since !== null && issue.updatedAt.getTime() < since) return false;
    if (assignee === "none" && issue.assignees.length > 0) return false;
    if (assignee === "*" && issue.assignees.length === 0) return false;
    if (
      assignee &&
      assignee !== "none" &&
      assignee !== "*" &&
      !issue.assignees.some((user) => user.login.toLowerCase() === assignee)
    )
      return false;
    if (creator && issue.user.login.toLowerCase() !== creator) return false;
    if (mentioned && !(issue.body ?? "").toLowerCase().includes(`@${mentioned}`)) return false;
    if (milestone && milestone !== "none") return false; // the simulator has no milestones
    return true;
  });
}

function sortIssues(issues: SimIssue[], query: URLSearchParams): SimIssue[] {
  const sort = query.get("sort") ?? "created";
  const direction = query.get("direction") === "asc" ? 1 : -1;
  const key = (issue: SimIssue): number =>
    sort === "updated"
      ? issue.updatedAt.getTime()
      : sort === "comments"
        ? issue.comments.length
        : issue.createdAt.getTime();
  return [...issues].sort((a, b) => direction * (key(a) - key(b) || a.number - b.number));
}

/** Issue routes. */
export const issueRoutes: RouteDefinition[] = [
  {
    operationId: "issues/list-for-repo",
    auth: "installation",
    permission: ["issues", "read"],
    handle: (request, services) => {
      const repo = services.repo(request, "read");
      const issues = sortIssues(filterIssues([...repo.issues.values()], request.query), request.query);
      const page = paginate(issues, request.query, request.publicUrl);
      return json(
        200,
        page.items.map((issue) => issueJson(services.state, issue)),
        page.headers,
      );
    },
  },
  {
    operationId: "issues/create",
    auth: "installation",
    permission: ["issues", "write"],
    handle: (request, services) => {
      const repo = services.repo(request, "write");
      const body = bodyRecord(request.body);
      const title = optionalString(body, "title");
      if (!title)
        throw new HttpError(422, "Validation Failed", {
          extra: { errors: [{ resource: "Issue", code: "missing_field", field: "title" }] },
        });
      const assignee = optionalNullableString(body, "assignee");
      const issue = openIssue(services.appContext(), repo, {
        title,
        body: optionalNullableString(body, "body") ?? null,
        labels: nameList(body.labels) ?? [],
        assignees: [...(nameList(body.assignees, "login") ?? []), ...(assignee ? [assignee] : [])],
      });
      return json(201, issueJson(services.state, issue, { withClosedBy: true }), {
        location: `${services.state.urls.api}/repos/${repo.fullName}/issues/${issue.number}`,
      });
    },
  },
  {
    operationId: "issues/get",
    auth: "installation",
    permission: ["issues", "read"],
    handle: (request, services) =>
      json(200, issueJson(services.state, issueOf(request, services, "read"), { withClosedBy: true })),
  },
  {
    operationId: "issues/update",
    auth: "installation",
    permission: ["issues", "write"],
    handle: (request, services) => {
      const issue = issueOf(request, services, "write");
      const body = bodyRecord(request.body);
      const ctx = services.appContext();
      editIssue(ctx, issue, { title: optionalString(body, "title"), body: optionalNullableString(body, "body") });
      const labels = nameList(body.labels);
      if (labels) setLabels(ctx, issue, labels);
      const assignees = nameList(body.assignees, "login");
      if (assignees) setAssignees(ctx, issue, assignees);
      if ("assignee" in body && !assignees) {
        const assignee = optionalNullableString(body, "assignee");
        setAssignees(ctx, issue, assignee ? [assignee] : []);
      }
      const state = optionalString(body, "state");
      if (state === "open" || state === "closed") {
        const reason = (optionalNullableString(body, "state_reason") ?? null) as StateReason | null;
        setIssueState(ctx, issue, { state, reason: state === "closed" ? reason : null });
      }
      return json(200, issueJson(services.state, issue, { withClosedBy: true }));
    },
  },
  {
    operationId: "issues/lock",
    auth: "installation",
    permission: ["issues", "write"],
    handle: (request, services) => {
      const issue = issueOf(request, services, "write");
      setLocked(services.appContext(), issue, true, optionalString(bodyRecord(request.body), "lock_reason") ?? null);
      return noContent();
    },
  },
  {
    operationId: "issues/unlock",
    auth: "installation",
    permission: ["issues", "write"],
    handle: (request, services) => {
      setLocked(services.appContext(), issueOf(request, services, "write"), false);
      return noContent();
    },
  },
  {
    operationId: "issues/add-assignees",
    auth: "installation",
    permission: ["issues", "write"],
    handle: (request, services) => {
      const issue = issueOf(request, services, "write");
      addAssignees(services.appContext(), issue, nameList(bodyRecord(request.body).assignees, "login") ?? []);
      return json(201, issueJson(services.state, issue));
    },
  },
  {
    operationId: "issues/remove-assignees",
    auth: "installation",
    permission: ["issues", "write"],
    handle: (request, services) => {
      const issue = issueOf(request, services, "write");
      removeAssignees(services.appContext(), issue, nameList(bodyRecord(request.body).assignees, "login") ?? []);
      return json(200, issueJson(services.state, issue));
    },
  },
];
