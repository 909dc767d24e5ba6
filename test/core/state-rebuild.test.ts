/**
 * Issue #10 item 6: the hidden state is signed, and when it is missing or does not verify it is
 * rebuilt from GitHub's own history (label times, commands in comments), never from the current moment.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "@jest/globals";
import { rebuildState, stateCommandAuthors, type HistoryComment } from "../../src/core/state-rebuild.js";
import {
  configureStateKey,
  EMPTY_STATE,
  encodeState,
  verifyState,
  type StatusState,
} from "../../src/core/status-state.js";
import type { PermissionLevel } from "../../src/core/permissions.js";
import type { LabelEvent } from "../../src/core/incident-start.js";
import { configSchema } from "../../src/config/schema.js";

const CONFIG = configSchema.parse({});
const at = (iso: string): Date => new Date(iso);
const label = (event: "labeled" | "unlabeled", name: string, iso: string): LabelEvent => ({
  event,
  label: name,
  at: at(iso),
});

describe("signed hidden state", () => {
  afterEach(() => configureStateKey(null));
  test.each<{ name: string; body: (line: string) => string; expected: string }>([
    { name: "as written", body: (line) => `<!-- incident-keeper:status -->\n${line}`, expected: "ok" },
    { name: "state line edited away", body: () => "<!-- incident-keeper:status -->\nhello", expected: "missing" },
    {
      name: "state changed by someone else (signature kept)",
      body: (line) =>
        line.replace(
          /state ([A-Za-z0-9+/=]+)/,
          `state ${Buffer.from(JSON.stringify({ v: 1, classifiedAt: "2020-01-01T00:00:00.000Z" })).toString("base64")}`,
        ),
      expected: "bad",
    },
    { name: "signature removed", body: (line) => line.replace(/ sig=[A-Za-z0-9_-]+/, ""), expected: "bad" },
  ])("$name: $expected", ({ body, expected }) => {
    configureStateKey(Buffer.from("k".repeat(32)));
    const line = encodeState({ ...EMPTY_STATE, classifiedAt: "2026-11-23T07:00:00.000Z" });
    expect(verifyState(body(line))).toBe(expected);
  });
  test("without a key (GitHub Actions mode), an unsigned state verifies", () => {
    expect(verifyState(encodeState(EMPTY_STATE))).toBe("ok");
  });
});

describe("rebuildState: from the issue's history", () => {
  const events = [
    label("labeled", "incident", "2026-11-23T06:10:00Z"),
    label("labeled", "sev:2", "2026-11-23T06:20:00Z"),
    label("labeled", "category:core-bug", "2026-11-23T06:30:00Z"),
    label("labeled", "sla:paused", "2026-11-23T06:40:00Z"),
    label("unlabeled", "sla:paused", "2026-11-23T06:50:00Z"),
    label("labeled", "devops:3", "2026-11-23T07:00:00Z"),
  ];
  const comments: HistoryComment[] = [
    { login: "bob", body: "/resolved", createdAt: at("2026-11-23T07:30:00Z") },
    { login: "eve", body: "/close --force fake", createdAt: at("2026-11-23T07:35:00Z") },
    { login: "carol", body: "/close --force duplicate of #3", createdAt: at("2026-11-23T07:40:00Z") },
  ];
  const permissions = new Map([
    ["bob", "triage"],
    ["eve", "read"],
    ["carol", "maintain"],
  ] as const);
  test("label times, pauses, /resolved and a forced close by people allowed to say them", () => {
    const state = rebuildState({
      events,
      comments,
      permissions,
      config: CONFIG,
      markers: new Set(["<!-- incident-keeper:reminder investigation:50 -->"]),
    });
    expect(state).toMatchObject({
      incidentAt: "2026-11-23T06:10:00.000Z",
      classifiedAt: "2026-11-23T07:00:00.000Z",
      pauses: [{ start: "2026-11-23T06:40:00.000Z", end: "2026-11-23T06:50:00.000Z" }],
      resolvedAt: "2026-11-23T07:30:00.000Z",
      forcedClose: { by: "carol", reason: "duplicate of #3", at: "2026-11-23T07:40:00.000Z" },
      reminders: ["investigation:50"],
    });
  });
  test("a classification later taken apart keeps its first full moment; nothing is taken from now", () => {
    const state = rebuildState({
      events: [...events, label("unlabeled", "sev:2", "2026-11-23T08:00:00Z")],
      comments: [],
      permissions: new Map(),
      config: CONFIG,
      markers: new Set(),
    });
    expect([state.classifiedAt, state.resolvedAt, state.forcedClose]).toEqual(["2026-11-23T07:00:00.000Z", null, null]);
  });
});

describe("rebuildState: what a state that did not verify keeps", () => {
  const events = [
    label("labeled", "incident", "2026-11-23T06:10:00Z"),
    label("labeled", "sev:2", "2026-11-23T06:20:00Z"),
    label("labeled", "category:core-bug", "2026-11-23T06:30:00Z"),
    label("labeled", "devops:3", "2026-11-23T07:00:00Z"),
  ];
  /** A state written before signing was on, or touched by someone: notes and guard-relevant fields. */
  const untrusted: StatusState = {
    ...EMPTY_STATE,
    classifiedAt: "2020-01-01T00:00:00.000Z",
    resolvedAt: "2020-01-01T00:00:00.000Z",
    forcedClose: { by: "mallory", reason: "x", at: "2020-01-01T00:00:00.000Z" },
    reminders: ["investigation:breach", "resolution:breach"],
    manualTicks: { "acme/ops#9": { by: "mallory", at: "2020-01-01T00:00:00.000Z" } },
    actions: { "acme/api#5": { found: true, kind: "issue", state: "closed", stateReason: "completed", title: "x" } },
    commandsAt: { severity: "2030-01-01T00:00:00.000Z" },
    tags: { mitigated: "2026-11-23T07:10:00.000Z" },
    timeline: {
      entries: [{ at: "2026-11-23T07:10:00.000Z", kind: "note", text: "failover done", by: "bob", comment: 77 }],
      compacted: 2,
    },
  };
  const open = { state: "open", stateReason: null, closedAt: null, labels: ["incident", "sev:2"] };
  const rebuild = (extra: Partial<Parameters<typeof rebuildState>[0]> = {}): StatusState =>
    rebuildState({ events, comments: [], permissions: new Map(), config: CONFIG, markers: new Set(), ...extra });

  test("people's notes, tags and the timeline's count carry over; guard-relevant fields come from history", () => {
    const state = rebuild({ untrusted, issue: open });
    expect(state.timeline).toEqual(untrusted.timeline);
    expect(state.tags).toEqual(untrusted.tags);
    expect(state).toMatchObject({
      classifiedAt: "2026-11-23T07:00:00.000Z",
      resolvedAt: null,
      forcedClose: null,
      reminders: [],
      actions: {},
      commandsAt: {},
    });
    expect(state.manualTicks).toBeUndefined();
    expect(state.notPlannedAt).toBeUndefined();
    expect(state.droppedAt).toBeUndefined();
  });

  test.each<{ name: string; comments: HistoryComment[]; permissions: [string, PermissionLevel][]; expected: unknown }>([
    {
      name: "`/action done` by someone with the commands permission is a tick",
      comments: [{ login: "bob", body: "/action done acme/ops#9", createdAt: at("2026-11-23T08:00:00Z") }],
      permissions: [["bob", "triage"]],
      expected: { "acme/ops#9": { by: "bob", at: "2026-11-23T08:00:00.000Z" } },
    },
    {
      name: "the same by a reader is not",
      comments: [{ login: "eve", body: "/action done acme/ops#9", createdAt: at("2026-11-23T08:00:00Z") }],
      permissions: [["eve", "read"]],
      expected: undefined,
    },
  ])("$name", ({ comments, permissions, expected }) => {
    expect(stateCommandAuthors(comments)).toEqual(comments.map((c) => c.login));
    expect(rebuild({ untrusted, issue: open, comments, permissions: new Map(permissions) }).manualTicks).toEqual(
      expected,
    );
  });

  test.each([
    {
      name: "closed as not planned: accepted at GitHub's close time",
      issue: {
        state: "closed",
        stateReason: "not_planned",
        closedAt: at("2026-11-23T09:00:00Z"),
        labels: ["incident"],
      },
      expected: { notPlannedAt: "2026-11-23T09:00:00.000Z", droppedAt: undefined },
    },
    {
      name: "closed as completed: no not-planned acceptance",
      issue: { state: "closed", stateReason: "completed", closedAt: at("2026-11-23T09:00:00Z"), labels: ["incident"] },
      expected: { notPlannedAt: undefined, droppedAt: undefined },
    },
    {
      name: "the incident label removed: dropped at the label's removal",
      issue: { state: "open", stateReason: null, closedAt: null, labels: ["sev:2"] },
      events: [...events, label("unlabeled", "incident", "2026-11-23T09:30:00Z")],
      expected: { notPlannedAt: undefined, droppedAt: "2026-11-23T09:30:00.000Z" },
    },
  ])("$name", ({ issue, events: history, expected }) => {
    const state = rebuild({ untrusted, issue, ...(history ? { events: history } : {}) });
    expect({ notPlannedAt: state.notPlannedAt, droppedAt: state.droppedAt }).toEqual(expected);
  });
});

describe("the signing key from the environment", () => {
  const pem = "-----BEGIN RSA PRIVATE KEY-----\\nabc\\n-----END RSA PRIVATE KEY-----";
  const emptyDir = () => mkdtempSync(join(tmpdir(), "ik-key-"));

  test("on by default wherever the private key is, derived from it and stable", async () => {
    const { stateKeyFrom } = await import("../../src/runtime/state-key.js");
    const cwd = emptyDir();
    const key = stateKeyFrom({ PRIVATE_KEY: pem }, cwd);
    expect(key?.length).toBe(32);
    expect(stateKeyFrom({ PRIVATE_KEY: pem, STATE_SIGNING: "on" }, cwd)?.equals(key!)).toBe(true);
    // The same key however the private key is given: escaped newlines, base64, a file, a *.pem in cwd.
    const real = pem.replace(/\\n/g, "\n");
    expect(stateKeyFrom({ PRIVATE_KEY: real }, cwd)?.equals(key!)).toBe(true);
    expect(stateKeyFrom({ PRIVATE_KEY: Buffer.from(real).toString("base64") }, cwd)?.equals(key!)).toBe(true);
    writeFileSync(join(cwd, "app.private-key.pem"), real);
    expect(stateKeyFrom({ PRIVATE_KEY_PATH: join(cwd, "app.private-key.pem") }, emptyDir())?.equals(key!)).toBe(true);
    expect(stateKeyFrom({}, cwd)?.equals(key!)).toBe(true);
  });

  test("off with STATE_SIGNING=off, absent without a private key, and a wrong value is an error", async () => {
    const { stateKeyFrom } = await import("../../src/runtime/state-key.js");
    const cwd = emptyDir();
    expect(stateKeyFrom({ PRIVATE_KEY: pem, STATE_SIGNING: "off" }, cwd)).toBeNull();
    expect(stateKeyFrom({}, cwd)).toBeNull();
    expect(stateKeyFrom({ STATE_SIGNING: "on" }, cwd)).toBeNull();
    expect(() => stateKeyFrom({ PRIVATE_KEY: pem, STATE_SIGNING: "yes" }, cwd)).toThrow(
      'STATE_SIGNING must be "on" or "off" (unset means on), not "yes"',
    );
  });
});
