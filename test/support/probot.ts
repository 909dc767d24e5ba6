/** A Probot instance for handler tests: no retries, no throttling, silent, fixed clock. */
import { generateKeyPairSync } from "node:crypto";
import { Probot, ProbotOctokit } from "probot";
import { createApp } from "../../src/index.js";
import { fixedClock } from "../../src/clock.js";
import { KeyedLock } from "../../src/runtime/keyed-lock.js";
import { APP_ID, BOT_LOGIN } from "./payloads.js";

let privateKey: string | null = null;

/** An RSA key as GitHub issues them (PKCS#1 PEM), generated once per test file. */
export function testPrivateKey(): string {
  privateKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs1", format: "pem" })
    .toString();
  return privateKey;
}

export const NOW = "2026-11-23T08:00:00Z";

/**
 * The Octokit Probot gives apps, without retries or throttling (tests answer at once through nock or
 * the simulator). Function form: the object form does not switch throttling off (probot/probot#2039).
 */
export const UnthrottledOctokit = ProbotOctokit.defaults((options: object) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

export async function testProbot(
  options: { now?: string } = {},
): Promise<{ probot: Probot; clock: ReturnType<typeof fixedClock> }> {
  // A fresh app, so fresh caches (createApp makes them): nothing to clear.
  const clock = fixedClock(options.now ?? NOW);
  const probot = new Probot({
    appId: APP_ID,
    privateKey: testPrivateKey(),
    logLevel: (process.env.TEST_LOG_LEVEL as "fatal" | undefined) ?? "fatal",
    Octokit: UnthrottledOctokit,
  });
  await probot.load(
    createApp({
      clock,
      identity: () => Promise.resolve({ appId: APP_ID, botLogin: BOT_LOGIN }),
      lock: new KeyedLock(),
    }),
  );
  return { probot, clock };
}

/** Delivers one webhook to `probot` (a random delivery id) and waits for its handlers. */
export async function deliver(probot: Probot, name: string, payload: object): Promise<void> {
  await probot.receive({ id: `delivery-${Math.random()}`, name, payload } as Parameters<Probot["receive"]>[0]);
}
