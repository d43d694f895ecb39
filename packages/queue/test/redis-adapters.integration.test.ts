import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { cleanupPrefix, SHARED_REDIS_URL, startRedisServer, uniquePrefix } from '@outrun/testing/redis';
import { createBullmqQueue, createRedisEventBus, createRedisWorkflowLimiter } from '../src/bullmq/index';
import { workflowLimiterContract } from '../src/contract/limiter-contract';
import { eventBusContract } from '../src/contract/event-bus-contract';
import { waitFor } from '../src/contract/run-queue-contract';
import { startJob } from '../src/run-job';

workflowLimiterContract('redis', async () => {
  const prefix = uniquePrefix('lc');
  return { limiter: createRedisWorkflowLimiter({ connection: SHARED_REDIS_URL, prefix }), cleanup: () => cleanupPrefix(SHARED_REDIS_URL, prefix).then(() => undefined) };
});

eventBusContract('redis', async () => ({ bus: createRedisEventBus({ url: SHARED_REDIS_URL, prefix: uniquePrefix('ev') }), cleanup: async () => undefined }));

describe('BullMQ adapter against a Redis that goes away', () => {
  it('fails fast with QUEUE_UNAVAILABLE while Redis is down and works again once it is back', async () => {
    const redis = await startRedisServer();
    const queue = createBullmqQueue({ connection: redis.url, prefix: uniquePrefix('down') });
    try {
      await queue.ping();
      await queue.enqueue(startJob({ workspaceId: 'ws', runId: 'before' }));
      await redis.kill();
      const t0 = Date.now();
      await expect(queue.ping()).rejects.toMatchObject({ code: 'OUT_ERR_QUEUE_UNAVAILABLE' });
      await expect(queue.enqueue(startJob({ workspaceId: 'ws', runId: 'during' }))).rejects.toMatchObject({ code: 'OUT_ERR_QUEUE_UNAVAILABLE' });
      expect(Date.now() - t0).toBeLessThan(5000);
      await redis.restart();
      // ioredis reconnects on its own (backoff ≤ 2 s); poll until the producer answers again.
      let ok = false;
      const until = Date.now() + 10_000;
      while (!ok && Date.now() < until) {
        ok = await queue.ping().then(() => true, () => false);
        // A failing ping settles in microtasks only: yield so ioredis can run its reconnect timer.
        if (!ok) await new Promise((r) => setTimeout(r, 50));
      }
      expect(ok).toBe(true);
      const seen: string[] = [];
      await queue.enqueue(startJob({ workspaceId: 'ws', runId: 'after' }));
      await queue.consume(async (ctx) => (seen.push(ctx.jobId), { type: 'done' }));
      await waitFor(() => seen.includes('after'), 8000, 'delivery after restart');
    } finally {
      await queue.close();
      await redis.stop();
    }
  });

  it('redelivers the job of a consumer that vanished without a word within 5 s', async () => {
    const prefix = uniquePrefix('stall');
    const crashed = createBullmqQueue({ connection: SHARED_REDIS_URL, prefix });
    const survivor = createBullmqQueue({ connection: SHARED_REDIS_URL, prefix });
    try {
      let started = false;
      // This handler never settles: its worker is then force-closed, so its lock is never renewed nor released.
      await crashed.consume(async () => {
        started = true;
        return new Promise(() => undefined);
      });
      await crashed.enqueue(startJob({ workspaceId: 'ws', runId: 'orphan' }));
      await waitFor(() => started, 8000, 'first delivery');
      await crashed.close();
      const t0 = Date.now();
      const seen: Array<{ jobId: string; deliveries: number }> = [];
      await survivor.consume(async (ctx) => (seen.push({ jobId: ctx.jobId, deliveries: ctx.deliveries }), { type: 'done' }));
      await waitFor(() => seen.length === 1, 8000, 'redelivery');
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(seen[0]).toMatchObject({ jobId: 'orphan' });
      expect(seen[0]!.deliveries).toBeGreaterThanOrEqual(2);
    } finally {
      await survivor.close();
      await cleanupPrefix(SHARED_REDIS_URL, prefix);
    }
  });
});

describe('Redis workflow limiter leases', () => {
  it('renews a held slot, and frees the slot of a holder that vanished once its lease expires', async () => {
    const prefix = uniquePrefix('lease');
    const alive = createRedisWorkflowLimiter({ connection: SHARED_REDIS_URL, prefix, leaseMs: 300 });
    const crashed = createRedisWorkflowLimiter({ connection: SHARED_REDIS_URL, prefix, leaseMs: 300 });
    const other = createRedisWorkflowLimiter({ connection: SHARED_REDIS_URL, prefix, leaseMs: 300 });
    try {
      expect(await alive.tryAcquire('wf-a', 'run-1', 1, 1)).toBe(true);
      expect(await crashed.tryAcquire('wf-b', 'run-2', 1, 1)).toBe(true);
      await crashed.close(); // stops renewing without releasing, like kill -9
      const t0 = Date.now();
      let freed = false;
      while (!freed && Date.now() - t0 < 5000) {
        freed = await other.tryAcquire('wf-b', 'run-3', 1, 2);
        if (!freed) await new Promise((r) => setTimeout(r, 50));
      }
      expect(freed).toBe(true);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
      // The live holder's lease is renewed: its slot is still taken more than two lease periods after it was taken.
      await new Promise((r) => setTimeout(r, Math.max(0, 700 - (Date.now() - t0))));
      expect(await other.tryAcquire('wf-a', 'run-4', 1, 2)).toBe(false);
    } finally {
      await alive.close();
      await other.close();
      await cleanupPrefix(SHARED_REDIS_URL, prefix);
    }
  });
});

describe('BullMQ adapter lock loss', () => {
  it('aborts an active job whose lock was lost, so two runners never execute it at once', async () => {
    const prefix = uniquePrefix('lock');
    const queue = createBullmqQueue({ connection: SHARED_REDIS_URL, prefix, lockDurationMs: 1500 });
    const redis = new Redis(SHARED_REDIS_URL);
    try {
      let reason: unknown;
      let started = false;
      await queue.consume(async (ctx) => {
        started = true;
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
        reason = ctx.signal.reason;
        return { type: 'done' };
      });
      await queue.enqueue(startJob({ workspaceId: 'ws', runId: 'locked' }));
      await waitFor(() => started, 8000, 'start');
      // What a stalled event loop looks like from Redis: the lock expired (here: removed) and may be taken by another worker.
      expect(await redis.del(`${prefix}:runs:locked:lock`)).toBe(1);
      await waitFor(() => reason !== undefined, 5000, 'the abort after the failed lock renewal');
      expect(reason).toMatchObject({ code: 'OUT_ERR_QUEUE_UNAVAILABLE' });
    } finally {
      await queue.close();
      redis.disconnect();
      await cleanupPrefix(SHARED_REDIS_URL, prefix);
    }
  });
});
