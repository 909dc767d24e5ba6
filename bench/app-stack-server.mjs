/**
 * Bench-only server entry: serves an app function (default ./lib/index.js) with Probot's own `run()`
 * on the app's Octokit (lib/github/octokit.js, what `npm start` serves through lib/server.js), so the
 * replaying baseline of part 2 runs on the same request pipeline as the app it is compared with.
 */
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { run } from "probot";
import { IncidentKeeperOctokit } from "../lib/github/octokit.js";

const entry = process.argv[2] ?? "./lib/index.js";
const { default: appFn } = await import(pathToFileURL(resolve(entry)).href);
await run(appFn, { Octokit: IncidentKeeperOctokit });
