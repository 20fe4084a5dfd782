// The npm registry reachable here serves only this platform's builds of packages
// that ship per-platform binaries (biome, esbuild, rolldown…), so `npm install`
// writes a lockfile without the other platforms' optional entries and `npm ci`
// then refuses it as out of sync. This adds those entries back as optional,
// resolved-less records: `npm ci` accepts the lock and skips them (wrong os/cpu,
// or a tolerated optional failure). Run after changing dependencies.
import { readFileSync, writeFileSync } from "node:fs";

const path = "package-lock.json";
const lock = JSON.parse(readFileSync(path, "utf8"));
const pkgs = lock.packages;
let added = 0;
for (const [loc, entry] of Object.entries(pkgs)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${loc ? `${loc}/` : ""}node_modules/${name}`;
    if (pkgs[nested] || pkgs[`node_modules/${name}`]) continue;
    if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec)) continue;
    pkgs[`node_modules/${name}`] = { version: spec, dev: entry.dev || undefined, optional: true };
    added++;
  }
}
const sorted = Object.fromEntries(
  Object.entries(pkgs).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1)),
);
lock.packages = sorted;
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`fix-lock-optional: added ${added} optional platform entries`);
