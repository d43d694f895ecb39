/**
 * A small pool of worker threads for user compute that must be stoppable: each worker has its own V8 heap
 * capped by `resourceLimits` (an allocation bomb kills the worker, not the process) and every task has a hard
 * wall-clock limit enforced by `worker.terminate()` (an infinite loop is stopped from outside, whatever it
 * does). A dead worker is replaced on the next task. The main thread's event loop never runs the task, so
 * `/healthz`, lock renewals and other runs go on meanwhile.
 */
import { Worker } from 'node:worker_threads';

export interface WorkerPoolOptions {
  /** Worker threads (tasks running at once). @default 1 */
  size?: number;
  /** Old-generation heap cap of each worker (MB). @default 64 */
  heapMb?: number;
  /** Wall-clock limit of one task, queueing excluded (ms). @default 2000 */
  timeoutMs?: number;
  /** Tasks waiting for a worker before new ones are refused. @default 100 */
  maxQueue?: number;
}

/** Why a task did not return: `timeout`, `memory` (heap cap hit), `busy` (queue full), `crashed`, `closed`. */
export type SandboxFailureReason = 'timeout' | 'memory' | 'busy' | 'crashed' | 'closed';

/** A task stopped by the sandbox itself (not an error thrown by the task's own code). */
export class SandboxError extends Error {
  constructor(
    message: string,
    readonly reason: SandboxFailureReason,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

/** What a worker answers: a value, or an error it caught (serialised by the task handler). */
export type TaskReply = ({ id: number; ok: true; value: unknown } | { id: number; ok: false; error: unknown }) & { /** the worker asked to be replaced */ retire?: boolean };

interface Pending {
  id: number;
  message: { kind: string; payload: unknown };
  resolve: (reply: TaskReply) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  /** The entry module loaded (it said `ready`): the time limit of a task counts from then, not from the spawn. */
  ready: boolean;
  task: Pending | undefined;
  timer: NodeJS.Timeout | undefined;
}

export interface WorkerPool {
  /** Runs one task of `kind` in a worker; resolves with the worker's reply. @throws SandboxError */
  run(kind: string, payload: unknown): Promise<TaskReply>;
  /** Workers started so far (first starts and replacements): a test and metrics figure. */
  readonly spawned: number;
  /** Starts up to `count` idle workers now (loading their entry), so the first tasks do not pay the start-up. */
  warm(count?: number): void;
  close(): Promise<void>;
}

const BOOT = new URL('./worker-boot.mjs', import.meta.url);
/** How long a new worker may take to load its entry (thread, tsx, imports) before its task fails. */
const STARTUP_TIMEOUT_MS = 30_000;

/** Starts nothing until the first task; `entry` is the worker module (a `.ts` file is loaded through tsx). */
export function createWorkerPool(entry: URL, options: WorkerPoolOptions = {}): WorkerPool {
  const size = Math.max(1, options.size ?? 1);
  const heapMb = options.heapMb ?? 64;
  const timeoutMs = options.timeoutMs ?? 2000;
  const maxQueue = options.maxQueue ?? 100;
  const slots: Array<Slot | undefined> = new Array<Slot | undefined>(size).fill(undefined);
  const queue: Pending[] = [];
  let nextId = 1;
  let spawned = 0;
  let closed = false;

  function spawn(index: number): Slot {
    const worker = new Worker(BOOT, {
      workerData: { entry: entry.href },
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: Math.max(4, Math.floor(heapMb / 4)), stackSizeMb: 4 },
      stdout: false,
      stderr: false,
    });
    worker.unref();
    spawned++;
    const slot: Slot = { worker, ready: false, task: undefined, timer: undefined };
    // A worker that never gets ready (broken entry) fails its task instead of holding it forever.
    const boot = setTimeout(() => !slot.ready && fail(new Error(`not ready after ${STARTUP_TIMEOUT_MS} ms`)), STARTUP_TIMEOUT_MS);
    boot.unref();
    worker.on('message', (reply: TaskReply | { type: 'ready' }) => {
      if ('type' in reply) {
        clearTimeout(boot);
        slot.ready = true;
        if (slot.task) dispatch(index, slot, slot.task);
        return;
      }
      const task = slot.task;
      if (!task || reply.id !== task.id) return;
      clearTimeout(slot.timer);
      slot.task = undefined;
      // Retiring: the slot is freed before the next dispatch, so no task is ever sent to the leaving worker.
      if (reply.retire && slots[index] === slot) {
        slots[index] = undefined;
        void worker.terminate();
      }
      task.resolve(reply);
      pump();
    });
    function fail(err: Error): void {
      clearTimeout(boot);
      if (slots[index] === slot) slots[index] = undefined;
      clearTimeout(slot.timer);
      const task = slot.task;
      slot.task = undefined;
      if (task) {
        const oom = (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
        task.reject(oom ? new SandboxError(`The evaluation used more than its ${heapMb} MB memory limit and was stopped.`, 'memory') : new SandboxError(`The sandbox worker failed: ${err.message}`, 'crashed'));
      }
      void worker.terminate();
      pump();
    }
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`worker exited with code ${code}`)));
    return slot;
  }

  function start(index: number, task: Pending): void {
    const slot = slots[index] ?? spawn(index);
    slots[index] = slot;
    slot.task = task;
    if (slot.ready) dispatch(index, slot, task);
  }

  function dispatch(index: number, slot: Slot, task: Pending): void {
    slot.timer = setTimeout(() => {
      if (slot.task !== task) return;
      slot.task = undefined;
      if (slots[index] === slot) slots[index] = undefined;
      task.reject(new SandboxError(`The evaluation ran longer than ${timeoutMs} ms and was stopped.`, 'timeout'));
      void slot.worker.terminate();
      pump();
    }, timeoutMs);
    slot.timer.unref();
    slot.worker.postMessage({ id: task.id, ...task.message });
  }

  function pump(): void {
    while (queue.length > 0) {
      const free = slots.findIndex((s) => s === undefined || s.task === undefined);
      if (free < 0) return;
      start(free, queue.shift() as Pending);
    }
  }

  return {
    get spawned() {
      return spawned;
    },
    warm(count = size) {
      for (let i = 0; i < Math.min(count, size) && !closed; i++) slots[i] ??= spawn(i);
    },
    run(kind, payload) {
      if (closed) return Promise.reject(new SandboxError('The sandbox is closed.', 'closed'));
      if (queue.length >= maxQueue) return Promise.reject(new SandboxError('Too many evaluations are waiting; retry shortly.', 'busy'));
      return new Promise<TaskReply>((resolve, reject) => {
        queue.push({ id: nextId++, message: { kind, payload }, resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const task of queue.splice(0)) task.reject(new SandboxError('The sandbox is closed.', 'closed'));
      await Promise.all(
        slots.map(async (slot) => {
          if (!slot) return;
          clearTimeout(slot.timer);
          slot.task?.reject(new SandboxError('The sandbox is closed.', 'closed'));
          slot.task = undefined;
          await slot.worker.terminate();
        }),
      );
      slots.fill(undefined);
    },
  };
}
