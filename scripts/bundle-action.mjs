#!/usr/bin/env node
/**
 * Bundles the GitHub Action (src/action/main.ts) with esbuild into dist/action/: one ES module entry
 * (index.mjs) and the chunks it loads on demand (`command: lint` never loads Probot). Run by
 * `npm run build` and by the release workflow, which commits dist/ on the release tag only.
 * The bundle reads the templates from ../../templates (the repository root, as lib/ does).
 */
import { build } from "esbuild";
import { rmSync } from "node:fs";

const outdir = new URL("../dist/action/", import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: { index: new URL("../src/action/main.ts", import.meta.url).pathname },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outExtension: { ".js": ".mjs" },
  // Chunks beside the entry: the templates are ../../templates from every file of the bundle.
  chunkNames: "[name]-[hash]",
  // Only with REDIS_URL, which the Action never sets.
  external: ["ioredis", "bullmq"],
  // CommonJS dependencies call require(); give the ES module bundle one.
  banner: {
    js: "import { createRequire as __ikCreateRequire } from 'node:module'; const require = __ikCreateRequire(import.meta.url);",
  },
  legalComments: "linked",
  minify: true,
  sourcemap: false,
  metafile: true,
  logLevel: "warning",
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(`dist/action: ${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1024).toFixed(0)} KiB`);
