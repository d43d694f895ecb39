import { ErrorCode, OperationalError, type RunJob } from '@outrun/schemas';
import { MinHeap } from '../min-heap';
import { jobIdOf } from '../run-job';
import type { ConsumeOptions, Consumer, EnqueueItem, EnqueueOptions, JobHandler, JobOutcome, QueueCounts, RunQueue } from '../ports';

/** What the in-process queue needs of a clock (tests may pass the engine's Clock). */
export interface QueueClock {
  now(): number;
}

export interface MemoryQueueOptions {
  /** Stamps each job's due time (`dueAt`, for inspection); delays themselves run on timers. @default Date */
  clock?: QueueClock;
  /** Wait after a handler throws before the job is offered again (ms). @default 1000 */
  errorRetryMs?: number;
}

interface Entry {
  job: RunJob;
  jobId: string;
  priority: number;
  seq: number;
  state: 'waiting' | 'delayed' | 'active';
  deliveries: number;
  /** Epoch ms (clock) from which the job may run. */
  dueAt: number;
  timer?: NodeJS.Timeout | undefined;
  abort?: AbortController | undefined;
}

interface ActiveConsumer {
  handler: JobHandler;
  concurrency: number;
  active: Set<Promise<void>>;
  closing: boolean;
}

/**
 * The embedded (one process) run queue: the same semantics as the BullMQ adapter — dedupe by job id while a
 * job exists, durable-looking delays via timers, priority, concurrency, cancel — but nothing survives a restart
 * (`lifecycle.recover()` re-enqueues from the store at start-up).
 */
export function createMemoryQueue(options: MemoryQueueOptions = {}): RunQueue {
  const clock = options.clock ?? Date;
  const errorRetryMs = options.errorRetryMs ?? 1000;
  const entries = new Map<string, Entry>();
  // Waiting entries by (priority, arrival). A cancelled entry stays until popped, then is skipped (`takeWaiting`).
  const waiting = new MinHeap<Entry>((a, b) => a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq));
  const consumers: ActiveConsumer[] = [];
  const totals = { completed: 0, failed: 0 };
  let seq = 0;
  let closed = false;

  const insertWaiting = (entry: Entry) => {
    entry.state = 'waiting';
    waiting.push(entry);
    pump();
  };

  /** The next waiting entry that is still this job's (not cancelled meanwhile), or undefined. */
  const takeWaiting = (): Entry | undefined => {
    for (let entry = waiting.pop(); entry !== undefined; entry = waiting.pop()) {
      if (entry.state === 'waiting' && entries.get(entry.jobId) === entry) return entry;
    }
    return undefined;
  };

  const schedule = (entry: Entry, delayMs: number) => {
    entry.dueAt = clock.now() + Math.max(0, delayMs);
    if (delayMs <= 0) return insertWaiting(entry);
    entry.state = 'delayed';
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (entries.get(entry.jobId) === entry) insertWaiting(entry);
    }, delayMs);
  };

  const settle = (entry: Entry, outcome: JobOutcome) => {
    entry.abort = undefined;
    if (entries.get(entry.jobId) !== entry) return;
    if (outcome.type === 'done') {
      entries.delete(entry.jobId);
      totals.completed += 1;
    } else {
      entry.seq = seq++;
      schedule(entry, outcome.delayMs);
    }
  };

  const run = async (consumer: ActiveConsumer, entry: Entry) => {
    entry.state = 'active';
    entry.deliveries += 1;
    entry.abort = new AbortController();
    let outcome: JobOutcome;
    try {
      outcome = await consumer.handler({ job: entry.job, jobId: entry.jobId, deliveries: entry.deliveries, signal: entry.abort.signal });
    } catch {
      totals.failed += 1;
      outcome = { type: 'retry', delayMs: errorRetryMs };
    }
    settle(entry, outcome);
  };

  function pump(): void {
    for (const consumer of consumers) {
      while (!consumer.closing && consumer.active.size < consumer.concurrency) {
        const entry = takeWaiting();
        if (entry === undefined) return;
        const task: Promise<void> = run(consumer, entry).finally(() => {
          consumer.active.delete(task);
          pump();
        });
        consumer.active.add(task);
      }
    }
  }

  const closeConsumer = async (consumer: ActiveConsumer, graceMs: number) => {
    consumer.closing = true;
    const drained = Promise.all(consumer.active);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([drained.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)))]);
    clearTimeout(timer);
    if (timedOut) {
      for (const entry of entries.values()) if (entry.state === 'active') entry.abort?.abort(new OperationalError(ErrorCode.UNAVAILABLE, 'The runner is shutting down.'));
      await drained;
    }
    consumers.splice(consumers.indexOf(consumer), 1);
  };

  /** Adds one job unless its id already exists (dedupe). */
  const add = (job: RunJob, opts: EnqueueOptions = {}) => {
    const jobId = jobIdOf(job);
    if (entries.has(jobId)) return;
    const entry: Entry = { job, jobId, priority: opts.priority ?? 0, seq: seq++, state: 'waiting', deliveries: 0, dueAt: clock.now() };
    entries.set(jobId, entry);
    schedule(entry, opts.runAt === undefined ? (opts.delayMs ?? 0) : opts.runAt - clock.now());
  };

  const assertOpen = () => {
    if (closed) throw new OperationalError(ErrorCode.QUEUE_UNAVAILABLE, 'The in-process queue is closed.');
  };

  return {
    async enqueue(job: RunJob, opts: EnqueueOptions = {}) {
      assertOpen();
      add(job, opts);
    },
    async enqueueMany(items: EnqueueItem[]) {
      assertOpen();
      for (const { job, options: opts } of items) add(job, opts);
    },
    async consume(handler: JobHandler, opts: ConsumeOptions = {}): Promise<Consumer> {
      assertOpen();
      const consumer: ActiveConsumer = { handler, concurrency: opts.concurrency ?? 10, active: new Set(), closing: false };
      consumers.push(consumer);
      pump();
      return { close: ({ graceMs = 10_000 } = {}) => closeConsumer(consumer, graceMs) };
    },
    async cancel(jobId: string) {
      const entry = entries.get(jobId);
      if (!entry) return;
      if (entry.state === 'active') {
        entry.abort?.abort(new OperationalError(ErrorCode.RUN_CANCELLED, 'The job was cancelled.'));
        return;
      }
      clearTimeout(entry.timer);
      entries.delete(jobId); // a waiting entry is skipped when it comes up
    },
    async counts(): Promise<QueueCounts> {
      const counts: QueueCounts = { waiting: 0, active: 0, delayed: 0, completed: totals.completed, failed: totals.failed };
      for (const entry of entries.values()) counts[entry.state] += 1;
      return counts;
    },
    async exists(jobId: string) {
      return entries.has(jobId);
    },
    async ping() {
      assertOpen();
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...consumers].map((c) => closeConsumer(c, 0)));
      for (const entry of entries.values()) clearTimeout(entry.timer);
    },
  };
}
