/**
 * GitHub Actions mode: the app runs inside a repository's own workflow with that workflow's token.
 * Issue, comment and pull-request events are handled like webhooks; `schedule` and
 * `workflow_dispatch` run one reminder sweep over this repository.
 *
 * Limits of this mode (see README): one repository; the workflow token's rate limit (1,000 requests
 * per hour per repository); actions in other repositories read as "unknown"; events the token causes
 * do not start new workflow runs (so there are no echoes to ignore).
 */
import { readFileSync } from "node:fs";
import { Probot } from "probot";
import { IncidentKeeperOctokit } from "../github/octokit.js";
import { systemClock } from "../clock.js";
import { createApp } from "../index.js";
import { KeyedLock } from "../runtime/keyed-lock.js";
import { DueCache } from "../sweep/due-cache.js";
import { sweepInstallation } from "../sweep/sweep.js";

/** The GitHub Actions app and the login its token acts as. */
export const ACTIONS_IDENTITY = { appId: 15368, botLogin: "github-actions[bot]" };

const HANDLED_EVENTS = new Set(["issues", "issue_comment", "pull_request"]);
const SWEEP_EVENTS = new Set(["schedule", "workflow_dispatch"]);

export async function runAction(env: NodeJS.ProcessEnv): Promise<number> {
  const token = env.INPUT_TOKEN || env.GITHUB_TOKEN;
  const eventName = env.GITHUB_EVENT_NAME ?? "";
  const repository = env.GITHUB_REPOSITORY ?? "";
  if (!token || !repository.includes("/")) {
    process.stderr.write("incident-keeper action: needs GITHUB_TOKEN (or the `token` input) and GITHUB_REPOSITORY\n");
    return 2;
  }
  const probot = new Probot({
    githubToken: token,
    baseUrl: env.GITHUB_API_URL ?? "https://api.github.com",
    logLevel: (env.LOG_LEVEL as "info" | undefined) ?? "info",
    Octokit: IncidentKeeperOctokit.defaults((options: object) => ({
      ...options,
      throttle: { enabled: env.INCIDENT_KEEPER_THROTTLE !== "off" },
    })),
  });
  // With REDIS_URL (a self-hosted runner beside the servers) the Action shares their incident locks.
  const redisLock = env.REDIS_URL
    ? (await import("../runtime/redis-lock.js")).RedisIncidentLock.fromUrl(env.REDIS_URL)
    : null;
  const lock = redisLock ?? new KeyedLock();
  // A custom token (e.g. from a GitHub App) acts as another login: say which, so the app knows its own comments.
  const identity = {
    appId: Number(env.INCIDENT_KEEPER_APP_ID) || ACTIONS_IDENTITY.appId,
    botLogin: env.INCIDENT_KEEPER_BOT_LOGIN || ACTIONS_IDENTITY.botLogin,
  };
  await probot.load(
    createApp({
      identity: () => Promise.resolve(identity),
      lock,
      sweepIntervalMinutes: 0,
      checksOnPullRequestEvents: true,
    }),
  );

  if (HANDLED_EVENTS.has(eventName)) {
    const payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH ?? "", "utf8")) as object;
    await probot
      .receive({ id: env.GITHUB_RUN_ID ?? "action", name: eventName, payload } as Parameters<Probot["receive"]>[0])
      .finally(() => redisLock?.close());
    return 0;
  }
  if (SWEEP_EVENTS.has(eventName)) {
    const [owner = ""] = repository.split("/");
    const report = await sweepInstallation(
      await probot.auth(),
      { id: 0, account: owner, accountType: "Organization" },
      {
        clock: systemClock,
        identity,
        lock,
        log: probot.log,
        cache: new DueCache(),
        repositories: [repository],
      },
    );
    await redisLock?.close();
    process.stdout.write(`incident-keeper sweep: ${JSON.stringify(report)}\n`);
    return report.errors > 0 ? 1 : 0;
  }
  process.stdout.write(`incident-keeper action: nothing to do for event "${eventName}"\n`);
  return 0;
}
