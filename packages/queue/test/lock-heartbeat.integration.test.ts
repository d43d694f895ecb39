import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupPrefix, SHARED_REDIS_URL, uniquePrefix } from '@outrun/testing/redis';
import { createLockHeartbeat, type LockHeartbeat } from '../src/bullmq/lock-heartbeat';
import { silentLogger } from '../src/bullmq/redis-connection';

/** Holds this thread's event loop, as a CPU-bound step does. */
const block = (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until);
};

let redis: Redis | undefined;
let heartbeat: LockHeartbeat | undefined;
let prefix = '';
afterEach(async () => {
  await heartbeat?.close();
  redis?.disconnect();
  await cleanupPrefix(SHARED_REDIS_URL, prefix);
});

async function setup(maxBlockedMs: number) {
  prefix = uniquePrefix('hb');
  const keyPrefix = `${prefix}:runs`;
  redis = new Redis(SHARED_REDIS_URL);
  await redis.set(`${keyPrefix}:job-1:lock`, 'token-1', 'PX', 600);
  await redis.set(`${keyPrefix}:job-2:lock`, 'someone-else', 'PX', 600);
  await redis.sadd(`${keyPrefix}:stalled`, 'job-1');
  heartbeat = createLockHeartbeat({ connection: SHARED_REDIS_URL, keyPrefix, lockDurationMs: 600, intervalMs: 200, maxBlockedMs, logger: silentLogger });
  heartbeat.track('job-1', 'token-1');
  heartbeat.track('job-2', 'token-2'); // a lock we do not hold is never extended
  return { redis, keyPrefix };
}

describe('createLockHeartbeat (real Redis)', () => {
  it('keeps our lock and takes the job off the stalled set while the main thread is blocked', async () => {
    const { redis: r, keyPrefix } = await setup(10_000);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the thread is up and has the jobs
    block(1500);
    expect(await r.get(`${keyPrefix}:job-1:lock`)).toBe('token-1');
    expect(await r.sismember(`${keyPrefix}:stalled`, 'job-1')).toBe(0);
    expect(await r.get(`${keyPrefix}:job-2:lock`)).toBeNull();
  });

  it('lets the lock expire once the main thread has been silent for maxBlockedMs (a stuck process loses its jobs)', async () => {
    const { redis: r, keyPrefix } = await setup(500);
    await new Promise((resolve) => setTimeout(resolve, 300));
    block(2000);
    expect(await r.get(`${keyPrefix}:job-1:lock`)).toBeNull();
  });

  it('stops extending a job once it is untracked', async () => {
    const { redis: r, keyPrefix } = await setup(10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    heartbeat?.untrack('job-1');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await r.get(`${keyPrefix}:job-1:lock`)).toBeNull();
  });
});
