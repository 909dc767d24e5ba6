/**
 * A throwaway Prometheus Alertmanager (Debian's `prometheus-alertmanager`) on a free loopback port,
 * no clustering, its storage in a temporary directory. Tests skip (with one line saying why) when the
 * binary is missing.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../simulator/src/app-process.js";

export const ALERTMANAGER_BINARY = "prometheus-alertmanager";

/** Why Alertmanager tests cannot run here, or null when they can. */
export function alertmanagerUnavailable(): string | null {
  const probe = spawnSync(ALERTMANAGER_BINARY, ["--version"], { encoding: "utf8" });
  return probe.error || probe.status !== 0
    ? "prometheus-alertmanager is not installed: skipping the Alertmanager tests (apt-get install -y prometheus-alertmanager, as .ci/run does)"
    : null;
}

export interface AlertmanagerServer {
  url: string;
  logs: string[];
  /** POST /api/v2/alerts. */
  postAlerts(
    alerts: Array<{
      labels: Record<string, string>;
      annotations?: Record<string, string>;
      startsAt?: string;
      endsAt?: string;
      generatorURL?: string;
    }>,
  ): Promise<void>;
  stop(): Promise<void>;
}

/** Starts Alertmanager with `config` (YAML) and waits until its API answers. */
export async function startAlertmanager(config: string): Promise<AlertmanagerServer> {
  const dir = mkdtempSync(join(tmpdir(), "ik-alertmanager-"));
  writeFileSync(join(dir, "alertmanager.yml"), config);
  const port = await freePort();
  const logs: string[] = [];
  const child: ChildProcess = spawn(
    ALERTMANAGER_BINARY,
    [
      `--config.file=${join(dir, "alertmanager.yml")}`,
      `--storage.path=${dir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--cluster.listen-address=",
      "--log.level=debug",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  for (const stream of [child.stdout, child.stderr])
    stream?.setEncoding("utf8").on("data", (chunk: string) => logs.push(...chunk.split("\n").filter(Boolean)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error(`alertmanager did not start:\n${logs.join("\n")}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    logs,
    postAlerts: async (alerts) => {
      const response = await fetch(`${url}/api/v2/alerts`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(alerts),
      });
      if (!response.ok) throw new Error(`POST /api/v2/alerts: ${response.status} ${await response.text()}`);
    },
    stop,
  };
}
