/**
 * End-to-end harness: the real, built app (`node lib/server.js`, what `npm start` serves) as a child process,
 * talking to the GitHub simulator through GHE_HOST, receiving its signed webhooks.
 * The process handling lives in simulator/src/app-process.ts (the demo uses it too); this file
 * keeps the test-facing names. Needs `npm run build` first (npm test builds before jest).
 */
import {
  formatViolations,
  freePort,
  generateAppPrivateKey,
  runSweepProcess,
  SCENARIO,
  seedScenario,
  startSimulatedApp,
  type AppProcess,
  type ProcessOutcome,
  type SimulatedApp,
  type SimulatedAppOptions,
} from "../../simulator/src/app-process.js";
import type { GitHubSimulator } from "../../simulator/src/index.js";

export { formatViolations, freePort, generateAppPrivateKey, seedScenario };

/** The installation and repositories every scenario starts with. */
export const E2E = SCENARIO;

/** Options of startE2E. */
export type E2EOptions = SimulatedAppOptions;

/** The running app process (`url`, `process`, `logs`, `privateKey`, `simulatorHost`). */
export type E2EApp = AppProcess;

/** A running scenario. */
export type E2EContext = SimulatedApp;

/**
 * Starts the simulator with the standard scenario and the real app process wired to it.
 * Always call `stop()` (in afterAll/afterEach), also when a test fails.
 */
export function startE2E(options: E2EOptions = {}): Promise<E2EContext> {
  return startSimulatedApp(options);
}

/**
 * Runs the sweep CLI (`node bin/incident-keeper.js sweep`) once as a child process against the
 * scenario's simulator, with the app's id and key; `env` adds to (or overrides) its environment.
 */
export function runSweepCli(e2e: E2EContext, env: Record<string, string> = {}): Promise<ProcessOutcome> {
  return runSweepProcess({ simulatorHost: e2e.app.simulatorHost, privateKey: e2e.app.privateKey, env });
}

/** Throws, listing them, when the simulator recorded violations (unknown endpoints, invalid requests...). */
export function expectNoViolations(sim: GitHubSimulator): void {
  if (sim.violations.length === 0) return;
  throw new Error(
    `the GitHub simulator recorded ${sim.violations.length} violation(s):\n${formatViolations(sim.violations)}`,
  );
}
