import { cleanupPrefix, SHARED_REDIS_URL, uniquePrefix } from '@outrun/testing/redis';
import { createBullmqQueue } from '../src/bullmq/index';
import { runQueueContract } from '../src/contract/run-queue-contract';

runQueueContract('bullmq', async () => {
  const prefix = uniquePrefix('qc');
  return { queue: createBullmqQueue({ connection: SHARED_REDIS_URL, prefix }), cleanup: () => cleanupPrefix(SHARED_REDIS_URL, prefix).then(() => undefined) };
});
