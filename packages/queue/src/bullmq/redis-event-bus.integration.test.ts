import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServerHandle } from '@outrun/testing/redis';
import { waitFor } from '../contract/run-queue-contract';
import { createRedisEventBus } from './redis-event-bus';

describe('Redis event bus: one PUBLISH per channel per turn', () => {
  let redis: RedisServerHandle;
  beforeAll(async () => {
    redis = await startRedisServer(); // private: its command counts are ours alone
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('delivers every message of a turn, in order, to every subscriber, from one PUBLISH per channel', async () => {
    const bus = createRedisEventBus({ url: redis.url, prefix: 'batch' });
    const admin = new Redis(redis.url);
    try {
      const run: unknown[] = [];
      const workspace: unknown[] = [];
      const second: unknown[] = [];
      await bus.subscribe('run:1', (m) => run.push(m));
      await bus.subscribe('run:1', (m) => second.push(m));
      await bus.subscribe('ws:1', (m) => workspace.push(m));
      await admin.config('RESETSTAT');
      await Promise.all([1, 2, 3].flatMap((n) => [bus.publish('run:1', { n }), bus.publish('ws:1', { n })]));
      await waitFor(() => run.length === 3 && workspace.length === 3 && second.length === 3, 5000, 'all messages');
      expect(run).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      expect(second).toEqual(run);
      expect(workspace).toEqual(run);
      const publishes = Number(/cmdstat_publish:calls=(\d+)/.exec(await admin.info('commandstats'))?.[1] ?? 0);
      expect(publishes).toBe(2);
    } finally {
      admin.disconnect();
      await bus.close();
    }
  });

  it('sends what is queued before closing', async () => {
    const bus = createRedisEventBus({ url: redis.url, prefix: 'close' });
    const watcher = createRedisEventBus({ url: redis.url, prefix: 'close' });
    try {
      const got: unknown[] = [];
      await watcher.subscribe('c', (m) => got.push(m));
      void bus.publish('c', { last: true });
      await bus.close();
      await waitFor(() => got.length === 1, 5000, 'the message published just before close');
    } finally {
      await watcher.close();
    }
  });
});
