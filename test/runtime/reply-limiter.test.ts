import { describe, expect, it } from "@jest/globals";
import { ReplyLimiter } from "../../src/runtime/reply-limiter.js";

describe("ReplyLimiter", () => {
  it("allows 3 replies per person per hour, then stays silent until the window slides", () => {
    const limiter = new ReplyLimiter(3, 3_600_000);
    const at = (minutes: number): number => minutes * 60_000;
    expect([0, 1, 2, 3, 4].map((m) => limiter.allow("spammer", at(m)))).toEqual([true, true, true, false, false]);
    expect(limiter.allow("someone-else", at(5))).toBe(true);
    expect(limiter.allow("spammer", at(59))).toBe(false);
    expect(limiter.allow("spammer", at(60))).toBe(true); // the reply at minute 0 left the window
  });

  it("forgets the oldest people beyond its size", () => {
    const limiter = new ReplyLimiter(1, 3_600_000, 2);
    expect(limiter.allow("a", 0)).toBe(true);
    expect(limiter.allow("b", 0)).toBe(true);
    expect(limiter.allow("c", 0)).toBe(true); // evicts "a"
    expect(limiter.allow("a", 1)).toBe(true);
    expect(limiter.allow("c", 1)).toBe(false);
  });
});
