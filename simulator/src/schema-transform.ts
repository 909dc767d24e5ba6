/** Turns OpenAPI 3.0 schemas into JSON Schemas ajv validates the way GitHub's API behaves. */
import type { Json, JsonObject } from "./types.js";

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function mapChildren(schema: JsonObject, visit: (child: Json, key: string) => Json): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "properties" && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, visit(child, key)]));
    } else if (Array.isArray(value) && (key === "oneOf" || key === "anyOf" || key === "allOf")) {
      out[key] = value.map((child) => visit(child, key));
    } else if (isObject(value) && (key === "items" || key === "additionalProperties" || key === "not")) {
      out[key] = visit(value, key);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Rewrites OpenAPI's `nullable: true` into `anyOf: [schema, { type: "null" }]`, everywhere. */
export function rewriteNullable(schema: Json): Json {
  if (!isObject(schema)) return schema;
  const { nullable, ...rest } = mapChildren(schema, (child) => rewriteNullable(child));
  return nullable === true ? { anyOf: [rest, { type: "null" }] } : rest;
}

/**
 * Adds `additionalProperties: false` to every object schema that lists `properties` and says
 * nothing about extra keys, so a misspelled key fails validation. Branches of `allOf` are left
 * alone: each branch sees only part of the keys.
 */
export function forbidUnknownProperties(schema: Json, insideAllOf = false): Json {
  if (!isObject(schema)) return schema;
  const out = mapChildren(schema, (child, key) => forbidUnknownProperties(child, key === "allOf"));
  if (!insideAllOf && isObject(out.properties) && out.additionalProperties === undefined && out.allOf === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

/** Points `#/schemas/NAME` references at the registered schema document `documentId`. */
export function retargetRefs(schema: Json, documentId: string): Json {
  if (Array.isArray(schema)) return schema.map((item) => retargetRefs(item, documentId));
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] =
      key === "$ref" && typeof value === "string" && value.startsWith("#/")
        ? `${documentId}${value}`
        : retargetRefs(value, documentId);
  }
  return out;
}

/**
 * Reads `oneOf` as `anyOf`: GitHub's descriptions use oneOf for alternatives that overlap
 * (`{ labels: [] }` fits both forms of set-labels; 5 is both `integer` and `number`), which
 * strict oneOf would reject although the API accepts them.
 */
export function relaxOneOf(schema: Json): Json {
  if (!isObject(schema)) return schema;
  const out = mapChildren(schema, (child) => relaxOneOf(child));
  if (Array.isArray(out.oneOf)) {
    out.anyOf = out.oneOf;
    delete out.oneOf;
  }
  return out;
}
