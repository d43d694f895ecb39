/**
 * Messages between `npm start`'s main thread (queue, event bus, HTTP) and the runner thread (engine, its own store
 * connection). Structured-cloned by the MessagePort: plain data only; errors travel as `{code, message}`.
 */
import type { EnqueueItem, EnqueueOptions, JobOutcome, QueueCounts } from '@outrun/queue';
import type { RunJob } from '@outrun/schemas';
import type { OpenStoreOptions } from '@outrun/store/open';

/** How the runner thread opens its own connection to the main thread's store (its logger is its own). */
export type ThreadStoreOptions = Omit<OpenStoreOptions, 'logger'>;

export interface WireError {
  code: string;
  message: string;
}

/** What the runner thread asks of the main thread's queue and bus (answered by a `result` with its `cid`; 0: no answer). */
export type ThreadCall =
  | { op: 'enqueue'; job: RunJob; options?: EnqueueOptions | undefined }
  | { op: 'enqueueMany'; items: EnqueueItem[] }
  | { op: 'cancel'; jobId: string }
  | { op: 'counts' }
  | { op: 'exists'; jobId: string }
  | { op: 'ping' }
  | { op: 'publish'; channel: string; message: unknown }
  | { op: 'subscribe'; sid: number; channel: string }
  | { op: 'unsubscribe'; sid: number };

export type CallResult = { ok: true; value?: boolean | QueueCounts | undefined } | { ok: false; error: WireError };

export type ToThread =
  | { type: 'job'; id: number; job: RunJob; jobId: string; deliveries: number }
  | { type: 'abort'; id: number; error: WireError }
  | { type: 'event'; sid: number; message: unknown }
  | { type: 'result'; cid: number; result: CallResult }
  | { type: 'ask'; cid: number; what: 'ready' | 'metrics' }
  | { type: 'stop'; graceMs: number };

export type FromThread =
  | { type: 'started' }
  | { type: 'failed'; error: WireError }
  | { type: 'outcome'; id: number; outcome: JobOutcome }
  | { type: 'call'; cid: number; call: ThreadCall }
  | { type: 'answer'; cid: number; ready?: boolean; metrics?: { contentType: string; text: string } }
  | { type: 'stopped' };

export const toWire = (err: unknown): WireError => {
  const e = err as { code?: unknown; message?: unknown } | null;
  return { code: typeof e?.code === 'string' ? e.code : 'OUT_ERR_INTERNAL', message: typeof e?.message === 'string' ? e.message : String(err) };
};
