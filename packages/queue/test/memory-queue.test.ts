import { createMemoryQueue } from '../src/memory/index';
import { runQueueContract } from '../src/contract/run-queue-contract';

runQueueContract('memory', async () => ({ queue: createMemoryQueue(), cleanup: async () => undefined }));
import { createMemoryEventBus, createMemoryWorkflowLimiter } from '../src/memory/index';
import { workflowLimiterContract } from '../src/contract/limiter-contract';
import { eventBusContract } from '../src/contract/event-bus-contract';

workflowLimiterContract('memory', async () => ({ limiter: createMemoryWorkflowLimiter(), cleanup: async () => undefined }));
eventBusContract('memory', async () => ({ bus: createMemoryEventBus(), cleanup: async () => undefined }));
