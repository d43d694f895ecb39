/**
 * The compiled `npm start` (compiled-start.mjs) on a tiny repository of its own: a build is reused while its inputs
 * are unchanged, a changed input makes it stale, the bundle runs without tsx and finds its worker entries next to it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM without types: it runs before any TypeScript loader
import { buildStart, freshBuild } from './compiled-start.mjs';

let root: string;
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'outrun-compiled-start-'));
  write('package.json', '{"name":"fake","type":"module"}');
  for (const dir of ['packages/a', 'services/runner', 'connectors/c']) write(`${dir}/package.json`, '{}');
  write('packages/a/src/greeting.ts', "export const greeting: string = 'hello from the bundle';\n");
  write('scripts/start.ts', "import { greeting } from '../packages/a/src/greeting';\nconst worker: string = new URL('./runner-thread-entry.js', import.meta.url).pathname;\nconsole.log(greeting, worker);\n");
  write('services/runner/src/thread/runner-thread-entry.ts', 'export {};\n');
  write('packages/sandbox/src/expression-worker.ts', 'export {};\n');
  write('packages/sandbox/src/code/code-worker.ts', 'export {};\n');
  for (const file of ['services/runner/src/thread/boot.mjs', 'packages/sandbox/src/worker-boot.mjs', 'packages/queue/src/bullmq/lock-heartbeat-thread.mjs', 'packages/queue/src/bullmq/lock-heartbeat-redis.mjs']) write(file, '');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('compiled npm start', () => {
  it('builds once, runs as plain JavaScript with its worker entries beside it, and is reused while nothing changed', async () => {
    expect(freshBuild(root)).toBeNull();
    const dir = (await buildStart(root)) as string;
    expect(freshBuild(root)).toBe(dir);
    for (const file of ['start.js', 'runner-thread-entry.js', 'expression-worker.js', 'code-worker.js', 'boot.mjs', 'worker-boot.mjs']) expect(existsSync(join(dir, file)), file).toBe(true);
    const out = execFileSync(process.execPath, [join(dir, 'start.js')], { encoding: 'utf8' });
    expect(out).toContain('hello from the bundle');
    expect(out).toContain(join(dir, 'runner-thread-entry.js'));
  });

  it('is stale once a source it was built from changes (and after a rebuild, fresh again)', async () => {
    const before = freshBuild(root) as string;
    expect(before).not.toBeNull();
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(root, 'packages/a/src/greeting.ts'), later, later);
    expect(freshBuild(root)).toBeNull();
    const after = (await buildStart(root)) as string;
    expect(after).not.toBe(before);
    expect(freshBuild(root)).toBe(after);
    utimesSync(join(root, 'connectors/c/package.json'), later, later); // a workspace manifest counts too
    expect(freshBuild(root)).toBeNull();
  });
});
