import { describe, expect, test } from "@jest/globals";
import { safeUrl } from "../../src/render/alert-views.js";
import { parseAlertNotification } from "../../src/core/alert-payload.js";

describe("links from alerts", () => {
  test.each<[string, string | null]>([
    ["http://prometheus:9090/graph?g0.expr=up", "http://prometheus:9090/graph?g0.expr=up"],
    ["https://user:secret@grafana.example/d/x", "https://grafana.example/d/x"],
    ["javascript:alert(1)", null],
    ["data:text/html,hi", null],
    ["not a url", null],
    ["https://x.example/a)b](https://evil", "https://x.example/a%29b%5D%28https://evil"],
    ["https://x.example/@team", "https://x.example/%40team"],
    ["https://x.example/<script>", "https://x.example/%3Cscript%3E"],
  ])("%s -> %s", (input, expected) => {
    expect(safeUrl(input)).toBe(expected);
  });
});

describe("notification payloads", () => {
  const base = {
    version: "4",
    groupKey: "g",
    status: "firing",
    receiver: "r",
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: "",
    alerts: [],
  };
  test.each<[string, unknown, string | null]>([
    ["minimal", base, null],
    ["not an object", [], "(body)"],
    ["no groupKey", { ...base, groupKey: undefined }, "groupKey"],
    ["bad status", { ...base, status: "burning" }, "status"],
    ["bad alert", { ...base, alerts: [{ status: "firing", labels: { a: 1 } }] }, "alerts.0.labels.a"],
    ["extra fields are fine (newer senders)", { ...base, notification_reason: "repeat" }, null],
  ])("%s", (_name, body, reasonContains) => {
    const parsed = parseAlertNotification("alertmanager", body);
    if (reasonContains === null) expect(parsed.ok).toBe(true);
    else expect(parsed.ok ? "accepted" : parsed.reason).toContain(reasonContains);
  });

  test("zero endsAt, missing fingerprint (label hash, stable under label order)", () => {
    const alert = (labels: Record<string, string>) => ({
      status: "firing",
      labels,
      annotations: {},
      startsAt: "2026-11-23T09:00:00Z",
      endsAt: "0001-01-01T00:00:00Z",
    });
    const a = parseAlertNotification("grafana", { ...base, alerts: [alert({ a: "1", b: "2" })] });
    const b = parseAlertNotification("grafana", { ...base, alerts: [alert({ b: "2", a: "1" })] });
    if (!a.ok || !b.ok) throw new Error("rejected");
    expect(a.value.alerts[0]!.endsAt).toBeNull();
    expect(a.value.alerts[0]!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(a.value.alerts[0]!.fingerprint).toBe(b.value.alerts[0]!.fingerprint);
  });
});
