import type { Redis } from 'ioredis';
import type { WorkflowLimiter, WorkflowLimiterOptions } from '../limiter';
import { openRedis, queueUnavailable, type QueueLogger, type RedisConnection, silentLogger } from './redis-connection';

export interface RedisWorkflowLimiterOptions extends WorkflowLimiterOptions {
  connection: RedisConnection;
  /** @default "outrun" */
  prefix?: string;
  logger?: QueueLogger;
}

/**
 * KEYS: holders (zset member → lease expiry), waiters (zset member → order), seen (zset member → last ask).
 * ARGV: holder, limit, now, leaseMs, order, waiterStaleMs. Returns 1 when the slot is taken.
 * Nobody in line and a slot free (the common case): the slot is taken at once, without joining the line.
 */
const ACQUIRE = `
local now = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
  return 1
end
if redis.call('ZCARD', KEYS[2]) == 0 and redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
  return 1
end
local stale = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[6]))
for _, m in ipairs(stale) do
  redis.call('ZREM', KEYS[2], m)
  redis.call('ZREM', KEYS[3], m)
end
redis.call('ZADD', KEYS[2], 'NX', tonumber(ARGV[5]), ARGV[1])
redis.call('ZADD', KEYS[3], now, ARGV[1])
local free = tonumber(ARGV[2]) - redis.call('ZCARD', KEYS[1])
if free <= 0 then return 0 end
local rank = redis.call('ZRANK', KEYS[2], ARGV[1])
if rank and rank < free then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('ZREM', KEYS[3], ARGV[1])
  return 1
end
return 0
`;

/** KEYS as ACQUIRE; ARGV: holder. A holder is in line (waiters and seen) only while it has no slot. */
const RELEASE = `
redis.call('ZREM', KEYS[1], ARGV[1])
if redis.call('ZREM', KEYS[2], ARGV[1]) == 1 then redis.call('ZREM', KEYS[3], ARGV[1]) end
return 1
`;

type LimiterRedis = Redis & {
  outrunAcquire(k1: string, k2: string, k3: string, ...args: Array<string | number>): Promise<number>;
  outrunRelease(k1: string, k2: string, k3: string, holder: string): Promise<number>;
};

/**
 * `settings.concurrency` across every runner process: a Redis semaphore per workflow whose slots are leases
 * (renewed here every `leaseMs / 3` while held), so a runner killed with -9 leaks its slot for at most `leaseMs`.
 * A redelivered run holds the same member (its run id) and gets its own slot back at once.
 */
export function createRedisWorkflowLimiter(options: RedisWorkflowLimiterOptions): WorkflowLimiter {
  const prefix = `${options.prefix ?? 'outrun'}:wfsem:`;
  const leaseMs = options.leaseMs ?? 10_000;
  const staleMs = options.waiterStaleMs ?? 10_000;
  const logger = options.logger ?? silentLogger;
  const held = new Map<string, { key: string; holder: string }>();
  let redis: LimiterRedis | undefined;
  let renewTimer: NodeJS.Timeout | undefined;

  const keys = (key: string) => [`${prefix}${key}:h`, `${prefix}${key}:w`, `${prefix}${key}:s`] as const;
  const client = (): LimiterRedis => {
    if (redis) return redis;
    const r = openRedis(options.connection, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
    r.on('error', () => undefined);
    r.defineCommand('outrunAcquire', { numberOfKeys: 3, lua: ACQUIRE });
    r.defineCommand('outrunRelease', { numberOfKeys: 3, lua: RELEASE });
    redis = r as LimiterRedis;
    return redis;
  };

  const renew = async () => {
    if (held.size === 0) return;
    const pipeline = client().pipeline();
    const expiry = Date.now() + leaseMs;
    for (const { key, holder } of held.values()) pipeline.zadd(keys(key)[0], 'XX', expiry, holder);
    await pipeline.exec().catch((err: unknown) => logger.warn({ err }, 'workflow limiter: lease renewal failed'));
  };

  const ensureRenewing = () => {
    renewTimer ??= setInterval(() => void renew(), Math.max(100, Math.floor(leaseMs / 3)));
    renewTimer.unref();
  };

  return {
    async tryAcquire(key, holder, limit, order) {
      const [h, w, s] = keys(key);
      let got: number;
      try {
        got = await client().outrunAcquire(h, w, s, holder, limit, Date.now(), leaseMs, order, staleMs);
      } catch (cause) {
        throw queueUnavailable(cause);
      }
      if (got !== 1) return false;
      held.set(`${key}\u0000${holder}`, { key, holder });
      ensureRenewing();
      return true;
    },
    async release(key, holder) {
      held.delete(`${key}\u0000${holder}`);
      const [h, w, s] = keys(key);
      try {
        await client().outrunRelease(h, w, s, holder);
      } catch (cause) {
        throw queueUnavailable(cause);
      }
    },
    async close() {
      clearInterval(renewTimer);
      held.clear();
      await redis?.quit().catch(() => redis?.disconnect());
      redis = undefined;
    },
  };
}
