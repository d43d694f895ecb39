/**
 * Which npm packages the compiled `npm start` loads before it serves anything (docs/performance.md, idle memory):
 * from the current build's esbuild metafile, the chunks reachable from `start.js` through static imports, and the
 * npm packages those import. What only a dynamic import reaches is loaded on first use.
 * `npx tsx bench/start-eager-packages.ts` (after one `npm start`, which builds).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Output {
  imports: Array<{ path: string; kind: string; external?: boolean }>;
  inputs: Record<string, { bytesInOutput: number }>;
}
const root = fileURLToPath(new URL('..', import.meta.url));
const { dir } = JSON.parse(readFileSync(join(root, 'node_modules/.cache/outrun-start/current.json'), 'utf8')) as { dir: string };
const meta = JSON.parse(readFileSync(join(dir, 'metafile.json'), 'utf8')) as { outputs: Record<string, Output> };
const byName = new Map(Object.entries(meta.outputs).map(([path, out]) => [path.slice(path.lastIndexOf('/') + 1), { path, out }]));

const eager = new Set<string>();
const packages = new Map<string, number>();
const lazy = new Set<string>();
const visit = (name: string) => {
  if (eager.has(name)) return;
  eager.add(name);
  for (const imp of byName.get(name)!.out.imports) {
    if (imp.external) {
      const pkg = imp.path.startsWith('@') ? imp.path.split('/').slice(0, 2).join('/') : imp.path.split('/')[0]!;
      if (imp.kind === 'import-statement' || imp.kind === 'require-call') packages.set(pkg, (packages.get(pkg) ?? 0) + 1);
      else lazy.add(pkg);
    } else if (imp.kind === 'import-statement') visit(imp.path.slice(imp.path.lastIndexOf('/') + 1));
  }
};
visit('start.js');
const bytes = [...eager].reduce((sum, name) => sum + Object.values(byName.get(name)!.out.inputs).reduce((s, i) => s + i.bytesInOutput, 0), 0);
process.stdout.write(`eager chunks: ${eager.size} (${(bytes / 1024).toFixed(0)} KiB of our code)\n`);
process.stdout.write(`npm packages loaded at start (${packages.size}): ${[...packages.keys()].filter((p) => !p.startsWith('node:')).sort().join(', ')}\n`);
process.stdout.write(`npm packages only behind dynamic imports: ${[...lazy].filter((p) => !packages.has(p) && !p.startsWith('node:')).sort().join(', ')}\n`);
