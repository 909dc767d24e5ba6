/** Typed reads from a JSON request body (already validated, but routes stay defensive). */
import { HttpError } from "../errors.js";

/** The body as a record ({} when absent). */
export function bodyRecord(body: unknown): Record<string, unknown> {
  return typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** An optional string (or number, as GitHub accepts numeric titles) field. */
export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  throw new HttpError(422, `Invalid request.\n\nFor '${key}', ${JSON.stringify(value)} is not a string.`);
}

/** An optional string that may be null. */
export function optionalNullableString(body: Record<string, unknown>, key: string): string | null | undefined {
  return body[key] === null ? null : optionalString(body, key);
}

/** A list of names given as strings or `{ name }` objects (labels) or `{ login }` (assignees). */
export function nameList(value: unknown, key: "name" | "login" = "name"): string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string") return [value];
  if (!Array.isArray(value)) return undefined;
  return value.flatMap((item: unknown) => {
    if (typeof item === "string") return [item];
    if (typeof item === "object" && item !== null) {
      const name = (item as Record<string, unknown>)[key];
      return typeof name === "string" ? [name] : [];
    }
    return [];
  });
}

/** Labels in any of the forms the labels endpoints accept: ["a"], { labels: [...] }, "a". */
export function labelNames(body: unknown): string[] {
  if (Array.isArray(body) || typeof body === "string") return nameList(body) ?? [];
  return nameList(bodyRecord(body).labels) ?? [];
}

/** A path parameter as a positive integer (404 otherwise). */
export function intParam(params: Record<string, string>, name: string): number {
  const value = Number(params[name]);
  if (!Number.isSafeInteger(value) || value <= 0) throw new HttpError(404, "Not Found");
  return value;
}
