/**
 * Matches requests to the operations of GitHub's OpenAPI description and validates them with ajv:
 * path and query parameters (types, enums, formats, unknown names) and JSON bodies, where
 * unknown keys are rejected so misspelled parameters are caught.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { loadOpenApiSubset, type OpenApiSubset, type OperationSpec, type ParameterSpec } from "./openapi-subset.js";
import { forbidUnknownProperties, relaxOneOf, retargetRefs, rewriteNullable } from "./schema-transform.js";
import type { Json, JsonObject } from "./types.js";

const addFormats = addFormatsModule.default;
const SCHEMAS_DOCUMENT_ID = "github-schemas";

/** An operation matched by method and path, with its decoded path parameters. */
export interface MatchedOperation {
  operation: OperationSpec;
  params: Record<string, string>;
}

/** A problem with a request; `status` is what GitHub would answer (null: GitHub would ignore it). */
export interface RequestProblem {
  kind: "invalid-request" | "unknown-query-parameter";
  reason: string;
  status: 400 | 404 | 422 | null;
}

interface CompiledTemplate {
  operation: OperationSpec;
  regex: RegExp;
  names: string[];
  literalSegments: number;
}

interface CompiledChecks {
  path: ValidateFunction;
  query: ValidateFunction;
  body: ValidateFunction | null;
}

function compileTemplate(operation: OperationSpec): CompiledTemplate {
  const names: string[] = [];
  let literalSegments = 0;
  const pattern = operation.path
    .split("/")
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (!param) {
        literalSegments++;
        return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      }
      names.push(param);
      // A file path in the contents API may span several segments.
      // So may a git ref (`git/ref/heads/feature/x`), when the client does not encode its slashes.
      return param === "path" || (param === "ref" && operation.path.includes("/git/ref/")) ? "(.+)" : "([^/]+)";
    })
    .join("/");
  return { operation, regex: new RegExp(`^${pattern}/?$`), names, literalSegments };
}

function parameterObjectSchema(parameters: ParameterSpec[]): JsonObject {
  const properties: JsonObject = {};
  const required: string[] = [];
  for (const parameter of parameters) {
    properties[parameter.name] = relaxOneOf(rewriteNullable(parameter.schema));
    if (parameter.required) required.push(parameter.name);
  }
  return { type: "object", properties, required };
}

/** GitHub-style wording for one ajv error. */
export function describeAjvError(error: ErrorObject): string {
  const where = error.instancePath === "" ? "the body" : `'${error.instancePath.slice(1)}'`;
  if (error.keyword === "additionalProperties") {
    const key = (error.params as { additionalProperty?: string }).additionalProperty ?? "?";
    return `"${key}" is not a permitted key${error.instancePath ? ` in ${where}` : ""}.`;
  }
  if (error.keyword === "required") {
    const key = (error.params as { missingProperty?: string }).missingProperty ?? "?";
    return `"${key}" wasn't supplied${error.instancePath ? ` in ${where}` : ""}.`;
  }
  return `For ${where}, ${error.message ?? "the value is invalid"}.`;
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  const unique = [...new Set((errors ?? []).map(describeAjvError))];
  return unique.slice(0, 5).join(" ");
}

/** The OpenAPI-backed request validator. */
export class OpenApiValidator {
  readonly subset: OpenApiSubset;
  readonly #templates: CompiledTemplate[];
  readonly #requestAjv = new Ajv({ strict: false, allErrors: true });
  readonly #parameterAjv = new Ajv({ strict: false, allErrors: true, coerceTypes: true });
  readonly #responseAjv = new Ajv({ strict: false, allErrors: false, inlineRefs: false, code: { optimize: false } });
  readonly #checks = new Map<string, CompiledChecks>();
  readonly #responseChecks = new Map<string, ValidateFunction | null>();
  #responseSchemasAdded = false;

  constructor(subset: OpenApiSubset = loadOpenApiSubset()) {
    this.subset = subset;
    this.#templates = subset.operations.map(compileTemplate).sort((a, b) => b.literalSegments - a.literalSegments);
    for (const ajv of [this.#requestAjv, this.#parameterAjv, this.#responseAjv]) {
      addFormats(ajv);
      // GitHub's own format: `owner/name` (pulls/create's `head_repo`).
      ajv.addFormat("repo.nwo", /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/);
    }
  }

  /** The operation serving `method pathname` (pathname without /api/v3), or null when GitHub has none. */
  match(method: string, pathname: string): MatchedOperation | null {
    for (const template of this.#templates) {
      if (template.operation.method !== method.toUpperCase()) continue;
      const found = template.regex.exec(pathname);
      if (!found) continue;
      const params: Record<string, string> = {};
      template.names.forEach((name, index) => {
        params[name] = safeDecode(found[index + 1] ?? "");
      });
      return { operation: template.operation, params };
    }
    return null;
  }

  /** Everything wrong with a request to a matched operation; `body` undefined means no body was sent. */
  checkRequest(matched: MatchedOperation, query: URLSearchParams, body: unknown): RequestProblem[] {
    const { operation } = matched;
    const checks = this.#compile(operation);
    const problems: RequestProblem[] = [];
    if (!checks.path({ ...matched.params })) {
      problems.push({
        kind: "invalid-request",
        reason: `path parameters: ${describeErrors(checks.path.errors)}`,
        status: 404,
      });
    }
    const queryValues: Record<string, string> = {};
    const known = new Set(operation.parameters.filter((p) => p.in === "query").map((p) => p.name));
    for (const [name, value] of query) {
      if (!known.has(name)) {
        problems.push({
          kind: "unknown-query-parameter",
          reason: `query parameter "${name}" is not defined for ${operation.operationId} (GitHub ignores it)`,
          status: null,
        });
        continue;
      }
      queryValues[name] = value;
    }
    if (!checks.query(queryValues)) {
      problems.push({ kind: "invalid-request", reason: `query: ${describeErrors(checks.query.errors)}`, status: 422 });
    }
    problems.push(...this.#checkBody(operation, checks, body));
    return problems;
  }

  /**
   * Problems with a simulator answer (used by the simulator's own tests); empty when the
   * description has no schema for that status.
   */
  checkResponse(operationId: string, status: number, body: Json): string[] {
    const validate = this.#responseValidator(operationId, status);
    if (!validate || validate(body)) return [];
    return (validate.errors ?? [])
      .slice(0, 5)
      .map((error) => `${error.instancePath || "/"} ${error.message ?? "is invalid"}`);
  }

  #checkBody(operation: OperationSpec, checks: CompiledChecks, body: unknown): RequestProblem[] {
    const isEmptyObject =
      typeof body === "object" && body !== null && !Array.isArray(body) && Object.keys(body).length === 0;
    if (!operation.requestBody) {
      if (body === undefined || isEmptyObject) return [];
      return [
        {
          kind: "invalid-request",
          reason: `${operation.operationId} takes no request body, got ${JSON.stringify(body).slice(0, 200)}`,
          status: 422,
        },
      ];
    }
    if (body === undefined) {
      return operation.requestBody.required
        ? [{ kind: "invalid-request", reason: "Invalid request.\n\nNo body was sent.", status: 422 }]
        : [];
    }
    if (checks.body && !checks.body(body)) {
      return [
        { kind: "invalid-request", reason: `Invalid request.\n\n${describeErrors(checks.body.errors)}`, status: 422 },
      ];
    }
    return [];
  }

  #compile(operation: OperationSpec): CompiledChecks {
    const cached = this.#checks.get(operation.operationId);
    if (cached) return cached;
    const compiled: CompiledChecks = {
      path: this.#parameterAjv.compile(parameterObjectSchema(operation.parameters.filter((p) => p.in === "path"))),
      query: this.#parameterAjv.compile(parameterObjectSchema(operation.parameters.filter((p) => p.in === "query"))),
      body: operation.requestBody
        ? this.#requestAjv.compile(
            relaxOneOf(rewriteNullable(forbidUnknownProperties(operation.requestBody.schema))) as JsonObject,
          )
        : null,
    };
    this.#checks.set(operation.operationId, compiled);
    return compiled;
  }

  #responseValidator(operationId: string, status: number): ValidateFunction | null {
    const key = `${operationId} ${status}`;
    if (this.#responseChecks.has(key)) return this.#responseChecks.get(key) ?? null;
    if (!this.#responseSchemasAdded) {
      const schemas = Object.fromEntries(
        Object.entries(this.subset.schemas).map(([name, schema]) => [
          name,
          retargetRefs(relaxOneOf(rewriteNullable(schema)), SCHEMAS_DOCUMENT_ID),
        ]),
      );
      this.#responseAjv.addSchema({ $id: SCHEMAS_DOCUMENT_ID, schemas }, SCHEMAS_DOCUMENT_ID);
      this.#responseSchemasAdded = true;
    }
    const schema = this.subset.operations.find((op) => op.operationId === operationId)?.responses[String(status)];
    const validate = schema
      ? this.#responseAjv.compile(retargetRefs(relaxOneOf(rewriteNullable(schema)), SCHEMAS_DOCUMENT_ID) as JsonObject)
      : null;
    this.#responseChecks.set(key, validate);
    return validate;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
