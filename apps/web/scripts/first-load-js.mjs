#!/usr/bin/env node
/**
 * Prints the first-load JavaScript of app routes from a production build (`next build` with Turbopack no longer
 * prints it): the root main chunks plus the route's entry chunks, raw and gzipped.
 * Usage: node scripts/first-load-js.mjs [route…]   (default: every page of the app)
 */
import { readFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import vm from 'node:vm';

const NEXT = join(import.meta.dirname, '..', '.next');
if (!existsSync(join(NEXT, 'BUILD_ID'))) {
  console.error('No production build: run `npx next build` in apps/web first.');
  process.exit(1);
}

function pages(dir = join(NEXT, 'server', 'app'), prefix = '') {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (name === 'page_client-reference-manifest.js') out.push(prefix || '/');
    else if (statSync(full).isDirectory()) out.push(...pages(full, `${prefix}/${name}`));
  }
  return out;
}

function entryFiles(route) {
  const file = join(NEXT, 'server', 'app', route === '/' ? '' : route, 'page_client-reference-manifest.js');
  const sandbox = { globalThis: {} };
  sandbox.globalThis = sandbox;
  vm.runInNewContext(readFileSync(file, 'utf8'), sandbox);
  const manifests = sandbox.__RSC_MANIFEST ?? {};
  const manifest = manifests[`${route === '/' ? '' : route}/page`] ?? Object.values(manifests)[0] ?? {};
  return Object.values(manifest.entryJSFiles ?? {}).flat();
}

const build = JSON.parse(readFileSync(join(NEXT, 'build-manifest.json'), 'utf8'));
const root = [...(build.rootMainFiles ?? [])];
const routes = process.argv.slice(2).length > 0 ? process.argv.slice(2) : pages().filter((p) => !p.startsWith('/_'));
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log('route'.padEnd(24), 'first-load JS (raw)'.padStart(20), '(gzip)'.padStart(12));
for (const route of routes) {
  const files = [...new Set([...root, ...entryFiles(route)])].filter((f) => f.endsWith('.js'));
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const bytes = readFileSync(join(NEXT, f));
    raw += bytes.length;
    gz += gzipSync(bytes).length;
  }
  console.log(route.padEnd(24), kib(raw).padStart(20), kib(gz).padStart(12));
}
