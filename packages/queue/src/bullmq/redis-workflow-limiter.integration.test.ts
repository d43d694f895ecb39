import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServerHandle } from '@outrun/testing/redis';
import { createRedisWorkflowLimiter } from './redis-workflow-limiter';

/** Redis commands executed since the last RESETSTAT (inside scripts too), without the counting's own. */
async function commandsSince(admin: Redis): Promise<Record<string, number>> {
  const info = await admin.info('commandstats');
  const calls = Object.fromEntries([...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map((m) => [m[1]!, Number(m[2])]));
  for (const own of ['info', 'config|resetstat', 'config']) delete calls[own];
  return calls;
}

describe('Redis workflow limiter: cost of a slot nobody waits for', () => {
  let redis: RedisServerHandle;
  beforeAll(async () => {
    redis = await startRedisServer(); // private: its command counts are ours alone
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('takes and frees an uncontended slot in 2 round trips and 9 commands, leaving no line behind', async () => {
    const limiter = createRedisWorkflowLimiter({ connection: redis.url, prefix: 'cost' });
    const admin = new Redis(redis.url);
    try {
      await limiter.tryAcquire('wf', 'warm', 10, 1); // loads the scripts
      await limiter.release('wf', 'warm');
      await admin.config('RESETSTAT');
      for (let i = 0; i < 10; i++) {
        expect(await limiter.tryAcquire('wf', `run-${i}`, 10, i)).toBe(true);
        await limiter.release('wf', `run-${i}`);
      }
      const calls = await commandsSince(admin);
      expect(calls['evalsha']).toBe(20);
      expect(Object.values(calls).reduce((a, b) => a + b, 0)).toBe(90);
      expect(await admin.keys('cost:*')).toEqual([]);
    } finally {
      admin.disconnect();
      await limiter.close();
    }
  });

  it('a newcomer does not pass a run already in line when a slot frees', async () => {
    const limiter = createRedisWorkflowLimiter({ connection: redis.url, prefix: 'line' });
    try {
      expect(await limiter.tryAcquire('wf', 'a', 1, 1)).toBe(true);
      expect(await limiter.tryAcquire('wf', 'b', 1, 2)).toBe(false); // in line
      await limiter.release('wf', 'a');
      expect(await limiter.tryAcquire('wf', 'c', 1, 3)).toBe(false);
      expect(await limiter.tryAcquire('wf', 'b', 1, 2)).toBe(true);
      await limiter.release('wf', 'b');
      expect(await limiter.tryAcquire('wf', 'c', 1, 3)).toBe(true);
    } finally {
      await limiter.close();
    }
  });
});
