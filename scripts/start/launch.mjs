// `npm start`: the embedded stack (scripts/start.ts) in this one process, compiled (compiled-start.mjs): built on
// the first start and after a source changed, reused otherwise. OUTRUN_START_FROM_SOURCE=1 runs the TypeScript
// sources through tsx instead (what every start did before); so does a start whose build fails, with the reason.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { buildStart, freshBuild } from './compiled-start.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function compiledEntry() {
  const fresh = freshBuild(root);
  if (fresh) return join(fresh, 'start.js');
  process.stdout.write('Compiling Outrun (first start, or the sources changed)…\n');
  return join(await buildStart(root), 'start.js');
}

let entry = null;
if (process.env.OUTRUN_START_FROM_SOURCE !== '1' && process.env.OUTRUN_START_FROM_SOURCE !== 'true') {
  try {
    entry = await compiledEntry();
  } catch (err) {
    process.stderr.write(`Could not compile the stack (${err instanceof Error ? err.message : String(err)}); starting from source.\n`);
  }
}
if (entry) await import(pathToFileURL(entry).href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'scripts', 'start.ts')).href);
}
