/**
 * Loads and validates `.github/incident-keeper.yml` (with org defaults and `_extends` through Probot).
 * Never guesses: an invalid file is an error result naming each bad key.
 */
import { z } from "zod";
import type { ConfigError, ConfigIssue } from "../core/config-error.js";
import type { Policies } from "../core/policy.js";
import { policiesOf } from "./policies.js";
import { configSchema, type IncidentKeeperConfig } from "./schema.js";

export const CONFIG_FILE = "incident-keeper.yml";

/** A valid config comes with the core's policies built from it (once per load). */
export type ConfigResult =
  | { ok: true; value: IncidentKeeperConfig; policies: Policies; source: "file" | "defaults" }
  | { ok: false; error: ConfigError };

export type { ConfigError, ConfigIssue };

/** The incident label to look for when the config is invalid: the file's own value if usable. */
export function fallbackIncidentLabel(error: ConfigError): string {
  return error.incidentLabel ?? "incident";
}

/** Validates raw parsed YAML (null when the file is absent). */
export function validateConfig(raw: unknown): ConfigResult {
  if (raw === null || raw === undefined) return valid(configSchema.parse({}), "defaults");
  if (typeof raw !== "object" || Array.isArray(raw)) {
    return {
      ok: false,
      error: {
        issues: [{ path: "(root)", message: "the file must be a YAML mapping of keys to values" }],
        summary: "the file must be a YAML mapping",
      },
    };
  }
  const { _extends: _ignored, ...rest } = raw as Record<string, unknown>;
  const parsed = configSchema.safeParse(rest);
  if (parsed.success) return valid(parsed.data, "file");
  const label = configSchema.shape.incident_label.safeParse(rest.incident_label);
  const incidentLabel = label.success && rest.incident_label !== undefined ? { incidentLabel: label.data } : {};
  return { ok: false, error: { ...toConfigError(parsed.error), ...incidentLabel } };
}

function valid(value: IncidentKeeperConfig, source: "file" | "defaults"): ConfigResult {
  return { ok: true, value, policies: policiesOf(value), source };
}

/** Wraps a YAML syntax (or fetch) failure as a config error. */
export function configReadError(message: string): ConfigResult {
  const clean = message.split("\n")[0]?.slice(0, 300) ?? "unreadable";
  return {
    ok: false,
    error: { issues: [{ path: "(file)", message: `could not be read as YAML: ${clean}` }], summary: clean },
  };
}

function toConfigError(error: z.ZodError): ConfigError {
  return {
    issues: error.issues.map((issue) => ({
      path: issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)",
      message: issue.message,
    })),
    summary: z.prettifyError(error),
  };
}
