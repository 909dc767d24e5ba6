/**
 * Properties of the alert-group decision over arbitrary notification sequences: a repeated
 * notification never changes anything, an open incident never gets a second one, and the decision
 * does not depend on the order of the alerts inside a notification.
 */
import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { decideAlert, type AlertGroupState, type GroupIncident } from "../../src/core/alert-group.js";
import { groupToken, parseAlertNotification, type AlertNotification } from "../../src/core/alert-payload.js";
import { alertsConfigSchema } from "../../src/config/alerts-schema.js";
import { alertPolicyOf } from "../../src/config/policies.js";

const config = alertPolicyOf(alertsConfigSchema.parse({ resolve_incident: true }));
const TOKEN = groupToken("alertmanager", "g");
const BASE_MS = Date.parse("2026-11-23T10:00:00Z");

const alertArb = fc.record({
  instance: fc.constantFrom("a", "b", "c", "d"),
  status: fc.constantFrom<"firing" | "resolved">("firing", "resolved"),
  startMinute: fc.integer({ min: 0, max: 5 }),
});
const notificationArb: fc.Arbitrary<RawNotification> = fc.record({
  status: fc.constantFrom<"firing" | "resolved">("firing", "resolved"),
  alerts: fc.uniqueArray(alertArb, { selector: (a) => a.instance, maxLength: 4 }),
});

type RawNotification = {
  status: "firing" | "resolved";
  alerts: Array<{ instance: string; status: "firing" | "resolved"; startMinute: number }>;
};

function toNotification(raw: RawNotification): AlertNotification {
  const parsed = parseAlertNotification("alertmanager", {
    version: "4",
    groupKey: "g",
    status: raw.status,
    receiver: "r",
    groupLabels: {},
    commonLabels: { alertname: "X" },
    commonAnnotations: {},
    externalURL: "",
    alerts: raw.alerts.map((a) => ({
      status: raw.status === "resolved" ? "resolved" : a.status,
      labels: { alertname: "X", instance: a.instance },
      annotations: {},
      startsAt: new Date(BASE_MS + a.startMinute * 60_000).toISOString(),
      endsAt: "0001-01-01T00:00:00Z",
      fingerprint: `fp${a.instance}`.padEnd(16, "0"),
    })),
  });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

/** Plays notifications against one incident (open unless `closeAfter`), returning every decision. */
function play(notifications: AlertNotification[], now: Date): Array<ReturnType<typeof decideAlert>> {
  let incident: GroupIncident | null = null;
  let number = 0;
  const decisions: Array<ReturnType<typeof decideAlert>> = [];
  for (const notification of notifications) {
    const decision = decideAlert({ notification, token: TOKEN, incident, policy: config, now });
    decisions.push(decision);
    if (decision.kind === "file") incident = { number: ++number, state: "open", alert: decision.state };
    if (decision.kind === "update" && incident) incident = { ...incident, alert: decision.state };
  }
  return decisions;
}

describe("alert-group decisions", () => {
  const now = new Date(BASE_MS + 10 * 60_000);
  test("a notification repeated right away changes nothing", () => {
    fc.assert(
      fc.property(fc.array(notificationArb, { minLength: 1, maxLength: 8 }), (raws) => {
        const notifications = raws.map(toNotification);
        let incident = null as GroupIncident | null;
        for (const notification of notifications) {
          const first = decideAlert({ notification, token: TOKEN, incident, policy: config, now });
          const state: AlertGroupState | null = first.kind === "nothing" ? (incident?.alert ?? null) : first.state;
          if (first.kind === "file") incident = { number: 1, state: "open", alert: state };
          if (first.kind === "update" && incident) incident = { ...incident, alert: state };
          if (incident === null) continue;
          expect(decideAlert({ notification, token: TOKEN, incident, policy: config, now }).kind).toBe("nothing");
        }
      }),
      { numRuns: 500 },
    );
  });

  test("while the incident stays open, at most one incident is ever filed", () => {
    fc.assert(
      fc.property(fc.array(notificationArb, { maxLength: 12 }), (raws) => {
        expect(play(raws.map(toNotification), now).filter((d) => d.kind === "file").length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });

  test("the order of the alerts in a notification does not matter", () => {
    fc.assert(
      fc.property(fc.array(notificationArb, { minLength: 1, maxLength: 6 }), fc.integer(), (raws, seed) => {
        const shuffled = raws.map((raw) => {
          const alerts = [...raw.alerts];
          for (let i = alerts.length - 1; i > 0; i -= 1) {
            const j = Math.abs(seed + i * 7919) % (i + 1);
            [alerts[i], alerts[j]] = [alerts[j]!, alerts[i]!];
          }
          return { ...raw, alerts };
        });
        expect(play(shuffled.map(toNotification), now)).toEqual(play(raws.map(toNotification), now));
      }),
      { numRuns: 300 },
    );
  });
});
