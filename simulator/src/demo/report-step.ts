/**
 * The demo's last step: `incident-keeper report` for the demo repository and the days the incident
 * spans, run as a person runs it (a child process, the app's id and key, the simulator as GHE_HOST).
 */
import { runCliProcess, type ProcessOutcome } from "../app-process.js";

/** What the report command printed. */
export type ReportOutcome = ProcessOutcome;

const day = (at: Date): string => at.toISOString().slice(0, 10);

/** Runs the report over `repo` for the UTC days from `since` to `until`; `args` add options (`--out`). */
export function runReport(input: {
  simulatorHost: string;
  privateKey: string;
  repo: string;
  since: Date;
  until: Date;
  args?: string[];
  timeoutMs?: number;
}): Promise<ReportOutcome> {
  const args = [
    "report",
    "--repo",
    input.repo,
    "--since",
    day(input.since),
    "--until",
    day(input.until),
    ...(input.args ?? []),
  ];
  return runCliProcess(args, input);
}
