// Jest globalSetup: says once, in every `npm test` output, when the Redis tests are skipped. A
// console.warn inside a test file whose tests are all skipped is not shown when jest runs many files.
import { spawnSync } from "node:child_process";

export default function redisNotice() {
  const probe = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    process.stderr.write(
      "\nredis-server is not installed: skipping the multi-process tests (apt-get install -y redis-server, as .ci/run does)\n\n",
    );
  }
}
