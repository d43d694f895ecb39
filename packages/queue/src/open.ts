import { createBullmqQueue, createRedisEventBus, createRedisWorkflowLimiter, type QueueLogger } from './bullmq/index';
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
    const logger = options.logger;
    const queue = createBullmqQueue({ connection: options.redisUrl, prefix, ...(logger ? { logger } : {}) });
    const events = createRedisEventBus({ url: options.redisUrl, prefix });
    const limiter = createRedisWorkflowLimiter({ connection: options.redisUrl, prefix, ...(logger ? { logger } : {}) });
    return { queue, events, limiter, mode: 'bullmq', close: () => closeAll(queue, events, limiter) };
  }
  const queue = createMemoryQueue();
  const events = createMemoryEventBus();
  const limiter = createMemoryWorkflowLimiter();
  return { queue, events, limiter, mode: 'memory', close: () => closeAll(queue, events, limiter) };
}

async function closeAll(...parts: Array<{ close(): Promise<void> }>): Promise<void> {
  await Promise.all(parts.map((p) => p.close()));
}
