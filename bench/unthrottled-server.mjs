/**
 * Bench-only server entry: serves an app function (default ./lib/index.js) with Probot's own `run()`,
 * reading the same environment as `probot run`, but with Octokit's request throttling switched off
 * (`probot run` offers no way to do that). Probot's retry plugin stays on. This is the shape of the
 * server entry the benchmark proposes for the app (see BENCHMARKS.md).
 */
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { ProbotOctokit, run } from "probot";

const entry = process.argv[2] ?? "./lib/index.js";
const { default: appFn } = await import(pathToFileURL(resolve(entry)).href);
// The function form: Probot's own defaults are applied first, then these override them (probot#2039).
const Octokit = ProbotOctokit.defaults((options) => ({ ...options, throttle: { enabled: false } }));
await run(appFn, { Octokit });
