// Runner thread bootstrap (plain ESM so it loads without a TypeScript loader): running from source (`tsx`) the
// entry is a `.ts` file and tsx is registered in this thread first; compiled, the `.js` entry is imported as is.
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
