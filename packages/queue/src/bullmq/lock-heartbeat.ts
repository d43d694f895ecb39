/**
 * Keeps BullMQ job locks alive from a worker thread. BullMQ renews locks on the main thread's timers, so a step
 * that holds the event loop past `lockDuration` (3 s) lost its job to another runner, which ran the same steps a
 * second time. The heartbeat thread has its own loop and Redis connection and renews the locks of the jobs this
 * process runs whatever the main thread does — up to `maxBlockedMs` of silence from it, after which the process
 * counts as stuck and its jobs go to another runner as before. Crash recovery is unchanged: the thread dies with
 * the process and the locks expire after `lockDuration`.
 */
import { Worker } from 'node:worker_threads';
import type { QueueLogger, RedisConnection } from './redis-connection';

export interface LockHeartbeatOptions {
  connection: RedisConnection;
  /** `${prefix}:${queueName}`: BullMQ's key prefix of the queue. */
  keyPrefix: string;
  lockDurationMs: number;
  /** How often the locks are extended (ms). */
  intervalMs: number;
  /** Silence from the main thread after which its locks are left to expire (ms). */
  maxBlockedMs: number;
  logger: QueueLogger;
}

export interface LockHeartbeat {
  track(jobId: string, token: string): void;
  untrack(jobId: string): void;
  close(): Promise<void>;
}

/** The heartbeat that does nothing (`lockHeartbeat: false`, or options that cannot reach a thread). */
export const disabledLockHeartbeat: LockHeartbeat = { track: () => undefined, untrack: () => undefined, close: async () => undefined };

/** Starts the heartbeat thread; without a cloneable connection (functions in ioredis options) it is a no-op. */
export function createLockHeartbeat(options: LockHeartbeatOptions): LockHeartbeat {
  let connection: RedisConnection;
  try {
    connection = structuredClone(options.connection);
  } catch (err) {
    options.logger.warn({ err }, 'lock heartbeat disabled: the Redis options cannot be sent to a thread (use a REDIS_URL)');
    return disabledLockHeartbeat;
  }
  const worker = new Worker(new URL('./lock-heartbeat-thread.mjs', import.meta.url), {
    workerData: { connection, keyPrefix: options.keyPrefix, lockDurationMs: options.lockDurationMs, intervalMs: options.intervalMs, maxBlockedMs: options.maxBlockedMs },
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 1 },
  });
  worker.unref();
  worker.on('error', (err) => options.logger.warn({ err }, 'lock heartbeat thread failed; locks are renewed by the main thread only'));
  // Proof of life for the thread: a main thread that stops sending for maxBlockedMs is considered stuck.
  const ping = setInterval(() => worker.postMessage({ type: 'ping' }), Math.max(100, Math.floor(options.intervalMs / 2)));
  ping.unref();
  let closed = false;
  // A start is told at once (its lock must be renewed even if the main thread blocks right after); the ends of a
  // turn go in one message (a late untrack only renews a lock the job no longer holds: the script checks the
  // token), sent ahead of the next start so a job that comes back is never untracked after its new track.
  let ended: string[] = [];
  let sendEnded: NodeJS.Immediate | undefined;
  const flushEnded = () => {
    clearImmediate(sendEnded);
    sendEnded = undefined;
    if (ended.length === 0 || closed) return;
    worker.postMessage({ type: 'untrack', jobIds: ended });
    ended = [];
  };
  return {
    track: (jobId, token) => {
      if (closed) return;
      flushEnded();
      worker.postMessage({ type: 'track', jobId, token });
    },
    untrack: (jobId) => {
      if (closed) return;
      ended.push(jobId);
      sendEnded ??= setImmediate(flushEnded);
    },
    async close() {
      if (closed) return;
      flushEnded();
      closed = true;
      clearInterval(ping);
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ type: 'close' });
      const timer = setTimeout(() => void worker.terminate(), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}
