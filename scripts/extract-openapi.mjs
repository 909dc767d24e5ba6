#!/usr/bin/env node
/**
 * Regenerates simulator/src/openapi-subset.json: the part of GitHub's REST API description
 * (@octokit/openapi, file generated/api.github.com.json) that the GitHub simulator implements.
 *
 * The package is ~385 MB installed, so it is installed into a throw-away directory and never
 * becomes a dependency of the project:
 *
 *   node scripts/extract-openapi.mjs                 # installs @octokit/openapi@23.0.2 into a temp dir
 *   node scripts/extract-openapi.mjs --spec FILE     # or reads an api.github.com.json you already have
 *
 * Output, per operation: method, path template, operationId, the path/query parameters with their
 * schemas, the JSON request-body schema with every $ref inlined, and the JSON schemas of the
 * 2xx responses. Response schemas keep their $refs ("#/schemas/NAME") into a shared `schemas`
 * map so the file stays small; the simulator's own tests use them to check its answers.
 * Descriptions and examples are dropped. OpenAPI's `nullable` is kept as is: the runtime
 * validator rewrites it (simulator/src/openapi-validator.ts).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE = "@octokit/openapi@23.0.2";
const OUTPUT = join(dirname(fileURLToPath(import.meta.url)), "..", "simulator", "src", "openapi-subset.json");

/** Every operation the simulator serves: [method, path template]. Keep in sync with simulator/src/routes. */
const OPERATIONS = [
  ["get", "/app"],
  ["get", "/app/installations"],
  ["get", "/app/hook/deliveries"],
  ["post", "/app/hook/deliveries/{delivery_id}/attempts"],
  ["post", "/app/installations/{installation_id}/access_tokens"],
  ["get", "/installation/repositories"],
  ["get", "/repos/{owner}/{repo}/installation"],
  ["get", "/orgs/{org}/installation"],
  ["get", "/users/{username}/installation"],
  ["get", "/repos/{owner}/{repo}"],
  ["get", "/repos/{owner}/{repo}/contents/{path}"],
  ["put", "/repos/{owner}/{repo}/contents/{path}"],
  ["get", "/repos/{owner}/{repo}/git/ref/{ref}"],
  ["post", "/repos/{owner}/{repo}/git/refs"],
  ["get", "/repos/{owner}/{repo}/collaborators/{username}/permission"],
  ["get", "/repos/{owner}/{repo}/issues"],
  ["post", "/repos/{owner}/{repo}/issues"],
  ["get", "/repos/{owner}/{repo}/issues/{issue_number}"],
  ["patch", "/repos/{owner}/{repo}/issues/{issue_number}"],
  ["put", "/repos/{owner}/{repo}/issues/{issue_number}/lock"],
  ["delete", "/repos/{owner}/{repo}/issues/{issue_number}/lock"],
  ["post", "/repos/{owner}/{repo}/issues/{issue_number}/assignees"],
  ["delete", "/repos/{owner}/{repo}/issues/{issue_number}/assignees"],
  ["get", "/repos/{owner}/{repo}/issues/{issue_number}/comments"],
  ["post", "/repos/{owner}/{repo}/issues/{issue_number}/comments"],
  ["get", "/repos/{owner}/{repo}/issues/comments"],
  ["get", "/repos/{owner}/{repo}/issues/comments/{comment_id}"],
  ["patch", "/repos/{owner}/{repo}/issues/comments/{comment_id}"],
  ["delete", "/repos/{owner}/{repo}/issues/comments/{comment_id}"],
  ["get", "/repos/{owner}/{repo}/labels"],
  ["post", "/repos/{owner}/{repo}/labels"],
  ["get", "/repos/{owner}/{repo}/labels/{name}"],
  ["patch", "/repos/{owner}/{repo}/labels/{name}"],
  ["delete", "/repos/{owner}/{repo}/labels/{name}"],
  ["get", "/repos/{owner}/{repo}/issues/{issue_number}/labels"],
  ["post", "/repos/{owner}/{repo}/issues/{issue_number}/labels"],
  ["put", "/repos/{owner}/{repo}/issues/{issue_number}/labels"],
  ["delete", "/repos/{owner}/{repo}/issues/{issue_number}/labels"],
  ["delete", "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}"],
  ["get", "/repos/{owner}/{repo}/issues/{issue_number}/timeline"],
  ["get", "/repos/{owner}/{repo}/pulls"],
  ["post", "/repos/{owner}/{repo}/pulls"],
  ["get", "/repos/{owner}/{repo}/pulls/{pull_number}"],
  ["patch", "/repos/{owner}/{repo}/pulls/{pull_number}"],
  ["put", "/repos/{owner}/{repo}/pulls/{pull_number}/merge"],
  ["get", "/repos/{owner}/{repo}/pulls/{pull_number}/files"],
  ["post", "/repos/{owner}/{repo}/check-runs"],
  ["patch", "/repos/{owner}/{repo}/check-runs/{check_run_id}"],
  ["get", "/repos/{owner}/{repo}/commits/{ref}/check-runs"],
  ["get", "/repos/{owner}/{repo}/compare/{basehead}"],
  ["get", "/search/issues"],
  ["get", "/user/installations"],
  ["get", "/user/installations/{installation_id}/repositories"],
];

/**
 * Places where the description disagrees with the live API; each patch says why.
 * `issues/set-labels`: the description demands `minItems: 1`, but its own text (and the API)
 * accept `{ labels: [] }` to remove every label.
 */
const PATCHES = {
  "issues/set-labels": (op) => {
    for (const branch of op.requestBody?.schema?.oneOf ?? []) {
      if (branch.properties?.labels) delete branch.properties.labels.minItems;
    }
  },
};

const DROPPED_KEYS = new Set(["description", "example", "examples", "externalDocs", "title"]);

function parseArgs(argv) {
  const i = argv.indexOf("--spec");
  return i >= 0 ? { spec: argv[i + 1] } : {};
}

function loadSpec(specPath) {
  if (specPath) return { spec: JSON.parse(readFileSync(specPath, "utf8")), cleanup: () => {} };
  const dir = mkdtempSync(join(tmpdir(), "openapi-"));
  console.error(`installing ${PACKAGE} into ${dir} (~385 MB, not added to package.json)`);
  execFileSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", dir, PACKAGE], {
    stdio: "inherit",
  });
  const file = join(dir, "node_modules", "@octokit", "openapi", "generated", "api.github.com.json");
  return { spec: JSON.parse(readFileSync(file, "utf8")), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function lookup(spec, ref) {
  if (!ref.startsWith("#/")) throw new Error(`external $ref not supported: ${ref}`);
  return ref
    .slice(2)
    .split("/")
    .reduce((node, key) => node[key.replace(/~1/g, "/").replace(/~0/g, "~")], spec);
}

/** Copies a schema without documentation keys; $refs are inlined (`inline`) or rewritten to #/schemas/NAME. */
function clean(spec, node, { inline, used, seen = [] }) {
  if (Array.isArray(node)) return node.map((item) => clean(spec, item, { inline, used, seen }));
  if (node === null || typeof node !== "object") return node;
  if (typeof node.$ref === "string") {
    if (inline) {
      if (seen.includes(node.$ref)) throw new Error(`recursive $ref cannot be inlined: ${node.$ref}`);
      return clean(spec, lookup(spec, node.$ref), { inline, used, seen: [...seen, node.$ref] });
    }
    const name = node.$ref.replace("#/components/schemas/", "");
    used.add(name);
    return { $ref: `#/schemas/${name}` };
  }
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED_KEYS.has(key) || key.startsWith("x-")) continue;
    // Under `properties` the keys are property names (a property may be called "title").
    out[key] =
      key === "properties"
        ? cleanProperties(spec, value, { inline, used, seen })
        : clean(spec, value, { inline, used, seen });
  }
  return out;
}

function cleanProperties(spec, properties, options) {
  const out = {};
  for (const [name, schema] of Object.entries(properties)) out[name] = clean(spec, schema, options);
  return out;
}

function jsonSchemaOf(spec, content) {
  const media = content?.["application/json"] ?? content?.["application/scim+json"];
  return media?.schema;
}

function extractOperation(spec, method, path, used) {
  const item = spec.paths[path];
  const op = item?.[method];
  if (!op) throw new Error(`operation not found in the description: ${method.toUpperCase()} ${path}`);
  const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])]
    .map((p) => (p.$ref ? lookup(spec, p.$ref) : p))
    .filter((p) => p.in === "path" || p.in === "query")
    .map((p) => ({
      name: p.name,
      in: p.in,
      required: p.required === true,
      schema: clean(spec, p.schema ?? {}, { inline: true, used }),
    }));
  const body = op.requestBody?.$ref ? lookup(spec, op.requestBody.$ref) : op.requestBody;
  const bodySchema = body ? jsonSchemaOf(spec, body.content) : undefined;
  const responses = {};
  for (const [status, response] of Object.entries(op.responses ?? {})) {
    if (!/^2\d\d$/.test(status)) continue;
    const resolved = response.$ref ? lookup(spec, response.$ref) : response;
    const schema = jsonSchemaOf(spec, resolved.content);
    responses[status] = schema ? clean(spec, schema, { inline: false, used }) : null;
  }
  const extracted = {
    method: method.toUpperCase(),
    path,
    operationId: op.operationId,
    parameters,
    requestBody: bodySchema
      ? { required: body.required === true, schema: clean(spec, bodySchema, { inline: true, used }) }
      : null,
    responses,
  };
  PATCHES[op.operationId]?.(extracted);
  return extracted;
}

function collectSchemas(spec, used) {
  const schemas = {};
  const queue = [...used];
  while (queue.length > 0) {
    const name = queue.pop();
    if (schemas[name]) continue;
    const found = new Set();
    schemas[name] = clean(spec, spec.components.schemas[name], { inline: false, used: found });
    for (const next of found) if (!schemas[next]) queue.push(next);
  }
  return Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
}

function main() {
  const { spec, cleanup } = loadSpec(parseArgs(process.argv.slice(2)).spec);
  try {
    const used = new Set();
    const operations = OPERATIONS.map(([method, path]) => extractOperation(spec, method, path, used));
    const subset = {
      source: `${PACKAGE} generated/api.github.com.json (info.version ${spec.info.version})`,
      generatedBy: "scripts/extract-openapi.mjs",
      operations,
      schemas: collectSchemas(spec, used),
    };
    const text = `${JSON.stringify(subset, null, 1)}\n`;
    writeFileSync(OUTPUT, text);
    console.error(
      `wrote ${OUTPUT}: ${operations.length} operations, ${Object.keys(subset.schemas).length} schemas, ${(text.length / 1024).toFixed(0)} KiB`,
    );
  } finally {
    cleanup();
  }
}

main();
