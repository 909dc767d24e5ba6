/**
 * The JSON Schema of `.github/incident-keeper.yml`, generated from the zod schema (zod's
 * `z.toJSONSchema`), for editors' YAML completion. Committed as `schema/incident-keeper.schema.json`
 * (`node scripts/generate-config-schema.mjs`); a test keeps the two equal.
 */
import { z } from "zod";
import { configSchema } from "./schema.js";

export const CONFIG_SCHEMA_ID =
  "https://raw.githubusercontent.com/acme/incident-keeper/main/schema/incident-keeper.schema.json";

/** The schema of the file as people write it: every key optional, defaults shown. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    $id: CONFIG_SCHEMA_ID,
    title: "incident-keeper configuration (.github/incident-keeper.yml)",
    description: "Policies of incident-keeper. Unknown keys are errors. See the README's Configuration section.",
    ...schema,
    properties: {
      // Probot's config loader: inherit another repository's file (`other-repo` or `owner/repo`).
      _extends: {
        type: "string",
        description: "Inherit from another repository's .github/incident-keeper.yml (repo or owner/repo).",
      },
      ...(schema.properties as Record<string, unknown>),
    },
  };
}
