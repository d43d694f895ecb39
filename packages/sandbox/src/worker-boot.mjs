// Worker bootstrap (plain ESM so it loads without a TypeScript loader): for a `.ts` task module (running from
// source: `node --import tsx`, vitest) registers tsx in this thread first; a compiled `.js` one (the images, which
// hold no tsx) is imported as it is.
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
