/**
 * The simulator's in-memory model of GitHub. Records hold live references to each other
 * (an issue's labels are the repository's label objects, as on GitHub where renaming a label
 * renames it everywhere); the JSON GitHub would send is produced from them by payloads.ts.
 */

/** A JSON value as GitHub sends it. */
export type Json = string | number | boolean | null | Json[] | JsonObject;
/** A JSON object. */
export interface JsonObject {
  [key: string]: Json;
}

/** Repository roles, weakest last. `none` means no access at all. */
export type RoleName = "admin" | "maintain" | "write" | "triage" | "read" | "none";

/** Kinds of GitHub accounts. */
export type AccountType = "User" | "Organization" | "Bot";

/** A GitHub account: person, organisation or bot. */
export interface SimUser {
  login: string;
  id: number;
  type: AccountType;
}

/** An installation of the app on one account. */
export interface SimInstallation {
  id: number;
  account: SimUser;
  createdAt: Date;
}

/** A repository label. */
export interface SimLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

/** A repository and everything stored in it. */
export interface SimRepo {
  id: number;
  owner: SimUser;
  name: string;
  fullName: string;
  private: boolean;
  defaultBranch: string;
  installationId: number | null;
  createdAt: Date;
  /** File path (no leading slash) -> text, on the default branch. */
  files: Map<string, string>;
  /** Lower-cased label name -> label. */
  labels: Map<string, SimLabel>;
  /** Issue and pull-request numbers share one sequence, as on GitHub. */
  issues: Map<number, SimIssue>;
  nextNumber: number;
  /** Issue number -> the issue it became when transferred to another repository (REST answers 301). */
  transferred: Map<number, SimIssue>;
  /** Lower-cased login -> role. */
  roles: Map<string, RoleName>;
}

/** Why an issue is closed (or was reopened). */
export type StateReason = "completed" | "not_planned" | "duplicate" | "reopened";

/** What makes an issue a pull request. */
export interface SimPullRequest {
  head: string;
  base: string;
  draft: boolean;
  merged: boolean;
  mergedAt: Date | null;
  mergedBy: SimUser | null;
  mergeCommitSha: string | null;
  headSha: string;
}

/** An issue or (when `pullRequest` is set) a pull request. */
export interface SimIssue {
  id: number;
  repo: SimRepo;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  stateReason: StateReason | null;
  labels: SimLabel[];
  assignees: SimUser[];
  user: SimUser;
  /** Created by the app (through an installation token). */
  viaApp: boolean;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  closedBy: SimUser | null;
  locked: boolean;
  activeLockReason: string | null;
  pullRequest: SimPullRequest | null;
  comments: SimComment[];
  timeline: SimTimelineEvent[];
}

/** A comment on an issue or pull request. */
export interface SimComment {
  id: number;
  issue: SimIssue;
  body: string;
  user: SimUser;
  viaApp: boolean;
  createdAt: Date;
  updatedAt: Date;
}

interface TimelineBase {
  id: number;
  actor: SimUser;
  viaApp: boolean;
  createdAt: Date;
}

/** One entry of an issue's timeline. */
export type SimTimelineEvent =
  | (TimelineBase & { kind: "labeled" | "unlabeled"; label: { name: string; color: string } })
  | (TimelineBase & { kind: "closed" | "reopened"; stateReason: StateReason | null; commitId: string | null })
  | (TimelineBase & { kind: "assigned" | "unassigned"; assignee: SimUser })
  | (TimelineBase & { kind: "locked" | "unlocked"; lockReason: string | null })
  | (TimelineBase & { kind: "renamed"; from: string; to: string })
  | (TimelineBase & { kind: "commented"; comment: SimComment })
  | (TimelineBase & { kind: "cross-referenced"; source: SimIssue });

/** A webhook waiting to be delivered; the payload is a snapshot taken when the change happened. */
export interface PendingWebhook {
  event: string;
  action: string | null;
  /** Deliveries with the same key go out in order (one key per repository). */
  orderKey: string;
  payload: JsonObject;
}
