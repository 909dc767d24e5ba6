/**
 * Adds the lockfile entries that `npm install` leaves out on this machine kind, so `npm ci` accepts
 * the lockfile. Run after every `npm install`: `node scripts/complete-lockfile.mjs`.
 *
 * Why: the registry this project is built against answers 404 for other platforms' native binaries
 * (@swc/core-darwin-arm64, @unrs/resolver-binding-win32-*, ...), so npm cannot record them, and
 * `npm ci` then refuses the lockfile ("Missing: @swc/core-darwin-arm64@ from lock file"). Each missing
 * optional dependency gets an entry with its pinned version and `optional: true`; npm ci skips
 * optional packages that do not fit the platform (or fail to fetch), so nothing more is downloaded.
 */
import fs from "node:fs";
const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8"));
const pk = lock.packages;
let added = [];
for (const [path, meta] of Object.entries(pk)) {
  for (const [name, range] of Object.entries(meta.optionalDependencies ?? {})) {
    // resolve like node: nearest node_modules
    let base = path;
    let found = false;
    while (true) {
      const cand = (base ? base + "/" : "") + "node_modules/" + name;
      if (pk[cand]) {
        found = true;
        break;
      }
      if (!base) break;
      const i = base.lastIndexOf("/node_modules/");
      base = i < 0 ? "" : base.slice(0, i);
    }
    if (!found) {
      const key = (path ? path + "/" : "") + "node_modules/" + name;
      const top = "node_modules/" + name;
      const k = pk[top] ? key : top;
      pk[k] = { version: range, optional: true, ...(meta.dev ? { dev: true } : {}) };
      added.push(k + "@" + range);
    }
  }
}
fs.writeFileSync("package-lock.json", JSON.stringify(lock, null, 2) + "\n");
console.log(
  `${added.length} optional platform entr${added.length === 1 ? "y" : "ies"} added${added.length ? ":\n  " + added.join("\n  ") : ""}`,
);
