import { describe, expect, test } from "@jest/globals";
import { createHmac } from "node:crypto";
import { authenticate, receiverSecretsFromEnv, sameSecret, type ReceiverSecrets } from "../../src/http/alert-auth.js";
import { hideCredentialHeaders } from "../../src/runtime/redact-http-logs.js";

const NOW_MS = Date.parse("2026-11-23T10:00:00Z");
const BODY = Buffer.from('{"status":"firing"}');
const basic = (credentials: string): string => `Basic ${Buffer.from(credentials).toString("base64")}`;
const hmac = (secret: string, text: string): string => createHmac("sha256", secret).update(text).digest("hex");

describe("receiver secrets from env", () => {
  test.each<[string, NodeJS.ProcessEnv, "alertmanager" | "grafana", ReceiverSecrets | null]>([
    ["nothing set: off", {}, "alertmanager", null],
    ["empty values: off", { ALERTS_ALERTMANAGER_TOKEN: "" }, "alertmanager", null],
    ["bearer", { ALERTS_ALERTMANAGER_TOKEN: "t" }, "alertmanager", { bearer: "t", basic: null, hmac: null }],
    ["grafana's secrets do not enable alertmanager", { ALERTS_GRAFANA_HMAC_SECRET: "s" }, "alertmanager", null],
    [
      "no HMAC for alertmanager",
      { ALERTS_ALERTMANAGER_BASIC_AUTH: "u:p", ALERTS_GRAFANA_HMAC_SECRET: "s" },
      "alertmanager",
      { bearer: null, basic: "u:p", hmac: null },
    ],
    [
      "grafana HMAC with defaults",
      { ALERTS_GRAFANA_HMAC_SECRET: "s" },
      "grafana",
      {
        bearer: null,
        basic: null,
        hmac: { secret: "s", header: "X-Grafana-Alerting-Signature", timestampHeader: null },
      },
    ],
    [
      "grafana HMAC with headers",
      { ALERTS_GRAFANA_HMAC_SECRET: "s", ALERTS_GRAFANA_HMAC_HEADER: "X-Sig", ALERTS_GRAFANA_TIMESTAMP_HEADER: "X-Ts" },
      "grafana",
      { bearer: null, basic: null, hmac: { secret: "s", header: "X-Sig", timestampHeader: "X-Ts" } },
    ],
  ])("%s", (_name, env, source, expected) => {
    expect(receiverSecretsFromEnv(source, env)).toEqual(expected);
  });
});

describe("authenticate", () => {
  const both: ReceiverSecrets = { bearer: "tok", basic: "am:pw", hmac: null };
  const signedTs: ReceiverSecrets = {
    bearer: null,
    basic: null,
    hmac: { secret: "sec", header: "X-Grafana-Alerting-Signature", timestampHeader: "X-Grafana-Alerting-Timestamp" },
  };
  const signed: ReceiverSecrets = {
    bearer: null,
    basic: null,
    hmac: { secret: "sec", header: "X-Grafana-Alerting-Signature", timestampHeader: null },
  };
  const ts = String(NOW_MS / 1000);
  test.each<[string, ReceiverSecrets, Record<string, string>, string | null]>([
    ["bearer ok", both, { authorization: "Bearer tok" }, null],
    ["bearer scheme case-insensitive", both, { authorization: "bearer tok" }, null],
    ["basic ok", both, { authorization: basic("am:pw") }, null],
    ["bearer wrong", both, { authorization: "Bearer tok2" }, "missing or wrong credentials"],
    ["bearer prefix of the token", both, { authorization: "Bearer to" }, "missing or wrong credentials"],
    ["basic wrong password", both, { authorization: basic("am:pw2") }, "missing or wrong credentials"],
    ["the token as basic", both, { authorization: basic("tok") }, "missing or wrong credentials"],
    ["no header", both, {}, "missing or wrong credentials"],
    ["hmac over the body", signed, { "x-grafana-alerting-signature": hmac("sec", BODY.toString()) }, null],
    [
      "hmac upper-case hex",
      signed,
      { "x-grafana-alerting-signature": hmac("sec", BODY.toString()).toUpperCase() },
      null,
    ],
    [
      "hmac wrong",
      signed,
      { "x-grafana-alerting-signature": hmac("other", BODY.toString()) },
      "wrong X-Grafana-Alerting-Signature signature",
    ],
    ["hmac missing", signed, {}, "missing X-Grafana-Alerting-Signature signature"],
    [
      "hmac with timestamp",
      signedTs,
      { "x-grafana-alerting-signature": hmac("sec", `${ts}:${BODY.toString()}`), "x-grafana-alerting-timestamp": ts },
      null,
    ],
    [
      "hmac ignoring the timestamp",
      signedTs,
      { "x-grafana-alerting-signature": hmac("sec", BODY.toString()), "x-grafana-alerting-timestamp": ts },
      "wrong X-Grafana-Alerting-Signature signature",
    ],
    [
      "timestamp missing",
      signedTs,
      { "x-grafana-alerting-signature": hmac("sec", BODY.toString()) },
      "missing or malformed X-Grafana-Alerting-Timestamp",
    ],
    [
      "timestamp stale",
      signedTs,
      {
        "x-grafana-alerting-signature": hmac("sec", `${Number(ts) - 600}:${BODY.toString()}`),
        "x-grafana-alerting-timestamp": String(Number(ts) - 600),
      },
      "X-Grafana-Alerting-Timestamp is more than 5 minutes off",
    ],
    [
      "bearer and hmac: both needed",
      { ...signed, bearer: "tok" },
      { "x-grafana-alerting-signature": hmac("sec", BODY.toString()) },
      "missing or wrong credentials",
    ],
  ])("%s", (_name, secrets, headers, expected) => {
    expect(authenticate({ headers, body: BODY, secrets, nowMs: NOW_MS })).toBe(expected);
  });

  test("sameSecret", () => {
    expect(sameSecret("a", "a")).toBe(true);
    expect(sameSecret("a", "ab")).toBe(false);
    expect(sameSecret("", "")).toBe(true);
  });

  test("credential headers stay readable but are not serialised", () => {
    const headers: Record<string, unknown> = { host: "x", authorization: "Bearer tok", cookie: "c=1" };
    hideCredentialHeaders(headers);
    expect(headers.authorization).toBe("Bearer tok");
    expect(JSON.stringify(headers)).toBe('{"host":"x"}');
  });
});
