/**
 * Check runs on pull requests: `incident-keeper / write-up` when a branch's changes add or change
 * postmortem Markdown files (`writeup.paths`), with each file's result and annotations on the lines
 * concerned; `incident-keeper / config` when they change `.github/incident-keeper.yml`, naming each
 * invalid key before the change lands.
 *
 * Triggered the way GitHub asks Checks API apps to: `check_suite.requested` (GitHub sends it for every
 * push), `check_suite.rerequested` and `check_run.rerequested` (the Re-run buttons), so a new push
 * checks the new head and pull-request events themselves cost nothing. A repeated delivery updates the
 * run already on that commit. A push to the default branch, or whose changes have no such file, gets
 * none. In GitHub Actions mode there are no check-suite events: the pull_request events trigger it.
 */
import type { Context, Probot } from "probot";
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
import { policiesOf } from "../config/policies.js";
import { validateConfig } from "../config/load.js";
import { ChecksGateway, type PullFile } from "../github/checks.js";
import { prepareOctokit } from "../github/prepare-octokit.js";
import { readRepoConfig } from "../github/config-reader.js";
import { configCheckOutput, writeupCheckOutput } from "../render/checks.js";
import type { Services } from "../reconcile/services.js";

export interface PullRequestCheckOptions {
  /**
   * Also check on `pull_request` opened/synchronize/reopened (GitHub Actions mode, which gets no check-suite
   * events).
   */
  onPullRequestEvents?: boolean;
}

/** The commit to check and how to list what its branch changes. */
interface CheckTarget {
  sha: string;
  /** The pull request's files when one is known, else the comparison with the default branch. */
  files: (checks: ChecksGateway) => Promise<PullFile[]>;
}

export function registerPullRequestChecks(
  app: Probot,
  services: Services,
  options: PullRequestCheckOptions = {},
): void {
  app.on(["check_suite.requested", "check_suite.rerequested"], async (context) => {
    const suite = context.payload.check_suite;
    const defaultBranch = context.payload.repository.default_branch;
    // The default branch itself (a merge) has no pull request to check: no request.
    if (!suite.head_branch || suite.head_branch === defaultBranch) return;
    const pull = suite.pull_requests[0]?.number;
    await runChecks(context, services, {
      sha: suite.head_sha,
      files: (checks) =>
        pull !== undefined ? checks.listPullFiles(pull) : checks.compareFiles(defaultBranch, suite.head_sha),
    });
  });

  app.on("check_run.rerequested", async (context) => {
    const run = context.payload.check_run;
    if (run.name !== WRITEUP_CHECK_NAME && run.name !== CONFIG_CHECK_NAME) return;
    const defaultBranch = context.payload.repository.default_branch;
    const pull = run.pull_requests[0]?.number;
    await runChecks(context, services, {
      sha: run.head_sha,
      files: (checks) =>
        pull !== undefined ? checks.listPullFiles(pull) : checks.compareFiles(defaultBranch, run.head_sha),
    });
  });

  if (options.onPullRequestEvents) {
    app.on(["pull_request.opened", "pull_request.synchronize", "pull_request.reopened"], async (context) => {
      const pr = context.payload.pull_request;
      if (pr.changed_files === 0) return;
      await runChecks(context, services, { sha: pr.head.sha, files: (checks) => checks.listPullFiles(pr.number) });
    });
  }
}

type CheckContext = Context<"check_suite" | "check_run" | "pull_request">;

async function runChecks(context: CheckContext, services: Services, target: CheckTarget): Promise<void> {
  const identity = await services.identity();
  if (context.payload.sender?.login === identity.botLogin) return;
  const { owner, repo } = context.repo();
  const installationId = (context.payload as { installation?: { id: number } }).installation?.id ?? 0;
  prepareOctokit(context.octokit, { installationId, caches: services.caches });
  const { sha } = target;
  const checks = new ChecksGateway(context.octokit, { owner, repo }, identity.appId);
  // One read for most pushes: what the branch changes. The config is read only when a Markdown file
  // or the config itself changed (the paths come from it).
  const present = (await target.files(checks)).filter((file) => file.status !== "removed");
  const configChanged = present.some((file) => file.filename === CONFIG_PATH);
  if (!configChanged && !present.some((file) => isPostmortemFile(file.filename, ["**"]))) return;
  const configResult = await readRepoConfig(context.octokit, { owner, repo });
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
    const readable = checked.flatMap((file, index) =>
      bodies[index] == null ? [] : [{ path: file.filename, body: bodies[index] }],
    );
    const output = writeupCheckOutput(
      checkWriteupFiles(readable, policiesOf(config).writeup.sections),
      postmortems.length - checked.length,
    );
    await checks.upsertCheckRun({
      name: WRITEUP_CHECK_NAME,
      sha,
      existing: existing.get(WRITEUP_CHECK_NAME),
      output,
      completedAt,
    });
  }
  if (configChanged && configText !== null) {
    const output = configCheckOutput(CONFIG_PATH, checkConfigText(configText, validateConfig));
    await checks.upsertCheckRun({
      name: CONFIG_CHECK_NAME,
      sha,
      existing: existing.get(CONFIG_CHECK_NAME),
      output,
      completedAt,
    });
  }
}
