import { afterAll, describe, expect, it } from 'vitest';
import { createWorkerPool, SandboxError } from './worker-pool';

const pool = createWorkerPool(new URL('../test/hostile-worker.ts', import.meta.url), { size: 1, heapMb: 32, timeoutMs: 1500 });
afterAll(() => pool.close());

/** Proves the main thread stayed free: a timer due every 20 ms keeps firing while the task runs. */
function watchLoop(): () => number {
  let worst = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 20);
  return () => {
    clearInterval(timer);
    return worst;
  };
}

describe('createWorkerPool', () => {
  it('runs a task and returns its value', async () => {
    await expect(pool.run('echo', { a: [1, 2] })).resolves.toEqual({ id: expect.any(Number) as unknown, ok: true, value: { a: [1, 2] } });
  });

  it('replaces a worker that asks to retire, after its reply, without losing the tasks queued behind it', async () => {
    const spawned = pool.spawned;
    const [retired, next, after] = await Promise.all([pool.run('retire', 'last'), pool.run('echo', 'queued'), pool.run('echo', 'again')]);
    expect(retired).toMatchObject({ ok: true, value: 'last', retire: true });
    expect(next).toMatchObject({ ok: true, value: 'queued' });
    expect(after).toMatchObject({ ok: true, value: 'again' });
    expect(pool.spawned).toBe(spawned + 1);
  });

  it('stops an endless loop with the hard timeout, keeps the event loop free, and replaces the worker', async () => {
    const spawned = pool.spawned;
    const stop = watchLoop();
    const err = await pool.run('spin', null).catch((e: unknown) => e);
    expect(stop()).toBeLessThan(500);
    expect(err).toBeInstanceOf(SandboxError);
    expect(err).toMatchObject({ reason: 'timeout' });
    await expect(pool.run('echo', 1)).resolves.toMatchObject({ ok: true, value: 1 });
    expect(pool.spawned).toBe(spawned + 1);
  });

  it('stops an allocation bomb at the worker heap cap without growing this process', async () => {
    const before = process.memoryUsage().rss;
    const err = await pool.run('allocate', null).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: expect.stringMatching(/memory|timeout/) as unknown });
    // the worker's heap is released with the worker
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
    await expect(pool.run('echo', 'alive')).resolves.toMatchObject({ ok: true, value: 'alive' });
  });

  it('returns an error thrown by the task as data', async () => {
    await expect(pool.run('fail', null)).resolves.toMatchObject({ ok: false, error: { message: 'boom', code: 'OUT_ERR_NODE_FAILED' } });
  });

  it('queues past its size and refuses past maxQueue', async () => {
    const small = createWorkerPool(new URL('../test/hostile-worker.ts', import.meta.url), { size: 1, maxQueue: 1, timeoutMs: 500 });
    try {
      const first = small.run('spin', null).catch((e: unknown) => e);
      const second = small.run('echo', 2);
      await expect(small.run('echo', 3)).rejects.toMatchObject({ reason: 'busy' });
      expect(await first).toMatchObject({ reason: 'timeout' });
      await expect(second).resolves.toMatchObject({ ok: true, value: 2 });
    } finally {
      await small.close();
    }
  });
});
