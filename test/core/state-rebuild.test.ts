/**
 * Issue #10 item 6: the hidden state is signed, and when it is missing or does not verify it is
 * rebuilt from GitHub's own history (label times, commands in comments), never from the current moment.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "@jest/globals";
import { rebuildState, type HistoryComment } from "../../src/core/state-rebuild.js";
import { configureStateKey, EMPTY_STATE, encodeState, verifyState } from "../../src/core/status-state.js";
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
