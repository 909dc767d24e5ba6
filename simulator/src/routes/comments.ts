/** Issue comments. */
import { createComment, deleteComment, editComment } from "../comment-mutations.js";
import { NotFoundError } from "../errors.js";
import { commentJson } from "../issue-payloads.js";
import { json, noContent, paginate } from "../http-util.js";
import type { SimComment } from "../types.js";
import { bodyRecord, intParam, optionalString } from "./body.js";
import type { RouteDefinition, RouteRequest, RouteServices } from "./types.js";

function commentOf(request: RouteRequest, services: RouteServices, access: "read" | "write"): SimComment {
  const repo = services.repo(request, access);
  const comment = services.state.commentsById.get(intParam(request.params, "comment_id"));
  if (!comment || comment.issue.repo !== repo) throw new NotFoundError();
  return comment;
}

function since(query: URLSearchParams): number | null {
  const value = query.get("since");
  return value ? Date.parse(value) : null;
}

/** Comment routes. */
export const commentRoutes: RouteDefinition[] = [
  {
    operationId: "issues/list-comments",
    auth: "installation",
    permission: ["issues", "read"],
    handle: (request, services) => {
      const repo = services.repo(request, "read");
      const issue = services.state.requireIssue(repo, intParam(request.params, "issue_number"));
      const after = since(request.query);
      const comments = issue.comments.filter((comment) => after === null || comment.updatedAt.getTime() >= after);
      const page = paginate(comments, request.query, request.publicUrl);
      return json(
        200,
        page.items.map((comment) => commentJson(services.state, comment)),
        page.headers,
      );
    },
  },
  {
    operationId: "issues/create-comment",
    auth: "installation",
    permission: ["issues", "write"],
    handle: (request, services) => {
      const repo = services.repo(request, "write");
      const issue = services.state.requireIssue(repo, intParam(request.params, "issue_number"));
      const comment = createComment(
        services.appContext(),
        issue,
        optionalString(bodyRecord(request.body), "body") ?? "",
      );
      return json(201, commentJson(services.state, comment), {
        location: `${services.state.urls.api}/repos/${repo.fullName}/issues/comments/${comment.id}`,
      });
    },
  },
  {
    operationId: "issues/list-comments-for-repo",
    auth: "installation",
    permission: ["issues", "read"],
    handle: (request, services) => {
      const repo = services.repo(request, "read");
      const after = since(request.query);
      const byUpdated = request.query.get("sort") === "updated";
      const direction = request.query.get("direction") === "desc" ? -1 : 1;
      const comments = [...repo.issues.values()]
        .flatMap((issue) => issue.comments)
        .filter((comment) => after === null || comment.updatedAt.getTime() >= after)
        .sort(
          (a, b) =>
            direction *
            ((byUpdated
              ? a.updatedAt.getTime() - b.updatedAt.getTime()
              : a.createdAt.getTime() - b.createdAt.getTime()) || a.id - b.id),
        );
      const page = paginate(comments, request.query, request.publicUrl);
      return json(
        200,
        page.items.map((comment) => commentJson(services.state, comment)),
        page.headers,
      );
    },
  },
  {
    operationId: "issues/get-comment",
    auth: "installation",
    permission: ["issues", "read"],
    handle: (request, services) => json(200, commentJson(services.state, commentOf(request, services, "read"))),
  },
  {
    operationId: "issues/update-comment",
    auth: "installation",
    permission: ["issues", "write"],
    handle: (request, services) => {
      const comment = commentOf(request, services, "write");
      editComment(services.appContext(), comment, optionalString(bodyRecord(request.body), "body") ?? comment.body);
      return json(200, commentJson(services.state, comment));
    },
  },
  {
    operationId: "issues/delete-comment",
    auth: "installation",
    permission: ["issues", "write"],
    handle: (request, services) => {
      deleteComment(services.appContext(), commentOf(request, services, "write"));
      return noContent();
    },
  },
];
