import { afterEach, describe, expect, it } from "@jest/globals";
import {
  configureStateKey,
  decodeState,
  EMPTY_STATE,
  encodeState,
  statusStateSchema,
  verifyState,
} from "../../src/core/status-state.js";

const state = (reminder: string) => statusStateSchema.parse({ v: 1, reminders: [reminder] });
const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

afterEach(() => configureStateKey(null));

describe("a state payload is parsed once, and never handed out to be shared", () => {
  it("decoding the same comment twice gives equal states, never the same object", () => {
    const body = `<!-- incident-keeper:status -->\n${encodeState(state("memo:a"))}`;
    const first = decodeState(body);
    first.reminders.push("changed by the first caller");
    const second = decodeState(body);
    expect(second.reminders).toEqual(["memo:a"]);
    expect(second).not.toBe(first);
  });

  it("each payload is its own state (kept by the payload, not by anything coarser)", () => {
    const cases = ["memo:b", "memo:c", "memo:b", "memo:d"];
    for (const reminder of cases) expect(decodeState(encodeState(state(reminder))).reminders).toEqual([reminder]);
  });

  it("a payload that is no state stays no state, decoded or verified, first or again", () => {
    const bad = `<!-- incident-keeper:state ${b64(JSON.stringify({ v: 2 }))} -->`;
    for (let i = 0; i < 2; i += 1) {
      expect(decodeState(bad)).toBe(EMPTY_STATE);
      expect(verifyState(bad)).toBe("missing");
    }
  });

  it("the signature is checked on every call: the same payload with another signature is bad", () => {
    configureStateKey(Buffer.from("k".repeat(32)));
    const signed = encodeState(state("memo:e"));
    expect(verifyState(signed)).toBe("ok");
    expect(decodeState(signed).reminders).toEqual(["memo:e"]);
    const forged = signed.replace(/ sig=[A-Za-z0-9_-]+/, ` sig=${"A".repeat(43)}`);
    expect(forged).not.toBe(signed);
    expect(verifyState(forged)).toBe("bad");
    expect(verifyState(signed.replace(/ sig=[A-Za-z0-9_-]+/, ""))).toBe("bad");
    expect(verifyState(signed)).toBe("ok");
  });
});
