// The compiled form of `npm start` (plain ESM: it runs before any TypeScript loader). scripts/start.ts and the
// worker entries it starts are bundled by esbuild into node_modules/.cache/outrun-start/<build>/ — our packages
// inlined, npm packages left as imports (resolved from the repository's node_modules), dynamic imports kept as
// chunks so what idle does not use is still loaded on first use. Why: under tsx every module is transformed at
// load time and tsx's loader runs in a thread of its own; the compiled stack starts from plain JavaScript
// (docs/performance.md, idle memory). A build is reused until a source it was built from changes (mtime).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const WORKSPACE_SCOPE = '@outrun/';
/** Worker entries found next to the compiled code (`new URL('./x.js', import.meta.url)` in the sources). */
const ENTRIES = {
  start: 'scripts/start.ts',
  'runner-thread-entry': 'services/runner/src/thread/runner-thread-entry.ts',
  'expression-worker': 'packages/sandbox/src/expression-worker.ts',
  'code-worker': 'packages/sandbox/src/code/code-worker.ts',
};
/** Plain-JavaScript worker files loaded next to the code that starts them. */
const COPIED = [
  'services/runner/src/thread/boot.mjs',
  'packages/sandbox/src/worker-boot.mjs',
  'packages/queue/src/bullmq/lock-heartbeat-thread.mjs',
  'packages/queue/src/bullmq/lock-heartbeat-redis.mjs',
];
/**
 * A build not started for this long, and not among the newest few, is removed: a stack still running from an older
 * build loads its lazy chunks (MongoDB store, BullMQ adapters, …) from its own directory on first use.
 */
const KEEP_OLD_BUILDS_MS = 7 * 24 * 3600_000;
const KEEP_NEWEST_BUILDS = 3;

const cacheDir = (root) => join(root, 'node_modules', '.cache', 'outrun-start');
const pointerFile = (root) => join(cacheDir(root), 'current.json');

/** Workspace manifests (their `exports` decide what an import resolves to) also make a build stale. */
function manifests(root) {
  const out = ['package.json'];
  for (const group of ['packages', 'services', 'connectors']) {
    for (const name of readdirSync(join(root, group), { withFileTypes: true })) {
      if (name.isDirectory() && existsSync(join(root, group, name.name, 'package.json'))) out.push(join(group, name.name, 'package.json'));
    }
  }
  return out;
}

const mtimeOf = (file) => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
};

/** The current build's directory when every file it was built from is unchanged; null = build again. */
export function freshBuild(root) {
  let current;
  try {
    current = JSON.parse(readFileSync(pointerFile(root), 'utf8'));
  } catch {
    return null;
  }
  if (current.node !== process.version || !existsSync(join(current.dir, 'start.js'))) return null;
  for (const [file, mtime] of Object.entries(current.inputs)) if (mtimeOf(join(root, file)) !== mtime) return null;
  try {
    const now = new Date();
    utimesSync(current.dir, now, now); // started now: kept while in use (removeOldBuilds)
  } catch {
    // a read-only cache still runs
  }
  return current.dir;
}

/** Bundles the stack into a new build directory and makes it current. @returns its directory. */
export async function buildStart(root) {
  const { build, stop } = await import('esbuild');
  const dir = join(cacheDir(root), `build-${Date.now()}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, join(root, file)])),
    outdir: dir,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    plugins: [
      {
        name: 'external-npm-packages',
        setup(b) {
          // As scripts/image/build-tree.ts: our workspace packages are bundled, every other bare import stays one.
          b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith(WORKSPACE_SCOPE) || args.path.startsWith('node:') ? undefined : { path: args.path, external: true }));
        },
      },
    ],
  });
  await stop(); // esbuild's service process would otherwise live on beside the stack (≈ 30 MB)
  for (const file of COPIED) cpSync(join(root, file), join(dir, file.slice(file.lastIndexOf('/') + 1)));
  writeFileSync(join(dir, 'metafile.json'), JSON.stringify(result.metafile)); // what each chunk imports (esbuild's analyzer reads it)
  const inputs = {};
  for (const input of [...Object.keys(result.metafile.inputs).map((p) => relative(root, join(root, p))), ...COPIED, ...manifests(root)]) inputs[input] = mtimeOf(join(root, input));
  // Atomic switch: a start running at the same time reads either the old pointer or the new one.
  const tmp = `${pointerFile(root)}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ dir, node: process.version, inputs }));
  renameSync(tmp, pointerFile(root));
  removeOldBuilds(root, dir);
  return dir;
}

function removeOldBuilds(root, keep) {
  const builds = readdirSync(cacheDir(root), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(cacheDir(root), entry.name))
    .sort((a, b) => mtimeOf(b) - mtimeOf(a));
  for (const path of builds.slice(KEEP_NEWEST_BUILDS)) {
    if (path !== keep && Date.now() - mtimeOf(path) > KEEP_OLD_BUILDS_MS) rmSync(path, { recursive: true, force: true });
  }
}
