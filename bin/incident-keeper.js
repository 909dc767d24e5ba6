#!/usr/bin/env node
// Thin shim over the compiled CLI (npm run build writes lib/).
import process from "node:process";
import { main } from "../lib/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
