import { DelayedError, Queue, Worker, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { ErrorCode, OperationalError, RunJob } from '@outrun/schemas';
import { jobIdOf, upgradeJobPayload } from '../run-job';
import type { ConsumeOptions, Consumer, EnqueueItem, EnqueueOptions, JobHandler, JobOutcome, QueueCounts, RunQueue } from '../ports';
import { createDueWakeups } from './due-wakeups';
import { createLockHeartbeat, disabledLockHeartbeat, type LockHeartbeat } from './lock-heartbeat';
import { openRedis, queueUnavailable, withDeadline, silentLogger, type QueueLogger, type RedisConnection } from './redis-connection';

export interface BullmqQueueOptions {
  /** `REDIS_URL` or ioredis options. */
  connection: RedisConnection;
  /** Key prefix (tests isolate with a unique one). @default "outrun" */
  prefix?: string;
  /** @default "runs" */
  queueName?: string;
  /** A job whose worker stops renewing its lock for this long is stalled and redelivered. @default 3000 */
  lockDurationMs?: number;
  /** How often workers look for stalled jobs. @default 1000 */
  stalledIntervalMs?: number;
  /** How long producers wait for Redis before answering QUEUE_UNAVAILABLE. @default 2000 */
  connectTimeoutMs?: number;
  /**
   * Renew the locks of running jobs from a worker thread too, so CPU-bound work on the main thread longer than
   * `lockDurationMs` does not hand the job to another runner (README "Locks and a busy event loop"). @default true
   */
  lockHeartbeat?: boolean;
  /** Main-thread silence after which the heartbeat stops renewing (the process is stuck; its jobs move on). @default 60000 */
  maxBlockedMs?: number;
  logger?: QueueLogger;
}

type RunBullJob = Job<RunJob, void, string>;

/**
 * A completed job is deleted at once (keeping the last 1,000 cost ~4 Redis commands per run inside BullMQ's finish
 * script, for nothing read them): its run's state is in the store, and a job enqueued again for a finished run is
 * dropped by the runner, which skips terminal runs. Failed jobs (BullMQ's safety net gave up) are kept to inspect.
 */
const KEEP = { removeOnComplete: true, removeOnFail: { count: 5000 } };

/** BullMQ options of one run job (job id derived from the payload). */
const jobOptions = (job: RunJob, opts: EnqueueOptions = {}): JobsOptions => {
  const priority = Math.max(0, Math.trunc(opts.priority ?? 0));
  // BullMQ schedules a delayed job at `timestamp + delay`: both from one reading of the clock keeps `runAt` exact.
  const timestamp = Date.now();
  return {
    jobId: jobIdOf(job),
    timestamp,
    delay: Math.max(0, opts.runAt === undefined ? (opts.delayMs ?? 0) : opts.runAt - timestamp),
    ...(priority > 0 ? { priority } : {}),
    attempts: 1000,
    backoff: { type: 'fixed', delay: 1000 },
    ...KEEP,
  };
};

/**
 * The distributed run queue on BullMQ. Tuned for crash recovery within a few seconds (short lock, frequent
 * stalled checks, a high `maxStalledCount` so a redelivered job is never failed for having stalled).
 * BullMQ's own retries are a safety net only: the handler's `JobOutcome` decides, and `retry` moves the same
 * job to delayed. Producers use `enableOfflineQueue: false`, so a down Redis fails fast (→ 503 upstream).
 */
export function createBullmqQueue(options: BullmqQueueOptions): RunQueue {
  const prefix = options.prefix ?? 'outrun';
  const name = options.queueName ?? 'runs';
  const logger = options.logger ?? silentLogger;
  const connectTimeoutMs = options.connectTimeoutMs ?? 2000;
  const active = new Map<string, AbortController>();
  const workers = new Set<Worker>();
  const heartbeats = new Set<LockHeartbeat>();
  let producer: { redis: Redis; queue: Queue<RunJob, void, string> } | undefined;
  // BullMQ's base marker ("jobs are waiting") returns blocked workers at once; they promote what is due.
  const wakeups = createDueWakeups(async () => producer && (await producer.redis.zadd(producer.queue.keys.marker!, 0, '0')));
  const wakeAtRunAt = (opts: EnqueueOptions | undefined) => opts?.runAt !== undefined && wakeups.at(opts.runAt);

  const getQueue = async () => {
    if (!producer) {
      const redis = openRedis(options.connection, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
      const queue = new Queue<RunJob, void, string>(name, { connection: redis, prefix });
      queue.on('error', (err) => logger.warn({ err }, 'queue connection error'));
      producer = { redis, queue };
    }
    if (producer.redis.status !== 'ready') await withDeadline(producer.queue.waitUntilReady(), connectTimeoutMs, 'The run queue (Redis) is unavailable.');
    return producer.queue;
  };

  const processorFor = (handler: JobHandler, heartbeat: LockHeartbeat) => async (job: RunBullJob, token?: string) => {
    const parsed = RunJob.safeParse(upgradeJobPayload(job.data));
    if (!parsed.success || job.id === undefined) {
      logger.error({ jobId: job.id, issues: parsed.error?.issues }, 'dropping a malformed run job');
      return;
    }
    const abort = new AbortController();
    active.set(job.id, abort);
    if (token !== undefined) heartbeat.track(job.id, token);
    let outcome: JobOutcome;
    try {
      outcome = await handler({ job: parsed.data, jobId: job.id, deliveries: Math.max(1, job.attemptsStarted), signal: abort.signal });
    } catch (err) {
      logger.error({ err, jobId: job.id }, 'run job handler threw; retrying in 1 s');
      outcome = { type: 'retry', delayMs: 1000 };
    } finally {
      active.delete(job.id);
      heartbeat.untrack(job.id);
    }
    if (outcome.type === 'retry') {
      // If Redis is down here the throw fails the attempt; BullMQ's own retry (attempts below) or the stalled
      // check brings the job back either way.
      await job.moveToDelayed(Date.now() + outcome.delayMs, token);
      throw new DelayedError();
    }
  };

  return {
    async enqueue(job, opts: EnqueueOptions = {}) {
      const queue = await getQueue();
      try {
        await queue.add('run', job, jobOptions(job, opts));
      } catch (cause) {
        throw queueUnavailable(cause);
      }
      wakeAtRunAt(opts);
    },

    async enqueueMany(items: EnqueueItem[]) {
      if (items.length === 0) return;
      const queue = await getQueue();
      try {
        // One MULTI for the whole batch; BullMQ's add script skips a job id that already exists.
        await queue.addBulk(items.map(({ job, options: opts }) => ({ name: 'run', data: job, opts: jobOptions(job, opts) })));
      } catch (cause) {
        throw queueUnavailable(cause);
      }
      for (const { options: opts } of items) wakeAtRunAt(opts);
    },

    async consume(handler, opts: ConsumeOptions = {}): Promise<Consumer> {
      const lockDuration = options.lockDurationMs ?? 3000;
      const heartbeat =
        options.lockHeartbeat === false
          ? disabledLockHeartbeat
          : createLockHeartbeat({ connection: options.connection, keyPrefix: `${prefix}:${name}`, lockDurationMs: lockDuration, intervalMs: Math.floor(lockDuration / 3), maxBlockedMs: options.maxBlockedMs ?? 60_000, logger });
      const worker = new Worker<RunJob, void, string>(name, processorFor(handler, heartbeat), {
        connection: openRedis(options.connection, { maxRetriesPerRequest: null }),
        prefix,
        concurrency: opts.concurrency ?? 10,
        lockDuration,
        lockRenewTime: Math.floor(lockDuration / 3),
        stalledInterval: options.stalledIntervalMs ?? 1000,
        maxStalledCount: 1_000_000,
        drainDelay: 1,
        autorun: false,
      });
      worker.on('error', (err) => logger.warn({ err }, 'worker connection error'));
      // Our lock on these jobs is gone (the event loop stalled past lockDuration, or Redis lost the job): another
      // runner may already be executing them, so stop ours rather than run the same steps twice at once.
      worker.on('lockRenewalFailed', (jobIds) => {
        for (const id of jobIds) active.get(id)?.abort(new OperationalError(ErrorCode.QUEUE_UNAVAILABLE, 'Lost the job lock; the job is redelivered.'));
      });
      workers.add(worker);
      heartbeats.add(heartbeat);
      void worker.run().catch((err: unknown) => logger.error({ err }, 'worker stopped'));
      return {
        close: async ({ graceMs = 10_000 } = {}) => {
          const closing = worker.close();
          let timer: NodeJS.Timeout | undefined;
          const drained = await Promise.race([closing.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), graceMs)))]);
          clearTimeout(timer);
          if (!drained) {
            // Past the grace period: abort in-flight jobs; their handlers hand the runs back (retry → delayed).
            for (const abort of active.values()) abort.abort(new OperationalError(ErrorCode.UNAVAILABLE, 'The runner is shutting down.'));
            const settled = await Promise.race([closing.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 5000)))]);
            clearTimeout(timer);
            if (!settled) await worker.close(true);
          }
          workers.delete(worker);
          await heartbeat.close();
          await worker.disconnect().catch(() => undefined);
        },
      };
    },

    async cancel(jobId) {
      active.get(jobId)?.abort(new OperationalError(ErrorCode.RUN_CANCELLED, 'The job was cancelled.'));
      const queue = await getQueue();
      try {
        await queue.remove(jobId); // 0 when active (locked) or missing: nothing more to do
      } catch (cause) {
        throw queueUnavailable(cause);
      }
    },

    async counts(): Promise<QueueCounts> {
      const queue = await getQueue();
      try {
        const c = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed');
        return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0, completed: c.completed ?? 0, failed: c.failed ?? 0 };
      } catch (cause) {
        throw queueUnavailable(cause);
      }
    },

    async exists(jobId) {
      const queue = await getQueue();
      try {
        const state = await queue.getJobState(jobId);
        return state === 'waiting' || state === 'active' || state === 'delayed' || state === 'prioritized' || state === 'waiting-children';
      } catch (cause) {
        throw queueUnavailable(cause);
      }
    },

    async ping() {
      await getQueue();
      try {
        await producer?.redis.ping();
      } catch (cause) {
        throw queueUnavailable(cause);
      }
    },

    async close() {
      wakeups.clear();
      await Promise.all([...workers].map((w) => w.close(true).then(() => w.disconnect()).catch(() => undefined)));
      workers.clear();
      await Promise.all([...heartbeats].map((h) => h.close()));
      heartbeats.clear();
      if (producer) {
        await producer.queue.close().catch(() => undefined);
        await producer.redis.quit().catch(() => producer?.redis.disconnect());
        producer = undefined;
      }
    },
  };
}
