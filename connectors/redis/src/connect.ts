/** A connection per step or source, never shared across credentials. */
import type { Redis } from 'ioredis';
import type { RedisCredentialData } from './data';

/** ioredis is imported by the first connection, not when the connector loads (docs/performance.md, idle memory). */
export async function createRedis(credential: RedisCredentialData): Promise<Redis> {
  const { Redis } = await import('ioredis');
  return new Redis({
    host: credential.host,
    port: credential.port,
    db: credential.db,
    ...(credential.username ? { username: credential.username } : {}),
    ...(credential.password ? { password: credential.password } : {}),
    ...(credential.tls ? { tls: {} } : {}),
    lazyConnect: true,
    connectTimeout: 10_000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
}

export async function withRedis<T>(credential: RedisCredentialData, signal: AbortSignal, fn: (redis: Redis) => Promise<T>): Promise<T> {
  signal.throwIfAborted();
  const redis = await createRedis(credential);
  redis.on('error', () => undefined);
  const onAbort = () => redis.disconnect();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await redis.connect();
    return await fn(redis);
  } finally {
    signal.removeEventListener('abort', onAbort);
    redis.disconnect();
  }
}
