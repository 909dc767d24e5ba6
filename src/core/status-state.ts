/**
 * The hidden state the app keeps in its own status comment: real timestamps it observed, reminders
 * already sent, overrides. It is GitHub state (recomputed and rewritten on every event), never memory.
 * Encoded as base64 JSON inside an HTML comment so no user text can end the comment early.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { timelineSchema } from "./timeline.js";
import { alertGroupStateSchema } from "./alert-group.js";

export const STATUS_MARKER = "<!-- incident-keeper:status -->";
const STATE_PATTERN = /<!-- incident-keeper:state ([A-Za-z0-9+/=]{1,60000})(?: sig=([A-Za-z0-9_-]{1,100}))? -->/;

/**
 * The key the hidden state is signed with (issue #10 item 6): derived once at start-up from the app's
 * private key (src/runtime/state-key.ts); null (GitHub Actions mode, tests) = unsigned. Never logged.
 */
let stateKey: Buffer | null = null;

/** Sets (or clears) the signing key of the hidden state for this process. */
export function configureStateKey(key: Buffer | null): void {
  stateKey = key;
}

function signatureOf(payload: string, key: Buffer): string {
  return createHmac("sha256", key).update(`incident-keeper:state:${payload}`).digest("base64url").slice(0, 43);
}

const isoInstant = z.iso.datetime({ offset: true });

export const statusStateSchema = z.object({
  v: z.literal(1),
  /** When the issue became an incident (label, `/incident`, filed with the label); null = unknown (opening). */
  incidentAt: isoInstant.nullable().default(null),
  /** When the incident first became fully classified. */
  classifiedAt: isoInstant.nullable().default(null),
  /** When the incident was first resolved (closed or `/resolved`). */
  resolvedAt: isoInstant.nullable().default(null),
  /** Keys of reminders already posted (see core/reminders). */
  reminders: z.array(z.string().max(100)).max(500).default([]),
  /** Pauses of the SLA clocks (the paused label), as observed. */
  pauses: z
    .array(z.object({ start: isoInstant, end: isoInstant.nullable() }))
    .max(200)
    .default([]),
  /** A forced close: who, why, when. */
  forcedClose: z
    .object({ by: z.string().max(100), reason: z.string().max(500), at: isoInstant })
    .nullable()
    .default(null),
  /** Last known state of each action (`owner/name#N`), refreshed when the action changes. */
  actions: z
    .record(
      z.string().max(300),
      z.union([
        z.object({
          found: z.literal(true),
          kind: z.literal("issue"),
          state: z.enum(["open", "closed"]),
          stateReason: z.string().max(50).nullable(),
          title: z.string().max(300),
        }),
        z.object({
          found: z.literal(true),
          kind: z.literal("pull"),
          state: z.enum(["open", "closed"]),
          merged: z.boolean(),
          title: z.string().max(300),
        }),
        z.object({ found: z.literal(false) }),
      ]),
    )
    .default({}),
  /** Open pull requests referencing an action: action key -> PR keys. */
  reviews: z.record(z.string().max(300), z.array(z.string().max(300)).max(20)).default({}),
  /**
   * When the newest applied slash command set each dimension (the comment's creation time): a
   * command delivered late, after a newer one, does not override it.
   */
  commandsAt: z
    .object({ severity: isoInstant.optional(), devops: isoInstant.optional(), category: isoInstant.optional() })
    .default({}),
  /** The alert group this incident was filed for (own version inside; a damaged part reads as absent). */
  alert: alertGroupStateSchema.optional().catch(undefined),
  /**
   * Key moments of the incident's timeline (issue #14's `/timeline --start|--detected|--mitigated|--resolved`):
   * the instant of the newest entry carrying each tag. Written by the timeline; read by the metrics
   * (time to detect = detected - start, time to mitigate = mitigated - start). Absent = no data.
   */
  tags: z
    .object({
      start: isoInstant.optional(),
      detected: isoInstant.optional(),
      mitigated: isoInstant.optional(),
      resolved: isoInstant.optional(),
    })
    .optional(),
  /** The incident's timeline (issue #14): notes and events, bounded; absent = none yet. */
  timeline: timelineSchema.optional(),
  /**
   * The seal of the block `/timeline --write` last wrote into the body (issue #14): the block is the
   * app's only when its seal is this one and still matches its text (the body alone is not trusted).
   * Absent = none written since seals were kept here.
   */
  timelineSeal: z.string().max(32).optional(),
  /**
   * When a person closed the incident as "not planned" and the close was accepted without a write-up (issue #10
   * item 10).
   */
  notPlannedAt: isoInstant.optional(),
  /** Actions the app cannot see (GitHub answers 404) that a person declared done: who and when (issue #10 item 9). */
  manualTicks: z.record(z.string().max(300), z.object({ by: z.string().max(100), at: isoInstant })).optional(),
  /** When the incident label was removed: the app's own labels went and the status says "no longer an incident". */
  droppedAt: isoInstant.optional(),
  /**
   * The public write-up's draft pull request opened by `/postmortem` (issue #14): where it lives, so a
   * re-run updates the same branch, file and pull request, and the status comment links it.
   */
  postmortem: z
    .object({
      repository: z.string().max(200),
      number: z.number().int().positive(),
      url: z.string().max(500),
      branch: z.string().max(300),
      path: z.string().max(300),
    })
    .optional()
    .catch(undefined),
  /**
   * A security incident moved to the private `security.repository` (issue #14): where it was
   * (`owner/repo#N`) and when. Read by the postmortem to refuse public drafts. Absent = never moved.
   */
  security: z.object({ from: z.string().max(300), movedAt: isoInstant }).optional(),
  /** The move to the private repository was refused or failed (the note said so once): why and when. */
  securityNotMoved: z
    .object({ reason: z.enum(["not-configured", "not-found", "public", "failed"]), at: isoInstant })
    .optional(),
  /** Hash of everything the comment shows except relative times: unchanged hash = no edit. */
  fingerprint: z.string().max(100).default(""),
});

export type StatusState = z.output<typeof statusStateSchema>;

export const EMPTY_STATE: StatusState = statusStateSchema.parse({ v: 1 });

/** Hidden-state line for the comment body. */
export function encodeState(state: StatusState): string {
  const payload = Buffer.from(JSON.stringify(state), "utf8").toString("base64");
  return `<!-- incident-keeper:state ${payload}${stateKey ? ` sig=${signatureOf(payload, stateKey)}` : ""} -->`;
}

/**
 * Does the comment's hidden state verify? `missing`: no readable state line (edited away, damaged);
 * `bad`: a state the app did not write (no or wrong signature while a key is configured).
 */
export function verifyState(body: string): "ok" | "missing" | "bad" {
  const match = STATE_PATTERN.exec(body);
  if (!match?.[1]) return "missing";
  if (parsedPayload(match[1]) === null) return "missing";
  if (!stateKey) return "ok";
  const expected = Buffer.from(signatureOf(match[1], stateKey));
  const given = Buffer.from(match[2] ?? "");
  return given.length === expected.length && timingSafeEqual(given, expected) ? "ok" : "bad";
}

/** Reads the hidden state of one of the app's own comments; a damaged state reads as empty. */
export function decodeState(body: string): StatusState {
  const match = STATE_PATTERN.exec(body);
  if (!match?.[1]) return EMPTY_STATE;
  const parsed = parsedPayload(match[1]);
  // A copy: the remembered state is never handed out to be changed.
  return parsed === null ? EMPTY_STATE : structuredClone(parsed);
}

/** How many state payloads {@link parsedPayload} remembers (least recently used out first). */
const PAYLOADS_KEPT = 16;
const parsedPayloads = new Map<string, StatusState | null>();

/**
 * The state a payload (the base64 of the state line) holds, null when it is not one; memoised by the
 * payload (issue #12): one delivery verifies and decodes the same status comment, and the schema's
 * parse was the larger part of both. A pure function of the payload: the signature is checked apart.
 */
function parsedPayload(payload: string): StatusState | null {
  let parsed: StatusState | null | undefined = parsedPayloads.get(payload);
  if (parsed !== undefined) parsedPayloads.delete(payload);
  else {
    try {
      const result = statusStateSchema.safeParse(JSON.parse(Buffer.from(payload, "base64").toString("utf8")));
      parsed = result.success ? result.data : null;
    } catch {
      parsed = null;
    }
  }
  parsedPayloads.set(payload, parsed);
  if (parsedPayloads.size > PAYLOADS_KEPT) parsedPayloads.delete(parsedPayloads.keys().next().value as string);
  return parsed;
}
