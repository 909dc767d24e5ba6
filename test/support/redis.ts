/**
 * A throwaway Redis server for the multi-process tests: Debian's redis-server on a free loopback
 * port, no persistence. Tests skip (with one line saying why) when the binary is missing.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createConnection } from "node:net";
import { freePort } from "../../simulator/src/app-process.js";

export const REDIS_BINARY = "redis-server";

/** Why Redis tests cannot run here, or null when they can. */
export function redisUnavailable(): string | null {
  const probe = spawnSync(REDIS_BINARY, ["--version"], { encoding: "utf8" });
  return probe.error || probe.status !== 0
    ? "redis-server is not installed: skipping the multi-process tests (apt-get install -y redis-server, as .ci/run does)"
    : null;
}

export interface RedisServer {
  url: string;
  port: number;
  /** Stops the server (SIGTERM: with persistence it writes its data first). */
  stop(): Promise<void>;
  /** Ends the server with `signal` (SIGKILL: whatever was not persisted is lost). */
  kill(signal: NodeJS.Signals): Promise<void>;
}

async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port }, () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * A redis-server on a free port (or `port`, e.g. to start it again where it was). Without `dataDir`
 * nothing is persisted; with it, an append-only file in that folder (fsync every write), so a restart
 * finds the data again.
 */
export async function startRedis(options: { port?: number; dataDir?: string } = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const persistence = options.dataDir
    ? ["--dir", options.dataDir, "--appendonly", "yes", "--appendfsync", "always", "--save", ""]
    : ["--save", "", "--appendonly", "no"];
  const child: ChildProcess = spawn(REDIS_BINARY, ["--port", String(port), "--bind", "127.0.0.1", ...persistence], {
    stdio: "ignore",
  });
  const deadline = Date.now() + 10_000;
  while (!(await answersPing(port))) {
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`redis-server did not answer on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const kill = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill(signal);
    await exited;
  };
  return { url: `redis://127.0.0.1:${port}`, port, stop: () => kill("SIGTERM"), kill };
}
