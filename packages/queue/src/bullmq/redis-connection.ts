import { Redis, type RedisOptions } from 'ioredis';
import { ErrorCode, OperationalError } from '@outrun/schemas';

/** A `REDIS_URL` or ioredis options. */
export type RedisConnection = string | RedisOptions;

/** Minimal logger the adapters use (a pino logger fits). */
export interface QueueLogger {
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export const silentLogger: QueueLogger = { warn: () => undefined, error: () => undefined };

/** Opens an ioredis client with the given overrides (nothing connects before `lazyConnect` is lifted). */
export function openRedis(connection: RedisConnection, overrides: RedisOptions): Redis {
  return typeof connection === 'string' ? new Redis(connection, overrides) : new Redis({ ...connection, ...overrides });
}

/** Translates an ioredis/BullMQ failure into the error the rest of Outrun understands. */
export function queueUnavailable(cause: unknown, what = 'The run queue (Redis) is unavailable.'): OperationalError {
  if (cause instanceof OperationalError) return cause;
  return new OperationalError(ErrorCode.QUEUE_UNAVAILABLE, what, { cause });
}

/** Resolves when `promise` does, or rejects with QUEUE_UNAVAILABLE after `ms`. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new OperationalError(ErrorCode.QUEUE_UNAVAILABLE, what)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
