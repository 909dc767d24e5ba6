#!/usr/bin/env node
// Start-up of the GitHub Action: spawn to exit of `node lib/action/main.js` (what the old composite
// action ran after npm ci and tsc) and of the esbuild bundle, without a token, so each stops right
// after loading its code (run: Probot and the app; lint: the linter only, on an empty workspace).
// Needs `npm run build` first. 11 runs each, median.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const workspace = mkdtempSync(join(tmpdir(), "ik-startup-"));
const cases = [
  ["lib/action/main.js (tsc output)", ["lib/action/main.js"], {}],
  ["dist/action/index.mjs, command run", ["dist/action/index.mjs"], {}],
  [
    "dist/action/index.mjs, command lint",
    ["dist/action/index.mjs"],
    { INPUT_COMMAND: "lint", GITHUB_WORKSPACE: workspace },
  ],
];
for (const [name, args, env] of cases) {
  const times = [];
  for (let i = 0; i < 11; i += 1) {
    const started = process.hrtime.bigint();
    spawnSync(process.execPath, args, { env: { PATH: process.env.PATH, ...env }, cwd: root });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(`${name}: median ${times[5].toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times[10].toFixed(0)})`);
}
