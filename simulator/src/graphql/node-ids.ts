/** GraphQL global ids: the REST `node_id`s (legacy format, base64 of "0<len>:<Type><id>"), decoded. */
import { nodeId } from "../ids.js";

/** A decoded node id. */
export interface DecodedNodeId {
  type: string;
  id: number;
}

/** Type and database id of a node id the simulator handed out, or null for anything else. */
export function decodeNodeId(value: string): DecodedNodeId | null {
  let text: string;
  try {
    text = Buffer.from(value, "base64").toString("utf8");
  } catch {
    return null;
  }
  const match = /^0(\d+):([A-Za-z]+)(\d+)$/.exec(text);
  if (!match || Number(match[1]) !== (match[2] ?? "").length + (match[3] ?? "").length) return null;
  if (nodeId(match[2] ?? "", Number(match[3])) !== value) return null;
  return { type: match[2] ?? "", id: Number(match[3]) };
}

/** GitHub's GraphQL type of each REST timeline event (its `node_id` names it). */
export const TIMELINE_EVENT_TYPES = {
  labeled: "LabeledEvent",
  unlabeled: "UnlabeledEvent",
  closed: "ClosedEvent",
  reopened: "ReopenedEvent",
  assigned: "AssignedEvent",
  unassigned: "UnassignedEvent",
  locked: "LockedEvent",
  unlocked: "UnlockedEvent",
  renamed: "RenamedTitleEvent",
  "cross-referenced": "CrossReferencedEvent",
  commented: "IssueComment",
} as const;

/** Pull requests have ids of their own beside their issue's (the pulls API's `id`). */
export const PULL_REQUEST_ID_OFFSET = 1_000_000_000;
