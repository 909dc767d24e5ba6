/**
 * `npm start`: serves the app as `probot run ./lib/index.js` does (the same environment variables,
 * setup mode without APP_ID), on the app's Octokit ({@link IncidentKeeperOctokit}), which
 * `probot run` offers no way to choose.
 */
import { run } from "probot";
import app from "./index.js";
import { IncidentKeeperOctokit } from "./github/octokit.js";

await run(app, { Octokit: IncidentKeeperOctokit });
