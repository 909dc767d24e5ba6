/** The extract of GitHub's OpenAPI description that scripts/extract-openapi.mjs writes. */
import { readFileSync } from "node:fs";
import type { JsonObject } from "./types.js";

/** A path or query parameter. */
export interface ParameterSpec {
  name: string;
  in: "path" | "query";
  required: boolean;
  schema: JsonObject;
}

/** One REST operation. */
export interface OperationSpec {
  method: string;
  path: string;
  operationId: string;
  parameters: ParameterSpec[];
  /** The JSON body schema, $refs inlined. */
  requestBody: { required: boolean; schema: JsonObject } | null;
  /** 2xx status -> JSON schema (with $refs into `schemas`), null for bodiless answers. */
  responses: Record<string, JsonObject | null>;
}

/** The whole extract. */
export interface OpenApiSubset {
  source: string;
  operations: OperationSpec[];
  schemas: Record<string, JsonObject>;
}

/**
 * Where the extract may be: next to this module (running the TypeScript sources under jest), or
 * in simulator/src seen from simulator/lib (tsc does not copy JSON into lib/).
 */
const CANDIDATES = ["./openapi-subset.json", "../src/openapi-subset.json"];

/** Reads simulator/src/openapi-subset.json. */
export function loadOpenApiSubset(): OpenApiSubset {
  const tried: string[] = [];
  for (const candidate of CANDIDATES) {
    const url = new URL(candidate, import.meta.url);
    try {
      return JSON.parse(readFileSync(url, "utf8")) as OpenApiSubset;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      tried.push(url.pathname);
    }
  }
  throw new Error(`openapi-subset.json not found (looked in ${tried.join(", ")}); run scripts/extract-openapi.mjs`);
}
