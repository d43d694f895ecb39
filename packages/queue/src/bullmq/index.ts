/**
 * @outrun/queue/bullmq — the distributed adapters on Redis: the BullMQ run queue, the pub/sub event bus and
 * the per-workflow concurrency limiter.
 */
export { createBullmqQueue, type BullmqQueueOptions } from './bullmq-queue';
export { createRedisEventBus, type RedisEventBusOptions } from './redis-event-bus';
export { createRedisWorkflowLimiter, type RedisWorkflowLimiterOptions } from './redis-workflow-limiter';
export type { RedisConnection, QueueLogger } from './redis-connection';
