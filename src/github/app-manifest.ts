/**
 * The GitHub App's permissions and webhook events: the one typed table that app.yml must match
 * (test/github/app-manifest.test.ts parses app.yml with the `yaml` package Probot's setup flow uses,
 * and derives the events from the handlers' own registrations).
 */

/** Access an installation grants for one permission. */
export type PermissionAccess = "read" | "write";

/** A permission the app asks for, and why. */
export interface PermissionNeed {
  access: PermissionAccess;
  why: string;
}

/** Exactly the permissions the code uses (GitHub's `default_permissions` keys). */
export const APP_PERMISSIONS = {
  issues: {
    access: "write",
    why: "read incidents and action items; labels, status comments, replies, ticks, reopen/close; file incidents from alerts; move security incidents to the private repository (GraphQL transferIssue, on both repositories)",
  },
  pull_requests: { access: "write", why: "status comments on pull requests that reference actions; read merged state" },
  contents: {
    access: "read",
    why: "read .github/incident-keeper.yml and the organisation .github defaults; a pull request's postmortem and config files",
  },
  checks: {
    access: "write",
    why: "check runs on pull requests: incident-keeper / write-up and incident-keeper / config",
  },
  metadata: {
    access: "read",
    why: "required by every app; collaborator permission checks for commands; the security repository's visibility (isPrivate)",
  },
} as const satisfies Record<string, PermissionNeed>;

/** Exactly the webhook events the handlers subscribe to (GitHub's `default_events`), and why. */
export const APP_EVENTS = {
  issues: "classify, keep the status comment current, enforce the write-up, tick action items",
  issue_comment: "slash commands",
  pull_request: "follow-up actions done by pull request; pull request status comments",
  check_suite: "a push to a branch or Re-run all checks: the write-up and config check runs",
  check_run: "Re-run of one of the app's check runs",
} as const satisfies Record<string, string>;

/** A webhook event the app subscribes to. */
export type AppEvent = keyof typeof APP_EVENTS;
