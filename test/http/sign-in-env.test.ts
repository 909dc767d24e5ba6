/** When GitHub sign-in is on: both GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET set, and DASHBOARD_SIGNIN not `off`. */
import { describe, expect, it } from "@jest/globals";
import pino from "pino";
import { fixedClock } from "../../src/clock.js";
import { signInFromEnv } from "../../src/http/sign-in-env.js";
import { SignIn } from "../../src/http/sign-in.js";

const deps = { clock: fixedClock("2026-03-02T12:00:00Z"), log: pino({ level: "silent" }) };

describe("signInFromEnv", () => {
  it.each([
    [{}, false],
    [{ GITHUB_CLIENT_ID: "Iv1.a" }, false],
    [{ GITHUB_CLIENT_SECRET: "s" }, false],
    [{ GITHUB_CLIENT_ID: "Iv1.a", GITHUB_CLIENT_SECRET: "s" }, true],
    [{ GITHUB_CLIENT_ID: "Iv1.a", GITHUB_CLIENT_SECRET: "s", DASHBOARD_SIGNIN: "off" }, false],
    [{ GITHUB_CLIENT_ID: "Iv1.a", GITHUB_CLIENT_SECRET: "s", DASHBOARD_SIGNIN: "on" }, true],
  ])("%j -> on: %s", (env, on) => {
    const signIn = signInFromEnv(env, deps);
    expect(signIn instanceof SignIn).toBe(on);
  });
});
