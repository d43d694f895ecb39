/**
 * The run queue port. A job points at a run and says why it is driven (`RunJob`: start, resume, retry); the store
 * holds the truth. The job id is derived from the payload (`jobIdOf`), so enqueueing the same job twice is a no-op
 * while the first exists.
 */
import type { RunJob } from '@outrun/schemas';

export interface EnqueueOptions {
  /** Start no earlier than this many ms from now (durable delay, retries). @default 0 */
  delayMs?: number;
  /**
   * Start no earlier than this instant (epoch ms); used instead of `delayMs` when set. Absolute, so the time a
   * producer spends before the job reaches the queue does not push it later (staged schedule occurrences).
   */
  runAt?: number;
  /** Lower runs first. @default 0 */
  priority?: number;
}

/** One job of a batch enqueue (`RunQueue.enqueueMany`). */
export interface EnqueueItem {
  job: RunJob;
  options?: EnqueueOptions;
}

/** What a consumer is given for one job. */
export interface JobContext {
  job: RunJob;
  jobId: string;
  /** Delivery count: 1 on first delivery, more after a crash/stall redelivery. */
  deliveries: number;
  /** Aborted on graceful shutdown past its grace period, or when the job is cancelled. */
  signal: AbortSignal;
}

/** What the handler tells the queue. `retry` re-queues the same job after `delayMs`. */
export type JobOutcome = { type: 'done' } | { type: 'retry'; delayMs: number };

export type JobHandler = (ctx: JobContext) => Promise<JobOutcome>;

export interface ConsumeOptions {
  /** Jobs processed at once by this consumer. @default 10 */
  concurrency?: number;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
}

export interface Consumer {
  /** Stop taking jobs; wait up to `graceMs` for in-flight ones, then abort them (they are redelivered elsewhere). */
  close(options?: { graceMs?: number }): Promise<void>;
}

export interface RunQueue {
  enqueue(job: RunJob, options?: EnqueueOptions): Promise<void>;
  /**
   * Enqueues several jobs in one round trip, with `enqueue`'s semantics per item (a job id that already exists,
   * or repeats within the batch, is a no-op). Throws OperationalError(QUEUE_UNAVAILABLE) when the queue refuses.
   * Optional: callers fall back to one `enqueue` per item.
   */
  enqueueMany?(items: EnqueueItem[]): Promise<void>;
  /** Starts consuming. Nothing is consumed before this call (constructors do no work). */
  consume(handler: JobHandler, options?: ConsumeOptions): Promise<Consumer>;
  /** Removes a waiting/delayed job; aborts the signal of an active one in this process. */
  cancel(jobId: string): Promise<void>;
  counts(): Promise<QueueCounts>;
  /**
   * Whether a job with this id is waiting, delayed or active (not completed/failed). Lets the runner reconcile
   * the store with the queue after Redis lost its data. Optional: adapters without it are never reconciled.
   */
  exists?(jobId: string): Promise<boolean>;
  /** Cheap liveness check for /readyz; throws OperationalError(QUEUE_UNAVAILABLE) when down. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Fan-out of live events to subscribers in any process. BullMQ mode: Redis pub/sub. Embedded mode: an in-process
 * emitter. The adapters carry `unknown` (what arrives from Redis is untrusted JSON); `typedBus(bus, schema)` gives
 * an `EventBus<T>` whose subscribers receive parsed messages only (`runEventBus` for `RunEvent`).
 */
export interface EventBus<T = unknown> {
  publish(channel: string, message: T): Promise<void>;
  /** @returns an unsubscribe function. */
  subscribe(channel: string, listener: (message: T) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
