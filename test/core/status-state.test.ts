import { describe, expect, test } from "@jest/globals";
import {
  decodeState,
  EMPTY_STATE,
  encodeState,
  STATUS_MARKER,
  statusStateSchema,
  type StatusState,
} from "../../src/core/status-state.js";

const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");
const line = (base64: string): string => `<!-- incident-keeper:state ${base64} -->`;

const FULL: StatusState = {
  v: 1,
  incidentAt: "2026-11-23T07:30:00.000Z",
  classifiedAt: "2026-11-23T08:00:00.000Z",
  resolvedAt: "2026-11-24T10:15:30.123Z",
  reminders: ["investigation:50@2026-11-23T18:00:00.000Z", "resolution:breach@2026-11-25T08:00:00.000Z"],
  pauses: [
    { start: "2026-11-23T09:00:00.000Z", end: "2026-11-23T10:00:00.000Z" },
    { start: "2026-11-23T12:00:00.000Z", end: null },
  ],
  forcedClose: { by: "maria", reason: "duplicate of #3 --> really <!-- sneaky", at: "2026-11-24T11:00:00.000Z" },
  actions: {
    "acme/api#12": {
      found: true,
      kind: "issue",
      state: "closed",
      stateReason: "completed",
      title: "Add a circuit breaker — «ünïcødé» 💥",
    },
    "acme/web#3": { found: true, kind: "pull", state: "open", merged: false, title: "Retry with backoff" },
    "other/repo#9": { found: false },
  },
  reviews: { "acme/api#12": ["acme/api#40", "acme/web#41"] },
  commandsAt: { severity: "2026-11-23T08:30:00.000Z", category: "2026-11-23T08:31:00Z" },
  fingerprint: "AbCdEf0123456789_-xyzQ",
};

describe("EMPTY_STATE", () => {
  test("is every field at its default", () => {
    expect(EMPTY_STATE).toEqual({
      v: 1,
      incidentAt: null,
      classifiedAt: null,
      resolvedAt: null,
      reminders: [],
      pauses: [],
      forcedClose: null,
      actions: {},
      reviews: {},
      commandsAt: {},
      fingerprint: "",
    });
  });
  test("is what a body without a state line decodes to", () => {
    expect(decodeState("")).toEqual(EMPTY_STATE);
    expect(decodeState(`${STATUS_MARKER}\nSome status text`)).toEqual(EMPTY_STATE);
  });
});

describe("round trip", () => {
  test.each<{ name: string; state: StatusState }>([
    { name: "the empty state", state: EMPTY_STATE },
    { name: "every field set, with user text that would end an HTML comment", state: FULL },
    {
      name: "timestamps with offsets are kept as written",
      state: { ...EMPTY_STATE, classifiedAt: "2026-11-23T09:00:00+01:00" },
    },
  ])("$name", ({ state }) => {
    const encoded = encodeState(state);
    expect(encoded).toMatch(/^<!-- incident-keeper:state [A-Za-z0-9+/=]+ -->$/);
    // No user text can end the comment early: only the closing delimiter contains "-->".
    expect(encoded.indexOf("-->")).toBe(encoded.length - 3);
    expect(decodeState(encoded)).toEqual(state);
  });

  test("decodes from inside a whole status comment body", () => {
    const body = `${STATUS_MARKER}\n## Incident status\n\n| a | b |\n\n${encodeState(FULL)}\n\n_updated 2026-11-23 08:00 UTC_`;
    expect(decodeState(body)).toEqual(FULL);
  });

  test("the first state line wins when a body has two", () => {
    const body = `${encodeState({ ...EMPTY_STATE, classifiedAt: "2026-01-01T00:00:00.000Z" })}\n${encodeState(FULL)}`;
    expect(decodeState(body).classifiedAt).toBe("2026-01-01T00:00:00.000Z");
  });

  test("a large but realistic state (100 tracked actions, 300 reminder keys) round-trips", () => {
    const actions: StatusState["actions"] = {};
    for (let i = 1; i <= 100; i += 1)
      actions[`acme-corp/service-${i}#${1000 + i}`] = {
        found: true,
        kind: "issue",
        state: "open",
        stateReason: null,
        title: `Follow-up ${i}: ${"x".repeat(100)}`,
      };
    const reminders = Array.from({ length: 300 }, (_, i) => `resolution:overdue:${i + 1}@2026-11-25T08:00:00.000Z`);
    const state: StatusState = { ...FULL, actions, reminders };
    const encoded = encodeState(state);
    expect(encoded.length).toBeLessThan(60_000);
    expect(decodeState(encoded)).toEqual(state);
  });

  test("missing optional fields take their defaults (a state written by an older version)", () => {
    expect(decodeState(line(b64(JSON.stringify({ v: 1, classifiedAt: "2026-11-23T08:00:00.000Z" }))))).toEqual({
      ...EMPTY_STATE,
      classifiedAt: "2026-11-23T08:00:00.000Z",
    });
  });

  test("unknown fields are dropped, known ones kept", () => {
    expect(
      decodeState(line(b64(JSON.stringify({ v: 1, resolvedAt: "2026-11-23T08:00:00.000Z", admin: true })))),
    ).toEqual({ ...EMPTY_STATE, resolvedAt: "2026-11-23T08:00:00.000Z" });
  });
});

describe("damaged or tampered state reads as empty, never throws", () => {
  const valid = JSON.parse(JSON.stringify(FULL)) as Record<string, unknown>;
  const withField = (field: string, value: unknown): string => line(b64(JSON.stringify({ ...valid, [field]: value })));

  test.each<{ name: string; body: string }>([
    { name: "not base64 at all", body: "<!-- incident-keeper:state !!!not-base64!!! -->" },
    { name: "an empty payload", body: "<!-- incident-keeper:state  -->" },
    { name: "base64 of text that is not JSON", body: line(b64("hello world")) },
    { name: "base64 of truncated JSON", body: line(b64(JSON.stringify(FULL)).slice(0, 40)) },
    { name: "base64 of invalid UTF-8", body: line(Buffer.from([0xff, 0xfe, 0xfd, 0x7b]).toString("base64")) },
    { name: "JSON null", body: line(b64("null")) },
    { name: "a JSON array", body: line(b64("[1,2,3]")) },
    { name: "a JSON string", body: line(b64('"v1"')) },
    { name: "no version", body: line(b64(JSON.stringify({ classifiedAt: null }))) },
    { name: "a future version", body: withField("v", 2) },
    { name: "the version as a string", body: withField("v", "1") },
    { name: "a timestamp that is not ISO", body: withField("classifiedAt", "yesterday") },
    { name: "a date without time", body: withField("resolvedAt", "2026-11-23") },
    { name: "a timestamp as a number", body: withField("classifiedAt", 1_790_000_000_000) },
    { name: "reminders not an array", body: withField("reminders", "investigation:50") },
    { name: "a reminder key over 100 characters", body: withField("reminders", ["x".repeat(101)]) },
    {
      name: "more than 500 reminder keys",
      body: withField(
        "reminders",
        Array.from({ length: 501 }, (_, i) => `k${i}`),
      ),
    },
    { name: "a pause without a start", body: withField("pauses", [{ end: null }]) },
    {
      name: "more than 200 pauses",
      body: withField(
        "pauses",
        Array.from({ length: 201 }, () => ({ start: "2026-11-23T08:00:00.000Z", end: null })),
      ),
    },
    {
      name: "a forced close without a reason",
      body: withField("forcedClose", { by: "x", at: "2026-11-23T08:00:00.000Z" }),
    },
    {
      name: "a forced-close reason over 500 characters",
      body: withField("forcedClose", { by: "x", reason: "r".repeat(501), at: "2026-11-23T08:00:00.000Z" }),
    },
    {
      name: "an action of an unknown kind",
      body: withField("actions", { "acme/api#1": { found: true, kind: "discussion", state: "open", title: "t" } }),
    },
    {
      name: "an action with an unknown state",
      body: withField("actions", {
        "acme/api#1": { found: true, kind: "issue", state: "merged", stateReason: null, title: "t" },
      }),
    },
    {
      name: "a pull action without merged",
      body: withField("actions", { "acme/api#1": { found: true, kind: "pull", state: "closed", title: "t" } }),
    },
    { name: "reviews not lists", body: withField("reviews", { "acme/api#1": "acme/api#2" }) },
    {
      name: "more than 20 reviews for one action",
      body: withField("reviews", { "acme/api#1": Array.from({ length: 21 }, (_, i) => `acme/api#${i + 2}`) }),
    },
    { name: "a fingerprint over 100 characters", body: withField("fingerprint", "f".repeat(101)) },
  ])("$name", ({ body }) => {
    expect(() => decodeState(body)).not.toThrow();
    expect(decodeState(body)).toEqual(EMPTY_STATE);
  });

  test("a state line longer than 60,000 characters is not read", () => {
    const huge = line("A".repeat(60_001));
    expect(decodeState(huge)).toEqual(EMPTY_STATE);
  });

  test("a state line with a different marker word is not read", () => {
    expect(decodeState(`<!-- incident-keeper:status ${b64(JSON.stringify(FULL))} -->`)).toEqual(EMPTY_STATE);
    expect(decodeState(`<!-- incident-keeper:State ${b64(JSON.stringify(FULL))} -->`)).toEqual(EMPTY_STATE);
  });

  test("the decoded result is a fresh object, not the shared EMPTY_STATE, for a good state", () => {
    const decoded = decodeState(encodeState(EMPTY_STATE));
    expect(decoded).toEqual(EMPTY_STATE);
    expect(decoded).not.toBe(EMPTY_STATE);
  });

  test("the schema agrees with the decoder on the full example", () => {
    expect(statusStateSchema.safeParse(FULL).success).toBe(true);
  });
});
