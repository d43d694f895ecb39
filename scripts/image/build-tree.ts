/**
 * Builds the file tree of a service image (what `services/Dockerfile` copies into its runtime stage), so it can be
 * built and started without a Docker engine:  `tsx scripts/image/build-tree.ts <api|listener|runner> <outDir>`
 *
 *   lib/<service>/main.js                the service compiled to one JavaScript file (esbuild: our packages inlined,
 *                                        npm packages left as imports); started with `node lib/<service>/main.js`
 *   lib/<service>/expression-worker.js   the expression sandbox's worker, compiled the same way
 *   lib/<service>/code-worker.js         the code node's worker (QuickJS WASM from node_modules), the same way
 *   lib/<service>/*.mjs                  plain-JavaScript worker files loaded next to main.js (`new URL(…, import.meta.url)`)
 *   pricing/                             the AI price table (`packages/nodes/pricing`, read at run time)
 *   node_modules/                        production dependencies only: those our packages declare, and theirs,
 *                                        copied from this checkout's install (native addons already compiled)
 *
 * No tsx, TypeScript, dev dependency or source file is in the tree.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

export const IMAGE_SERVICES = ['api', 'listener', 'runner'] as const;
export type ImageService = (typeof IMAGE_SERVICES)[number];

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const WORKSPACE_SCOPE = '@outrun/';

interface PackageJson {
  name: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
/** Declared dependencies only needed to run from TypeScript source (the sandbox's worker-boot registers tsx for a `.ts` entry). */
const SOURCE_ONLY = new Set(['tsx']);
const readPackage = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
const runtimeDeps = (pkg: PackageJson) => Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies });

/** Our workspace packages stay in the bundle; every other bare import is an npm package, left as an import. */
const externalNpmPackages: Plugin = {
  name: 'external-npm-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith(WORKSPACE_SCOPE) || args.path.startsWith('node:') ? undefined : { path: args.path, external: true }));
  },
};

/** The npm packages a service needs at run time: its own dependencies and those of the workspace packages it uses. */
function npmDependencies(service: ImageService): string[] {
  const npm = new Set<string>();
  const seen = new Set<string>();
  const visit = (dir: string) => {
    for (const name of runtimeDeps(readPackage(dir))) {
      if (SOURCE_ONLY.has(name)) continue;
      if (!name.startsWith(WORKSPACE_SCOPE)) npm.add(name);
      else if (!seen.has(name)) {
        seen.add(name);
        visit(join(root, 'node_modules', name)); // the workspace symlink
      }
    }
  };
  visit(join(root, 'services', service));
  return [...npm].sort();
}

/** Finds `name` as Node would from `fromDir`: the nearest node_modules/<name> up the tree. */
function locate(name: string, fromDir: string): string | null {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === dirname(dir)) return null;
  }
}

/** Build inputs and intermediates a native package keeps after compiling: not needed to load it. */
const BUILD_LEFTOVERS: Record<string, string[]> = {
  'better-sqlite3': ['deps', 'src', 'build/Release/obj', 'build/Release/obj.target', 'build/Release/.deps', 'build/Release/test_extension.node', 'build/deps'],
  // 13 (Node 22+) ships prebuilt binaries for every platform: only this one's (glibc or musl) is kept.
  'better-sqlite3-napi': ['deps', 'src', 'binding.gyp', ...otherPrebuilds('better-sqlite3-napi')],
};

/** `prebuilds/<platform>-<arch>.node` files of a package that are not for this machine's platform and arch. */
function otherPrebuilds(name: string): string[] {
  const dir = join(root, 'node_modules', name, 'prebuilds');
  if (!existsSync(dir)) return [];
  const platform = process.platform === 'linux' ? /^linux(musl)?-/ : new RegExp(`^${process.platform}-`);
  return readdirSync(dir)
    .filter((file) => !(platform.test(file) && file.endsWith(`-${process.arch}.node`)))
    .map((file) => join('prebuilds', file));
}

/**
 * Copies `names` and everything they depend on (production only) into out/node_modules, flattened like npm does.
 * A package npm nested inside another (another version it needs) comes along with its parent's folder, but its own
 * dependencies are still followed: those hoisted to the top level must be copied too (ajv under the MCP SDK needs
 * the top-level fast-deep-equal).
 */
function copyDependencies(names: string[], out: string): number {
  const topLevel = (name: string) => join(root, 'node_modules', name);
  const copied = new Set<string>();
  const visited = new Set<string>();
  const queue = names.map((name) => ({ name, from: root }));
  while (queue.length > 0) {
    const { name, from } = queue.shift()!;
    const dir = locate(name, from);
    if (!dir) {
      const optional = from !== root;
      if (optional) continue; // an optional dependency this platform did not install
      throw new Error(`${name} is not installed: run npm ci first`);
    }
    if (visited.has(dir)) continue;
    visited.add(dir);
    if (dir === topLevel(name)) {
      copied.add(name);
      const target = join(out, 'node_modules', name);
      // Nested node_modules (another version a package needs) come along with the package's folder.
      cpSync(dir, target, { recursive: true, dereference: true });
      for (const unused of BUILD_LEFTOVERS[name] ?? []) rmSync(join(target, unused), { recursive: true, force: true });
    }
    for (const dep of runtimeDeps(readPackage(dir))) queue.push({ name: dep, from: dir });
  }
  return copied.size;
}

/** Builds the tree into `out` (emptied first). @returns the number of npm packages copied. */
export async function buildImageTree(service: ImageService, out: string): Promise<{ packages: number }> {
  rmSync(out, { recursive: true, force: true });
  const lib = join(out, 'lib', service);
  mkdirSync(lib, { recursive: true });
  await build({
    entryPoints: {
      main: join(root, 'services', service, 'src', 'main.ts'),
      'expression-worker': join(root, 'packages', 'sandbox', 'src', 'expression-worker.ts'),
      'code-worker': join(root, 'packages', 'sandbox', 'src', 'code', 'code-worker.ts'),
    },
    outdir: lib,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [externalNpmPackages],
  });
  cpSync(join(root, 'packages', 'sandbox', 'src', 'worker-boot.mjs'), join(lib, 'worker-boot.mjs'));
  cpSync(join(root, 'packages', 'queue', 'src', 'bullmq', 'lock-heartbeat-thread.mjs'), join(lib, 'lock-heartbeat-thread.mjs'));
  cpSync(join(root, 'packages', 'queue', 'src', 'bullmq', 'lock-heartbeat-redis.mjs'), join(lib, 'lock-heartbeat-redis.mjs'));
  cpSync(join(root, 'packages', 'nodes', 'pricing'), join(out, 'pricing'), { recursive: true });
  writeFileSync(join(out, 'package.json'), `${JSON.stringify({ name: `outrun-${service}`, private: true, type: 'module' }, null, 2)}\n`);
  return { packages: copyDependencies(npmDependencies(service), out) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [service, out] = process.argv.slice(2);
  if (!IMAGE_SERVICES.includes(service as ImageService) || !out) {
    process.stderr.write('usage: tsx scripts/image/build-tree.ts <api|listener|runner> <outDir>\n');
    process.exit(2);
  }
  const started = Date.now();
  const { packages } = await buildImageTree(service as ImageService, resolve(out));
  process.stdout.write(`${service}: image tree in ${out} (${packages} npm packages) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
