#!/usr/bin/env node
// Thin shim over the compiled CLI (npm run build writes lib/).
import process from "node:process";
import { main } from "../lib/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
// A one-shot command is done: exit once the output is flushed, without waiting for connections a
// library keeps open (Probot's Redis client for cluster-wide throttling with REDIS_URL).
process.stdout.write("", () => process.stderr.write("", () => process.exit()));
