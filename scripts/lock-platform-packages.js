#!/usr/bin/env node
// This workplace's npm mirror lacks the other platforms' builds of some native packages
// (@msgpackr-extract/*-darwin-*, …), so `npm install` here leaves them out of package-lock.json,
// and `npm ci` then refuses the lock ("Missing: … from lock file"), here and on every other
// machine. This puts the missing optional entries back with the os/cpu fields npm itself writes,
// so npm skips them on other platforms and fetches them by name@version where they apply.
// Run it after changing dependencies: `node scripts/lock-platform-packages.js`.
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const file = join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(readFileSync(file, 'utf8'));
const OS = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openbsd', 'sunos', 'aix'];
const CPU = ['arm64', 'x64', 'arm', 'ia32', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el'];

let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = path === '' ? '' : `${path}/`;
    const key = `${base}node_modules/${name}`;
    if (lock.packages[key] || lock.packages[`node_modules/${name}`]) continue;
    const parts = name.split(/[/-]/);
    const os = OS.filter((o) => parts.includes(o) || (o === 'win32' && parts.includes('windows')));
    const cpu = CPU.filter((c) => parts.includes(c) || (c === 'arm' && parts.includes('gnueabihf')));
    if (os.length === 0 && cpu.length === 0) continue; // not a platform build: leave to npm
    const pinned = String(version).replace(/^[\^~=]/, '');
    lock.packages[key] = {
      version: pinned,
      ...(cpu.length ? { cpu } : {}),
      ...(os.length ? { os } : {}),
      ...(parts.includes('musl') ? { libc: ['musl'] } : parts.includes('gnu') ? { libc: ['glibc'] } : {}),
      optional: true,
      ...(entry.dev ? { dev: true } : {}),
      ...(entry.devOptional ? { devOptional: true } : {}),
    };
    added++;
  }
}
const sorted = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
lock.packages = sorted;
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: added ${added} platform-specific optional entr${added === 1 ? 'y' : 'ies'}`);
