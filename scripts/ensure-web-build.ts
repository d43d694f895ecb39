/**
 * Builds the web app when its production build is missing or older than its sources.
 * Runs before `npm test` (the browser and `npm start` end-to-end tests use the build); cheap when fresh.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWebIfStale } from './start/start-web';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const started = Date.now();
const built = await buildWebIfStale({ root, env: {}, onLine: (line) => process.stdout.write(`[web build] ${line}\n`) });
if (built) process.stdout.write(`[web build] done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
