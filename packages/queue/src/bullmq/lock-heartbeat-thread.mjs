// The lock heartbeat's thread (plain ESM: it loads without a TypeScript loader). It extends the BullMQ locks of
// the jobs the main thread is running, with BullMQ's own extendLock logic, on its own Redis connection and
// timer — so a main thread busy with CPU-bound work for longer than the lock duration keeps its jobs. If the
// main thread has sent nothing (its pings come every `pingMs`) for `maxBlockedMs`, it is taken for stuck and the
// locks are left to expire: the stalled check then hands its jobs to another runner.
import { parentPort, workerData } from 'node:worker_threads';
import { createScriptClient, redisTarget } from './lock-heartbeat-redis.mjs';

const { connection, keyPrefix, lockDurationMs, intervalMs, maxBlockedMs } = workerData;

// Same as BullMQ's extendLock-2.lua: extend only our own lock (token match) and take the job off the stalled set.
const EXTEND_LOCK = `if redis.call("GET", KEYS[1]) == ARGV[1] then
  if redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2]) then
    redis.call("SREM", KEYS[2], ARGV[3])
    return 1
  end
end
return 0`;

/** The thread's client: a few-line RESP client (no ioredis in this isolate), or ioredis for what only it speaks. */
async function openClient() {
  const target = redisTarget(connection);
  if (target) return createScriptClient(target, EXTEND_LOCK);
  const { Redis } = await import('ioredis');
  const redis = typeof connection === 'string' ? new Redis(connection, { maxRetriesPerRequest: 1 }) : new Redis({ ...connection, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined); // reconnects on its own
  redis.defineCommand('outrunExtendLock', { numberOfKeys: 2, lua: EXTEND_LOCK });
  return {
    runAll: (calls) => {
      const pipeline = redis.pipeline();
      for (const { keys, args } of calls) pipeline.outrunExtendLock(...keys, ...args);
      return pipeline.exec();
    },
    close: () => redis.quit().catch(() => redis.disconnect()),
  };
}
const client = openClient();

/** jobId → lock token */
const jobs = new Map();
let lastHeard = Date.now();

parentPort.on('message', (m) => {
  lastHeard = Date.now();
  if (m.type === 'track') jobs.set(m.jobId, m.token);
  else if (m.type === 'untrack') for (const jobId of m.jobIds) jobs.delete(jobId);
  else if (m.type === 'close') {
    clearInterval(timer);
    jobs.clear();
    void client.then((c) => c.close()).catch(() => undefined).finally(() => parentPort.close());
  }
});

const timer = setInterval(() => {
  if (jobs.size === 0 || Date.now() - lastHeard > maxBlockedMs) return;
  const calls = [...jobs].map(([jobId, token]) => ({ keys: [`${keyPrefix}:${jobId}:lock`, `${keyPrefix}:stalled`], args: [token, lockDurationMs, jobId] }));
  // A failed beat is not fatal: the next one comes within a third of the lock duration.
  void client.then((c) => c.runAll(calls, lockDurationMs)).catch(() => undefined);
}, intervalMs);
