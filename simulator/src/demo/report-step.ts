/**
 * The demo's last step: `incident-keeper report` for the demo repository and the days the incident
 * spans, run as a person runs it (a child process, the app's id and key, the simulator as GHE_HOST).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { PROJECT_ROOT, simulatorEnvironment } from "../app-process.js";

/** What the report command printed. */
export interface ReportOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

const day = (at: Date): string => at.toISOString().slice(0, 10);

/** Runs the report over `repo` for the UTC days from `since` to `until`; `args` add options (`--out`). */
export async function runReport(input: {
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
  const env = simulatorEnvironment({ privateKey: input.privateKey, simulatorHost: input.simulatorHost });
  const child = spawn(process.execPath, [join(PROJECT_ROOT, "bin/incident-keeper.js"), ...args], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), input.timeoutMs ?? 60_000);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  clearTimeout(timer);
  return { code, stdout, stderr };
}
