import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupPrefix, SHARED_REDIS_URL, uniquePrefix } from '@outrun/testing/redis';
import { createLockHeartbeat, type LockHeartbeat } from '../src/bullmq/lock-heartbeat';
import { silentLogger } from '../src/bullmq/redis-connection';

async function waitUntil(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

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
  // Long first locks: the thread may take a while to start on a loaded machine.
  await redis.set(`${keyPrefix}:job-1:lock`, 'token-1', 'PX', 10_000);
  await redis.set(`${keyPrefix}:job-2:lock`, 'someone-else', 'PX', 10_000);
  await redis.sadd(`${keyPrefix}:stalled`, 'job-1', 'job-2');
  heartbeat = createLockHeartbeat({ connection: SHARED_REDIS_URL, keyPrefix, lockDurationMs: 600, intervalMs: 200, maxBlockedMs, logger: silentLogger });
  heartbeat.track('job-1', 'token-1');
  heartbeat.track('job-2', 'token-2'); // a lock we do not hold is never extended
  // The first beat took job-1 off the stalled set and set its lock to 600 ms: from here the heartbeat alone keeps it.
  await waitUntil(async () => (await redis!.sismember(`${keyPrefix}:stalled`, 'job-1')) === 0, 15_000, 'the first heartbeat');
  return { redis, keyPrefix };
}

describe('createLockHeartbeat (real Redis)', () => {
  it('keeps our lock and takes the job off the stalled set while the main thread is blocked', async () => {
    const { redis: r, keyPrefix } = await setup(10_000);
    await r.sadd(`${keyPrefix}:stalled`, 'job-1'); // another runner's stalled check marks it again
    block(1500);
    expect(await r.get(`${keyPrefix}:job-1:lock`)).toBe('token-1');
    expect(await r.pttl(`${keyPrefix}:job-1:lock`)).toBeLessThanOrEqual(600);
    expect(await r.sismember(`${keyPrefix}:stalled`, 'job-1')).toBe(0);
    // a lock we do not hold is neither extended nor taken off the stalled set
    expect(await r.pttl(`${keyPrefix}:job-2:lock`)).toBeGreaterThan(600);
    expect(await r.sismember(`${keyPrefix}:stalled`, 'job-2')).toBe(1);
  });

  it('lets the lock expire once the main thread has been silent for maxBlockedMs (a stuck process loses its jobs)', async () => {
    const { redis: r, keyPrefix } = await setup(500);
    block(2000);
    expect(await r.get(`${keyPrefix}:job-1:lock`)).toBeNull();
  });

  it('stops extending a job once it is untracked', async () => {
    const { redis: r, keyPrefix } = await setup(10_000);
    heartbeat?.untrack('job-1');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await r.get(`${keyPrefix}:job-1:lock`)).toBeNull();
  });

  it('a job that ends and starts again in one turn (redelivered, a new token) keeps its new lock', async () => {
    const { redis: r, keyPrefix } = await setup(10_000);
    await r.set(`${keyPrefix}:job-1:lock`, 'token-1b', 'PX', 600);
    heartbeat?.untrack('job-1'); // the ends of a turn are sent together, later, but always before the next start
    heartbeat?.track('job-1', 'token-1b');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await r.get(`${keyPrefix}:job-1:lock`)).toBe('token-1b');
  });
});
