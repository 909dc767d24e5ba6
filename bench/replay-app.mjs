/**
 * The CPU baseline of the latency bench (issue #12): a Probot app with no logic of its own that makes
 * exactly the API calls incident-keeper made for the same deliveries, replayed from a recording
 * (REPLAY_SCRIPT: JSON `{ botLogin, deliveries: [[[call, ...], ...], ...] }`, one entry per user
 * delivery in order, each a list of steps whose calls were in flight together). Echoes of its own
 * writes are acknowledged and ignored, as incident-keeper does.
 */
import { readFileSync } from "node:fs";

const script = JSON.parse(readFileSync(process.env.REPLAY_SCRIPT ?? "", "utf8"));

export default (app) => {
  let next = 0;
  app.onAny(async (context) => {
    if (context.payload.sender?.login === script.botLogin) return;
    const steps = script.deliveries[next] ?? [];
    next += 1;
    for (const step of steps)
      await Promise.all(
        step.map((call) =>
          context.octokit
            .request({
              method: call.method,
              url: `${call.path}${call.query}`,
              ...(call.body === undefined ? {} : { data: call.body }),
            })
            .catch(() => undefined),
        ),
      );
  });
};
