import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createBullmqQueue, createRedisEventBus } from '@outrun/queue/bullmq';
import { cleanupPrefix, SHARED_REDIS_URL, startRedisServer, uniquePrefix } from '@outrun/testing/redis';
import { createTempSqliteStore } from '@outrun/testing/sqlite';
import { createWorkflow, eventually, startListener } from './fixtures';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

/** Starts `src/main.ts` as a real child process; resolves once it logs that it listens. */
function spawnListener(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env: { ...process.env, LISTENER_PORT: '0', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('"msg":"listener listening"')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`listener exited with ${code}: ${stderr}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('listener with BullMQ on Redis', () => {
  it('answers 503 and records nothing while Redis is down; accepts again once it is back', async () => {
    const redis = await startRedisServer();
    cleanups.push(() => redis.stop());
    const temp = await createTempSqliteStore();
    cleanups.push(() => temp.cleanup());
    const prefix = uniquePrefix('lst');
    const queue = createBullmqQueue({ connection: redis.url, prefix, connectTimeoutMs: 500 });
    const events = createRedisEventBus({ url: redis.url, prefix });
    cleanups.push(() => Promise.allSettled([queue.close(), events.close()]));
    const ws = (await temp.store.workspaces.createWorkspace({ name: 'q' })).id;
    await createWorkflow(temp.store, ws, [{ id: 'hook', type: 'webhook', config: {} }]);
    const running = await startListener({ store: temp.store, queue, events });
    cleanups.push(() => running.close());
    const post = () => fetch(`${running.url}/webhook/${ws}/hook`, { method: 'POST', body: '{"x":1}', headers: { 'content-type': 'application/json' } });

    expect((await post()).status).toBe(202);
    await redis.stop();
    const down = await post();
    expect(down.status).toBe(503);
    expect(((await down.json()) as { error: { code: string } }).error.code).toBe('OUT_ERR_QUEUE_UNAVAILABLE');
    expect((await fetch(`${running.url}/readyz`)).status).toBe(503);
    expect((await temp.store.runs.listRuns(ws)).items).toHaveLength(1);
    await redis.restart();
    await eventually(async () => (await post()).status === 202, 10_000, 'accepting after Redis restart');
    const runs = (await temp.store.runs.listRuns(ws)).items;
    expect(runs).toHaveLength(2);
    expect((await queue.counts()).waiting).toBe(1); // the first job was lost with the unpersisted Redis; the second is queued
  });

  it('answers 503 OUT_ERR_STORE_UNAVAILABLE when the store is down', async () => {
    const temp = await createTempSqliteStore();
    cleanups.push(() => temp.cleanup());
    const ws = (await temp.store.workspaces.createWorkspace({ name: 's' })).id;
    await createWorkflow(temp.store, ws, [{ id: 'hook', type: 'webhook', config: {} }]);
    const running = await startListener({ store: temp.store });
    cleanups.push(() => running.close());
    const post = () => fetch(`${running.url}/webhook/${ws}/hook`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect((await post()).status).toBe(202);
    await temp.store.close();
    const down = await post();
    expect(down.status).toBe(503);
    expect(((await down.json()) as { error: { code: string } }).error.code).toBe('OUT_ERR_STORE_UNAVAILABLE');
    expect((await fetch(`${running.url}/readyz`)).status).toBe(503);
  });

  it('two listener processes sharing one schedule start exactly one run per occurrence', async () => {
    const temp = await createTempSqliteStore();
    cleanups.push(() => temp.cleanup());
    const prefix = uniquePrefix('lst');
    cleanups.push(() => cleanupPrefix(SHARED_REDIS_URL, prefix));
    const ws = (await temp.store.workspaces.createWorkspace({ name: 'two' })).id;
    await createWorkflow(temp.store, ws, [{ id: 'every-second', type: 'schedule', config: { cron: '* * * * * *', timezone: 'UTC', catchUp: 'none' } }]);
    const env = { OUTRUN_DATA_DIR: temp.dir, OUTRUN_ENCRYPTION_KEY: temp.encryptionKey, REDIS_URL: SHARED_REDIS_URL, OUTRUN_QUEUE_PREFIX: prefix };
    const children = await Promise.all([spawnListener(env), spawnListener(env)]);
    cleanups.push(() => Promise.all(children.map(stop)));
    const bothUp = Date.now();
    await eventually(async () => {
      const runs = (await temp.store.runs.listRuns(ws, { limit: 500 })).items;
      return runs.filter((r) => Date.parse((r.triggeredBy.payload as { scheduledAt: string }).scheduledAt) > bothUp + 1000).length >= 4;
    }, 20_000, 'four occurrences after both listeners are up');
    const stoppedAt = Date.now();
    await Promise.all(children.map(stop));

    const runs = (await temp.store.runs.listRuns(ws, { limit: 500 })).items;
    const perOccurrence = new Map<string, number>();
    for (const r of runs) {
      const at = (r.triggeredBy.payload as { scheduledAt: string }).scheduledAt;
      perOccurrence.set(at, (perOccurrence.get(at) ?? 0) + 1);
    }
    expect([...perOccurrence.values()].every((n) => n === 1)).toBe(true);
    // No gaps while both ran: every second between start-up and stop fired.
    const window = [...perOccurrence.keys()].map(Date.parse).filter((t) => t > bothUp + 1000 && t < stoppedAt - 1000).sort((a, b) => a - b);
    for (let i = 1; i < window.length; i++) expect((window[i] as number) - (window[i - 1] as number)).toBe(1000);
    const queue = createBullmqQueue({ connection: SHARED_REDIS_URL, prefix });
    try {
      // Staged ahead of due: each run's job waits (delayed until its occurrence; no runner here promotes it).
      const counts = await queue.counts();
      expect(counts.waiting + counts.delayed).toBe(runs.length);
      for (const r of runs) if (r.resumeAt !== undefined) expect(r.resumeAt).toBe((r.triggeredBy.payload as { scheduledAt: string }).scheduledAt);
      expect(runs.filter((r) => r.resumeAt !== undefined).length).toBeGreaterThan(0);
    } finally {
      await queue.close();
    }
  });
});
