/**
 * The hidden state's signing key (issue #10 item 6), derived from the GitHub App's private key so the
 * server, the sweep CLI and every instance of one app sign and verify alike, and nothing extra needs
 * configuring. On by default wherever the app has its private key (found as Probot finds it:
 * PRIVATE_KEY, PRIVATE_KEY_PATH, or a `*.pem` file in the working directory); `STATE_SIGNING=off`
 * turns it off. The key and the private key are never logged.
 */
import { createHmac } from "node:crypto";
import { getPrivateKey } from "@probot/get-private-key";
import { configureStateKey } from "../core/status-state.js";

/** The values STATE_SIGNING accepts; unset = on. */
const SIGNING_VALUES = ["on", "off"] as const;

/** The key for this environment, or null (signing off, or no private key: GitHub Actions mode). */
export function stateKeyFrom(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): Buffer | null {
  const mode = env.STATE_SIGNING === undefined || env.STATE_SIGNING === "" ? "on" : env.STATE_SIGNING;
  if (!(SIGNING_VALUES as readonly string[]).includes(mode)) {
    throw new Error(`STATE_SIGNING must be "on" or "off" (unset means on), not "${mode}"`);
  }
  if (mode === "off") return null;
  let pem: string | null;
  try {
    pem = getPrivateKey({ env: { PRIVATE_KEY: env.PRIVATE_KEY, PRIVATE_KEY_PATH: env.PRIVATE_KEY_PATH }, cwd });
  } catch {
    // Probot refuses the same key at start-up with its own message; nothing to sign with here.
    pem = null;
  }
  const normalised = (pem ?? "").trim();
  if (normalised === "") return null;
  return createHmac("sha256", normalised).update("incident-keeper hidden state v1").digest();
}

/** Configures this process's signing key from its environment (start-up of the server and the CLI). */
export function configureStateSigning(env: NodeJS.ProcessEnv): void {
  configureStateKey(stateKeyFrom(env));
}
