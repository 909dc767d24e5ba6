/**
 * Check runs on pull requests: `incident-keeper / write-up` when the pull request adds or changes
 * postmortem Markdown files (`writeup.paths`), with each file's result and annotations on the lines
 * concerned; `incident-keeper / config` when it changes `.github/incident-keeper.yml`, naming each
 * invalid key before the change lands. A new push (`synchronize`) checks the new head; a repeated
 * delivery updates the run it already made on that commit. A pull request with neither gets none
 * (one read: its file list).
 */
import type { Probot } from "probot";
import { DEFAULT_CONFIG } from "../config/schema.js";
import {
  CONFIG_CHECK_NAME,
  CONFIG_PATH,
  checkConfigText,
  checkWriteupFiles,
  isPostmortemFile,
  MAX_CHECKED_FILES,
  WRITEUP_CHECK_NAME,
} from "../core/writeup-check.js";
import { sectionRules } from "../core/writeup.js";
import { ChecksGateway } from "../github/checks.js";
import { configCheckOutput, writeupCheckOutput } from "../render/checks.js";
import type { Services } from "../workflow/services.js";
import { eventScope, isOwnEvent } from "./event-scope.js";

export function registerPullRequestChecks(app: Probot, services: Services): void {
  app.on(["pull_request.opened", "pull_request.synchronize", "pull_request.reopened"], async (context) => {
    const pr = context.payload.pull_request;
    // A pull request that changes no file has nothing to check: no request at all.
    if (pr.changed_files === 0) return;
    const scope = await eventScope(context, services);
    if (isOwnEvent(context, scope.identity)) return;
    const sha = pr.head.sha;
    const checks = new ChecksGateway(context.octokit, { owner: scope.owner, repo: scope.repo }, scope.identity.appId);
    // One read for most pull requests: the file list. The config is read only when a Markdown file
    // or the config itself changed (the paths come from it).
    const present = (await checks.listPullFiles(pr.number)).filter((file) => file.status !== "removed");
    const configChanged = present.some((file) => file.filename === CONFIG_PATH);
    if (!configChanged && !present.some((file) => isPostmortemFile(file.filename, ["**"]))) return;
    const configResult = await scope.readConfig();
    // An invalid config still gets its postmortems checked, with the default paths and headings.
    const config = configResult.ok ? configResult.value : DEFAULT_CONFIG;
    const postmortems = present.filter((file) => isPostmortemFile(file.filename, config.writeup.paths));
    if (postmortems.length === 0 && !configChanged) return;

    const checked = postmortems.slice(0, MAX_CHECKED_FILES);
    const [existing, bodies, configText] = await Promise.all([
      checks.ownCheckRuns(sha),
      Promise.all(checked.map((file) => checks.readFile(file.filename, sha))),
      configChanged ? checks.readFile(CONFIG_PATH, sha) : Promise.resolve(null),
    ]);
    const completedAt = services.clock.now();
    if (checked.length > 0) {
      const readable = checked.flatMap((file, index) => (bodies[index] == null ? [] : [{ path: file.filename, body: bodies[index] }]));
      const output = writeupCheckOutput(checkWriteupFiles(readable, sectionRules(config)), postmortems.length - checked.length);
      await checks.upsertCheckRun({ name: WRITEUP_CHECK_NAME, sha, existing: existing.get(WRITEUP_CHECK_NAME), output, completedAt });
    }
    if (configChanged && configText !== null) {
      const output = configCheckOutput(CONFIG_PATH, checkConfigText(configText));
      await checks.upsertCheckRun({ name: CONFIG_CHECK_NAME, sha, existing: existing.get(CONFIG_CHECK_NAME), output, completedAt });
    }
  });
}
