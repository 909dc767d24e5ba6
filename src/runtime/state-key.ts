/**
 * The hidden state's signing key (issue #10 item 6), derived from the GitHub App's private key so the
 * server, the sweep CLI and every instance of one app sign and verify alike, and nothing extra needs
 * configuring. On with `STATE_SIGNING=on`; the key and the private key are never logged.
 */
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { configureStateKey } from "../core/status-state.js";

/** The key for this environment, or null (signing off, or no private key: GitHub Actions mode). */
export function stateKeyFrom(env: NodeJS.ProcessEnv): Buffer | null {
  if (env.STATE_SIGNING !== "on") return null;
  const pem = env.PRIVATE_KEY ?? (env.PRIVATE_KEY_PATH ? readFileSync(env.PRIVATE_KEY_PATH, "utf8") : "");
  const normalised = pem.replace(/\\n/g, "\n").trim();
  if (normalised === "") return null;
  return createHmac("sha256", normalised).update("incident-keeper hidden state v1").digest();
}

/** Configures this process's signing key from its environment (start-up of the server and the CLI). */
export function configureStateSigning(env: NodeJS.ProcessEnv): void {
  configureStateKey(stateKeyFrom(env));
}
