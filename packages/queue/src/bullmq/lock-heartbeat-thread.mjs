// The lock heartbeat's thread (plain ESM: it loads without a TypeScript loader). It extends the BullMQ locks of
// the jobs the main thread is running, with BullMQ's own extendLock logic, on its own Redis connection and
// timer — so a main thread busy with CPU-bound work for longer than the lock duration keeps its jobs. If the
// main thread has sent nothing (its pings come every `pingMs`) for `maxBlockedMs`, it is taken for stuck and the
// locks are left to expire: the stalled check then hands its jobs to another runner.
import { parentPort, workerData } from 'node:worker_threads';
import { Redis } from 'ioredis';

const { connection, keyPrefix, lockDurationMs, intervalMs, maxBlockedMs } = workerData;
const redis = typeof connection === 'string' ? new Redis(connection, { maxRetriesPerRequest: 1 }) : new Redis({ ...connection, maxRetriesPerRequest: 1 });
redis.on('error', () => undefined); // reconnects on its own; a missed beat is what the lock duration is for

// Same as BullMQ's extendLock-2.lua: extend only our own lock (token match) and take the job off the stalled set.
redis.defineCommand('outrunExtendLock', {
  numberOfKeys: 2,
  lua: `if redis.call("GET", KEYS[1]) == ARGV[1] then
  if redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2]) then
    redis.call("SREM", KEYS[2], ARGV[3])
    return 1
  end
end
return 0`,
});

/** jobId → lock token */
const jobs = new Map();
let lastHeard = Date.now();

parentPort.on('message', (m) => {
  lastHeard = Date.now();
  if (m.type === 'track') jobs.set(m.jobId, m.token);
  else if (m.type === 'untrack') jobs.delete(m.jobId);
  else if (m.type === 'close') {
    clearInterval(timer);
    jobs.clear();
    void redis.quit().catch(() => redis.disconnect()).finally(() => parentPort.close());
  }
});

const timer = setInterval(() => {
  if (jobs.size === 0 || Date.now() - lastHeard > maxBlockedMs) return;
  const pipeline = redis.pipeline();
  for (const [jobId, token] of jobs) pipeline.outrunExtendLock(`${keyPrefix}:${jobId}:lock`, `${keyPrefix}:stalled`, token, lockDurationMs, jobId);
  void pipeline.exec().catch(() => undefined);
}, intervalMs);
