/**
 * Two real app processes sharing one Redis receive the same alert notifications at the same moment
 * (as two replicas behind one address would): one incident per group, never two; a process started
 * afterwards (a restart: an empty memory) finds the incident on GitHub and files nothing.
 */
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { GitHubSimulator } from "../../simulator/src/index.js";
import {
  generateAppPrivateKey,
  seedScenario,
  SCENARIO,
  startAppProcess,
  type AppProcess,
} from "../../simulator/src/app-process.js";
import { expectNoViolations } from "../support/e2e.js";
import { redisUnavailable, startRedis, type RedisServer } from "../support/redis.js";
import { alertmanagerNotification } from "../support/alert-notifications.js";

const skipReason = redisUnavailable();
if (skipReason) console.warn(skipReason);
const itWithRedis = skipReason ? it.skip : it;

const SECRET = "alerts-redis-e2e";
const TOKEN = "am-token-redis";
let redis: RedisServer;
let sim: GitHubSimulator;
const apps: AppProcess[] = [];
const privateKey = generateAppPrivateKey();

const start = async (): Promise<AppProcess> => {
  const env = {
    REDIS_URL: redis.url,
    SWEEP_INTERVAL_MINUTES: "0",
    LOG_LEVEL: "warn",
    ALERTS_ALERTMANAGER_TOKEN: TOKEN,
    ALERTS_CONFIG_REPO: SCENARIO.repo,
  };
  const app = await startAppProcess({
    simulatorHost: new URL(sim.baseUrl).host,
    webhookSecret: SECRET,
    privateKey,
    env,
  });
  apps.push(app);
  return app;
};

beforeAll(async () => {
  if (skipReason) return;
  redis = await startRedis();
  sim = new GitHubSimulator({ appId: SCENARIO.appId, webhookSecret: SECRET });
  await sim.start();
  seedScenario(sim, { config: "alerts:\n  default_repo: acme/api\n" });
}, 60_000);
afterAll(async () => {
  await Promise.all(apps.map((a) => a.kill()));
  await sim?.stop();
  await redis?.stop();
});

function notification(group: string): string {
  return JSON.stringify(
    alertmanagerNotification({
      groupKey: `{}:{alertname="${group}"}`,
      truncatedAlerts: 0,
      status: "firing",
      groupLabels: { alertname: group },
      commonLabels: { alertname: group, severity: "critical" },
      commonAnnotations: { summary: "down" },
      externalURL: "http://alertmanager:9093",
      alerts: [
        {
          labels: { alertname: group, severity: "critical" },
          annotations: { summary: "down" },
          startsAt: new Date(Date.now() - 60_000).toISOString(),
          fingerprint: "0123456789abcdef",
        },
      ],
    }),
  );
}

const post = (app: AppProcess, body: string): Promise<Response> =>
  fetch(`${app.url}/api/incident-keeper/alerts/alertmanager`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body,
  });
const filed = (group: string) => sim.issues(SCENARIO.repo).filter((i) => i.title.startsWith(group));

itWithRedis(
  "two instances, one incident per group; a fresh process files nothing new",
  async () => {
    const [a, b] = [await start(), await start()];
    const groups = ["RedisA", "RedisB", "RedisC"];
    const answers = await Promise.all(
      groups.flatMap((g) => [
        post(a, notification(g)),
        post(b, notification(g)),
        post(a, notification(g)),
        post(b, notification(g)),
      ]),
    );
    expect(answers.every((r) => r.status === 202)).toBe(true);
    const deadline = Date.now() + 60_000;
    const done = (): boolean =>
      groups.every((g) => filed(g).length >= 1 && sim.comments(SCENARIO.repo, filed(g)[0]!.number).length > 0);
    while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    await new Promise((r) => setTimeout(r, 3_000));
    expect(groups.map((g) => filed(g).length)).toEqual([1, 1, 1]);
    expect(groups.map((g) => sim.comments(SCENARIO.repo, filed(g)[0]!.number).length)).toEqual([1, 1, 1]);

    await a.kill();
    await b.kill();
    const fresh = await start();
    const created = sim.requests.filter((r) => r.operationId === "issues/create").length;
    const from = sim.requests.length;
    const incident = filed("RedisA")[0]!.number;
    // The fresh process found the open incident (it read its comments) rather than filing another.
    const handled = (): boolean =>
      sim.requests
        .slice(from)
        .some((r) => r.operationId === "issues/list-comments" && r.path.endsWith(`/issues/${incident}/comments`));
    expect((await post(fresh, notification("RedisA"))).status).toBe(202);
    const until = Date.now() + 20_000;
    while (Date.now() < until && !handled()) await new Promise((r) => setTimeout(r, 200));
    expect(handled()).toBe(true);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(sim.requests.filter((r) => r.operationId === "issues/create").length).toBe(created);
    expect(filed("RedisA")).toHaveLength(1);
    expectNoViolations(sim);
  },
  150_000,
);
