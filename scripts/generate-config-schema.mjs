// Writes schema/incident-keeper.schema.json from the zod schema (run after `npm run build`).
import { mkdirSync, writeFileSync } from "node:fs";
import { configJsonSchema } from "../lib/config/json-schema.js";

const url = new URL("../schema/incident-keeper.schema.json", import.meta.url);
mkdirSync(new URL("../schema/", import.meta.url), { recursive: true });
writeFileSync(url, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log(`wrote ${url.pathname}`);
