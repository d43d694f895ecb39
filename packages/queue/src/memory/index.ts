/**
 * @outrun/queue/memory — the embedded (single-process) adapters: run queue, event bus and workflow limiter.
 */
export { createMemoryQueue, type MemoryQueueOptions, type QueueClock } from './memory-queue';
export { createMemoryEventBus } from './memory-event-bus';
export { createMemoryWorkflowLimiter } from './memory-workflow-limiter';
