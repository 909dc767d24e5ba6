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

/** How many distinct configs {@link validateConfig} remembers (least recently used out first). */
export const VALIDATED_CONFIGS_KEPT = 100;
const validated = new Map<string, ConfigResult>();

/** Strings, booleans, null, finite numbers other than `-0`, and arrays and plain objects of them. */
function isPlainData(value: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every((v) => isPlainData(v, depth + 1));
  if (typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every((v) => isPlainData(v, depth + 1));
}

/**
 * The memo key of parsed YAML: its JSON text, or null (not memoised) when the value holds anything
 * JSON would conflate or drop (NaN and infinities become `null`, `-0` becomes `0`, a Date its string,
 * undefined is dropped), so two keys are equal only for values zod cannot tell apart.
 */
function memoKey(raw: unknown): string | null {
  if (raw === undefined) return "null"; // validated as absent, like null
  return isPlainData(raw) ? JSON.stringify(raw) : null;
}

/** Freezes a result all the way down: it is shared by every delivery reading the same file. */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * Validates raw parsed YAML (null when the file is absent). Memoised by content (issue #12: every
 * delivery reads the same file, mostly as a `304`): the same parsed YAML yields the same frozen result.
 */
export function validateConfig(raw: unknown): ConfigResult {
  const key = memoKey(raw);
  if (key === null) return validateConfigOnce(raw);
  let result = validated.get(key);
  if (result) validated.delete(key);
  else result = deepFreeze(validateConfigOnce(raw));
  validated.set(key, result);
  if (validated.size > VALIDATED_CONFIGS_KEPT) validated.delete(validated.keys().next().value as string);
  return result;
}

function validateConfigOnce(raw: unknown): ConfigResult {
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
