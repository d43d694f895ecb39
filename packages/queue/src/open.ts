import type { QueueLogger } from './bullmq/index';
import type { WorkflowLimiter } from './limiter';
import { createMemoryEventBus, createMemoryQueue, createMemoryWorkflowLimiter } from './memory/index';
import type { EventBus, RunQueue } from './ports';

export interface OpenQueueOptions {
  /** `REDIS_URL`; unset = the in-process adapters (embedded mode, one process). */
  redisUrl?: string | undefined;
  /** Key prefix (`OUTRUN_QUEUE_PREFIX`). @default "outrun" */
  prefix?: string;
  logger?: QueueLogger;
}

export interface OpenedQueue {
  queue: RunQueue;
  events: EventBus;
  /** Per-workflow concurrency across runners (Redis) or within the process (memory). */
  limiter: WorkflowLimiter;
  mode: 'bullmq' | 'memory';
  /** Closes all three. */
  close(): Promise<void>;
}

/** Picks the adapters from the configuration. Connects lazily: nothing happens until first use. */
export function openQueue(options: OpenQueueOptions): OpenedQueue {
  const prefix = options.prefix ?? 'outrun';
  if (options.redisUrl) {
    const { logger, redisUrl } = options;
    const queue = deferred(() => bullmq().then((m) => m.createBullmqQueue({ connection: redisUrl, prefix, ...(logger ? { logger } : {}) })));
    const events = deferred(() => bullmq().then((m) => m.createRedisEventBus({ url: redisUrl, prefix })));
    const limiter = deferred(() => bullmq().then((m) => m.createRedisWorkflowLimiter({ connection: redisUrl, prefix, ...(logger ? { logger } : {}) })));
    return { queue, events, limiter, mode: 'bullmq', close: () => closeAll(queue, events, limiter) };
  }
  const queue = createMemoryQueue();
  const events = createMemoryEventBus();
  const limiter = createMemoryWorkflowLimiter();
  return { queue, events, limiter, mode: 'memory', close: () => closeAll(queue, events, limiter) };
}

/** BullMQ and ioredis (≈ 25 MB of RSS) are imported only with REDIS_URL: an embedded stack never loads them. */
const bullmq = () => import('./bullmq/index');

/**
 * An adapter created on first use. Every method of the queue, bus and limiter ports is async, so a call simply
 * waits for the module; `then` is left undefined so the adapter is not mistaken for a promise.
 */
function deferred<T extends object>(create: () => Promise<T>): T {
  let adapter: Promise<T> | undefined;
  return new Proxy({} as T, {
    get: (_target, name) => {
      if (typeof name === 'symbol' || name === 'then') return undefined;
      if (name === 'close' && adapter === undefined) return async () => undefined; // never used: nothing to close
      return (...args: unknown[]) => (adapter ??= create()).then((a) => (a as Record<string, (...x: unknown[]) => unknown>)[name]!(...args));
    },
  });
}

async function closeAll(...parts: Array<{ close(): Promise<void> }>): Promise<void> {
  await Promise.all(parts.map((p) => p.close()));
}
