// Worker bootstrap (plain ESM so it loads without a TypeScript loader): registers tsx in this thread, then
// imports the task module named by the pool. Services already run under `node --import tsx`; tests under vitest.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
