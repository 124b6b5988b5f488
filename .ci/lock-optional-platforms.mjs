// The npm registry reachable here does not serve msgpackr-extract's macOS/Windows/armv7 builds
// (optional, platform-specific dependencies of bullmq's msgpackr), so `npm install` leaves them
// out of package-lock.json and `npm ci` then refuses the lock as out of sync. This puts their
// entries back (no tarball is needed: npm skips them on other platforms). Run after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const extract = lock.packages['node_modules/msgpackr-extract'];
let added = 0;
for (const dep of Object.keys(extract?.optionalDependencies ?? {})) {
  const key = `node_modules/${dep}`;
  if (lock.packages[key]) continue;
  const [, os, cpu] = /msgpackr-extract-(\w+)-(\w+)$/.exec(dep) ?? [];
  lock.packages[key] = {
    version: extract.optionalDependencies[dep],
    cpu: [cpu],
    license: 'MIT',
    optional: true,
    os: [os],
  };
  added++;
}
const [root, ...rest] = Object.entries(lock.packages);
lock.packages = Object.fromEntries([root, ...rest.sort(([a], [b]) => a.localeCompare(b))]);
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} platform entries added`);
